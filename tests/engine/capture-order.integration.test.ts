import { expect } from "chai";
import { join } from "node:path";
import { runStack } from "../../tools/engine/run";

const PROJECT = join(__dirname, "..", "fixtures", "registration-order-project");

describe("the plan lists resources in the order the program constructs them (issue #27: plan time)", function () {
  this.timeout(120_000);

  it("not in the order their registrations complete, which moves with what each one awaits", async () => {
    const run = await runStack({ stack: "test", projectDir: PROJECT });
    const listed = run.resources.map((r) => `${r.name}${r.parent.endsWith("::first") ? " in first" : r.parent.endsWith("::second") ? " in second" : ""}`);
    expect(listed).to.deep.equal(["slow", "fast", "first", "second", "child in first", "child in second"]);
    const late = run.resources.find((r) => r.name === "slow");
    expect(late?.inputs["value"], "the late input resolved before it registered").to.equal("late");
  });
});
