import { expect } from "chai";
import { join } from "node:path";
import { loadChartReference } from "../../tools/verify/chart-reference";
import type { Finding } from "../../tools/verify/findings";
import { isPassThroughKey, valueKeyFindings } from "../../tools/verify/helm-values";
import { FIXTURE_CHARTS } from "./plans";

function check(values: Record<string, unknown>, chartName = "demo-app"): Finding[] {
  const chart = loadChartReference(FIXTURE_CHARTS, chartName);
  if (chart === undefined) {
    throw new Error(`fixture chart ${chartName} missing`);
  }
  return valueKeyFindings("release demo", values, chart);
}

describe("verify: Helm value keys against values.yaml", () => {
  it("reports a key that values.yaml does not have, with its path and the file", () => {
    const findings = check({ metrics: { serviceMonitor: { scrapeTimeout: "10s" } } });
    expect(findings).to.deep.equal([
      {
        severity: "error",
        check: "helm-values",
        resource: "release demo",
        path: "metrics.serviceMonitor.scrapeTimeout",
        message: "unknown value key: not in demo-app/values.yaml",
      },
    ]);
  });

  it("suggests the nearest existing key for a typo", () => {
    const [finding] = check({ replicaCont: 2 });
    expect(finding?.path).to.equal("replicaCont");
    expect(finding?.message).to.equal('unknown value key: not in demo-app/values.yaml; did you mean "replicaCount"?');
  });

  it("accepts keys that exist, at every depth", () => {
    expect(check({ replicaCount: 3, image: { tag: "1.0.0" }, metrics: { enabled: true, serviceMonitor: { enabled: true } } })).to.deep.equal([]);
  });

  it("accepts user-defined keys under an empty map, a null default and a list", () => {
    const values = {
      podAnnotations: { "prometheus.io/scrape": "true" },
      nodeSelector: { "node-role.kubernetes.io/worker": "" },
      config: { anything: { nested: true } },
      tolerations: [{ key: "dedicated", operator: "Equal", value: "db", effect: "NoSchedule" }],
      extraArgs: ["--v=2"],
    };
    expect(check(values)).to.deep.equal([]);
  });

  it("treats Kubernetes pass-through fields as free-form even when values.yaml fills in an example", () => {
    const values = {
      resources: { requests: { cpu: "50m", memory: "64Mi" } },
      controller: { podLabels: { tier: "backend" }, securityContext: { seccompProfile: { type: "RuntimeDefault" } } },
    };
    expect(check(values)).to.deep.equal([]);
    expect(["resources", "podAnnotations", "controllerNodeSelector", "securityContext", "extraArgs"].every(isPassThroughKey)).to.equal(true);
    expect(["metrics", "image", "serviceMonitor"].some(isPassThroughKey)).to.equal(false);
  });

  it("treats a map the schema declares as an object without properties as free-form", () => {
    expect(check({ pipeline: { stages: { deploy: { needs: ["build"] } }, timeoutMinutes: 30 } })).to.deep.equal([]);
  });

  it("still requires the pass-through key itself to exist", () => {
    const findings = check({ metrics: { podAnnotations: { a: "b" } } });
    expect(findings.map((finding) => finding.path)).to.deep.equal(["metrics.podAnnotations"]);
  });

  it("accepts a key that values.yaml leaves out but values.schema.json declares", () => {
    expect(check({ logLevel: "debug" })).to.deep.equal([]);
    expect(check({ tls: { issuer: "letsencrypt" } }, "modern-chart")).to.deep.equal([]);
  });

  it("warns, without failing, about keys of a subchart whose values are not in the reference data", () => {
    const findings = check({ cache: { enabled: true, maxMemory: "1Gi" } });
    expect(findings).to.have.length(1);
    expect(findings[0]?.severity).to.equal("warning");
    expect(findings[0]?.path).to.equal("cache.maxMemory");
    expect(findings[0]?.message).to.contain('subchart "cache"');
  });

  it("does not judge the shape of a secret placeholder", () => {
    expect(check({ image: "[secret]", metrics: { serviceMonitor: "[secret]" } })).to.deep.equal([]);
    expect(check({ image: "registry.example.test/demo:1.0.0" }).map((finding) => finding.severity)).to.deep.equal(["warning"]);
  });

  it("warns about keys documented only as commented-out examples, at the map's own indentation", () => {
    const findings = check({ fullnameOverride: "demo", controller: { probes: { liveness: false }, liveness: true } });
    expect(findings.map((finding) => [finding.severity, finding.path, finding.message])).to.deep.equal([
      ["warning", "fullnameOverride", "not checked: demo-app/values.yaml documents this key only in a comment"],
      ["warning", "controller.probes", "not checked: demo-app/values.yaml documents this key only in a comment"],
      ["error", "controller.liveness", "unknown value key: not in demo-app/values.yaml"],
    ]);
  });

  it("accepts Helm's global values", () => {
    expect(check({ global: { imageRegistry: "mirror.example.test" } })).to.deep.equal([]);
  });

  it("warns when a map is given where values.yaml has a scalar", () => {
    const findings = check({ replicaCount: { min: 1 } });
    expect(findings).to.deep.equal([
      { severity: "warning", check: "helm-values", resource: "release demo", path: "replicaCount", message: "set as a map but values.yaml has a scalar here" },
    ]);
  });

  it("quotes keys that are not identifiers in the path", () => {
    const findings = check({ metrics: { "example.io/extra": true } });
    expect(findings.map((finding) => finding.path)).to.deep.equal(['metrics["example.io/extra"]']);
  });

  it("issue #26: reads Istio's wrapped defaults as top-level keys, with the profile selectors", () => {
    // The reference ztunnel chart keeps its defaults under `_internal_defaults_do_not_set`.
    const ztunnel = loadChartReference(join(__dirname, "..", "..", "..", "shared", "reference", "charts"), "ztunnel");
    if (ztunnel === undefined) throw new Error("reference chart ztunnel missing");
    expect(valueKeyFindings("release ztunnel", { profile: "ambient", hub: "docker.io/istio", global: { networkPolicy: { enabled: true } } }, ztunnel)).to.deep.equal([]);
    expect(valueKeyFindings("release ztunnel", { hubb: "docker.io/istio" }, ztunnel).map((f) => [f.severity, f.path])).to.deep.equal([["error", "hubb"]]);
  });
});
