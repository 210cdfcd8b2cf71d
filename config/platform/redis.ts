/** `strata:platform.redis`: Redis or Valkey with Sentinel (redis-ha chart). */
import { z } from "zod";
import { count, strictObject } from "../common";
import { describeValue } from "../errors";
import { checkPool, checkStoragePurpose, nodesFor, type PlatformContext, poolName, resolveResources, resourcesConfig, type Resources, storageConfig } from "./common";
import type { Environment } from "../environment";

export const REDIS_IMAGES = ["valkey", "redis"] as const;

export const RedisConfig = strictObject({
  enabled: z.boolean().default(false).describe("Run Redis with Sentinel (redis-ha)."),
  image: z.enum(REDIS_IMAGES).default("valkey").describe("Server image: Valkey (BSD-3-Clause) or Redis (8.x: RSALv2/SSPLv1/AGPLv3)."),
  replicas: count(1).default(3).describe("Redis pods, each with a Sentinel beside it (quorum 2); 3 or more, odd."),
  hardAntiAffinity: z.boolean().default(true).describe("Require one pod per node (needs as many nodes as replicas)."),
  pool: poolName.optional().describe("Node pool Redis runs on (its taints are tolerated). Default: the database pools (by role)."),
  storage: storageConfig({ purpose: "database", sizeText: "2 in dev/staging, 10 in prod (seeds)" }).prefault({}).describe("Persistence (RDB) volume per pod."),
  resources: resourcesConfig.prefault({}).describe("Redis container resources; maxmemory is set to 80% of the memory limit."),
});
export type RedisInput = z.infer<typeof RedisConfig>;

export interface RedisSettings {
  readonly enabled: boolean;
  readonly image: (typeof REDIS_IMAGES)[number];
  readonly replicas: number;
  readonly hardAntiAffinity: boolean;
  readonly pool?: string;
  readonly storage: { readonly sizeGi: number; readonly purpose: string };
  readonly resources: Resources;
}

const DEFAULTS: Record<Environment, { sizeGi: number; resources: Resources }> = {
  dev: { sizeGi: 2, resources: { cpuMillis: 100, memoryMi: 256, limitCpuMillis: 500, limitMemoryMi: 512 } },
  staging: { sizeGi: 2, resources: { cpuMillis: 100, memoryMi: 256, limitCpuMillis: 500, limitMemoryMi: 512 } },
  // EMIS seed: 2–4 Gi memory, 1–2 CPU.
  prod: { sizeGi: 10, resources: { cpuMillis: 1000, memoryMi: 2048, limitCpuMillis: 2000, limitMemoryMi: 4096 } },
};

export function resolveRedis(input: RedisInput, ctx: PlatformContext, problems: string[]): RedisSettings {
  const key = "strata:platform.redis";
  const d = DEFAULTS[ctx.environment];
  const settings: RedisSettings = {
    enabled: input.enabled,
    image: input.image,
    replicas: input.replicas,
    hardAntiAffinity: input.hardAntiAffinity,
    ...(input.pool === undefined ? {} : { pool: input.pool }),
    storage: { sizeGi: input.storage.sizeGi ?? d.sizeGi, purpose: input.storage.purpose },
    resources: resolveResources(`${key}.resources`, input.resources, d.resources, problems),
  };
  if (!input.enabled) return settings;
  if (input.replicas < 3) {
    problems.push(`${key}.replicas: Sentinel needs at least 3 for a quorum of 2 (got ${input.replicas}); use 3 or 5`);
  } else if (input.replicas % 2 === 0) {
    problems.push(`${key}.replicas: must be odd for Sentinel quorum (got ${input.replicas}); use 3 or 5`);
  }
  checkPool(`${key}.pool`, input.pool, ctx, problems);
  checkStoragePurpose(`${key}.storage.purpose`, settings.storage.purpose, ctx, problems);
  const nodes = nodesFor(ctx, input.pool, "database");
  if (input.hardAntiAffinity && nodes !== undefined && input.replicas > nodes) {
    problems.push(
      `${key}.hardAntiAffinity: needs ${input.replicas} nodes, one per replica, but the pool has ${nodes} (got true); add nodes, or set it to false to allow two pods on one node`,
    );
  }
  // The RDB snapshot and its rewrite must fit: the volume holds at least the dataset (maxmemory).
  const neededGi = Math.ceil(settings.resources.limitMemoryMi / 1024);
  if (settings.storage.sizeGi < neededGi) {
    problems.push(`${key}.storage.sizeGi: is smaller than the memory limit, so a snapshot may not fit (got ${describeValue(settings.storage.sizeGi)}); use ${neededGi} or more`);
  }
  return settings;
}
