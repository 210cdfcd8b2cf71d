/**
 * issue #20: `strata:platform.secrets`: each refusal names the key, the value and what is allowed.
 */
import { expect } from "chai";
import type { RawConfig } from "../../config/schema";
import { parseConfig } from "../../config/schema";
import { problemsOf } from "./problems";
import { validRaw } from "./valid-config";

const K = "strata:platform.secrets.stores";
const vault = { server: "https://vault.example.internal:8200", role: "strata" };

function stack(stores: Record<string, unknown>, environment = "dev"): RawConfig {
  const raw = validRaw();
  return { ...raw, environment, platform: { ...(raw.platform as Record<string, unknown> | undefined), secrets: { stores } } };
}

describe("config: strata:platform.secrets", () => {
  it("accepts a Vault store with the defaults", () => {
    const parsed = parseConfig(stack({ vault: { provider: "vault", prefix: "emis/prod/", vault } }));
    expect(parsed.platform?.secrets.stores["vault"]).to.deep.include({ provider: "vault", prefix: "emis/prod/", refreshInterval: "1h" });
    expect(parsed.platform?.secrets.stores["vault"]?.vault).to.deep.include({ mountPath: "secret", version: "v2", authMountPath: "kubernetes" });
  });

  const cases: [string, Record<string, unknown>, string, string?][] = [
    ["an AWS store off EKS", { aws: { provider: "aws-secrets-manager", prefix: "app/" } }, `${K}.aws.provider: aws-secrets-manager needs the eks backend`],
    ["a Vault store without its connection", { v: { provider: "vault", prefix: "app/" } }, `${K}.v.vault: provider vault needs the Vault connection (got nothing)`],
    ["Vault over http", { v: { provider: "vault", prefix: "app/", vault: { ...vault, server: "http://vault:8200" } } }, `${K}.v.vault.server: must be an https://host[:port] URL`],
    ["a prefix without its trailing /", { v: { provider: "vault", prefix: "app", vault } }, `${K}.v.prefix: must be a path inside the KV mount`],
    ["a CA that is not PEM", { v: { provider: "vault", prefix: "app/", vault: { ...vault, caBundle: "not a cert" } } }, `${K}.v.vault.caBundle: must be PEM certificates`],
    ["a refresh under a minute", { v: { provider: "vault", prefix: "app/", vault, refreshInterval: "30s" } }, `${K}.v.refreshInterval: must be at least 1m`],
    ["a day's refresh in prod", { v: { provider: "vault", prefix: "app/", vault, refreshInterval: "24h" } }, `${K}.v.refreshInterval: prod refuses a refresh longer than 4h`, "prod"],
  ];
  for (const [what, stores, message, environment] of cases) {
    it(`refuses ${what}`, () => {
      expect(problemsOf(stack(stores, environment)).some((p) => p.startsWith(message)), problemsOf(stack(stores, environment)).join("\n")).to.equal(true);
    });
  }
});
