/**
 * The platform's own requests, one contributor per `strata:platform` service. Each reads the
 * resolved settings (replicas, resources) and the fixed sizes its values builder sets (cited
 * beside each number); the `Record` over the platform keys makes a new service without a
 * contributor a compile error.
 */
import type { PlatformConfig } from "../../config/platform";
import type { Environment } from "../../config/schema";
import type { Backend, PoolRole } from "../../lib/contracts";
import { telemetryBucketPurposes } from "../../config/platform/telemetry-buckets";
import { resolveObservability } from "../../platform/observability/settings";
import { SECRETS_REQUESTS, secretsReplicas } from "../../platform/secrets/values";
import { type DaemonSet, type Demand, NO_DEMAND, type PlacementRule, type Target, type Workload } from "./types";

/** What a contributor may read besides its own settings. */
export interface PlatformScope {
  readonly environment: Environment;
  readonly backend: Backend;
  /**
   * Purposes of the buckets the telemetry store has (Loki's runs three pods in prod only with its
   * bucket): the SeaweedFS buckets, or the infra layer's enabled S3 buckets on EKS
   * (`telemetryBucketPurposes`, config/platform/telemetry-buckets.ts). @default - unknown (infra in another stack): the bucket is assumed, counting the most pods
   */
  readonly storeBuckets?: readonly string[];
}


type Contributor<K extends keyof PlatformConfig> = (settings: NonNullable<PlatformConfig[K]>, scope: PlatformScope, all: PlatformConfig) => Demand;

const on = (pool: string | undefined, role: PoolRole): Target => (pool === undefined ? { role } : { pool });
const SYSTEM: Target = { role: "system" };
const workload = (owner: string, target: Target, pods: number, cpuMillis: number, memoryMi: number, placement?: PlacementRule): Workload => ({
  owner,
  target,
  pods,
  perPod: { cpuMillis, memoryMi },
  ...(placement === undefined ? {} : { placement }),
});
/** One pod per node (required anti-affinity on the hostname) and a budget of `maxUnavailable: 1`, as the data services' values set both. */
const onePerNode = (key: string, pods: number): PlacementRule => ({ onePerNode: true, minAvailable: pods - 1, key });
const daemonSet = (owner: string, cpuMillis: number, memoryMi: number, runsOn: DaemonSet["runsOn"]): DaemonSet => ({ owner, perNode: { cpuMillis, memoryMi }, runsOn });

/** redis-ha with `hardAntiAffinity` (the key that turns it off is the fix when nodes are short). */
const redisPlacement = (hard: boolean, replicas: number): PlacementRule =>
  hard ? onePerNode("strata:platform.redis.replicas", replicas) : { onePerNode: false, minAvailable: replicas - 1, key: "strata:platform.redis.replicas" };

/** `spreadOverNodes` and `disruptionBudget` of the observability charts: nothing below two replicas. */
const spreadPlacement = (key: string, replicas: number): PlacementRule | undefined => (replicas < 2 ? undefined : onePerNode(key, replicas));

export { telemetryBucketPurposes };

