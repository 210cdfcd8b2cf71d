/**
 * Who Loki and Tempo are to S3 on EKS: the infra layer's IRSA roles for the `logs` and `traces`
 * buckets, bound to the releases' service accounts in the monitoring namespace. Elsewhere the
 * object store hands out static keys instead and there is nothing to bind.
 */
import { ConfigError, describeValue } from "../../config/errors";
import type { ObservabilityConfig } from "../../config/platform/observability";
import type * as pulumi from "@pulumi/pulumi";
import type { EksExtras, PodIdentityBinding } from "../../lib/contracts";

export const TELEMETRY_STORES = ["logs", "traces"] as const;
/** A telemetry store: its config key under `observability`, its bucket purpose and its IRSA workload. */
export type TelemetryStore = (typeof TELEMETRY_STORES)[number];

/** A store's IRSA role binding, with the bucket it reaches and the key that bucket encrypts with. */
export interface TelemetryIdentity extends PodIdentityBinding {
  readonly bucketArn: pulumi.Output<string>;
  readonly keyArn: pulumi.Output<string>;
}

/** Annotation the EKS Pod Identity Webhook reads to hand a pod web-identity credentials for a role. */
export const IRSA_ROLE_ANNOTATION = "eks.amazonaws.com/role-arn";

/**
 * The role binding of each enabled store whose bucket the EKS infra layer created; throws a
 * ConfigError where the binding cannot work (another bucket purpose, a renamed monitoring
 * namespace, an infra stack that predates the roles).
 */
export function telemetryIdentities(eks: EksExtras | undefined, config: ObservabilityConfig, monitoringNamespace: string): Partial<Record<TelemetryStore, TelemetryIdentity>> {
  if (eks === undefined) return {};
  const found: Partial<Record<TelemetryStore, TelemetryIdentity>> = {};
  const problems: string[] = [];
  for (const store of TELEMETRY_STORES) {
    const settings = config[store];
    if (!settings.enabled) continue;
    const key = `strata:platform.observability.${store}.bucket`;
    if (settings.bucket !== store) {
      problems.push(`${key}: on EKS the ${store === "logs" ? "Loki" : "Tempo"} role reaches only the infra layer's ${store} bucket (got ${describeValue(settings.bucket)}); remove the key or set it to ${store}`);
      continue;
    }
    const bucket = eks.buckets[store];
    if (bucket === undefined) continue;
    const role = eks.irsaRoles?.[store];
    if (role === undefined) {
      problems.push(`${key}: the infra layer has a ${store} bucket but no role to reach it (got ${describeValue(store)}); run \`pulumi up\` on the stack that owns the infra layer first`);
      continue;
    }
    if (role.namespace !== monitoringNamespace) {
      problems.push(`strata:cluster.namespaces.monitoring.name: the ${store} store's role trusts namespace ${role.namespace} (got ${describeValue(monitoringNamespace)}); keep the monitoring namespace named ${role.namespace}`);
      continue;
    }
    found[store] = { ...role, bucketArn: bucket.arn, keyArn: eks.kmsKeyArn };
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return found;
}

/** Chart `serviceAccount` values naming the bound service account and its role, if bound. */
export function serviceAccountValues(binding: { readonly serviceAccount: string; readonly roleArn: string } | undefined) {
  return binding === undefined ? {} : { serviceAccount: { create: true, name: binding.serviceAccount, annotations: { [IRSA_ROLE_ANNOTATION]: binding.roleArn } } };
}
