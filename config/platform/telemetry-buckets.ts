/**
 * The EKS logs and traces buckets against the retention Loki and Tempo are configured with, where
 * one stack owns both the infra layer and the platform layer (otherwise the infra stack cannot see
 * the retention, and its buckets keep what its own config says).
 *
 * The stores' compactors delete what is past retention; the buckets' expiry is a backstop behind
 * them, so it must come after the retention, never before it: by default one day after.
 */
import type { EksInfraConfig } from "../infra/eks";
import { OBSERVABILITY_ENVIRONMENT_DEFAULTS, type ObservabilityConfig } from "./observability";
import type { Environment } from "../environment";
import type { Backend } from "../../lib/contracts";
import type { PlatformConfig } from "./index";

/** Days the bucket expiry trails the store's retention by default. */
export const TELEMETRY_EXPIRY_MARGIN_DAYS = 1;

const STORES = {
  logs: { name: "Loki", retention: (o: ObservabilityConfig, env: Environment) => o.logs.retentionDays ?? defaultsOf(env).logsRetentionDays },
  traces: { name: "Tempo", retention: (o: ObservabilityConfig, env: Environment) => o.traces.retentionDays ?? defaultsOf(env).tracesRetentionDays },
} as const;

function defaultsOf(env: Environment) {
  return env === "prod" ? OBSERVABILITY_ENVIRONMENT_DEFAULTS.prod : OBSERVABILITY_ENVIRONMENT_DEFAULTS.other;
}

/** The infra slice with each telemetry bucket's expiry set from its store's retention; problems are appended. */
export function withTelemetryExpiry(infra: EksInfraConfig, observability: ObservabilityConfig | undefined, env: Environment, problems: string[]): EksInfraConfig {
  if (observability === undefined) return infra;
  const buckets = { ...infra.eks.buckets };
  for (const [store, spec] of Object.entries(STORES) as [keyof typeof STORES, (typeof STORES)[keyof typeof STORES]][]) {
    const bucket = buckets[store];
    if (!bucket.enabled || !observability[store].enabled) continue;
    const retentionDays = spec.retention(observability, env);
    if (bucket.expirationDays === undefined) {
      buckets[store] = { ...bucket, expirationDays: retentionDays + TELEMETRY_EXPIRY_MARGIN_DAYS };
    } else if (bucket.expirationDays <= retentionDays) {
      problems.push(
        `strata:infra.eks.buckets.${store}.expirationDays: deletes ${store} before ${spec.name}'s retention ends (got ${bucket.expirationDays}); use more than ${retentionDays} (strata:platform.observability.${store}.retentionDays), or leave it unset for ${retentionDays + TELEMETRY_EXPIRY_MARGIN_DAYS}`,
      );
    }
  }
  return { ...infra, eks: { ...infra.eks, buckets } };
}

/**
 * The buckets the platform hands Loki and Tempo (platform/index.ts: the object store, else the
 * infra layer's S3 buckets on EKS); undefined when the EKS buckets are in another stack.
 */
export function telemetryBucketPurposes(platform: PlatformConfig, backend: Backend, eksBuckets?: Readonly<Record<string, { readonly enabled: boolean }>>): readonly string[] | undefined {
  if (backend === "eks") return eksBuckets === undefined ? undefined : Object.keys(eksBuckets).filter((purpose) => eksBuckets[purpose]?.enabled === true);
  return platform.objectStore.enabled ? Object.keys(platform.objectStore.buckets) : [];
}