/** One contributor per platform service. */
export const PLATFORM_DEMAND: { readonly [K in keyof PlatformConfig]-?: Contributor<K> } = {
  // SeaweedFS (platform/object-store/values.ts): masters, filers and S3 gateways 100m/256Mi; volume servers from settings. On EKS the store is S3.
  objectStore: (s, scope) =>
    !s.enabled || scope.backend === "eks"
      ? NO_DEMAND
      : {
          workloads: [
            workload("object store masters", on(s.pool, "storage"), s.masters, 100, 256),
            workload("object store volume servers", on(s.pool, "storage"), s.volumeServers, s.resources.cpuMillis, s.resources.memoryMi),
            workload("object store filers and S3 gateways", on(s.pool, "storage"), s.filers + s.gateways, 100, 256),
          ],
          daemonSets: [],
        },
  // CloudNativePG (platform/postgres/values.ts): operator and barman plugin 100m/256Mi on the system pool; PgBouncer has no requests set.
  postgres: (s) =>
    !s.enabled
      ? NO_DEMAND
      : {
          workloads: [
            // podAntiAffinityType "required" (platform/postgres/values.ts); CloudNativePG's own budget keeps the primary and all but one replica.
            workload("postgres instances", on(s.pool, "database"), s.instances, s.resources.cpuMillis, s.resources.memoryMi, onePerNode("strata:platform.postgres.instances", s.instances)),
            workload("postgres operator and backup plugin", SYSTEM, 2, 100, 256),
          ],
          daemonSets: [],
        },
  // redis-ha (platform/redis/values.ts): each replica runs redis + sentinel (50m/64Mi); as many HAProxy pods (50m/64Mi).
  redis: (s) =>
    !s.enabled
      ? NO_DEMAND
      : {
          workloads: [
            // redis-ha's hardAntiAffinity (servers and HAProxy) sets requiredDuringSchedulingIgnoredDuringExecution
            // (../shared/reference/charts/redis-ha/values.yaml); both budgets are maxUnavailable 1.
            workload("redis replicas with sentinel", on(s.pool, "database"), s.replicas, s.resources.cpuMillis + 50, s.resources.memoryMi + 64, redisPlacement(s.hardAntiAffinity, s.replicas)),
            workload("redis haproxy", on(s.pool, "database"), s.replicas, 50, 64, redisPlacement(s.hardAntiAffinity, s.replicas)),
          ],
          daemonSets: [],
        },
  // Velero (platform/backups/values.ts): server 100m/256Mi on the system pool; node agent 100m/256Mi on every node with volume data backups.
  backups: (s, _scope, all) =>
    !s.enabled || !all.objectStore.enabled
      ? NO_DEMAND
      : { workloads: [workload("velero", SYSTEM, 1, 100, 256)], daemonSets: s.volumeData ? [daemonSet("velero node agent", 100, 256, "all")] : [] },
  // kube-prometheus-stack, Loki, Alloy, collectors, Tempo (platform/observability/*-values.ts), all on the system pool.
  observability: (config, scope, all) => {
    // The replicas the values builders are given: the same resolution, from the same facts.
    const hasBucket = (purpose: string) => scope.storeBuckets === undefined || scope.storeBuckets.includes(purpose);
    const s = resolveObservability(config, scope.environment, scope.backend, { hasLogsBucket: hasBucket(config.logs.bucket), hasTracesBucket: hasBucket(config.traces.bucket), hasPostgres: all.postgres.enabled });
    const large = s.metrics.storageGi >= 100;
    const workloads = [
      // From two replicas on, spreadOverNodes requires one per node and disruptionBudget lets one go (platform/observability/settings.ts).
      workload("prometheus", SYSTEM, s.metrics.replicas, large ? 1000 : 250, large ? 4096 : 1024, spreadPlacement("strata:platform.observability.metrics.replicas", s.metrics.replicas)),
      workload("alertmanager", SYSTEM, s.alertmanagerReplicas, 50, 128, spreadPlacement("strata:platform.observability.alerting.replicas", s.alertmanagerReplicas)),
      workload("prometheus operator", SYSTEM, 1, 100, 128),
      workload("grafana", SYSTEM, s.grafana.replicas, 100, 256, spreadPlacement("strata:platform.observability.grafana.replicas", s.grafana.replicas)),
      ...(s.logs.enabled ? [workload("loki", SYSTEM, s.logs.replicas, 250, 512, spreadPlacement("strata:platform.observability.logs.replicas", s.logs.replicas))] : []),
      ...(s.traces.enabled
        ? [
            workload("trace routers", SYSTEM, s.traces.routerReplicas, 200, 256, spreadPlacement("strata:platform.observability.traces.routerReplicas", s.traces.routerReplicas)),
            workload("trace samplers", SYSTEM, s.traces.samplerReplicas, 200, 256, spreadPlacement("strata:platform.observability.traces.samplerReplicas", s.traces.samplerReplicas)),
            workload("tempo", SYSTEM, s.traces.replicas, 200, 512, spreadPlacement("strata:platform.observability.traces.replicas", s.traces.replicas)),
          ]
        : []),
    ];
    // node-exporter keeps the chart's empty resources; Alloy tails logs on untainted nodes.
    return { workloads, daemonSets: s.logs.enabled ? [daemonSet("alloy", 50, 128, "untainted")] : [] };
  },
  // Percona XtraDB (platform/mysql/*.ts): operator 100m/128Mi; members with the exporter sidecar (50m/64Mi); HAProxy 250m/256Mi.
  mysql: (s) =>
    !s.enabled
      ? NO_DEMAND
      : {
          workloads: [
            workload("mysql operator", on(s.pool, "database"), 1, 100, 128),
            // antiAffinityTopologyKey kubernetes.io/hostname "forces" the pods onto separate nodes (percona/k8spxc-docs docs/constraints.md, "Simple approach").
            workload("mysql members", on(s.pool, "database"), s.members, s.resources.cpuMillis + (s.metrics ? 50 : 0), s.resources.memoryMi + (s.metrics ? 64 : 0), onePerNode("strata:platform.mysql.members", s.members)),
            workload("mysql haproxy", on(s.pool, "database"), s.haproxyReplicas, 250, 256, onePerNode("strata:platform.mysql.haproxyReplicas", s.haproxyReplicas)),
          ],
          daemonSets: [],
        },
  // Percona MongoDB (platform/mongodb/values.ts): operator 100m/128Mi; members with the exporter sidecar (50m/64Mi).
  mongodb: (s) =>
    !s.enabled
      ? NO_DEMAND
      : {
          workloads: [
            workload("mongodb operator", on(s.pool, "database"), 1, 100, 128),
            // The MongoDB operator reads antiAffinityTopologyKey as its PXC sibling does (platform/mongodb/values.ts).
            workload("mongodb members", on(s.pool, "database"), s.members, s.resources.cpuMillis + (s.metrics ? 50 : 0), s.resources.memoryMi + (s.metrics ? 64 : 0), onePerNode("strata:platform.mongodb.members", s.members)),
          ],
          daemonSets: [],
        },
  // RabbitMQ cluster (platform/rabbitmq/values.ts); the operator manifest's own pod is not counted.
  rabbitmq: (s) => (!s.enabled ? NO_DEMAND : { workloads: [workload("rabbitmq", on(s.pool, "worker"), s.replicas, s.resources.cpuMillis, s.resources.memoryMi, onePerNode("strata:platform.rabbitmq.replicas", s.replicas))], daemonSets: [] }),
  // Strimzi (platform/kafka/values.ts): operator 200m/384Mi; one pod per node-pool replica with the pool's resources.
  kafka: (s) =>
    !s.enabled
      ? NO_DEMAND
      : {
          workloads: [
            workload("strimzi operator", on(s.pool, "worker"), 1, 200, 384),
            ...Object.entries(s.nodePools).map(([name, p]) => workload(`kafka ${name}`, on(s.pool, "worker"), p.replicas, p.resources.cpuMillis, p.resources.memoryMi)),
          ],
          daemonSets: [],
        },
  // KEDA (platform/keda/values.ts sets no resources): the chart's defaults, 100m/100Mi for the operator, the metrics API server and the admission webhooks.
  keda: (s) => (!s.enabled ? NO_DEMAND : { workloads: [workload("keda operator, metrics server and webhooks", on(s.pool, "system"), s.replicas * 3, 100, 100)], daemonSets: [] }),
  // External Secrets (controller, webhook, cert controller) and Reloader, when a store exists: platform/secrets/values.ts.
  secrets: (s, scope) =>
    Object.keys(s.stores).length === 0
      ? NO_DEMAND
      : { workloads: [workload("external-secrets and reloader", SYSTEM, secretsReplicas(scope.environment) * 4, SECRETS_REQUESTS.cpuMillis, SECRETS_REQUESTS.memoryMi)], daemonSets: [] },
};

/** Every contributor's demand, merged. */
export function platformDemand(platform: PlatformConfig, scope: PlatformScope): Demand {
  const parts = (Object.keys(PLATFORM_DEMAND) as (keyof PlatformConfig)[]).flatMap((key) => {
    const settings = platform[key];
    if (settings === undefined) return [];
    const contributor = PLATFORM_DEMAND[key] as Contributor<typeof key>;
    return [contributor(settings, scope, platform)];
  });
  return { workloads: parts.flatMap((p) => p.workloads), daemonSets: parts.flatMap((p) => p.daemonSets) };
}
