/** `strata:platform.postgres`: a CloudNativePG cluster with a PgBouncer pooler and plugin backups. */
import { z } from "zod";
import { resolveMonitors } from "./monitors";
import { count, strictObject } from "../common";
import { describeValue } from "../errors";
import {
  backupConfig,
  type BackupSettings,
  checkPool,
  checkStoragePurpose,
  nodesFor,
  type BackupContext,
  poolName,
  resolveBackup,
  resolveResources,
  resourcesConfig,
  type Resources,
  storageConfig,
} from "./common";
import type { Environment } from "../environment";

/** PostgreSQL identifiers strata creates (database, owner): lower-case, no quoting needed. */
const identifier = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: "must be a PostgreSQL identifier: lower-case letters, digits and '_', starting with a letter or '_'" });

export const PostgresConfig = strictObject({
  enabled: z.boolean().default(false).describe("Run PostgreSQL (CloudNativePG operator and one cluster)."),
  instances: count(1).optional().describe("PostgreSQL instances: one primary, the rest streaming replicas. Default: 1 in dev/staging, 3 in prod."),
  database: identifier.default("app").describe("Database created at bootstrap."),
  owner: identifier.default("app").describe("Role owning the database; its credentials are the endpoint's."),
  pool: poolName.optional().describe("Node pool the instances run on. Default: the database pools (by role)."),
  storage: storageConfig({ purpose: "database", sizeText: "10 in dev/staging, 100 in prod (seeds)" }).prefault({}).describe("Data volume per instance."),
  resources: resourcesConfig.prefault({}).describe("PostgreSQL container resources."),
  pooler: strictObject({
    instances: count(1).optional().describe("PgBouncer pods. Default: 1 in dev/staging, 3 in prod."),
    maxClientConnections: count(1).default(10000).describe("Client connections PgBouncer accepts in total (seeds: 10,000)."),
    defaultPoolSize: count(1).default(50).describe("Server connections per database/user pair in transaction mode."),
  }).prefault({}).describe("PgBouncer in transaction mode in front of the primary."),
  backup: backupConfig.prefault({}).describe("Base backups and WAL archiving to the object store."),
  monitoring: z.boolean().optional().describe("Declare PodMonitors for the instances and PgBouncer (needs the Prometheus Operator CRDs). Default: on where strata:platform.observability is set, off otherwise."),
});
export type PostgresInput = z.infer<typeof PostgresConfig>;

export interface PostgresSettings {
  readonly enabled: boolean;
  readonly instances: number;
  readonly database: string;
  readonly owner: string;
  readonly pool?: string;
  readonly storage: { readonly sizeGi: number; readonly purpose: string };
  readonly resources: Resources;
  readonly pooler: { readonly instances: number; readonly maxClientConnections: number; readonly defaultPoolSize: number };
  readonly backup: BackupSettings;
  readonly monitoring: boolean;
}

const DEFAULTS: Record<Environment, { instances: number; poolers: number; sizeGi: number; resources: Resources }> = {
  dev: { instances: 1, poolers: 1, sizeGi: 10, resources: { cpuMillis: 250, memoryMi: 512, limitCpuMillis: 1000, limitMemoryMi: 1024 } },
  staging: { instances: 1, poolers: 1, sizeGi: 10, resources: { cpuMillis: 250, memoryMi: 512, limitCpuMillis: 1000, limitMemoryMi: 1024 } },
  // ValueVerse seed: 4Gi and 2000m per instance.
  prod: { instances: 3, poolers: 3, sizeGi: 100, resources: { cpuMillis: 1000, memoryMi: 4096, limitCpuMillis: 2000, limitMemoryMi: 4096 } },
};

export function resolvePostgres(input: PostgresInput, ctx: BackupContext, problems: string[]): PostgresSettings {
  const key = "strata:platform.postgres";
  const d = DEFAULTS[ctx.environment];
  const found: string[] = [];
  const settings: PostgresSettings = {
    enabled: input.enabled,
    instances: input.instances ?? d.instances,
    database: input.database,
    owner: input.owner,
    ...(input.pool === undefined ? {} : { pool: input.pool }),
    storage: { sizeGi: input.storage.sizeGi ?? d.sizeGi, purpose: input.storage.purpose },
    resources: resolveResources(`${key}.resources`, input.resources, d.resources, problems),
    pooler: { instances: input.pooler.instances ?? d.poolers, maxClientConnections: input.pooler.maxClientConnections, defaultPoolSize: input.pooler.defaultPoolSize },
    backup: resolveBackup(`${key}.backup`, input.backup, ctx, found),
    monitoring: resolveMonitors("postgres.monitoring", input.monitoring, ctx, problems),
  };
  if (!input.enabled) return settings;
  problems.push(...found);
  checkPool(`${key}.pool`, input.pool, ctx, problems);
  checkStoragePurpose(`${key}.storage.purpose`, settings.storage.purpose, ctx, problems);
  if (input.owner === "postgres") {
    problems.push(`${key}.owner: is the superuser, which stays disabled (got "postgres"); name an application role such as app`);
  }
  // Required anti-affinity: one instance per node.
  const nodes = nodesFor(ctx, input.pool, "database");
  if (nodes !== undefined && nodes > 0 && settings.instances > nodes) {
    problems.push(`${key}.instances: more than the ${nodes} nodes they may run on, one per node (got ${settings.instances}); use at most ${nodes} or add nodes to the pool`);
  }
  if (settings.pooler.defaultPoolSize > settings.pooler.maxClientConnections) {
    problems.push(`${key}.pooler.defaultPoolSize: exceeds maxClientConnections ${settings.pooler.maxClientConnections} (got ${describeValue(settings.pooler.defaultPoolSize)}); lower it`);
  }
  return settings;
}
