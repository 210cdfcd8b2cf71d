/** `strata:platform.mongodb`: Percona Server for MongoDB, one replica set (`rs0`), no sharding. */
import { z } from "zod";
import { resolveMonitors } from "./monitors";
import { count, dnsLabel, strictObject } from "../common";
import { describeValue } from "../errors";
import { checkOdd, checkOnePerNode, keepFor } from "./data-checks";
import {
  backupConfig,
  checkPool,
  checkStoragePurpose,
  type BackupContext,
  poolName,
  resolveBackup,
  resolveResources,
  type Resources,
  resourcesConfig,
  storageConfig,
} from "./common";
import type { Environment } from "../environment";

const mongoName = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, { error: "must be a MongoDB name of lower-case letters, digits, '-' and '_', starting with a letter, at most 32 characters" });

export const MongodbConfig = strictObject({
  enabled: z.boolean().default(false).describe("Run MongoDB (Percona Operator for MongoDB, replica set rs0)."),
  name: dnsLabel(22).default("mongodb").describe("Cluster name; members are <name>-rs0-<i>."),
  members: count(1).default(3).describe("Replica-set members, all voting and data-bearing (no arbiter), one per node; odd, 3 to 7."),
  sharding: z.boolean().default(false).describe("Sharded cluster: not supported (the operator's own default is on); must stay false."),
  arbiter: z.boolean().default(false).describe("Arbiter member: not supported (an arbiter holds no data); must stay false."),
  pool: poolName.optional().describe("Node pool MongoDB runs on (its taints are tolerated). Default: the database pools (by role)."),
  resources: resourcesConfig.prefault({}).describe("mongod container resources. Default: seed sizes in prod (2–4 CPU, 4–8 Gi)."),
  storage: storageConfig({ purpose: "database", sizeText: "500 in prod (seed), 20 elsewhere" }).prefault({}).describe("Data volume per member."),
  database: mongoName.default("app").describe("Database of the application user."),
  username: mongoName.default("app").describe("Application user (readWrite on the database; password generated, in the Secret <name>-app)."),
  backup: backupConfig.prefault({}).describe('Nightly PBM logical backup to the object store (on EKS: the infra layer\'s backups bucket under mongodb/<name>, through IRSA). Default schedule "0 3 * * *" (seed).'),
  metrics: z.boolean().optional().describe("mongodb_exporter sidecar and a PodMonitor (needs the Prometheus Operator CRDs). Default: on where strata:platform.observability is set, off otherwise."),
});
export type MongodbInput = z.infer<typeof MongodbConfig>;

export interface MongodbSettings {
  readonly enabled: boolean;
  readonly name: string;
  readonly members: number;
  readonly pool?: string;
  readonly resources: Resources;
  readonly storage: { readonly sizeGi: number; readonly purpose: string };
  readonly database: string;
  readonly username: string;
  readonly backup: { readonly enabled: boolean; readonly schedule: string; readonly keep: number; readonly waiver?: string };
  readonly metrics: boolean;
}

const DEFAULTS: Record<Environment, { sizeGi: number; resources: Resources }> = {
  dev: { sizeGi: 20, resources: { cpuMillis: 250, memoryMi: 1024, limitCpuMillis: 1000, limitMemoryMi: 2048 } },
  staging: { sizeGi: 50, resources: { cpuMillis: 500, memoryMi: 2048, limitCpuMillis: 2000, limitMemoryMi: 4096 } },
  // EMIS seed: requests 2 CPU / 4 Gi, limits 4 CPU / 8 Gi, 500 Gi volumes.
  prod: { sizeGi: 500, resources: { cpuMillis: 2000, memoryMi: 4096, limitCpuMillis: 4000, limitMemoryMi: 8192 } },
};
/** Seed: the MongoDB backup runs at 03:00. */
export const MONGODB_BACKUP_SCHEDULE = "0 3 * * *";

export function resolveMongodb(input: MongodbInput, ctx: BackupContext, problems: string[]): MongodbSettings {
  const key = "strata:platform.mongodb";
  const d = DEFAULTS[ctx.environment];
  const found: string[] = [];
  const backup = resolveBackup(`${key}.backup`, input.backup, ctx, found);
  const settings: MongodbSettings = {
    enabled: input.enabled,
    name: input.name,
    members: input.members,
    ...(input.pool === undefined ? {} : { pool: input.pool }),
    resources: resolveResources(`${key}.resources`, input.resources, d.resources, found),
    storage: { sizeGi: input.storage.sizeGi ?? d.sizeGi, purpose: input.storage.purpose },
    database: input.database,
    username: input.username,
    backup: { enabled: backup.enabled, schedule: input.backup.schedule ?? MONGODB_BACKUP_SCHEDULE, keep: keepFor(backup.retention), ...(backup.waiver === undefined ? {} : { waiver: backup.waiver }) },
    metrics: resolveMonitors("mongodb.metrics", input.metrics, ctx, problems),
  };
  if (!input.enabled) return settings;
  problems.push(...found);
  if (input.sharding) {
    problems.push(`${key}.sharding: sharded MongoDB is not supported (got ${describeValue(input.sharding)}); strata runs one replica set (rs0): remove the key or set it to false`);
  }
  if (input.arbiter) {
    problems.push(`${key}.arbiter: an arbiter holds no data and weakens write durability (got ${describeValue(input.arbiter)}); use an odd number of data-bearing members instead`);
  }
  checkOdd(`${key}.members`, input.members, { min: 3, max: 7 }, "a replica-set majority", problems);
  checkPool(`${key}.pool`, input.pool, ctx, problems);
  checkOnePerNode(`${key}.members`, input.members, input.pool, "database", ctx, problems);
  checkStoragePurpose(`${key}.storage.purpose`, settings.storage.purpose, ctx, problems);
  return settings;
}
