/**
 * issue #22: on EKS the capacity check counts what the cluster can reach (each managed node group at
 * its desiredSize, Karpenter's nodes on top) and its advice names the keys that change its table.
 */
import { expect } from "chai";
import { capacityCheck } from "../../apps/capacity";
import { poolBounds } from "../../config/apps/capacity";
import { nodePoolOf } from "../../infra/eks/node-pool";
import { REPO_ROOT } from "../../tools/engine/run";
import { loadStackConfig } from "../../tools/engine/stack-config";
import { parseStackConfig } from "../../tools/plan/capacity";

describe("capacity check on EKS node groups", () => {
  const dev = parseStackConfig(loadStackConfig(REPO_ROOT, "dev"));
  const eks = dev.infra?.backend === "eks" ? dev.infra.eks : undefined;

  it("issue #22: a node group is bounded by its desiredSize, the key every up applies", () => {
    expect(poolBounds(dev.infra)).to.deep.equal([{ name: "system", sizeKey: "strata:infra.eks.nodeGroups.system.desiredSize", maxNodes: 5 }]);
  });

  it("issue #22: the repo's dev stack fits on its first plan", () => {
    const result = capacityCheck(dev, { backend: "eks", nodePools: Object.entries(eks?.nodeGroups ?? {}).map(([name, g]) => nodePoolOf(name, g)), karpenter: eks?.enableKarpenter ?? false });
    expect(result.problems).to.deep.equal([]);
  });

  it("issue #22: an overflow names desiredSize, and Karpenter's maxNodes where Karpenter adds nodes", () => {
    const groups = { ...(eks?.nodeGroups ?? {}) };
    const system = groups["system"];
    if (system === undefined) throw new Error("dev has a system node group");
    const small = { ...system, minSize: 1, desiredSize: 1 };
    const tooSmall = { ...dev, infra: dev.infra?.backend === "eks" ? { ...dev.infra, eks: { ...dev.infra.eks, nodeGroups: { system: small } } } : dev.infra };
    const result = capacityCheck(tooSmall, { backend: "eks", nodePools: [nodePoolOf("system", small)], karpenter: false });
    expect(result.problems[0]).to.match(/; add nodes \(strata:infra\.eks\.nodeGroups\.system\.desiredSize\), /);
    const worker = { ...small, role: "worker" as const };
    const withKarpenter = capacityCheck({ ...dev, infra: tooSmall.infra, cluster: { ...dev.cluster, eks: { ...dev.cluster.eks, karpenter: { ...dev.cluster.eks.karpenter, maxNodes: 1 } } } }, { backend: "eks", nodePools: [nodePoolOf("system", worker)], karpenter: true });
    expect(withKarpenter.problems.join("\n")).to.contain("add nodes (strata:infra.eks.nodeGroups.system.desiredSize, strata:cluster.eks.karpenter.maxNodes)");
  });
});
