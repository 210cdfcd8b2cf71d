/**
 * `strata:platform.secrets`: the secret stores apps read from through External Secrets Operator.
 * Each store becomes one ClusterSecretStore that only the namespaces allowed to use it may
 * reference, reading only names under its `prefix`: on EKS AWS Secrets Manager or SSM Parameter
 * Store through a role per store; anywhere a HashiCorp Vault / OpenBao KV engine through
 * Kubernetes auth.
 */
import { z } from "zod";
import { dnsLabel, namedMap, strictObject } from "../common";
import { describeValue } from "../errors";
import type { PlatformContext } from "./common";

export const SECRET_STORE_PROVIDERS = ["aws-secrets-manager", "aws-parameter-store", "vault"] as const;
export type SecretStoreProvider = (typeof SECRET_STORE_PROVIDERS)[number];

/** How often ESO re-reads a store when nothing says otherwise. */
export const DEFAULT_REFRESH_INTERVAL = "1h";

/**
 * The longest refresh prod accepts. AWS Secrets Manager rotates at most every four hours
 * (`RotationRules.ScheduleExpression`, shortest `rate(4h)`), and with the alternating-users
 * strategy the previous version stops working at the next rotation: a pod must see the new value
 * within one rotation period, so the refresh must not be longer than the shortest one.
 */
export const PROD_MAX_REFRESH_SECONDS = 4 * 3600;

/** A refresh shorter than this costs API calls (billed per 10,000 on AWS) and gains nothing. */
export const MIN_REFRESH_SECONDS = 60;

const pem = z.string().regex(/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/, { error: "must be PEM certificates (-----BEGIN CERTIFICATE----- …)" });

/** Go durations ESO accepts, restricted to hours, minutes and seconds (`1h`, `30m`, `1h30m`). */
const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Seconds of a `1h30m`-style duration; undefined when it does not parse. */
export function durationSeconds(value: string): number | undefined {
  const match = DURATION.exec(value);
  if (match === null || value === "") return undefined;
  const [, h, m, s] = match;
  return Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
}

const refreshInterval = z
  .string()
  .refine((v) => durationSeconds(v) !== undefined, { error: "must be a duration in hours, minutes and seconds such as 1h, 30m or 1h30m" })
  .refine((v) => (durationSeconds(v) ?? 0) >= MIN_REFRESH_SECONDS, { error: `must be at least 1m (each refresh is an API call per ExternalSecret)` });

const VaultConfig = strictObject({
  server: z
    .string()
    .regex(/^https:\/\/[a-zA-Z0-9.-]+(:\d{1,5})?\/?$/, { error: "must be an https://host[:port] URL (secrets leave Vault only over TLS)" })
    .describe("Vault / OpenBao API URL, e.g. https://vault.example.internal:8200."),
  mountPath: z.string().regex(/^[a-zA-Z0-9_.-]+(\/[a-zA-Z0-9_.-]+)*$/, { error: "must be a Vault mount path such as secret (no leading or trailing /)" }).default("secret").describe("Where the KV secrets engine is mounted."),
  version: z.enum(["v1", "v2"]).default("v2").describe("KV secrets engine version."),
  authMountPath: z.string().regex(/^[a-zA-Z0-9_.-]+(\/[a-zA-Z0-9_.-]+)*$/, { error: "must be a Vault auth mount path such as kubernetes (no leading or trailing /)" }).default("kubernetes").describe("Where the Kubernetes auth method is mounted for this cluster."),
  role: z.string().regex(/^[a-zA-Z0-9_.-]+$/, { error: "must be a Vault role name: letters, digits, '_', '.', '-'" }).describe("Kubernetes auth role bound to strata's store service account (platform/README.md gives the vault commands)."),
  caBundle: pem.optional().describe("CA certificates Vault's certificate chains to, when it is not publicly trusted."),
});
export type VaultInput = z.infer<typeof VaultConfig>;

const StoreConfig = strictObject({
  provider: z.enum(SECRET_STORE_PROVIDERS).describe("aws-secrets-manager or aws-parameter-store (EKS only, through a role per store), or vault (HashiCorp Vault / OpenBao, Kubernetes auth)."),
  prefix: z.string().describe("Every secret the store may read starts with this (Secrets Manager name, SSM path, or path inside the Vault mount); its role or policy allows nothing else. Ends with /."),
  namespaces: z.array(dnsLabel()).min(1).optional().describe("Namespaces whose ExternalSecrets may use the store. Default: every app namespace strata creates."),
  refreshInterval: refreshInterval.optional().describe(`How often ESO re-reads each secret; a rotated value reaches the Secret within it. Default: ${DEFAULT_REFRESH_INTERVAL}; prod accepts at most 4h.`),
  vault: VaultConfig.optional().describe("Vault / OpenBao connection; required with provider vault, refused otherwise."),
});
export type SecretStoreInput = z.infer<typeof StoreConfig>;

