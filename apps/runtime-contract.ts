/**
 * The run-time facts one app needs from the platform and infra contracts (KEDA and Prometheus,
 * the object store, EKS), checked where config parsing could not see them: when another stack
 * owns those layers. Problems are appended; nothing is declared here.
 */
import { APP_BUCKET_PURPOSE, OBJECT_STORE_USE } from "../config/apps/runtime";
import { customMetricKey } from "../config/apps/runtime-checks";
import { scalesOnQueue } from "../config/apps/workload-kind-checks";
import type { AppServiceSpec } from "../config/apps/service";
import type { InfraOutputs, PlatformOutputs } from "../lib/contracts";
import { PROMETHEUS_QUERY_OUTPUT } from "../platform/observability/prometheus-values";
import type { AppRuntimeArgs } from "./service/runtime";
import type { RdsUser } from "./service/cloud-identity";

/** @param rdsUsers database users of the external services the app reaches with RDS IAM authentication */
export function appRuntime(key: string, spec: AppServiceSpec, platform: PlatformOutputs, infra: InfraOutputs | undefined, problems: string[], rdsUsers: readonly RdsUser[] = []): AppRuntimeArgs {
  const runtime: { -readonly [K in keyof AppRuntimeArgs]: AppRuntimeArgs[K] } = {};
  const metric = customMetricKey(spec);
  if (metric !== undefined) {
    const value = spec.autoscaling?.[metric];
    const prometheusAddress = platform.observability[PROMETHEUS_QUERY_OUTPUT];
    if (platform.keda === undefined) problems.push(`${key}.autoscaling.${metric}: the platform contract has no KEDA (got ${value}); enable strata:platform.keda.enabled in the platform stack`);
    if (prometheusAddress === undefined) problems.push(`${key}.autoscaling.${metric}: the platform contract has no Prometheus (got ${value}); configure strata:platform.observability in the platform stack`);
    if (platform.keda !== undefined && prometheusAddress !== undefined) runtime.keda = { namespace: platform.keda.namespace, prometheusAddress, ...(platform.keda.release === undefined ? {} : { release: platform.keda.release }) };
  }
  if (scalesOnQueue(spec)) {
    const trigger = spec.autoscaling?.kafkaLag !== undefined ? "kafkaLag" : "queueLength";
    if (platform.keda === undefined) problems.push(`${key}.autoscaling.${trigger}: the platform contract has no KEDA (got a ${trigger} trigger); enable strata:platform.keda.enabled in the platform stack`);
    else runtime.keda ??= { namespace: platform.keda.namespace, ...(platform.keda.release === undefined ? {} : { release: platform.keda.release }) };
  }
  const storeAt = spec.uses.indexOf(OBJECT_STORE_USE);
  const store = platform.objectStore;
  const bucket = store?.buckets[APP_BUCKET_PURPOSE];
  if (storeAt >= 0) {
    if (store === undefined || bucket === undefined) {
      problems.push(`${key}.uses[${storeAt}]: the platform contract has no object store with an ${APP_BUCKET_PURPOSE} bucket (got "${OBJECT_STORE_USE}"); enable strata:platform.objectStore with an ${APP_BUCKET_PURPOSE} bucket in the platform stack`);
    } else {
      runtime.objectStore = { store, bucket };
      const staticKeys = Object.entries(spec.connectionEnv).filter(([, ref]) => ref === `${OBJECT_STORE_USE}.accessKey` || ref === `${OBJECT_STORE_USE}.secretKey`);
      for (const [env, ref] of store.credentials === undefined ? staticKeys : []) {
        problems.push(`${key}.connectionEnv.${env}: the object store has no static keys (got "${ref}"); remove it: the app's ServiceAccount reaches the bucket through EKS Pod Identity`);
      }
    }
  }
  const eks = infra?.eks;
  const needsIdentity = spec.awsAccess !== undefined || (runtime.objectStore !== undefined && runtime.objectStore.store.credentials === undefined) || rdsUsers.length > 0;
  if (needsIdentity && (eks === undefined || infra === undefined)) {
    const got = spec.awsAccess !== undefined ? "awsAccess" : rdsUsers.length > 0 ? "an external service with iamAuth" : "the EKS object store";
    problems.push(`${key}.awsAccess: needs EKS Pod Identity, but the cluster's backend is ${infra?.backend ?? "unknown"} (got ${got}); use an EKS cluster or remove ${key}.awsAccess`);
  } else if (needsIdentity && eks !== undefined && infra !== undefined) {
    const appBucket = eks.buckets[APP_BUCKET_PURPOSE];
    if (rdsUsers.length > 0) runtime.rdsUsers = rdsUsers;
    runtime.eks = { clusterName: infra.clusterName, region: eks.region, accountId: eks.accountId, clusterArn: eks.clusterArn, ...(appBucket === undefined ? {} : { bucket: { arn: appBucket.arn, keyArn: eks.kmsKeyArn } }) };
  }
  return runtime;
}
