/**
 * issue #21: day 2 of the prod stack. Plans of an `up` after the cluster came up with the workers
 * pool grown by one, and previews in which VMs (and the readiness gate that follows them) are
 * replaced, with their outputs unknown as `pulumi preview` reports them.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { parse } from "yaml";
import { LB_SYNC_GUESTINFO } from "../../../infra/vsphere/lb-sync";
import { VSPHERE_BOOTSTRAPPED_OUTPUT } from "../../../lib/own-stack";
import type { CapturedRecord } from "../../../tools/engine/capture";
import type { RunResult } from "../../../tools/engine/run";
import { UNKNOWN_AT_PREVIEW } from "../../../tools/engine/values";
import { named, ofType, planStack } from "../../harness";
import { cloudConfigOfVm, joinOf } from "./docs";
import { prodWithFixedWorkersFile } from "./fixtures";

const VM = "vsphere:index/virtualMachine:VirtualMachine";
const SECRET = "kubernetes:core/v1:Secret";
const K8S_PROVIDER = "pulumi:providers:kubernetes";
const ROOT = join(__dirname, "..", "..", "..");
const BOOTSTRAPPED = { outputs: { [VSPHERE_BOOTSTRAPPED_OUTPUT]: true }, secretOutputNames: [] };
/** What a replacement of a control plane and a worker makes unknown at preview: the VMs and the gate that re-checks them. */
const VM_REPLACEMENT = ["emis-prod-control-plane-2", "emis-prod-workers-3", "emis-prod-api-ready"];

/** The bootstrap token a VM's join document carries. */
const tokenOf = (vm: CapturedRecord) => joinOf(cloudConfigOfVm(vm)).discovery.bootstrapToken.token;

/**
 * Whether pulumi-kubernetes would replace its provider going from `olds` to `news`, as its
 * `DiffConfig` decides (pulumi/pulumi-kubernetes, provider/pkg/provider/provider.go): a changed
 * `clusterIdentifier` replaces; an unchanged one never does; without one, an unknown `kubeconfig`,
 * `context` or `cluster` replaces, and so does a change of the kubeconfig's active cluster.
 */
function providerReplaced(oldInputs: Record<string, unknown>, newInputs: Record<string, unknown>): boolean {
  const [olds, news] = [stable(oldInputs), stable(newInputs)];
  const id = "clusterIdentifier";
  if (olds[id] !== undefined && news[id] !== undefined) return news[id] === UNKNOWN_AT_PREVIEW || news[id] !== olds[id];
  if (["kubeconfig", "context", "cluster"].some((key) => news[key] === UNKNOWN_AT_PREVIEW)) return true;
  const activeCluster = (kubeconfig: unknown) => (parse(typeof kubeconfig === "string" ? kubeconfig : "") as { clusters?: unknown } | null)?.clusters;
  return JSON.stringify(activeCluster(olds["kubeconfig"])) !== JSON.stringify(activeCluster(news["kubeconfig"]));
}

/**
 * Provider inputs with the CA the engine's mocks mint afresh on every run replaced by a stand-in:
 * a real update reads the CA back from the state, so only what else differs could replace.
 */
function stable(inputs: Record<string, unknown>): Record<string, unknown> {
  const text = (value: unknown) =>
    typeof value === "string" ? value.replace(/ca-sha256:[0-9a-f]{16}/, "ca-sha256:<ca>").replace(/"(certificate-authority-data|client-certificate-data|client-key-data)": "[A-Za-z0-9+/=]+"/g, '"$1": "<pem>"') : value;
  return Object.fromEntries(Object.entries(inputs).map(([key, value]) => [key, text(value)]));
}

