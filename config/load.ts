/** Reads the `strata:*` keys from the Pulumi stack config and validates them. */
import * as pulumi from "@pulumi/pulumi";
import { parseConfig, STRATA_KEYS, type StrataConfig } from "./schema";
import { BREAK_GLASS_PASSWORD_HASH_KEY } from "./infra/vsphere/break-glass";
import { VSPHERE_ACCOUNT_KINDS, VSPHERE_ACCOUNT_PASSWORD_KEYS, type VsphereAccountKind } from "./infra/vsphere/connection";
import { type ConfigKeyState, sourcesOf } from "./apps/secret-sources";

export interface LoadedConfig {
  readonly config: StrataConfig;
  /** `strata:kubeconfig`, read as a secret; only the `existing` backend uses it. */
  readonly kubeconfig?: pulumi.Output<string>;
  /** `vsphere:password`, read as a secret; only the `vsphere` backend uses it. */
  readonly vspherePassword?: pulumi.Output<string>;
  /** `strata:vsphereCpiPassword` / `strata:vsphereCsiPassword`, read as secrets; the accounts' own passwords. */
  readonly vsphereAccountPasswords: Readonly<Partial<Record<VsphereAccountKind, pulumi.Output<string>>>>;
  /** `strata:vsphereBreakGlassPasswordHash`, read as a secret: the break-glass console password's hash. */
  readonly vsphereBreakGlassPasswordHash?: pulumi.Output<string>;
  /** The config keys apps name as `config:` secret sources, `<namespace>:<key>` → value, read as secrets. */
  readonly appSecrets: Readonly<Record<string, pulumi.Output<string>>>;
}

/** Whether a config key is stored encrypted; the runtime knows, but does not type it. */
function isSecretKey(key: string): boolean {
  return (pulumi.runtime as unknown as { isConfigSecret(k: string): boolean }).isConfigSecret(key);
}

export function loadConfig(): LoadedConfig {
  const cfg = new pulumi.Config("strata");
  const known = new Set<string>(STRATA_KEYS.map((key) => `strata:${key}`));
  const all = pulumi.runtime.allConfig();
  const unknownKeys = Object.keys(all).filter((key) => key.startsWith("strata:") && !known.has(key));
  const configKey = (key: string): ConfigKeyState => (!(key in all) ? "missing" : isSecretKey(key) ? "secret" : "clear");
  const kubeconfig = cfg.getSecret("kubeconfig");
  const vsphereCfg = new pulumi.Config("vsphere");
  const vspherePassword = vsphereCfg.getSecret("password");
  const accountPasswords = VSPHERE_ACCOUNT_KINDS.flatMap((kind) => {
    const value = cfg.getSecret(VSPHERE_ACCOUNT_PASSWORD_KEYS[kind]);
    return value === undefined ? [] : [[kind, value] as const];
  });
  const breakGlassHash = cfg.getSecret(BREAK_GLASS_PASSWORD_HASH_KEY);
  const config = parseConfig({
    environment: cfg.get("environment"),
    layers: cfg.getObject("layers"),
    upstreamStack: cfg.get("upstreamStack"),
    infra: cfg.getObject("infra"),
    cluster: cfg.getObject("cluster"),
    platform: cfg.getObject("platform"),
    apps: cfg.getObject("apps"),
    platformIsSecret: isSecretKey("strata:platform"),
    secretKeys: STRATA_KEYS.map((key) => `strata:${key}`).filter(isSecretKey),
    configKey,
    awsRegion: new pulumi.Config("aws").get("region"),
    vsphere: {
      server: vsphereCfg.get("vsphereServer"),
      user: vsphereCfg.get("user"),
      allowUnverifiedSsl: vsphereCfg.get("allowUnverifiedSsl"),
      hasPassword: vspherePassword !== undefined,
      passwordIsSecret: isSecretKey("vsphere:password"),
      accountPasswords: Object.fromEntries(
        accountPasswords.map(([kind]) => [kind, { isSet: true, isSecret: isSecretKey(`strata:${VSPHERE_ACCOUNT_PASSWORD_KEYS[kind]}`) }]),
      ),
      ...(breakGlassHash === undefined ? {} : { breakGlassPasswordHash: { isSet: true, isSecret: isSecretKey(`strata:${BREAK_GLASS_PASSWORD_HASH_KEY}`) } }),
    },
    hasKubeconfig: kubeconfig !== undefined,
    kubeconfigIsSecret: isSecretKey("strata:kubeconfig"),
    unknownKeys,
  });
  return {
    config,
    ...(kubeconfig === undefined ? {} : { kubeconfig }),
    ...(vspherePassword === undefined ? {} : { vspherePassword }),
    vsphereAccountPasswords: Object.fromEntries(accountPasswords),
    ...(breakGlassHash === undefined ? {} : { vsphereBreakGlassPasswordHash: breakGlassHash }),
    appSecrets: readAppSecrets(config),
  };
}

/** Each `config:` source's value, read with the secret getter (the parser has refused missing and clear keys). */
function readAppSecrets(config: StrataConfig): Record<string, pulumi.Output<string>> {
  const keys = Object.entries(config.apps.services).flatMap(([name, spec]) =>
    sourcesOf(`strata:apps.services.${name}`, spec).flatMap(({ source }) => (source.kind === "config" ? [source.key] : [])),
  );
  // External services' passwords (strata:apps.external.<name>.password) are config keys too.
  keys.push(...Object.values(config.apps.external).flatMap((external) => (external.password === undefined ? [] : [external.password])));
  return Object.fromEntries(
    [...new Set(keys)].map((key) => {
      const [namespace, name] = key.split(":") as [string, string];
      return [key, new pulumi.Config(namespace).requireSecret(name)];
    }),
  );
}
