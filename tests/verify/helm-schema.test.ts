import { expect } from "chai";
import { loadChartReference } from "../../tools/verify/chart-reference";
import { coalesce, valuesSchemaFindings } from "../../tools/verify/helm-schema";
import { dialectOf } from "../../tools/verify/json-schema";
import { FIXTURE_CHARTS } from "./plans";

function check(values: Record<string, unknown>, chartName = "demo-app") {
  const chart = loadChartReference(FIXTURE_CHARTS, chartName);
  if (chart === undefined) {
    throw new Error(`fixture chart ${chartName} missing`);
  }
  return valuesSchemaFindings("release demo", values, chart);
}

describe("verify: Helm values against values.schema.json", () => {
  it("passes values that satisfy the schema, with the chart defaults merged in", () => {
    expect(check({ replicaCount: 2, logLevel: "info", metrics: { serviceMonitor: { interval: "1m" } } })).to.deep.equal([]);
  });

  it("reports a schema violation with its path and the schema file", () => {
    expect(check({ replicaCount: 0 })).to.deep.equal([
      { severity: "error", check: "helm-schema", resource: "release demo", path: "replicaCount", message: "must be >= 1 (demo-app/values.schema.json)" },
    ]);
  });

  it("follows $ref into definitions and reports enum violations readably", () => {
    const findings = check({ logLevel: "trace", metrics: { serviceMonitor: { interval: "soon" } } });
    expect(findings.map((finding) => [finding.path, finding.message])).to.deep.equal([
      ["logLevel", 'must be one of ["debug","info","warn"] (demo-app/values.schema.json)'],
      ["metrics.serviceMonitor.interval", 'must match pattern "^[0-9]+(s|m|h)$" (demo-app/values.schema.json)'],
    ]);
  });

  it("checks the merged values, so removing a required default with null is caught", () => {
    const findings = check({ image: { repository: null } });
    expect(findings.map((finding) => [finding.path, finding.message])).to.deep.equal([
      ["image.repository", "required field is missing (demo-app/values.schema.json)"],
    ]);
  });

  it("does not fail a secret placeholder where the schema wants another type", () => {
    expect(check({ replicaCount: "[secret]", image: { tag: "[secret]" } })).to.deep.equal([]);
  });

  it("uses the dialect the schema declares (2020-12 keywords are enforced)", () => {
    expect(dialectOf({ $schema: "https://json-schema.org/draft/2020-12/schema" })).to.equal("2020-12");
    expect(dialectOf({ $schema: "https://json-schema.org/draft-07/schema#" })).to.equal("draft-07");
    expect(dialectOf({})).to.equal("draft-07");
    const findings = check({ tls: { issuer: "letsencrypt" } }, "modern-chart");
    expect(findings.map((finding) => finding.path)).to.deep.equal(["tls"]);
    expect(findings[0]?.message).to.contain("issuerKind");
    expect(check({ tls: { issuer: "letsencrypt", issuerKind: "ClusterIssuer" } }, "modern-chart")).to.deep.equal([]);
  });

  it("merges like Helm: maps key by key, lists and scalars replaced, null removes", () => {
    const merged = coalesce({ a: { b: 1, c: [1, 2] }, d: 1, e: "x" }, { a: { c: [3] }, d: null, f: true });
    expect(merged).to.deep.equal({ a: { b: 1, c: [3] }, e: "x", f: true });
  });
});
