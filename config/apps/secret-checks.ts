/**
 * Checks of a service's secret sources (`secretEnv`, `secretFiles`, `imagePullSecrets`) that need
 * its other keys, the stack's config keys or the platform's secret stores.
 */
import type { AppServiceSpec } from "./service";
import { configSourceProblems, type ConfigKeyState, DOCKER_CONFIG_KEY, externalSourceProblems, resolveSecretSource, sourcesOf } from "./secret-sources";
import { describeValue } from "../errors";

/** What the sources are checked against; a field is absent when this stack cannot know it. */
export interface SecretSourceContext {
  /** How a `config:` source's key is stored in the stack. */
  readonly configKey?: (key: string) => ConfigKeyState;
  /**
   * The platform's secret stores (`strata:platform.secrets.stores`), when this stack owns the
   * platform layer; otherwise the apps layer checks `PlatformOutputs.secretStores`.
   */
  readonly stores?: Readonly<Record<string, unknown>>;
}

/** The mount directory of a secret file. */
export const directoryOf = (path: string): string => path.slice(0, path.lastIndexOf("/")) || "/";

const within = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);

/**
 * Problems with the sources of one service. `otherMounts` are the paths mounted beside the secret
 * files (writable paths, Kafka's CA, the migration's `/tmp`).
 */
export function secretSourceProblems(key: string, spec: AppServiceSpec, otherMounts: readonly string[], ctx: SecretSourceContext): string[] {
  const problems: string[] = [];
  // Secret files are mounted by directory (one projected volume each), so a directory must be
  // the secrets' own: not `/`, not another mount, not inside or around one.
  const directories = [...new Set(Object.keys(spec.secretFiles).map(directoryOf))];
  for (const path of Object.keys(spec.secretFiles)) {
    const dir = directoryOf(path);
    const at = `${key}.secretFiles.${path}`;
    if (dir === "/") {
      problems.push(`${at}: would mount over / (got ${describeValue(path)}); put secret files in a directory of their own such as /etc/secrets/${path.slice(1)}`);
      continue;
    }
    const clash = otherMounts.find((mount) => within(dir, mount) || within(mount, dir));
    if (clash !== undefined) problems.push(`${at}: its directory ${dir} overlaps the mount ${clash} (got ${describeValue(path)}); put secret files in a directory no other volume uses`);
    const nested = directories.find((other) => other !== dir && within(dir, other));
    if (nested !== undefined) problems.push(`${at}: its directory ${dir} lies inside ${nested}, another secret file's directory (got ${describeValue(path)}); put secret files side by side in one directory or in unrelated ones`);
  }
  const env = spec.secretEnv;
  const stores = new Set(
    [...Object.values(env), ...Object.values(spec.secretFiles)].map(resolveSecretSource).flatMap((s) => (s.kind === "external" ? [s.store] : [])),
  );
  if (stores.size > 1) {
    problems.push(`${key}: reads secretEnv and secretFiles from several stores (got ${describeValue([...stores].sort())}); an app's ExternalSecret syncs from one store, so keep them in one`);
  }
  spec.imagePullSecrets.forEach((source, i) => {
    const resolved = resolveSecretSource(source);
    if (resolved.kind === "secret" && resolved.key !== DOCKER_CONFIG_KEY) {
      problems.push(`${key}.imagePullSecrets[${i}]: the kubelet reads only the key ${DOCKER_CONFIG_KEY} of a pull secret (got ${describeValue(source.secret)}); use ${resolved.name}/${DOCKER_CONFIG_KEY}`);
    }
  });
  for (const { at, source } of sourcesOf(key, spec)) {
    if (source.kind === "config" && ctx.configKey !== undefined) problems.push(...configSourceProblems(at, source.key, ctx.configKey(source.key)));
    if (ctx.stores !== undefined) problems.push(...externalSourceProblems(at, source, ctx.stores, spec.namespace));
  }
  return problems;
}
