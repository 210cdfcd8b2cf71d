/**
 * issue #22: CRDs move with their controller. Each controller whose CRDs strata installs apart
 * from its chart has a CRD pin beside the chart pin; bumping one without the other would leave
 * the cluster on old schemas (or new schemas under an old controller).
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CHARTS, MANIFESTS } from "../../lib/catalog";
import { chartReference } from "./reference";

const appVersionOf = (chart: string): string => /^appVersion:\s*"?([^"\s]+)"?/m.exec(readFileSync(join(chartReference(), chart, "Chart.yaml"), "utf8"))?.[1] ?? "";

describe("CRD pins (issue #22)", () => {
  it("issue #22: gateway-crds-helm is pinned at gateway-helm's version", () => {
    expect(CHARTS["gateway-crds-helm"].version).to.equal(CHARTS["gateway-helm"].version);
  });
  it("karpenter-crd is pinned at karpenter's version", () => {
    expect(CHARTS["karpenter-crd"].version).to.equal(CHARTS.karpenter.version);
  });
  it("issue #22: the load-balancer controller's CRD manifests carry the controller pin's release tag", () => {
    const tag = `v${CHARTS["aws-load-balancer-controller"].version}`;
    for (const manifest of [MANIFESTS.awsLoadBalancerControllerCrds, MANIFESTS.awsLoadBalancerControllerGatewayCrds]) {
      expect(manifest.version, manifest.url).to.equal(tag);
      expect(manifest.url).to.contain(`/aws-load-balancer-controller/${tag}/helm/aws-load-balancer-controller/crds/`);
    }
    // The chart's appVersion is the controller release whose tag holds these crds/ files.
    expect(appVersionOf("aws-load-balancer-controller")).to.equal(tag);
  });
});
