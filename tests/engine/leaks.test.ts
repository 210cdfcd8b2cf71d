import { expect } from "chai";
import { leaksIn } from "../../tools/engine/leaks";
import type { PlanDocument } from "../../tools/engine/plan-document";
import { plainConfigStrings, redactText } from "../../tools/engine/values";

const plan = (inputs: Record<string, unknown>, outputs: Record<string, unknown> = {}): PlanDocument => ({
  project: "strata",
  stack: "t",
  resources: [{ urn: "urn:x", type: "t", name: "x", parent: "", dependencies: [], provider: "", protect: false, custom: true, version: "", inputs }],
  outputs,
});

describe("engine: secret leak detection", () => {
  const secrets = ["s3cr3t-password-value"];

  it("names the resource and input path where a secret shows in clear", () => {
    expect(leaksIn(plan({ spec: { env: [{ value: "postgres://u:s3cr3t-password-value@h" }] } }), secrets)).to.deep.equal([
      { where: "urn:x inputs.spec.env[0].value", value: "s3cr… (21 characters)" },
    ]);
  });

  it("finds secrets in stack outputs too, and passes a clean plan", () => {
    expect(leaksIn(plan({}, { url: "s3cr3t-password-value" }), secrets)).to.have.length(1);
    expect(leaksIn(plan({ a: "[secret]" }), secrets)).to.deep.equal([]);
  });

  it("redacts text, longest secret first", () => {
    expect(redactText("token abcdefgh-ijkl and abcdefgh", ["abcdefgh", "abcdefgh-ijkl"])).to.equal("token [secret] and [secret]");
  });
});

describe("engine: what the stack config holds in clear is not a secret", () => {
  const config = {
    "strata:platform": JSON.stringify({ postgres: { database: "valueverse", owner: "valueverse" } }),
    "strata:environment": "production",
    "strata:apps": JSON.stringify({ services: { backend: { env: { TOKEN: "plain-but-long" } } } }),
    "vsphere:password": "s3cret-password",
  };
  it("collects the plain keys' strings, inside structured values too, and none of a secret key's", () => {
    const plain = plainConfigStrings(config, ["vsphere:password"]);
    expect([...plain]).to.include.members(["valueverse", "production", "plain-but-long", "backend"]);
    expect(plain.has("s3cret-password")).to.equal(false);
  });
});
