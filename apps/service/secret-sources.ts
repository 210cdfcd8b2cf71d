/**
 * Pure: where each secret source of a service (`secretEnv`, `secretFiles`, `imagePullSecrets`)
 * lands in the pods. `config:` values become keys of the app's env Secret (`<app>-env`, whose
 * digest is on the pod template, so a changed value rolls the pods); `secret:` sources are read
 * from the named Secret as they are (strata does not own it and cannot roll on its change);
 * `external:` sources become keys of the Secret `<app>-external` that the app's ExternalSecret
 * fills, which Reloader watches (`external-secret.ts`).
 */
import type { AppServiceSpec } from "../../config/apps/service";
import { directoryOf } from "../../config/apps/secret-checks";
import { DOCKER_CONFIG_KEY, resolveSecretSource, type ResolvedSecretSource } from "../../config/apps/secret-sources";

/** A key of a Secret strata or External Secrets Operator writes, with where its value comes from. */
export interface SourcedKey {
  /** The key in the Secret. */
  readonly key: string;
  readonly source: ResolvedSecretSource & { readonly kind: "config" | "external" };
}

/** An image pull secret: its Secret's name and, unless it already exists, where its `.dockerconfigjson` comes from. */
export interface PullSecret {
  readonly name: string;
  readonly source: ResolvedSecretSource;
}

/** Read-only, owner only: a secret file is for the app's user. */
export const SECRET_FILE_MODE = 0o400;

export interface AppSecretSources {
  /** `config:` values the app's env Secret holds beside its other keys: key → the config key it comes from. */
  readonly envSecretKeys: readonly { readonly key: string; readonly configKey: string }[];
  /** `external:` values the ExternalSecret writes into `externalSecretName`. */
  readonly externalKeys: readonly SourcedKey[];
  /** The Secret the app's ExternalSecret fills; absent when no source is external. */
  readonly externalSecretName?: string;
  /** Variables read from a Secret, sorted by name. */
  readonly env: readonly { readonly name: string; readonly valueFrom: { readonly secretKeyRef: { readonly name: string; readonly key: string } } }[];
  /** One projected volume per directory holding secret files. */
  readonly volumes: readonly { readonly name: string; readonly projected: { readonly sources: readonly { readonly secret: { readonly name: string; readonly items: readonly { readonly key: string; readonly path: string; readonly mode: number }[] } }[] } }[];
  readonly mounts: readonly { readonly name: string; readonly mountPath: string; readonly readOnly: true }[];
  /** The pod's image pull secrets, in the order configured. */
  readonly pullSecrets: readonly PullSecret[];
  /** Secrets the pods read and their keys (the connection check proves they exist), with the reason where strata does not make them. */
  readonly reads: readonly { readonly name: string; readonly keys: readonly string[]; readonly madeOutsideStrata?: string }[];
}

/** The key of a secret file in the Secret that holds it: `/etc/orders/key.pem` → `file_etc_orders_key.pem`. */
export const fileKey = (path: string): string => `file${path.replace(/\//g, "_")}`;

/** Names of the Secrets strata writes or has written for an app. */
export const envSecretNameOf = (app: string) => `${app}-env`;
export const externalSecretNameOf = (app: string) => `${app}-external`;
export const pullSecretNameOf = (app: string, index: number) => `${app}-pull-${index}`;

/** @param strataMade Secrets strata writes beside the app's own (an external service's CA), which `secret:` sources may name. */
export function appSecretSources(app: string, spec: AppServiceSpec, strataMade: readonly string[] = []): AppSecretSources {
  const isOwned = (app: string, name: string) => isAppOwned(app, name) || strataMade.includes(name);
  const envSecretKeys: { key: string; configKey: string }[] = [];
  const externalKeys: SourcedKey[] = [];
  // Where a key of a source is read from: the env Secret, the external Secret, or the named one.
  const locate = (key: string, source: ResolvedSecretSource): { readonly name: string; readonly key: string } => {
    if (source.kind === "secret") return { name: source.name, key: source.key };
    if (source.kind === "config") {
      envSecretKeys.push({ key, configKey: source.key });
      return { name: envSecretNameOf(app), key };
    }
    externalKeys.push({ key, source });
    return { name: externalSecretNameOf(app), key };
  };
  const env = Object.entries(spec.secretEnv)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, source]) => ({ name, valueFrom: { secretKeyRef: locate(name, resolveSecretSource(source)) } }));

  const byDirectory = new Map<string, { readonly name: string; readonly key: string; readonly file: string }[]>();
  for (const [path, source] of Object.entries(spec.secretFiles).sort(([a], [b]) => a.localeCompare(b))) {
    const dir = directoryOf(path);
    byDirectory.set(dir, [...(byDirectory.get(dir) ?? []), { ...locate(fileKey(path), resolveSecretSource(source)), file: path.slice(dir.length + 1) }]);
  }
  const directories = [...byDirectory.entries()].sort(([a], [b]) => a.localeCompare(b));
  const volumes = directories.map(([, files], i) => {
    const secrets = [...new Set(files.map((f) => f.name))].sort();
    return {
      name: `secret-files-${i}`,
      projected: {
        sources: secrets.map((name) => ({ secret: { name, items: files.filter((f) => f.name === name).map((f) => ({ key: f.key, path: f.file, mode: SECRET_FILE_MODE })) } })),
      },
    };
  });
  const mounts = directories.map(([dir], i) => ({ name: `secret-files-${i}`, mountPath: dir, readOnly: true as const }));

  const pullSecrets = spec.imagePullSecrets.map((source, i): PullSecret => {
    const resolved = resolveSecretSource(source);
    return { name: resolved.kind === "secret" ? resolved.name : pullSecretNameOf(app, i), source: resolved };
  });

  const reads = new Map<string, { keys: Set<string>; madeOutsideStrata?: string }>();
  const read = (name: string, key: string, madeOutsideStrata?: string) => {
    const entry = reads.get(name) ?? { keys: new Set<string>(), ...(madeOutsideStrata === undefined ? {} : { madeOutsideStrata }) };
    entry.keys.add(key);
    reads.set(name, entry);
  };
  const outside = "a secret: source names a Secret made outside strata";
  for (const { valueFrom } of env) read(valueFrom.secretKeyRef.name, valueFrom.secretKeyRef.key, isOwned(app, valueFrom.secretKeyRef.name) ? undefined : outside);
  for (const files of byDirectory.values()) for (const f of files) read(f.name, f.key, isOwned(app, f.name) ? undefined : outside);
  for (const pull of pullSecrets) read(pull.name, DOCKER_CONFIG_KEY, pull.source.kind === "secret" ? outside : undefined);

  return {
    envSecretKeys,
    externalKeys,
    ...(externalKeys.length === 0 ? {} : { externalSecretName: externalSecretNameOf(app) }),
    env,
    volumes,
    mounts,
    pullSecrets,
    reads: [...reads.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, { keys, madeOutsideStrata }]) => ({ name, keys: [...keys].sort(), ...(madeOutsideStrata === undefined ? {} : { madeOutsideStrata }) })),
  };
}

const isAppOwned = (app: string, name: string) => name === envSecretNameOf(app) || name === externalSecretNameOf(app);
