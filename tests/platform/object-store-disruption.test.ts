/** issue #19: PodDisruptionBudgets for the SeaweedFS parts that run more than one pod. */
import { expect } from "chai";
import { seaweedfsDisruptionBudgets } from "../../platform/object-store/disruption-budgets";

describe("SeaweedFS disruption budgets", () => {
  it("issue #19: lets a drain take one master, volume server or S3 gateway at a time", () => {
    const budgets = seaweedfsDisruptionBudgets("data", { masters: 3, volumeServers: 3, filers: 1, gateways: 2 });
    expect(budgets.map((b) => [b.metadata.name, b.spec.maxUnavailable, b.spec.selector.matchLabels["app.kubernetes.io/component"]])).to.deep.equal([
      ["seaweedfs-master", 1, "master"],
      ["seaweedfs-volume", 1, "volume"],
      ["seaweedfs-s3", 1, "s3"],
    ]);
    expect(budgets.every((b) => b.metadata.namespace === "data" && b.spec.selector.matchLabels["app.kubernetes.io/instance"] === "seaweedfs")).to.equal(true);
  });
  it("gives a single pod no budget, which would block every drain of its node", () => {
    expect(seaweedfsDisruptionBudgets("data", { masters: 1, volumeServers: 1, filers: 1, gateways: 1 })).to.deep.equal([]);
  });
});
