import { expect } from "chai";
import { leaksIn } from "../../tools/engine/leaks";
import { toPlanDocument } from "../../tools/engine/run";
import { planStack } from "../harness";

describe("engine: what the stack config holds in clear is not a secret", () => {
  it("so a database name that lands in a Kubernetes Secret is not reported as leaked where it appears in clear", async () => {
    const result = await planStack({ stack: "valueverse", configFile: "examples/valueverse.yaml" });
    expect(result.secrets).to.not.include("valueverse");
    expect(leaksIn(toPlanDocument(result), result.secrets)).to.deep.equal([]);
  });
});
