/**
 * issue #22: `npm run plan` prints an estimated monthly cost for EKS stacks, and the repo's dev
 * stack stays within the budget README.md states (dev: $600 a month at desired size, $900 with
 * Karpenter at its limit), with no io2 volume.
 */
import { expect } from "chai";
import { REPO_ROOT } from "../../tools/engine/run";
import { loadStackConfig } from "../../tools/engine/stack-config";
import { parseStackConfig } from "../../tools/plan/capacity";
import { estimateMonthlyCost, formatCostEstimate } from "../../tools/plan/cost";

export const DEV_BUDGET_USD = { desired: 600, max: 900 } as const;

describe("estimated monthly cost of EKS stacks", () => {
  const devStack = loadStackConfig(REPO_ROOT, "dev");
  const dev = estimateMonthlyCost(parseStackConfig(devStack), devStack.config["aws:region"]);

  it("issue #22: dev stays under its stated budget", () => {
    expect(dev?.totalDesiredUsd).to.be.below(DEV_BUDGET_USD.desired);
    expect(dev?.totalMaxUsd).to.be.below(DEV_BUDGET_USD.max);
  });

  it("issue #22: dev provisions no io2 volume", () => {
    expect(dev?.lines.filter((l) => l.detail.includes("io2"))).to.deep.equal([]);
  });

  it("issue #22: is labelled as an estimate with its price date and region", () => {
    expect(dev?.label).to.equal("estimate");
    expect(formatCostEstimate(dev!).split("\n")[0]).to.equal("Estimated monthly cost (ESTIMATE: eu-central-1 on-demand list prices as of 2026-12-01, 730 h/month, tools/plan/aws-prices.ts)");
  });

  it("issue #22: the seed's io2 database is priced by size and IOPS per GiB, within io2's limits", () => {
    const stack = loadStackConfig(REPO_ROOT, "eks-prod-cluster", "examples/eks-prod-cluster.yaml");
    const estimate = estimateMonthlyCost(parseStackConfig(stack), "eu-central-1");
    const postgres = estimate?.lines.find((l) => l.item === "postgres volumes");
    expect(postgres?.detail).to.equal("3 × 100 GiB io2, 10000 IOPS each");
    // 300 GiB × $0.149 + 3 × 10,000 IOPS × $0.078
    expect(postgres?.desiredUsd).to.equal(2384.7);
  });

  it("issue #23: prices as many Loki and Tempo volumes as the stack runs pods: three each in a prod platform whose buckets are in its infra stack", () => {
    const stack = loadStackConfig(REPO_ROOT, "valueverse", "examples/valueverse.yaml");
    const estimate = estimateMonthlyCost(parseStackConfig(stack), "eu-central-1");
    expect(["loki volumes", "tempo volumes"].map((item) => estimate?.lines.find((l) => l.item === item)?.detail.split(" ")[0])).to.deep.equal(["3", "3"]);
  });

  it("prices node groups at desired and at maxSize, Karpenter only at its limit", () => {
    const stack = loadStackConfig(REPO_ROOT, "eks-prod-infra", "examples/eks-prod-infra.yaml");
    const estimate = estimateMonthlyCost(parseStackConfig(stack), stack.config["aws:region"]);
    const apps = estimate?.lines.find((l) => l.item === "node group apps");
    expect(apps).to.deep.include({ detail: "3–10 × t3.xlarge", desiredUsd: 420.48, maxUsd: 1401.6 });
    expect(estimate?.lines.find((l) => l.item === "NAT gateways")?.detail).to.equal("3 × hours (data processed not counted)");
  });

  it("is absent for a region without pinned prices", () => {
    expect(estimateMonthlyCost(parseStackConfig(devStack), "ap-southeast-7")).to.equal(undefined);
  });
});
