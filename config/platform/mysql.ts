/** `strata:platform.mysql`: Percona Server for MySQL, group replication behind HAProxy. */
import { z } from "zod";
import { resolveMonitors } from "./monitors";
import { count, dnsLabel, strictObject } from "../common";
import { checkMysqlBackupOnEks, checkOdd, checkOnePerNode, keepFor } from "./data-checks";
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

/** A MySQL identifier strata creates (database or user name). */
const identifier = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, { error: "must be a MySQL name of lower-case letters, digits and '_', starting with a letter, at most 32 characters" });

export const MysqlConfig = strictObject({
  enabled: z.boolean().default(false).describe("Run MySQL (Percona Operator for MySQL, group replication)."),
  name: dnsLabel(22).default("mysql").describe("Cluster name; the HAProxy service is <name>-haproxy."),
  members: count(1).default(3).describe("Group-replication members, one per node; odd, 3 to 9."),
  pool: poolName.optional().describe("Node pool MySQL and HAProxy run on (its taints are tolerated). Default: the database pools (by role)."),
  resources: resourcesConfig.prefault({}).describe("MySQL container resources. Default: seed sizes in prod (2–4 CPU, 4–8 Gi)."),
  storage: storageConfig({ purpose: "database", sizeText: "500 in prod (seed), 20 elsewhere" }).prefault({}).describe("Data volume per member."),
  haproxyReplicas: count(1).default(3).describe("HAProxy pods (3306 read-write, 3307 read-only)."),
  database: identifier.default("app").describe("Database created for applications."),
  username: identifier.default("app").describe("Application user (password generated, in the Secret <name>-app)."),
  backup: backupConfig.prefault({}).describe('Nightly xtrabackup to the object store. Not available on the eks backend (the Percona operator for MySQL 1.1.0 needs static S3 keys): set enabled to false there. Default schedule "0 2 * * *" (seed).'),
  metrics: z.boolean().optional().describe("mysqld-exporter sidecar and a PodMonitor (needs the Prometheus Operator CRDs). Default: on where strata:platform.observability is set, off otherwise."),
});
export type MysqlInput = z.infer<typeof MysqlConfig>;

export interface MysqlSettings {
  readonly enabled: boolean;
  readonly name: string;
  readonly members: number;
  readonly pool?: string;
  readonly resources: Resources;
  readonly storage: { readonly sizeGi: number; readonly purpose: string };
  readonly haproxyReplicas: number;
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
/** Seed: the MySQL backup runs at 02:00. */
export const MYSQL_BACKUP_SCHEDULE = "0 2 * * *";

export function resolveMysql(input: MysqlInput, ctx: BackupContext, problems: string[]): MysqlSettings {
  const key = "strata:platform.mysql";
  const d = DEFAULTS[ctx.environment];
  const found: string[] = [];
  const backup = resolveBackup(`${key}.backup`, input.backup, ctx, found);
  const settings: MysqlSettings = {
    enabled: input.enabled,
    name: input.name,
    members: input.members,
    ...(input.pool === undefined ? {} : { pool: input.pool }),
    resources: resolveResources(`${key}.resources`, input.resources, d.resources, found),
    storage: { sizeGi: input.storage.sizeGi ?? d.sizeGi, purpose: input.storage.purpose },
    haproxyReplicas: input.haproxyReplicas,
    database: input.database,
    username: input.username,
    backup: { enabled: backup.enabled, schedule: input.backup.schedule ?? MYSQL_BACKUP_SCHEDULE, keep: keepFor(backup.retention), ...(backup.waiver === undefined ? {} : { waiver: backup.waiver }) },
    metrics: resolveMonitors("mysql.metrics", input.metrics, ctx, problems),
  };
  if (!input.enabled) return settings;
  problems.push(...found);
  checkOdd(`${key}.members`, input.members, { min: 3, max: 9 }, "group replication", problems);
  checkPool(`${key}.pool`, input.pool, ctx, problems);
  checkOnePerNode(`${key}.members`, input.members, input.pool, "database", ctx, problems);
  checkStoragePurpose(`${key}.storage.purpose`, settings.storage.purpose, ctx, problems);
  checkMysqlBackupOnEks(`${key}.backup.enabled`, settings.backup.enabled, ctx, problems);
  return settings;
}
