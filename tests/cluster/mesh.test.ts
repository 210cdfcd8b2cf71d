import { expect } from "chai";
import { join } from "node:path";
import { clusterDemand } from "../../apps/capacity/cluster-demand";
import { ztunnelScrapeTarget, ztunnelWorkload } from "../../cluster/mesh/workloads";
import { ClusterConfig } from "../../config/cluster";
import { istioBaseValues, istioCniValues, istiodValues, peerAuthenticationManifest, ztunnelValues } from "../../cluster/mesh/values";
import { CHARTS } from "../../lib/catalog";
import { loadChartReference } from "../../tools/verify/chart-reference";
import { loadCrds } from "../../tools/verify/crds";
import { customResourceFindings } from "../../tools/verify/custom-resources";
import { valueKeyFindings } from "../../tools/verify/helm-values";

const REFERENCE = join(__dirname, "..", "..", "..", "shared", "reference", "charts");
const placement = { nodeSelector: { "strata.io/role": "system" }, tolerations: [] };

describe("cluster: Istio ambient mesh", () => {
  it("is off by default and ambient with STRICT mTLS when turned on", () => {
    expect(ClusterConfig.parse({}).mesh).to.deep.equal({ enabled: false, mode: "ambient", mtls: "strict" });
    expect(ClusterConfig.parse({ mesh: { enabled: true } }).mesh).to.deep.equal({ enabled: true, mode: "ambient", mtls: "strict" });
    expect(() => ClusterConfig.parse({ mesh: { enabled: true, mode: "sidecar" } })).to.throw(/ambient/);
  });

  it("pins all four charts to Istio 1.30.3, as the reference data's SOURCE.txt says", () => {
    for (const id of ["istio-base", "istiod", "istio-cni", "ztunnel"] as const) expect(CHARTS[id].version).to.equal("1.30.3");
  });

  it("sets only value keys the charts have, with profile ambient everywhere", () => {
    const releases = [
      ["base", istioBaseValues()],
      ["istiod", istiodValues({ replicas: 2, placement })],
      ["cni", istioCniValues()],
      ["ztunnel", ztunnelValues()],
    ] as const;
    for (const [chart, values] of releases) {
      const reference = loadChartReference(REFERENCE, chart);
      if (reference === undefined) throw new Error(`reference chart ${chart} missing`);
      expect(values.profile, chart).to.equal("ambient");
      expect(valueKeyFindings(`release ${chart}`, values, reference), chart).to.deep.equal([]);
    }
  });

  it("turns on the charts' own NetworkPolicies and pulls release images, not the git dev hub", () => {
    expect(istiodValues({ replicas: 2, placement }).global).to.deep.include({ hub: "docker.io/istio", tag: "1.30.3", networkPolicy: { enabled: true } });
    expect(istioCniValues().global.networkPolicy.enabled).to.equal(true);
    expect(ztunnelValues()).to.deep.include({ hub: "docker.io/istio", tag: "1.30.3" });
  });

  it("renders PeerAuthentication valid against the base chart's CRD", () => {
    const crds = loadCrds(REFERENCE);
    const strict = peerAuthenticationManifest("apps", "STRICT");
    expect(customResourceFindings("PeerAuthentication apps/default", strict, "security.istio.io", "v1", "PeerAuthentication", crds)).to.deep.equal([]);
    const wrong = { ...strict, spec: { mtls: { mode: "STRICTLY" } } };
    expect(customResourceFindings("PeerAuthentication apps/default", wrong, "security.istio.io", "v1", "PeerAuthentication", crds)).to.not.deep.equal([]);
  });

  it("issue #26: the capacity check counts ztunnel and the CNI agent on every node and istiod on the system pool", () => {
    const demand = clusterDemand(ClusterConfig.parse({ mesh: { enabled: true } }));
    expect(demand.daemonSets.filter((d) => d.owner === "ztunnel" || d.owner === "istio-cni node agent")).to.deep.equal([
      { owner: "ztunnel", perNode: { cpuMillis: 200, memoryMi: 512 }, runsOn: "all" },
      { owner: "istio-cni node agent", perNode: { cpuMillis: 100, memoryMi: 100 }, runsOn: "all" },
    ]);
    expect(demand.workloads.find((w) => w.owner === "istiod")).to.deep.include({ pods: 2, perPod: { cpuMillis: 500, memoryMi: 2048 } });
    const off = clusterDemand(ClusterConfig.parse({}));
    expect(off.daemonSets.map((d) => d.owner)).to.not.include("ztunnel");
  });

  it("scrapes ztunnel's stats port on the pods the chart labels", () => {
    const target = ztunnelScrapeTarget("istio-system");
    expect(target).to.deep.include({ kind: "pods", port: "ztunnel-stats", path: "/stats/prometheus" });
    expect(ztunnelWorkload("istio-system").containerPorts).to.deep.equal({ "ztunnel-stats": 15020 });
  });
});