export const SecretsConfig = strictObject({
  stores: namedMap(StoreConfig).default({}).describe("Secret stores by name (the `<store>` of an app's `external: <store>/<path>` source); one ClusterSecretStore each."),
});
export type SecretsInput = z.infer<typeof SecretsConfig>;

/** A resolved store. */
export interface SecretStoreSettings {
  readonly provider: SecretStoreProvider;
  readonly prefix: string;
  /** Namespaces allowed; undefined means every app namespace (known to the platform layer). */
  readonly namespaces?: readonly string[];
  readonly refreshInterval: string;
  readonly vault?: {
    readonly server: string;
    readonly mountPath: string;
    readonly version: "v1" | "v2";
    readonly authMountPath: string;
    readonly role: string;
    readonly caBundle?: string;
  };
}

export interface SecretsSettings {
  readonly stores: Readonly<Record<string, SecretStoreSettings>>;
}

/** Secrets Manager names: letters, digits and /_+=.@- (Secrets Manager API reference, CreateSecret `Name`). */
const SECRETS_MANAGER_PREFIX = /^[A-Za-z0-9/_+=.@-]{1,511}\/$/;
/** SSM parameter paths: /-separated, letters, digits and _.- (Systems Manager user guide, "Parameter naming"). */
const PARAMETER_STORE_PREFIX = /^\/[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*\/$/;
/** A path inside a Vault KV mount. */
const VAULT_PREFIX = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*\/$/;

function prefixProblem(provider: SecretStoreProvider, prefix: string): string | undefined {
  switch (provider) {
    case "aws-secrets-manager":
      return SECRETS_MANAGER_PREFIX.test(prefix) ? undefined : "must be a Secrets Manager name prefix of letters, digits and /_+=.@- ending with /, such as valueverse/prod/";
    case "aws-parameter-store":
      if (!PARAMETER_STORE_PREFIX.test(prefix)) return "must be an SSM parameter path of letters, digits and _.- starting and ending with /, such as /valueverse/prod/";
      // Parameter names may not begin with aws or ssm, in any case, and have at most 15 levels.
      if (/^\/(aws|ssm)/i.test(prefix)) return "must not begin with /aws or /ssm (reserved by Systems Manager)";
      return prefix.split("/").length - 2 > 14 ? "must have at most 14 levels (a parameter name has at most 15)" : undefined;
    case "vault":
      return VAULT_PREFIX.test(prefix) ? undefined : "must be a path inside the KV mount of letters, digits and _.- ending with / and without a leading /, such as emis/prod/";
  }
}

/** Resolves `strata:platform.secrets`, reporting each problem with its key. */
export function resolveSecrets(input: SecretsInput, ctx: PlatformContext, problems: string[]): SecretsSettings {
  const stores: Record<string, SecretStoreSettings> = {};
  for (const [name, store] of Object.entries(input.stores)) {
    const key = `strata:platform.secrets.stores.${name}`;
    const aws = store.provider !== "vault";
    if (aws && ctx.backend !== undefined && ctx.backend !== "eks") {
      problems.push(`${key}.provider: ${store.provider} needs the eks backend, whose Pod Identity gives the store its role (got ${describeValue(store.provider)} on ${ctx.backend}); use vault, or the eks backend`);
    }
    const prefixIssue = prefixProblem(store.provider, store.prefix);
    if (prefixIssue !== undefined) problems.push(`${key}.prefix: ${prefixIssue} (got ${describeValue(store.prefix)}); a store reads only below its prefix`);
    if (store.provider === "vault" && store.vault === undefined) {
      problems.push(`${key}.vault: provider vault needs the Vault connection (got nothing); set server, role (and mountPath, version, authMountPath, caBundle where they differ from the defaults)`);
    }
    if (aws && store.vault !== undefined) problems.push(`${key}.vault: only a vault store takes a Vault connection (got one with provider ${store.provider}); remove it`);
    const refresh = store.refreshInterval ?? DEFAULT_REFRESH_INTERVAL;
    if (ctx.environment === "prod" && (durationSeconds(refresh) ?? 0) > PROD_MAX_REFRESH_SECONDS) {
      problems.push(
        `${key}.refreshInterval: prod refuses a refresh longer than 4h, the shortest rotation period of AWS Secrets Manager, after which the previous value stops working (got ${describeValue(refresh)}); use 4h or less`,
      );
    }
    stores[name] = {
      provider: store.provider,
      prefix: store.prefix,
      ...(store.namespaces === undefined ? {} : { namespaces: [...new Set(store.namespaces)].sort() }),
      refreshInterval: refresh,
      ...(store.provider === "vault" && store.vault !== undefined ? { vault: { ...store.vault } } : {}),
    };
  }
  return { stores };
}
