/**
 * issue #20: app secret sources are checked while config is parsed, and a secret `strata:apps`
 * (what `pulumi config set --secret --path strata:apps.services.x.env.K` makes) is refused: the
 * runtime knows secrecy per top-level key only, so the value would be rendered in clear.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import type { ConfigKeyState } from "../../config/apps/secret-sources";
import type { RawConfig } from "../../config/schema";
import { loadStackConfig } from "../../tools/engine/stack-config";
import { parseStackConfig } from "../../tools/plan/capacity";
import { problemsOf } from "./problems";
import { validRaw } from "./valid-config";

const REPO = join(__dirname, "..", "..");
const K = "strata:apps.services.api";
const BASE = { image: "ghcr.io/acme/api:1.4.2", port: 8080, resources: { cpuMillis: 100, memoryMi: 128, limitMemoryMi: 256 } };
const keys: Record<string, ConfigKeyState> = { "orders:apiKey": "secret", "orders:plain": "clear" };
const withApp = (api: Record<string, unknown>): RawConfig => ({
  ...validRaw(),
  apps: { services: { api: { ...BASE, ...api } } },
  configKey: (key) => keys[key] ?? "missing",
});

describe("issue #20: app secret sources and secret strata:* slices", () => {
  it("issue #20: a value set with --secret --path strata:apps.services.x.env.K is refused, not rendered in clear", () => {
    const dir = mkdtempSync(join(tmpdir(), "strata-secret-apps-"));
    const file = join(dir, "Pulumi.leak.yaml");
    writeFileSync(
      file,
      [
        "config:",
        "  strata:environment: dev",
        "  strata:infra:",
        "    backend: existing",
        "    clusterName: strata-test",
        "    existing: {context: kind-strata, nodePools: {general: {role: worker, count: 2, cpuCores: 4, memoryGi: 8}}}",
        "  strata:apps:",
        "    services:",
        "      orders:",
        "        image: ghcr.io/acme/orders:1.0.0",
        "        port: 8080",
        "        resources: {cpuMillis: 100, memoryMi: 128, limitMemoryMi: 256}",
        "        env:",
        "          API_KEY:",
        "            secure: v1:c2VjcmV0LWFwaS1rZXk=",
        "",
      ].join("\n"),
    );
    expect(() => parseStackConfig(loadStackConfig(REPO, "leak", file))).to.throw(
      'strata:apps: a value inside was stored with --secret, which makes the whole key secret, so strata cannot tell which value is secret and would render it in clear (got a secret strata:apps); move it to its own key (`pulumi config set --secret <ns>:<key> <value>`, e.g. orders:apiKey) and reference it with secretEnv: {NAME: {config: "<ns>:<key>"}}',
    );
  });

  it("a secret strata:cluster or strata:infra is refused; a secret strata:platform is not", () => {
    expect(problemsOf({ ...validRaw(), secretKeys: ["strata:cluster", "strata:infra"], platform: { nope: 1 } })).to.include.members([
      "strata:infra: a value inside was stored with --secret, which makes the whole key secret, so strata cannot tell which value is secret and would render it in clear (got a secret strata:infra); move it to its own secret key and keep the rest in clear (`pulumi config set --path` without --secret)",
      "strata:cluster: a value inside was stored with --secret, which makes the whole key secret, so strata cannot tell which value is secret and would render it in clear (got a secret strata:cluster); move it to its own secret key and keep the rest in clear (`pulumi config set --path` without --secret)",
    ]);
    expect(problemsOf({ ...validRaw(), secretKeys: ["strata:platform", "strata:kubeconfig"], platform: { nope: 1 } }).join("\n")).to.not.contain("stored with --secret");
  });

  const CASES: readonly [string, Record<string, unknown>, string][] = [
    ["no source named", { secretEnv: { API_KEY: {} } }, `${K}.secretEnv.API_KEY: must name exactly one source, config, secret or external (none named) (got {})`],
    [
      "two sources named",
      { secretEnv: { API_KEY: { config: "orders:apiKey", secret: "a/b" } } },
      `${K}.secretEnv.API_KEY: must name exactly one source, config, secret or external (config and secret named) (got {"config":"orders:apiKey","secret":"a/b"})`,
    ],
    ["a strata: config key", { secretEnv: { API_KEY: { config: "strata:apps" } } }, `${K}.secretEnv.API_KEY.config: must be a key outside the strata namespace, such as orders:apiKey; strata:* keys are the platform's own config (got "strata:apps")`],
    ["a config path", { secretEnv: { API_KEY: { config: "orders:keys.api" } } }, `${K}.secretEnv.API_KEY.config: must be a whole top-level config key <namespace>:<key> such as orders:apiKey (no path below it) (got "orders:keys.api")`],
    ["a Secret without a key", { secretEnv: { API_KEY: { secret: "creds" } } }, `${K}.secretEnv.API_KEY.secret: must be <Secret name>/<key> such as orders-api/token (got "creds")`],
    ["property without external", { secretEnv: { API_KEY: { secret: "creds/key", property: "p" } } }, `${K}.secretEnv.API_KEY.property: is read only from an external source; remove property or use external (got "p")`],
    ["config key missing", { secretEnv: { API_KEY: { config: "orders:missing" } } }, `${K}.secretEnv.API_KEY: config key orders:missing is not set (got {"config":"orders:missing"}); set it with \`pulumi config set --secret orders:missing <value>\``],
    [
      "config key in clear",
      { secretFiles: { "/etc/api/key": { config: "orders:plain" } } },
      `${K}.secretFiles./etc/api/key: config key orders:plain is stored in clear (got {"config":"orders:plain"}); set it with \`pulumi config set --secret orders:plain <value>\` so it stays encrypted`,
    ],
    ["an external path from the root", { secretEnv: { API_KEY: { external: "aws//orders/key" } } }, `${K}.secretEnv.API_KEY.external: must be <store>/<path> such as aws/orders/api-key, the store a key of strata:platform.secrets.stores and the path below its prefix (got "aws//orders/key")`],
    ["an unknown store", { secretEnv: { API_KEY: { external: "aws/orders/key" } } }, `${K}.secretEnv.API_KEY: no secret store aws (got "aws/orders/key"); use a store declared in strata:platform.secrets.stores`],
    ["env name twice", { env: { API_KEY: "x" }, secretEnv: { API_KEY: { config: "orders:apiKey" } } }, `${K}: sets environment variable API_KEY twice (got "API_KEY"); keep it in one of env, connectionEnv, generatedSecrets, sharedSecretEnv and secretEnv`],
    ["a file at /", { secretFiles: { "/key": { config: "orders:apiKey" } } }, `${K}.secretFiles./key: would mount over / (got "/key"); put secret files in a directory of their own such as /etc/secrets/key`],
    ["a file over /tmp", { secretFiles: { "/tmp/key": { config: "orders:apiKey" } } }, `${K}.secretFiles./tmp/key: its directory /tmp overlaps the mount /tmp (got "/tmp/key"); put secret files in a directory no other volume uses`],
    [
      "nested secret directories",
      { secretFiles: { "/etc/api/key": { config: "orders:apiKey" }, "/etc/api/tls/key": { config: "orders:apiKey" } } },
      `${K}.secretFiles./etc/api/tls/key: its directory /etc/api/tls lies inside /etc/api, another secret file's directory (got "/etc/api/tls/key"); put secret files side by side in one directory or in unrelated ones`,
    ],
    [
      "a pull secret's key",
      { imagePullSecrets: [{ secret: "registry/token" }] },
      `${K}.imagePullSecrets[0]: the kubelet reads only the key .dockerconfigjson of a pull secret (got "registry/token"); use registry/.dockerconfigjson`,
    ],
  ];
  for (const [title, api, message] of CASES) {
    it(`refuses ${title}`, () => {
      expect(problemsOf(withApp(api))).to.include(message);
    });
  }

  it("refuses an external source in a namespace its store does not admit (its ExternalSecret would never sync)", () => {
    const vault = { provider: "vault", prefix: "emis/", namespaces: ["billing"], vault: { server: "https://vault.example:8200", mountPath: "secret", version: "v2", authMountPath: "kubernetes", role: "strata" } };
    const raw = withApp({ secretEnv: { API_KEY: { external: "vault/orders/key" } } });
    const withStore = (store: Record<string, unknown>): RawConfig => ({ ...raw, platform: { ...(raw.platform as Record<string, unknown>), secrets: { stores: { vault: store } } } });
    expect(problemsOf(withStore(vault))).to.include(
      `${K}.secretEnv.API_KEY: the store vault does not admit the namespace apps (got "vault/orders/key"); add apps to strata:platform.secrets.stores.vault.namespaces (now billing) or use another store`,
    );
    expect(() => problemsOf(withStore({ ...vault, namespaces: ["apps", "billing"] }))).to.throw("config was accepted");
  });

  it("accepts each source where the key is secret and the old pull-secret name form", () => {
    expect(() => problemsOf(withApp({ secretEnv: { API_KEY: { config: "orders:apiKey" }, T: { secret: "creds/token" } }, imagePullSecrets: ["registry-secret"] }))).to.throw("config was accepted");
  });

});
