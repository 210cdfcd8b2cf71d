/**
 * Issue #13: the run-time keys as an EKS stack plans them (over the eks-prod-infra example):
 * KEDA installed on the platform pools with its NetworkPolicies, a ScaledObject instead of the
 * HPA, the app's IAM role bound by Pod Identity, the migration init container and the egress.
 */
import { expect } from "chai";
import type { RunResult } from "../../tools/engine/run";
import { mayReach, policiesFrom } from "../../tools/netpol/evaluate";
import { at, FIXTURES, named, ofType, planStack } from "../harness";

const SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const RELEASE = "kubernetes:helm.sh/v3:Release";

describe("run-time keys on EKS (tests/fixtures/stacks/apps-runtime-eks.yaml)", () => {
  let plan: RunResult;
  before(async function () {
    this.timeout(240_000);
    // The upstream infra is the eks-prod-infra example (the run the warm-up starts).
    const infra = await planStack({ stack: "prod", configFile: "examples/eks-prod-infra.yaml" });
    plan = await planStack({ stack: "apps-runtime-eks", configFile: `${FIXTURES}/stacks/apps-runtime-eks.yaml`, upstream: { "eks-prod-infra": infra.snapshot } });
  });

  it("installs KEDA twice over (prod) on the system pool, restricted, in the operators namespace", () => {
    const keda = ofType(plan, RELEASE).find((r) => r.inputs["chart"] === "keda");
    expect(keda?.inputs["version"]).to.equal("2.20.2");
    expect(keda?.inputs["namespace"]).to.equal("operators");
    expect(at(keda?.inputs, "values.operator.replicaCount")).to.equal(2);
    expect(at(keda?.inputs, "values.podDisruptionBudget.metricServer")).to.deep.equal({ minAvailable: 1 });
    expect(at(keda?.inputs, "values.securityContext.webhooks.readOnlyRootFilesystem")).to.equal(true);
    expect(at(keda?.inputs, "values.nodeSelector")).to.not.deep.equal({});
  });

  it("scales orders with a ScaledObject on the platform's Prometheus, not an HPA", () => {
    expect(ofType(plan, HPA).map((r) => r.name)).to.not.include("orders-autoscaler");
    const object = named(plan, SCALED_OBJECT, "orders-scaled-object");
    const triggers = at(object.inputs, "spec.triggers") as { type: string; metadata: Record<string, string> }[];
    expect(triggers.map((t) => t.type)).to.deep.equal(["cpu", "prometheus", "prometheus"]);
    expect(triggers[1]?.metadata["serverAddress"]).to.equal("http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090");
    expect(at(object.inputs, "spec.maxReplicaCount")).to.equal(30);
    const keda = ofType(plan, RELEASE).find((r) => r.inputs["chart"] === "keda");
    expect(object.dependencies, "waits for the KEDA release (its CRDs)").to.include(keda?.urn);
  });

  it("binds an IAM role that only Pod Identity assumes to the orders ServiceAccount", () => {
    const role = named(plan, "aws:iam/role:Role", "orders-aws-role");
    const trust = JSON.parse(role.inputs["assumeRolePolicy"] as string) as { Statement: { Principal: unknown }[] };
    expect(trust.Statement.map((s) => s.Principal)).to.deep.equal([{ Service: "pods.eks.amazonaws.com" }]);
    const association = named(plan, "aws:eks/podIdentityAssociation:PodIdentityAssociation", "orders-aws-association");
    expect([association.inputs["namespace"], association.inputs["serviceAccount"], association.inputs["clusterName"]]).to.deep.equal(["apps", "orders", "valueverse-prod"]);
    const policy = JSON.parse(named(plan, "aws:iam/rolePolicy:RolePolicy", "orders-aws-policy").inputs["policy"] as string) as { Statement: { Sid: string }[] };
    expect(policy.Statement.map((s) => s.Sid)).to.deep.equal(["App0", "ListObjects", "ReadWriteObjects", "BucketKeyThroughS3"]);
  });

  it("runs the migration first and lets the pods reach only their declared outside addresses, the Pod Identity agent and S3", () => {
    const pod = at(named(plan, "kubernetes:apps/v1:Deployment", "orders-deployment").inputs, "spec.template.spec") as { initContainers: { command: string[] }[] };
    expect(pod.initContainers.map((c) => c.command)).to.deep.equal([["/app/migrate"]]);
    const policies = policiesFrom(ofType(plan, "kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((r) => r.name === "orders-network-policy"));
    const from = { kind: "pod" as const, namespace: "apps", labels: { "app.kubernetes.io/name": "orders", "app.kubernetes.io/instance": "orders" } };
    const out = (ip: string, port: number) => mayReach(policies, { from, to: { kind: "address", ip }, port, protocol: "TCP" });
    expect(out("203.0.113.10", 443)).to.equal(true);
    expect(out("169.254.170.23", 80)).to.equal(true);
    expect(out("52.219.170.1", 443)).to.equal(true);
    expect(out("52.219.170.1", 22)).to.equal(false);
    expect(out("10.40.1.1", 443)).to.equal(false);
  });

  it("publishes KEDA's namespace and Prometheus' query URL in the platform contract for downstream apps stacks", () => {
    const platform = plan.outputs["platform"] as { keda?: { namespace: string }; observability: Record<string, string> };
    expect(platform.keda).to.deep.equal({ namespace: "operators" });
    expect(platform.observability["prometheusQuery"]).to.equal("http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090");
  });
});
