/**
 * Issue #20: a value stored with `pulumi config set --secret --path` inside a structured key is
 * secret to the stack file but not to the program (the runtime knows secrecy per top-level key).
 * The offline plan's leak guard knows every `secure:` leaf and refuses one that reaches a
 * resource or an output in clear, naming the key, on every layer. Each fixture passes one leaf
 * through a real path in clear. Infra, cluster and apps keys are revealed to the program as plain,
 * so the guard is checked on its own even where a parse-time refusal of the secret key applies.
 */
import { expect } from "chai";
import { formatLeak, leaksIn, type Leak } from "../../tools/engine/leaks";
import { toPlanDocument } from "../../tools/engine/run";
import { planStack } from "../harness";

const FIXTURES = "tests/fixtures/stacks";

async function leaksOf(stack: string, revealToProgram: readonly string[]): Promise<Leak[]> {
  const result = await planStack({ stack, configFile: `${FIXTURES}/${stack}.yaml`, revealToProgram });
  return leaksIn(toPlanDocument(result), result.secrets, result.secureLeaves);
}

const reports = (leaks: readonly Leak[]) => leaks.map(formatLeak);

describe("engine: the leak guard names each secure config leaf that reaches the plan in clear", () => {
  let layers: Leak[];
  before(async () => {
    layers = await leaksOf("secret-leaves", ["strata:cluster", "strata:apps"]);
  });

  it("issue #20: infra (vSphere): the VM folder set with --secret reaches the Folder and the VMs in clear", async () => {
    const leaks = await leaksOf("secret-leaves-vsphere", ["strata:infra"]);
    expect(reports(leaks)).to.include.members([
      "strata:infra.vsphere.folder reaches urn:pulumi:secret-leaves-vsphere::strata::strata:infra:VsphereCluster$vsphere:index/folder:Folder::strata-dev-folder inputs.path in clear",
      "strata:infra.vsphere.folder reaches urn:pulumi:secret-leaves-vsphere::strata::strata:infra:VsphereCluster$vsphere:index/virtualMachine:VirtualMachine::strata-dev-workers-1 inputs.folder in clear",
    ]);
    expect(leaks.every((leak) => leak.key === "strata:infra.vsphere.folder")).to.equal(true);
  });

  it("issue #20: infra (EKS): a node label set with --secret reaches the node group and the infra outputs in clear", async () => {
    expect(reports(await leaksOf("secret-leaves-eks", ["strata:infra"]))).to.have.members([
      "strata:infra.eks.nodeGroups.g.labels.team reaches urn:pulumi:secret-leaves-eks::strata::strata:infra:EksCluster$aws:eks/nodeGroup:NodeGroup::strata-minimal-existing-vpc-cluster-0001-g inputs.labels.team in clear",
      "strata:infra.eks.nodeGroups.g.labels.team reaches outputs.infra.nodePools[0].labels.team in clear",
    ]);
  });

  it("issue #20: cluster: the internal CA's common name set with --secret reaches the CA certificate in clear", () => {
    expect(reports(layers.filter((leak) => leak.key?.startsWith("strata:cluster.")))).to.deep.equal([
      "strata:cluster.certificates.internalCaCommonName reaches urn:pulumi:secret-leaves::strata::strata:cluster:CertManager$tls:index/selfSignedCert:SelfSignedCert::shared-dev-cert-manager-ca-cert inputs.subject.commonName in clear",
    ]);
  });

  it("issue #20: platform (a secret strata:platform, as the program sees it): the Kafka topic prefix reaches the KafkaUser's ACLs in clear", () => {
    expect(reports(layers.filter((leak) => leak.key?.startsWith("strata:platform.")))).to.deep.equal(
      [0, 1].map((i) => `strata:platform.kafka.topicPrefix reaches urn:pulumi:secret-leaves::strata::strata:platform:Kafka$kubernetes:kafka.strimzi.io/v1:KafkaUser::shared-dev-platform-kafka-user inputs.spec.authorization.acls[${i}].resource.name in clear`),
    );
  });

  it("issue #20: apps: an env value set with `pulumi config set --secret --path 'strata:apps.services.orders.env.API_KEY'` is refused, not written into the Deployment", () => {
    expect(reports(layers.filter((leak) => leak.key?.startsWith("strata:apps.")))).to.deep.equal([
      "strata:apps.services.orders.env.API_KEY reaches urn:pulumi:secret-leaves::strata::strata:apps:AppService$kubernetes:apps/v1:Deployment::orders-deployment inputs.spec.template.spec.containers[0].env[0].value in clear",
    ]);
  });

  it("reports nothing else: the other values of the secret keys are plain, and the leaves that stay secret are not leaks", () => {
    expect(layers.filter((leak) => leak.key === undefined)).to.deep.equal([]);
  });
});