describe("issue #21: vSphere day 2 (prod plan)", function () {
  this.timeout(600_000);
  let dir: string;
  let update: RunResult;
  let grown: RunResult;
  let vmReplacement: RunResult;
  let certificateRenewal: RunResult;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "strata-day2-"));
    [update, grown, vmReplacement, certificateRenewal] = await Promise.all([
      // Fixed workers: prod's workers autoscale, so Pulumi makes none of their VMs.
      planStack({ stack: "prod", configFile: prodWithFixedWorkersFile(dir, 6), previousOutputs: BOOTSTRAPPED }),
      planStack({ stack: "prod", configFile: prodWithFixedWorkersFile(dir, 7), previousOutputs: BOOTSTRAPPED }),
      planStack({ stack: "prod", configFile: prodWithFixedWorkersFile(dir, 6), previousOutputs: BOOTSTRAPPED, preview: { unknownOutputsOf: VM_REPLACEMENT } }),
      planStack({ stack: "prod", configFile: prodWithFixedWorkersFile(dir, 6), previousOutputs: BOOTSTRAPPED, preview: { unknownOutputsOf: ["emis-prod-pki-admin"] } }),
    ]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("issue #21: a node added on day 2 joins with the current token, whose Secret expires in the future", () => {
    const added = named(grown, VM, "emis-prod-workers-7");
    const [id, secret] = tokenOf(added).split(".");
    const token = named(grown, SECRET, "emis-prod-bootstrap-token");
    const data = token.rawInputs["stringData"] as Record<string, string>;
    expect(data["token-id"]).to.equal(id);
    expect(data["token-secret"]).to.equal(secret);
    // The expiry comes from the state of the token's own TokenExpiry (replaced with the id), not
    // from a value frozen by ignoreChanges when the first token was made.
    const expiry = named(grown, "pulumi-nodejs:dynamic/strata:TokenExpiry", "emis-prod-token-expiry");
    expect(expiry.rawInputs["tokenId"]).to.equal(id);
    expect(token.ignoreChanges).to.not.include("stringData.expiration");
    expect(Date.parse(data["expiration"]!)).to.be.greaterThan(Date.now() + 23 * 3600_000);
    // Running VMs are rewritten with the same token in place.
    for (const vm of ofType(grown, VM).filter((v) => !v.name.includes("load-balancers"))) expect(tokenOf(vm), vm.name).to.equal(tokenOf(added));
  });

  it("issue #21: a replaced VM is rebuilt from the current documents, not the first day's", () => {
    const replaced = named(vmReplacement, VM, "emis-prod-workers-3");
    expect(replaced.ignoreChanges).to.not.include("extraConfig");
    const data = named(vmReplacement, SECRET, "emis-prod-bootstrap-token").rawInputs["stringData"] as Record<string, string>;
    expect(tokenOf(replaced)).to.equal(`${data["token-id"]}.${data["token-secret"]}`);
  });

  it("issue #21: replacing VMs leaves the Kubernetes provider's config known, so it is not replaced", () => {
    expect(ofType(vmReplacement, K8S_PROVIDER).map((p) => p.name).sort()).to.deep.equal(["emis-prod-admin", "emis-prod-k8s"]);
    for (const during of ofType(vmReplacement, K8S_PROVIDER)) {
      const before = named(update, K8S_PROVIDER, during.name);
      expect(during.rawInputs["kubeconfig"], during.name).to.be.a("string").and.not.equal(UNKNOWN_AT_PREVIEW);
      expect(providerReplaced(before.rawInputs, during.rawInputs), during.name).to.equal(false);
    }
    const during = named(vmReplacement, K8S_PROVIDER, "emis-prod-k8s");
    // Ordered after the readiness gate instead.
    expect(during.dependencies).to.include(named(vmReplacement, "pulumi-nodejs:dynamic/strata:ApiReadiness", "emis-prod-api-ready").urn);
  });

  it("issue #21: a renewed admin certificate does not replace the Kubernetes provider: the cluster identifier is unchanged", () => {
    for (const during of ofType(certificateRenewal, K8S_PROVIDER)) {
      const before = named(update, K8S_PROVIDER, during.name);
      expect(during.rawInputs["kubeconfig"], during.name).to.equal(UNKNOWN_AT_PREVIEW);
      expect(during.rawInputs["clusterIdentifier"], during.name).to.match(/^emis-prod\/ca-sha256:[0-9a-f]{16}$/);
      expect(before.rawInputs["clusterIdentifier"], during.name).to.match(/^emis-prod\/ca-sha256:[0-9a-f]{16}$/);
      expect(providerReplaced(before.rawInputs, during.rawInputs), during.name).to.equal(false);
    }
  });

  it("issue #21: the readiness gate waits for every declared Kubernetes node and re-checks when any VM is replaced", () => {
    const gate = named(update, "pulumi-nodejs:dynamic/strata:ApiReadiness", "emis-prod-api-ready");
    const vms = ofType(update, VM);
    const kubernetesNodes = vms.filter((vm) => !vm.name.includes("load-balancers")).map((vm) => vm.name).sort();
    expect(kubernetesNodes).to.have.length(21);
    expect([...(gate.rawInputs["nodeNames"] as string[])].sort()).to.deep.equal(kubernetesNodes);
    for (const vm of vms) expect(gate.dependencies, vm.name).to.include(vm.urn);
  });

  it("issue #21: looks up every storage policy by name, so a misspelt one fails the preview", () => {
    const policies = (update.invokes ?? []).filter((i) => i.token === "vsphere:index/getPolicy:getPolicy").map((i) => i.inputs["name"]);
    const config = parse(readFileSync(join(ROOT, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, { vsphere: { storagePolicies: Record<string, string> } }> };
    const declared = Object.values(config.config["strata:infra"]!.vsphere.storagePolicies);
    expect(declared).to.not.be.empty;
    expect([...new Set(policies)].sort()).to.deep.equal([...new Set(declared)].sort());
  });

  it("issue #21: the load balancers' HAProxy backends are in their managed guestinfo, so a control-plane change reaches them without cloud-init", () => {
    const controlPlanes = ofType(update, VM).filter((vm) => vm.name.includes("control-plane")).map((vm) => vm.rawInputs["name"] as string);
    expect(controlPlanes).to.have.length(3);
    for (const lb of ofType(update, VM).filter((vm) => vm.name.includes("load-balancers"))) {
      expect(lb.ignoreChanges, lb.name).to.not.include("extraConfig");
      const extra = lb.rawInputs["extraConfig"] as Record<string, string>;
      const haproxy = Buffer.from(extra[LB_SYNC_GUESTINFO.haproxy] ?? "", "base64").toString();
      const servers = haproxy.split("\n").filter((line) => line.trim().startsWith("server emis-prod-control-plane")).map((line) => line.trim().split(" ")[1]);
      expect(servers, lb.name).to.deep.equal(controlPlanes);
      expect(Buffer.from(extra[LB_SYNC_GUESTINFO.keepalived] ?? "", "base64").toString(), lb.name).to.include("vrrp_instance api_vip");
    }
  });
});
