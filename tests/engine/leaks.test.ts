import { expect } from "chai";
import { formatLeak, leaksIn, leaksInText } from "../../tools/engine/leaks";
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

  it("searches every string at least as long as the shortest secret, a string that is the secret itself included (issue #27: searched once per plan)", () => {
    const both = ["abcdefgh", ...secrets];
    expect(leaksIn(plan({ a: "abcdefgh", b: "abcdefg", c: "x s3cr3t-password-value", d: ["abcdefgh s3cr3t-password-value"] }), both).map((l) => l.where)).to.deep.equal([
      "urn:x inputs.a",
      "urn:x inputs.c",
      "urn:x inputs.d[0]",
      "urn:x inputs.d[0]",
    ]);
    expect(leaksIn(plan({ a: "abcdefgh" }), [])).to.deep.equal([]);
    expect(leaksIn(plan({ a: "abcdefg" }), ["abcdefg"]), "shorter than any secret searched for").to.deep.equal([]);
  });

  it("redacts text, longest secret first", () => {
    expect(redactText("token abcdefgh-ijkl and abcdefgh", ["abcdefgh", "abcdefgh-ijkl"])).to.equal("token [secret] and [secret]");
  });
});

describe("engine: secure config leaves are found by their config path", () => {
  const apiKey = "mock-secret-config-strata-apps-services-orders-env-API_KEY";
  const leaves = { "strata:apps.services.orders.env.API_KEY": apiKey };
  const deployment = plan({ spec: { template: { spec: { containers: [{ env: [{ name: "API_KEY", value: apiKey }] }] } } } });

  it("issue #20: an env value set with --secret --path inside strata:apps is reported naming the key and the place", () => {
    const leaks = leaksIn(deployment, [], leaves);
    expect(leaks.map(formatLeak)).to.deep.equal(["strata:apps.services.orders.env.API_KEY reaches urn:x inputs.spec.template.spec.containers[0].env[0].value in clear"]);
  });

  it("issue #20: the whole secret key's JSON text, which is all the run knew before, never matches the leaf", () => {
    const json = JSON.stringify({ services: { orders: { image: "ghcr.io/acme/orders:2.3.1", env: { API_KEY: apiKey } } } });
    expect(leaksIn(deployment, [json])).to.deep.equal([]);
  });

  it("names the key in --out files too, and reports a secret that is no config leaf as before", () => {
    expect(leaksInText(`value: ${apiKey}`, "--out file apps/Deployment-orders.yaml", [], leaves).map(formatLeak)).to.deep.equal([
      "strata:apps.services.orders.env.API_KEY reaches --out file apps/Deployment-orders.yaml in clear",
    ]);
    expect(leaksInText("p=s3cr3t-password-value", "outputs.url", ["s3cr3t-password-value"], leaves).map(formatLeak)).to.deep.equal(["outputs.url: s3cr… (21 characters)"]);
  });

  it("passes a leaf that stays secret, and reports a leaf known both as a run secret and a config leaf once", () => {
    expect(leaksIn(plan({ spec: { env: [{ value: "[secret]" }] } }), [apiKey], leaves)).to.deep.equal([]);
    expect(leaksIn(deployment, [apiKey], leaves)).to.have.length(1);
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

  it("keeps the clear leaves of a structured key that one `--secret --path` leaf made secret as a whole (its secure leaves are removed by path)", () => {
    // ValueVerse: a receiver's routing key stored with --secret --path makes strata:platform secret
    // for the runtime; its database name stays plain config and must not read as a leaked secret.
    const withReceiver = { "strata:platform": JSON.stringify({ postgres: { database: "valueverse" }, alerting: { routingKey: "pagerduty-routing-key" } }) };
    const plain = plainConfigStrings(withReceiver, ["strata:platform"]);
    expect(plain.has("valueverse")).to.equal(true);
    expect(plain.has(withReceiver["strata:platform"])).to.equal(false);
  });
});
