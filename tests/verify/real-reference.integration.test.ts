/**
 * Runs the checker on the real chart reference data (`STRATA_CHART_REFERENCE`, or
 * `../shared/reference/charts` beside the repository) to prove upstream files parse. A missing
 * folder fails: skipping would hide that nothing was checked.
 */
import { expect } from "chai";
import { existsSync } from "node:fs";
import { formatFinding, verifyPlan } from "../../tools/verify/index";
import { defaultChartsDir } from "../../tools/verify/reference-dir";
import { planOf, planned } from "./plans";

const CHARTS = defaultChartsDir();

function certManager(values: Record<string, unknown>) {
  return planned("kubernetes:helm.sh/v3:Release", "cert-manager", {
    chart: "cert-manager",
    version: "v1.21.1",
    name: "cert-manager",
    namespace: "cert-manager",
    repositoryOpts: { repo: "https://charts.jetstack.io" },
    values,
  });
}

const issuer = planned("kubernetes:cert-manager.io/v1:ClusterIssuer", "letsencrypt", {
  apiVersion: "cert-manager.io/v1",
  kind: "ClusterIssuer",
  metadata: { name: "letsencrypt-production" },
  spec: {
    acme: {
      server: "https://acme-v02.api.letsencrypt.org/directory",
      email: "platform@example.test",
      privateKeySecretRef: { name: "letsencrypt-production" },
      solvers: [{ http01: { gatewayHTTPRoute: { parentRefs: [{ name: "shared", namespace: "gateway", kind: "Gateway" }] } } }],
    },
  },
});

describe("verify: real chart reference data (cert-manager)", () => {
  before(() => {
    if (!existsSync(CHARTS)) {
      throw new Error(`chart reference data not found at ${CHARTS}; set STRATA_CHART_REFERENCE or check out shared/ beside the repository`);
    }
  });

  it("accepts real cert-manager keys and a valid ClusterIssuer", async () => {
    const values = { crds: { enabled: true }, replicaCount: 2, prometheus: { enabled: true, servicemonitor: { enabled: true } }, podAnnotations: { a: "b" } };
    const report = await verifyPlan(planOf(certManager(values), issuer), CHARTS);
    expect(report.findings.map(formatFinding)).to.deep.equal([]);
    expect(report.checked).to.deep.equal({ helmReleases: 1, customResources: 1, kubernetesObjects: 0 });
  });

  it("rejects a wrong pin, an unknown key, a schema violation and an invalid ClusterIssuer", async () => {
    const release = planned("kubernetes:helm.sh/v3:Release", "cert-manager", {
      ...certManager({}).inputs,
      version: "1.21.1",
      values: { replicas: 2, replicaCount: "two" },
    });
    const broken = planned("kubernetes:cert-manager.io/v1:ClusterIssuer", "broken", {
      ...issuer.inputs,
      spec: { acme: { server: "https://acme.example.test", solvers: [] } },
    });
    const report = await verifyPlan(planOf(release, broken), CHARTS);
    expect(report.findings.map((finding) => [finding.check, finding.path])).to.deep.equal([
      ["chart-version", "version"],
      ["helm-values", "replicas"],
      ["helm-schema", "replicaCount"],
      ["custom-resource", "spec.acme.privateKeySecretRef"],
    ]);
  });
});
