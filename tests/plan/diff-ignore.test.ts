/**
 * issue #22: `--diff` reports what the engine would do. An input under the resource's
 * `ignoreChanges` is left alone by `pulumi up`, so it is no update.
 */
import { expect } from "chai";
import type { PlanDocument, PlannedResource } from "../../tools/engine/plan-document";
import { diffPlans, isIgnored } from "../../tools/plan/diff";

function group(desiredSize: number, maxSize: number, ignoreChanges?: string[]): PlannedResource {
  return {
    urn: "urn:pulumi:dev::strata::aws:eks/nodeGroup:NodeGroup::dev-system",
    type: "aws:eks/nodeGroup:NodeGroup",
    name: "dev-system",
    parent: "",
    dependencies: [],
    provider: "",
    protect: false,
    custom: true,
    version: "",
    inputs: { scalingConfig: { minSize: 2, desiredSize, maxSize } },
    ...(ignoreChanges === undefined ? {} : { ignoreChanges }),
  };
}

const plan = (resource: PlannedResource): PlanDocument => ({ project: "strata", stack: "dev", resources: [resource], outputs: {} });

describe("plan --diff and ignoreChanges", () => {
  it("issue #22: a change to an ignored input is not an update", () => {
    const diff = diffPlans(plan(group(2, 3, ["scalingConfig.desiredSize"])), plan(group(5, 3, ["scalingConfig.desiredSize"])));
    expect(diff.changes).to.deep.equal([]);
    expect(diff.unchanged).to.equal(1);
  });

  it("issue #22: the other inputs of the same resource still show", () => {
    const diff = diffPlans(plan(group(2, 3, ["scalingConfig.desiredSize"])), plan(group(5, 4, ["scalingConfig.desiredSize"])));
    expect(diff.changes.map((c) => [c.change, c.paths])).to.deep.equal([["update", ["scalingConfig.maxSize"]]]);
  });

  it("without ignoreChanges the desired size is an update", () => {
    const diff = diffPlans(plan(group(2, 3)), plan(group(5, 3)));
    expect(diff.changes.map((c) => [c.change, c.paths])).to.deep.equal([["update", ["scalingConfig.desiredSize"]]]);
  });

  it("matches the property, what is under it, array wildcards and *", () => {
    expect(isIgnored("clone.templateUuid", ["clone"])).to.equal(true);
    expect(isIgnored("cloneable", ["clone"])).to.equal(false);
    expect(isIgnored("disks[1].size", ["disks[*].size"])).to.equal(true);
    expect(isIgnored("disks[1].label", ["disks[*].size"])).to.equal(false);
    expect(isIgnored("anything.at.all", ["*"])).to.equal(true);
    expect(isIgnored("stringData.expiration", ["stringData.expiration"])).to.equal(true);
    expect(isIgnored("stringData.token", ["stringData.expiration"])).to.equal(false);
  });
});
