/**
 * issue #20: the Secrets an app's secret sources read must be in its namespace: made by strata,
 * or written by an ExternalSecret strata declares (its target and keys); a `secret:` source names a
 * Secret made outside strata, which the check reports as such instead of failing.
 */
import { expect } from "chai";
import type { PlannedConnections, PlannedResource } from "../../tools/engine/plan-document";
import { brokenConnections, proveConnections } from "../../tools/connections";

let counter = 0;
function k8s(type: string, inputs: Record<string, unknown>): PlannedResource {
  counter++;
  return { urn: `urn:${counter}`, type, name: `r${counter}`, parent: "", dependencies: [], provider: "", protect: false, custom: true, version: "", inputs };
}
const OUTPUTS = { infra: { backend: "vsphere", network: { podCidr: "10.244.0.0/16", serviceCidr: "10.96.0.0/12", nodeCidr: "10.20.0.0/23", apiServerPort: 6443 }, nodePools: [{ role: "control-plane", addresses: ["10.20.0.11"] }] } };
const labels = { app: "api" };
const resources = (externalKeys: string[]): PlannedResource[] => [
  k8s("kubernetes:core/v1:Namespace", { apiVersion: "v1", kind: "Namespace", metadata: { name: "apps" } }),
  k8s("kubernetes:apps/v1:Deployment", { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api", namespace: "apps" }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: "api" }] } } } }),
  k8s("kubernetes:core/v1:Secret", { apiVersion: "v1", kind: "Secret", metadata: { name: "api-env", namespace: "apps" }, stringData: { API_KEY: "[secret]" } }),
  k8s("kubernetes:external-secrets.io/v1:ExternalSecret", {
    apiVersion: "external-secrets.io/v1",
    kind: "ExternalSecret",
    metadata: { name: "api-external", namespace: "apps" },
    spec: { secretStoreRef: { kind: "ClusterSecretStore", name: "vault" }, target: { name: "api-external", creationPolicy: "Owner" }, data: externalKeys.map((secretKey) => ({ secretKey, remoteRef: { key: `emis/${secretKey}` } })) },
  }),
];
const reads = (extra: PlannedConnections["connections"][number]["secrets"] = []): PlannedConnections => ({
  workloads: [],
  connections: [
    {
      purpose: "secret sources",
      from: { kind: "pods", pods: { namespace: "apps", labels } },
      to: { kind: "mounted", description: "Secrets the kubelet hands the pods" },
      secrets: [{ name: "api-env", keys: ["API_KEY"] }, { name: "api-external", keys: ["SMTP_PASSWORD"] }, { name: "legacy-creds", keys: ["token"], madeOutsideStrata: "a secret: source names a Secret made outside strata" }, ...(extra ?? [])],
    },
  ],
});
const prove = (plan: PlannedResource[], connections: PlannedConnections) => proveConnections({ project: "strata", stack: "test", resources: plan, outputs: OUTPUTS, connections });

describe("issue #20: the Secrets an app's secret sources read", () => {
  it("are proven from strata's Secret and the ExternalSecret's target; a Secret made outside strata is noted, not failed", async () => {
    const [result] = await prove(resources(["SMTP_PASSWORD"]), reads());
    expect(result?.destination).to.equal("(Secrets the kubelet hands the pods)");
    expect(result?.checks).to.deep.equal({
      route: { ok: true },
      egress: { na: true },
      ingress: { na: true },
      mesh: { na: true },
      secrets: { ok: true, note: "Secret apps/legacy-creds is made outside strata (a secret: source names a Secret made outside strata): not checked" },
      identity: { na: true },
    });
  });

  it("fail when the ExternalSecret does not write the key the pods read", async () => {
    const broken = brokenConnections(await prove(resources(["OTHER"]), reads()));
    expect(broken.map((b) => b.message)).to.deep.equal(["secrets: Secret apps/api-external lacks key(s) SMTP_PASSWORD (secret sources; from declared connection #1)"]);
  });

  it("fail when a Secret strata should make is missing", async () => {
    const broken = brokenConnections(await prove(resources(["SMTP_PASSWORD"]), reads([{ name: "api-pull-0", keys: [".dockerconfigjson"] }])));
    expect(broken.map((b) => b.message)).to.deep.equal(["secrets: Secret api-pull-0 is not in the client's namespace apps (secret sources; from declared connection #1)"]);
  });
});
