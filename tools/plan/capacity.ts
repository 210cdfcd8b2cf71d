/**
 * The capacity table `npm run plan` prints: the stack's config parsed as the program parses it,
 * the node pools from the planned infra contract (this stack's or its upstream's).
 */
import { capacityCheck, type CapacityResult } from "../../apps/capacity";
import { parseConfig, type StrataConfig } from "../../config/schema";
import { BREAK_GLASS_PASSWORD_HASH_KEY } from "../../config/infra/vsphere/break-glass";
import { VSPHERE_ACCOUNT_KINDS, VSPHERE_ACCOUNT_PASSWORD_KEYS } from "../../config/infra/vsphere/connection";
import type { Backend, NodePool } from "../../lib/contracts";
import type { StackConfig } from "../engine/stack-config";

function decode(value: string | undefined): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/** A stack file's config, parsed as the program parses it (stand-ins for its secrets). */
export function parseStackConfig(stackConfig: StackConfig): StrataConfig {
  const c = stackConfig.config;
  const strata = (key: string) => decode(c[`strata:${key}`]);
  return parseConfig({
    environment: strata("environment"),
    layers: strata("layers"),
    upstreamStack: strata("upstreamStack"),
    infra: strata("infra"),
    cluster: strata("cluster"),
    platform: strata("platform"),
    apps: strata("apps"),
    platformIsSecret: stackConfig.secretKeys.includes("strata:platform"),
    secretKeys: stackConfig.secretKeys.filter((key) => key.startsWith("strata:")),
    configKey: (key) => (c[key] === undefined ? "missing" : stackConfig.secretKeys.includes(key) ? "secret" : "clear"),
    awsRegion: c["aws:region"],
    vsphere: {
      server: c["vsphere:vsphereServer"],
      user: c["vsphere:user"],
      allowUnverifiedSsl: c["vsphere:allowUnverifiedSsl"],
      hasPassword: c["vsphere:password"] !== undefined,
      passwordIsSecret: stackConfig.secretKeys.includes("vsphere:password"),
      accountPasswords: Object.fromEntries(
        VSPHERE_ACCOUNT_KINDS.map((kind) => {
          const key = `strata:${VSPHERE_ACCOUNT_PASSWORD_KEYS[kind]}`;
          return [kind, { isSet: c[key] !== undefined, isSecret: stackConfig.secretKeys.includes(key) }];
        }),
      ),
      ...(c[`strata:${BREAK_GLASS_PASSWORD_HASH_KEY}`] === undefined
        ? {}
        : { breakGlassPasswordHash: { isSet: true, isSecret: stackConfig.secretKeys.includes(`strata:${BREAK_GLASS_PASSWORD_HASH_KEY}`) } }),
    },
    hasKubeconfig: c["strata:kubeconfig"] !== undefined,
    kubeconfigIsSecret: stackConfig.secretKeys.includes("strata:kubeconfig"),
  });
}

/** The capacity check of a planned stack; undefined when the stack owns no apps or exports no infra contract. */
export function planCapacity(stackConfig: StackConfig, outputs: Readonly<Record<string, unknown>>): CapacityResult | undefined {
  const config = parseStackConfig(stackConfig);
  const infra = outputs["infra"] as { backend?: Backend; nodePools?: NodePool[]; eks?: { karpenter?: unknown } } | undefined;
  if (!config.layers.includes("apps") || infra?.backend === undefined) return undefined;
  return capacityCheck(config, { backend: infra.backend, nodePools: infra.nodePools ?? [], karpenter: infra.eks?.karpenter !== undefined });
}
