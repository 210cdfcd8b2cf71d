/**
 * Where a secret an app reads comes from. A source is exactly one of:
 * - `{ config: "<namespace>:<key>" }`: a whole top-level Pulumi config key outside `strata:`,
 *   stored with `pulumi config set --secret` (the runtime knows secrecy per top-level key only);
 * - `{ secret: "<name>/<key>" }`: a key of a Secret that already exists in the app namespace,
 *   made by something other than strata;
 * - `{ external: "<store>/<path>", property?: "<json property>" }`: synced by External Secrets
 *   Operator through the platform's store `<store>` (`strata:platform.secrets.stores`).
 */
import { z } from "zod";
import { describeValue } from "../errors";
import { strictObject } from "../common";

/** `orders:apiKey`: a config namespace (not `strata`) and a top-level key, without a `--path` below it. */
const CONFIG_KEY = /^([A-Za-z][\w-]*):([A-Za-z_][\w-]*)$/;
/** `<Secret name>/<key>`: a DNS subdomain, then a Secret data key. */
const SECRET_REF = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)\/([-._a-zA-Z0-9]+)$/;
/** `<store>/<path>`: a store name (DNS label), then the path of the secret below the store's prefix. */
const EXTERNAL_REF = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([^/\s]\S*)$/;

/** The key of a `kubernetes.io/dockerconfigjson` Secret the kubelet reads. */
export const DOCKER_CONFIG_KEY = ".dockerconfigjson";

export const SecretSource = strictObject({
  config: z
    .string()
    .regex(CONFIG_KEY, { error: "must be a whole top-level config key <namespace>:<key> such as orders:apiKey (no path below it)" })
    .refine((key) => !key.startsWith("strata:"), { error: "must be a key outside the strata namespace, such as orders:apiKey; strata:* keys are the platform's own config" })
    .optional()
    .describe("A Pulumi config key `<namespace>:<key>` outside `strata:`, set with `pulumi config set --secret <namespace>:<key>`; refused when missing or stored in clear."),
  secret: z
    .string()
    .regex(SECRET_REF, { error: "must be <Secret name>/<key> such as orders-api/token" })
    .optional()
    .describe("`<name>/<key>` of a Secret that already exists in the app namespace (made outside strata; strata cannot roll the pods when it changes)."),
  external: z
    .string()
    .regex(EXTERNAL_REF, { error: "must be <store>/<path> such as aws/orders/api-key, the store a key of strata:platform.secrets.stores and the path below its prefix" })
    .optional()
    .describe("`<store>/<path>`: synced by External Secrets Operator through the platform's store `<store>`; the name read is the store's `prefix` followed by `<path>`."),
  property: z
    .string()
    .min(1)
    .optional()
    .describe("With `external`: the property of a JSON secret to read. Default: the whole value."),
}).superRefine((source, ctx) => {
  const named = (["config", "secret", "external"] as const).filter((kind) => source[kind] !== undefined);
  if (named.length !== 1) {
    ctx.addIssue({
      code: "custom",
      message: `must name exactly one source, config, secret or external (${named.length === 0 ? "none named" : `${named.join(" and ")} named`})`,
      path: [],
    });
  }
  if (source.property !== undefined && source.external === undefined) {
    ctx.addIssue({ code: "custom", message: "is read only from an external source; remove property or use external", path: ["property"] });
  }
});
export type SecretSourceSpec = z.infer<typeof SecretSource>;

/** A source once parsed, by kind. */
export type ResolvedSecretSource =
  | { readonly kind: "config"; readonly key: string }
  | { readonly kind: "secret"; readonly name: string; readonly key: string }
  | { readonly kind: "external"; readonly store: string; readonly path: string; readonly property?: string };

/** The kind and parts of a parsed source (the schema has made sure it names exactly one). */
export function resolveSecretSource(source: SecretSourceSpec): ResolvedSecretSource {
  if (source.config !== undefined) return { kind: "config", key: source.config };
  if (source.secret !== undefined) {
    const slash = source.secret.indexOf("/");
    return { kind: "secret", name: source.secret.slice(0, slash), key: source.secret.slice(slash + 1) };
  }
  const external = source.external ?? "";
  const slash = external.indexOf("/");
  return { kind: "external", store: external.slice(0, slash), path: external.slice(slash + 1), ...(source.property === undefined ? {} : { property: source.property }) };
}

/**
 * An image pull secret: a source whose value is a `.dockerconfigjson`, or the name of a
 * `kubernetes.io/dockerconfigjson` Secret already in the app namespace (the form strata accepted
 * before sources existed, kept so stacks need not change).
 */
export const PullSecretSource = z.preprocess((value) => (typeof value === "string" ? { secret: `${value}/${DOCKER_CONFIG_KEY}` } : value), SecretSource);

/** Every source of a service with the config key path it sits at. */
export function sourcesOf(key: string, spec: { readonly secretEnv: Readonly<Record<string, SecretSourceSpec>>; readonly secretFiles: Readonly<Record<string, SecretSourceSpec>>; readonly imagePullSecrets: readonly SecretSourceSpec[] }): { readonly at: string; readonly source: ResolvedSecretSource }[] {
  return [
    ...Object.entries(spec.secretEnv).map(([env, source]) => ({ at: `${key}.secretEnv.${env}`, source: resolveSecretSource(source) })),
    ...Object.entries(spec.secretFiles).map(([path, source]) => ({ at: `${key}.secretFiles.${path}`, source: resolveSecretSource(source) })),
    ...spec.imagePullSecrets.map((source, i) => ({ at: `${key}.imagePullSecrets[${i}]`, source: resolveSecretSource(source) })),
  ];
}

/** How a `config:` source's key is stored in the stack: as a secret, in clear, or not at all. */
export type ConfigKeyState = "secret" | "clear" | "missing";

/** `config:` sources whose key is missing or stored in clear. */
export function configSourceProblems(at: string, key: string, state: ConfigKeyState): string[] {
  const fix = `set it with \`pulumi config set --secret ${key} <value>\``;
  if (state === "missing") return [`${at}: config key ${key} is not set (got ${describeValue({ config: key })}); ${fix}`];
  if (state === "clear") return [`${at}: config key ${key} is stored in clear (got ${describeValue({ config: key })}); ${fix} so it stays encrypted`];
  return [];
}

/**
 * `external:` sources naming a store the platform does not declare. The path needs no check: the
 * name read is the store's prefix followed by it, and what exists there is known only online.
 */
export function externalSourceProblems(at: string, source: ResolvedSecretSource, stores: Readonly<Record<string, unknown>>, namespace?: string): string[] {
  if (source.kind !== "external") return [];
  const store = stores[source.store];
  if (store === undefined) {
    const names = Object.keys(stores);
    return [`${at}: no secret store ${source.store} (got ${describeValue(`${source.store}/${source.path}`)}); use ${names.length === 0 ? "a store" : `one of ${names.join(", ")} or a store`} declared in strata:platform.secrets.stores`];
  }
  // The store's ClusterSecretStore admits only its `namespaces`: an ExternalSecret elsewhere would
  // never sync, and the pods would wait for a Secret that never comes.
  const admitted = (store as { readonly namespaces?: unknown }).namespaces;
  if (namespace !== undefined && Array.isArray(admitted) && !admitted.includes(namespace)) {
    return [`${at}: the store ${source.store} does not admit the namespace ${namespace} (got ${describeValue(`${source.store}/${source.path}`)}); add ${namespace} to strata:platform.secrets.stores.${source.store}.namespaces (now ${admitted.join(", ")}) or use another store`];
  }
  return [];
}
