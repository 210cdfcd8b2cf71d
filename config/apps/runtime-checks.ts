/** Checks of the run-time keys (`apps-runtime.ts`): KEDA scaling, AWS access, migration, egress, object store. */
import type { Backend } from "../../lib/contracts";
import { imagePinProblem } from "./image-pin";
import { APP_BUCKET_PURPOSE, OBJECT_STORE_USE } from "./runtime";
import type { AppServiceSpec } from "./service";
import { describeValue } from "../errors";
import type { InfraConfig } from "../infra";
import type { PlatformConfig } from "../platform";

/** What the run-time keys are checked against; a field is absent when another stack owns that layer. */
export interface RuntimeContext {
  /** `strata:platform.keda.enabled`, when this stack owns the platform layer. */
  readonly keda?: boolean;
  /** Whether `strata:platform.observability` (Prometheus) is set, when this stack owns the platform layer. */
  readonly prometheus?: boolean;
  /** `strata:infra.backend`, when this stack owns the infra layer. */
  readonly backend?: Backend;
  /** Whether the object store has the apps' bucket (purpose `objects`), when this stack owns infra and platform. */
  readonly appBucket?: boolean;
}

/** The first custom-metric key the service sets, for messages. */
export function customMetricKey(spec: AppServiceSpec): "requestsPerSecond" | "latencyMs" | undefined {
  const scaling = spec.autoscaling;
  if (scaling?.requestsPerSecond !== undefined) return "requestsPerSecond";
  if (scaling?.latencyMs !== undefined) return "latencyMs";
  return undefined;
}

/** Problems found in the service alone (and `strata:apps.serviceMonitors`). */
export function runtimeProblems(key: string, spec: AppServiceSpec, serviceMonitors: boolean): string[] {
  const problems: string[] = [];
  const metric = customMetricKey(spec);
  const value = metric === undefined ? undefined : spec.autoscaling?.[metric];
  if (metric !== undefined && spec.metricsPort === undefined) {
    problems.push(`${key}.autoscaling.${metric}: needs the app's request metrics (got ${describeValue(value)} without a metricsPort); set ${key}.metricsPort to the port serving them`);
  }
  if (metric !== undefined && !serviceMonitors) {
    problems.push(`${key}.autoscaling.${metric}: needs the app's metrics in Prometheus (got ${describeValue(value)} with strata:apps.serviceMonitors false); set strata:apps.serviceMonitors to true`);
  }
  const access = spec.awsAccess;
  if (access !== undefined && access.policyArns.length === 0 && access.statements.length === 0) {
    problems.push(`${key}.awsAccess: grants nothing (got ${describeValue(access)}); list policyArns and/or statements`);
  }
  const migrationImage = spec.migration?.image;
  const pin = migrationImage === undefined ? undefined : imagePinProblem(migrationImage);
  if (pin !== undefined) problems.push(`${key}.migration.image: ${pin} (got ${describeValue(migrationImage)}); pin a version tag such as app:1.4.2 or a digest, or leave it out to use image`);
  spec.egress.forEach((rule, i) => {
    rule.cidrs.forEach((range, j) => {
      if (range.endsWith("/0")) problems.push(`${key}.egress[${i}].cidrs[${j}]: allows every address (got ${describeValue(range)}); list the ranges of the hosts the app calls`);
    });
  });
  return problems;
}

/** Problems that need the platform or infra slices of the same stack. */
export function runtimeContextProblems(key: string, spec: AppServiceSpec, ctx: RuntimeContext | undefined): string[] {
  if (ctx === undefined) return [];
  const problems: string[] = [];
  const metric = customMetricKey(spec);
  const value = metric === undefined ? undefined : spec.autoscaling?.[metric];
  if (metric !== undefined && ctx.keda === false) {
    problems.push(`${key}.autoscaling.${metric}: needs KEDA, but strata:platform.keda.enabled is false (got ${describeValue(value)}); set strata:platform.keda.enabled to true or remove ${key}.autoscaling.${metric}`);
  }
  if (metric !== undefined && ctx.prometheus === false) {
    problems.push(`${key}.autoscaling.${metric}: needs the platform's Prometheus, but strata:platform.observability is not set (got ${describeValue(value)}); configure strata:platform.observability or remove ${key}.autoscaling.${metric}`);
  }
  if (spec.awsAccess !== undefined && ctx.backend !== undefined && ctx.backend !== "eks") {
    problems.push(`${key}.awsAccess: needs EKS Pod Identity, but strata:infra.backend is ${ctx.backend} (got ${describeValue(spec.awsAccess)}); remove ${key}.awsAccess on this backend`);
  }
  const storeAt = spec.uses.indexOf(OBJECT_STORE_USE);
  if (storeAt >= 0 && ctx.appBucket === false) {
    const fix = ctx.backend === "eks" ? `set strata:infra.eks.buckets.${APP_BUCKET_PURPOSE}.enabled to true` : `add ${APP_BUCKET_PURPOSE}: <bucket name> to strata:platform.objectStore.buckets`;
    problems.push(`${key}.uses[${storeAt}]: the object store has no ${APP_BUCKET_PURPOSE} bucket (got "${OBJECT_STORE_USE}"); ${fix}`);
  }
  if (storeAt >= 0 && ctx.backend === "eks") {
    for (const [env, ref] of Object.entries(spec.connectionEnv)) {
      if (ref === `${OBJECT_STORE_USE}.accessKey` || ref === `${OBJECT_STORE_USE}.secretKey`) {
        problems.push(`${key}.connectionEnv.${env}: the EKS object store has no static keys (got ${describeValue(ref)}); remove it: the app's ServiceAccount reaches the bucket through EKS Pod Identity`);
      }
    }
  }
  return problems;
}

/** The run-time facts of the slices this stack owns (`undefined` for a slice another stack owns). */
export function runtimeContext(platform: PlatformConfig | undefined, infra: InfraConfig | undefined): RuntimeContext {
  const backend = infra?.backend;
  const appBucket =
    platform === undefined || !platform.objectStore.enabled || infra === undefined
      ? undefined
      : infra.backend === "eks"
        ? infra.eks.buckets[APP_BUCKET_PURPOSE].enabled
        : APP_BUCKET_PURPOSE in platform.objectStore.buckets;
  return {
    ...(platform === undefined ? {} : { keda: platform.keda.enabled, prometheus: platform.observability !== undefined }),
    ...(backend === undefined ? {} : { backend }),
    ...(appBucket === undefined ? {} : { appBucket }),
  };
}
