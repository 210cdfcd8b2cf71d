/**
 * `strata:platform`: shared data services, observability and backups. One key per service, each
 * defined in `<service>.ts` as a zod slice (what the user may write) and a resolver
 * (environment defaults and the checks that need the node pools or storage classes).
 *
 * Adding a service: its slice in the strictObject, its settings in `PlatformConfig`, its resolver
 * in `resolvePlatform` — one line each.
 */
import type { z } from "zod";
import { backupCoverage, type CoveredPlatform } from "./backup-coverage";
import { strictObject } from "../common";
import { describeValue } from "../errors";
import { BackupsConfig, resolveBackups } from "./backups";
import type { PlatformContext } from "./common";
import { ObservabilityConfig } from "./observability";
import { KedaConfig, type KedaSettings, resolveKeda } from "./keda";
import { ObjectStoreConfig, resolveObjectStore } from "./object-store";
import { KafkaConfig, resolveKafka } from "./kafka";
import { MongodbConfig, resolveMongodb } from "./mongodb";
import { MysqlConfig, resolveMysql } from "./mysql";
import { PostgresConfig, resolvePostgres } from "./postgres";
import { RabbitmqConfig, resolveRabbitmq } from "./rabbitmq";
import { RedisConfig, resolveRedis } from "./redis";
import { resolveSecrets, SecretsConfig, type SecretsSettings } from "./secrets";

export type { PlatformContext } from "./common";

/** What `strata:platform` accepts. */
export const PlatformConfig = strictObject({
  objectStore: ObjectStoreConfig.prefault({}).describe("S3-compatible object storage (SeaweedFS; the infra layer's S3 on EKS)."),
  postgres: PostgresConfig.prefault({}).describe("PostgreSQL (CloudNativePG) with PgBouncer and backups."),
  redis: RedisConfig.prefault({}).describe("Redis/Valkey with Sentinel (redis-ha)."),
  backups: BackupsConfig.prefault({}).describe("Where backups go (target), and Velero namespace backups."),
  observability: ObservabilityConfig.optional().describe("Metrics, alerts, logs, traces and dashboards; absent means none are installed."),
  mysql: MysqlConfig.prefault({}).describe("MySQL (Percona, group replication behind HAProxy) with nightly backups."),
  mongodb: MongodbConfig.prefault({}).describe("MongoDB (Percona, replica set rs0) with nightly PBM backups."),
  rabbitmq: RabbitmqConfig.prefault({}).describe("RabbitMQ (cluster operator)."),
  kafka: KafkaConfig.prefault({}).describe("Kafka (Strimzi, KRaft, node pools)."),
  keda: KedaConfig.prefault({}).describe("KEDA: apps' custom-metric scaling (requests per second, latency) on Prometheus."),
  secrets: SecretsConfig.prefault({}).describe("Secret stores apps read from through External Secrets Operator (installed, with Reloader, when a store is configured)."),
});
export type PlatformInput = z.infer<typeof PlatformConfig>;

/**
 * The resolved `strata:platform` slice the platform layer builds from: environment defaults applied,
 * cross-checks passed. Observability's environment defaults are applied by its component (they also
 * depend on the backend).
 */
export interface PlatformConfig extends CoveredPlatform {
  readonly keda: KedaSettings;
  readonly secrets: SecretsSettings;
}

/** Applies environment defaults and checks every service against the pools and storage classes; problems are appended. */
export function resolvePlatform(input: PlatformInput, ctx: PlatformContext, problems: string[]): PlatformConfig {
  const backups = resolveBackups(input.backups, { ...ctx, objectStore: input.objectStore.enabled }, problems);
  const withTarget = { ...ctx, backupTarget: backups.target.kind !== "none" };
  const mysql = resolveMysql(input.mysql, withTarget, problems);
  if (mysql.enabled && mysql.backup.enabled && backups.target.kind === "s3" && backups.target.caBundle !== undefined) {
    // ps-operator 1.1.0: the storage's s3 spec has no CA field and the backup Job mounts no volume
    // of strata's choosing, while xbcloud verifies against a CA file (--cacert) only.
    problems.push(
      "strata:platform.backups.target.caBundle: MySQL's backups (Percona Server for MySQL operator) cannot trust a private CA: the operator's S3 storage has no field for one (got a CA bundle with strata:platform.mysql backups on); use an endpoint with a publicly trusted certificate, or turn MySQL backups off with a waiver",
    );
  }
  const platform: PlatformConfig = {
    objectStore: resolveObjectStore(input.objectStore, ctx, problems),
    postgres: resolvePostgres(input.postgres, withTarget, problems),
    redis: resolveRedis(input.redis, ctx, problems),
    backups,
    ...(input.observability === undefined ? {} : { observability: input.observability }),
    mysql,
    mongodb: resolveMongodb(input.mongodb, withTarget, problems),
    rabbitmq: resolveRabbitmq(input.rabbitmq, ctx, problems),
    kafka: resolveKafka(input.kafka, ctx, problems),
    keda: resolveKeda(input.keda, ctx, problems),
    secrets: resolveSecrets(input.secrets, ctx, problems),
  };
  problems.push(...coverageProblems(platform, ctx));
  return platform;
}

/** App buckets are copied to the backup target where it is outside the cluster (platform/object-store/bucket-backup.ts). */
export function appBucketsCopied(platform: Pick<PlatformConfig, "objectStore" | "backups">): boolean {
  return platform.objectStore.enabled && platform.backups.target.kind === "s3";
}

/**
 * Prod refuses a stateful service that nothing backs up unless `strata:platform.backups.waivers`
 * says why (the databases' own `backup.waiver` is checked where their slice is resolved); a
 * waiver for a service that is backed up, or not enabled, is refused everywhere.
 */
function coverageProblems(platform: PlatformConfig, ctx: PlatformContext): string[] {
  const key = "strata:platform.backups.waivers";
  const coverage = backupCoverage(platform, { appBucketsCopied: appBucketsCopied(platform) });
  const problems: string[] = [];
  for (const entry of coverage) {
    if (entry.method !== "none" || entry.waiver !== undefined || ["postgres", "mysql", "mongodb"].includes(entry.service)) continue;
    if (ctx.environment === "prod") {
      problems.push(
        `${key}.${entry.service}: prod refuses ${entry.service} without backups (got ${entry.detail}); ${entry.service === "objectStore" ? "set strata:platform.backups.target to a bucket outside the cluster (the app buckets are copied there)" : "set strata:platform.backups.enabled (Velero copies its volumes)"}, or ${key}.${entry.service} to why this data may be lost`,
      );
    }
  }
  for (const [service, waiver] of Object.entries(platform.backups.waivers)) {
    const entry = coverage.find((c) => c.service === service);
    if (entry?.method === "none") continue;
    problems.push(
      `${key}.${service}: waives backups of a service that ${entry === undefined ? "is not enabled" : `is backed up (${entry.method})`} (got ${describeValue(waiver)}); remove it`,
    );
  }
  return problems;
}
