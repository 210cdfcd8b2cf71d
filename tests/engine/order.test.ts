import { expect } from "chai";
import { deploymentOrder } from "../../tools/engine/order";
import type { PlannedResource } from "../../tools/engine/plan-document";

function resource(urn: string, extra: Partial<PlannedResource> = {}): PlannedResource {
  return { urn, type: "t", name: urn, parent: "", dependencies: [], provider: "", protect: false, custom: true, version: "", inputs: {}, ...extra };
}

describe("engine: deployment order", () => {
  it("levels resources by their longest chain, counting the provider as a dependency", () => {
    const order = deploymentOrder([
      resource("provider"),
      resource("ns", { provider: "provider::id" }),
      resource("release", { provider: "provider::id", dependencies: ["ns"] }),
      resource("free"),
    ]);
    expect(order.levels).to.deep.equal([["provider", "free"], ["ns"], ["release"]]);
    expect(order.criticalPath).to.deep.equal(["provider", "ns", "release"]);
  });

  it("expands a dependency on a component to the resources under it", () => {
    const order = deploymentOrder([
      resource("component", { custom: false }),
      resource("child", { parent: "component" }),
      resource("grandchild-component", { parent: "component", custom: false }),
      resource("grandchild", { parent: "grandchild-component", dependencies: ["child"] }),
      resource("after", { dependencies: ["component"] }),
    ]);
    expect(order.criticalPath).to.deep.equal(["child", "grandchild", "after"]);
  });

  it("reports a dependency cycle", () => {
    expect(() => deploymentOrder([resource("a", { dependencies: ["b"] }), resource("b", { dependencies: ["a"] })])).to.throw(/dependency cycle/);
  });
});
