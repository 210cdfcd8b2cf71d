/** `strata:platform.kafka`: Apache Kafka in KRaft mode on Strimzi node pools. */
import { z } from "zod";
import { resolveMonitors } from "./monitors";
import { count, dnsLabel, namedMap, strictObject } from "../common";
import { describeValue } from "../errors";
import { checkOnePerNode } from "./data-checks";
import { checkPool, checkStoragePurpose, type PlatformContext, poolName, resolveResources, type Resources, resourcesConfig, storageConfig } from "./common";
import type { Environment } from "../environment";

export const KAFKA_NODE_ROLES = ["controller", "broker"] as const;
export type KafkaNodeRole = (typeof KAFKA_NODE_ROLES)[number];

const nodePool = strictObject({
  roles: z.array(z.enum(KAFKA_NODE_ROLES)).min(1).describe("KRaft roles of the pool's nodes: controller, broker or both."),
  replicas: count(1).describe("Kafka nodes in the pool, one per Kubernetes node."),
  resources: resourcesConfig.prefault({}).describe("Kafka container resources."),
  storage: storageConfig({ purpose: "database", sizeText: "100 in prod, 10 elsewhere" }).prefault({}).describe("Log volume per node (shared with the KRaft metadata log)."),
});

/** The cluster CA strata generates and hands to Strimzi (`platform/kafka/cluster-ca.ts`). */
const clusterCa = strictObject({
  validityDays: count(365).max(36500, { error: "must be 36500 or less" }).default(3650).describe("Validity of the cluster CA certificate in days, counted from its (re)issue. A change reissues the certificate: raise generation with it."),
  generation: count(0)
    .default(0)
    .describe("Generation of the cluster CA certificate (strimzi.io/ca-cert-generation). Raise it by one to reissue the certificate with the same key before it expires; Strimzi then rolls the brokers and the apps' pods pick up the new certificate."),
  keyGeneration: count(0)
    .default(0)
    .describe("Generation of the cluster CA key (strimzi.io/ca-key-generation). Raising it makes a new key and certificate; follow the key-replacement steps in platform/README.md."),
});

export const KafkaConfig = strictObject({
  enabled: z.boolean().default(false).describe("Run Kafka (Strimzi, KRaft)."),
  name: dnsLabel(30).default("kafka").describe("Cluster name; clients bootstrap from <name>-kafka-bootstrap:9093 (TLS, SCRAM-SHA-512)."),
  pool: poolName.optional().describe("Node pool Kafka runs on (its taints are tolerated). Default: the worker pools (by role)."),
  nodePools: namedMap(nodePool)
    .prefault({ dual: { roles: ["controller", "broker"], replicas: 3 } })
    .describe("Strimzi KafkaNodePools by name. Default: one dual-role pool of 3; use separate controller and broker pools for larger clusters."),
  replicationFactor: count(1).optional().describe("Default replication factor of topics. Default: 3, or the broker count when smaller (dev)."),
  minInSyncReplicas: count(1).optional().describe("min.insync.replicas. Default: replication factor - 1 (at least 1)."),
  username: dnsLabel(40).default("app").describe("SCRAM user the endpoint carries (KafkaUser; password generated, in the Secret <name>-<username>-credentials)."),
  topicPrefix: z.string().regex(/^(\*|[a-zA-Z0-9._-]+)$/, { error: "must be * or a topic-name prefix of letters, digits, '.', '_' and '-'" }).default("*").describe("Topics and consumer groups the user may use: * for all, or a name prefix."),
  metrics: z.boolean().optional().describe("Strimzi metrics reporter and a PodMonitor (needs the Prometheus Operator CRDs). Default: on where strata:platform.observability is set, off otherwise."),
  clusterCa: clusterCa.prefault({}).describe("The cluster CA strata generates for Strimzi (generateCertificateAuthority: false) and copies into the namespaces of the apps that use Kafka."),
});
export type KafkaInput = z.infer<typeof KafkaConfig>;

export interface KafkaNodePoolSettings {
  readonly roles: readonly KafkaNodeRole[];
  readonly replicas: number;
  readonly resources: Resources;
  readonly storage: { readonly sizeGi: number; readonly purpose: string };
}

export interface KafkaSettings {
  readonly enabled: boolean;
  readonly name: string;
  readonly pool?: string;
  readonly nodePools: Readonly<Record<string, KafkaNodePoolSettings>>;
  readonly replicationFactor: number;
  readonly minInSyncReplicas: number;
  readonly username: string;
  readonly topicPrefix: string;
  readonly metrics: boolean;
  /** The cluster CA strata generates: validity and the generations Strimzi compares. */
  readonly clusterCa: { readonly validityDays: number; readonly generation: number; readonly keyGeneration: number };
}

const DEFAULTS: Record<Environment, { sizeGi: number; resources: Resources }> = {
  dev: { sizeGi: 10, resources: { cpuMillis: 250, memoryMi: 1024, limitCpuMillis: 1000, limitMemoryMi: 2048 } },
  staging: { sizeGi: 50, resources: { cpuMillis: 500, memoryMi: 2048, limitCpuMillis: 2000, limitMemoryMi: 4096 } },
  prod: { sizeGi: 100, resources: { cpuMillis: 1000, memoryMi: 4096, limitCpuMillis: 2000, limitMemoryMi: 8192 } },
};

export function resolveKafka(input: KafkaInput, ctx: PlatformContext, problems: string[]): KafkaSettings {
  const key = "strata:platform.kafka";
  const d = DEFAULTS[ctx.environment];
  const found: string[] = [];
  const nodePools = Object.fromEntries(
    Object.entries(input.nodePools).map(([name, p]) => [
      name,
      {
        roles: [...new Set(p.roles)],
        replicas: p.replicas,
        resources: resolveResources(`${key}.nodePools.${name}.resources`, p.resources, d.resources, found),
        storage: { sizeGi: p.storage.sizeGi ?? d.sizeGi, purpose: p.storage.purpose },
      },
    ]),
  );
  const count = (role: KafkaNodeRole) => Object.values(nodePools).reduce((sum, p) => sum + (p.roles.includes(role) ? p.replicas : 0), 0);
  const brokers = count("broker");
  const controllers = count("controller");
  const replicationFactor = input.replicationFactor ?? Math.max(1, Math.min(3, brokers));
  const settings: KafkaSettings = {
    enabled: input.enabled,
    name: input.name,
    ...(input.pool === undefined ? {} : { pool: input.pool }),
    nodePools,
    replicationFactor,
    minInSyncReplicas: input.minInSyncReplicas ?? Math.max(1, replicationFactor - 1),
    username: input.username,
    topicPrefix: input.topicPrefix,
    metrics: resolveMonitors("kafka.metrics", input.metrics, ctx, problems),
    clusterCa: { ...input.clusterCa },
  };
  if (!input.enabled) return settings;
  problems.push(...found);
  const pools = describeValue(Object.keys(nodePools));
  if (brokers === 0) problems.push(`${key}.nodePools: no pool has the broker role (got ${pools}); add "broker" to a pool's roles`);
  if (controllers === 0) problems.push(`${key}.nodePools: no pool has the controller role (got ${pools}); KRaft needs controllers: add "controller" to a pool's roles`);
  if (controllers > 0 && controllers % 2 === 0) {
    problems.push(`${key}.nodePools: the KRaft controller quorum must be odd (got ${controllers} controllers); give the controller pools 1, 3 or 5 nodes in total`);
  }
  if (brokers > 0 && replicationFactor > brokers) {
    problems.push(`${key}.replicationFactor: exceeds the ${brokers} brokers (got ${replicationFactor}); use at most ${brokers} or add brokers`);
  }
  if (ctx.environment === "prod" && replicationFactor < 3) {
    problems.push(`${key}.replicationFactor: must be at least 3 in prod so a topic survives a broker loss with min.insync.replicas 2 (got ${replicationFactor}); use 3 with 3 or more brokers`);
  }
  if (replicationFactor > 1 && settings.minInSyncReplicas >= replicationFactor) {
    problems.push(`${key}.minInSyncReplicas: must be below the replication factor ${replicationFactor} so writes continue with one replica down (got ${settings.minInSyncReplicas}); use ${replicationFactor - 1}`);
  }
  checkPool(`${key}.pool`, input.pool, ctx, problems);
  for (const [name, p] of Object.entries(nodePools)) {
    checkOnePerNode(`${key}.nodePools.${name}.replicas`, p.replicas, input.pool, "worker", ctx, problems);
    checkStoragePurpose(`${key}.nodePools.${name}.storage.purpose`, p.storage.purpose, ctx, problems);
  }
  return settings;
}
