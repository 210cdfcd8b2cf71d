/**
 * `strata:platform.objectStore`: S3-compatible storage for backups. SeaweedFS on vSphere and
 * existing clusters; on EKS the infra layer's S3 buckets (the SeaweedFS settings do not apply).
 */
import { z } from "zod";
import { count, dnsLabel, strictObject } from "../common";
import { describeValue } from "../errors";
import { checkPool, checkStoragePurpose, nodesFor, poolName, type PlatformContext, resolveResources, resourcesConfig, type Resources, storageConfig } from "./common";
import type { Environment } from "../environment";

/** SeaweedFS replica placement: data centre, rack, server copies (`001` = one more on another server). */
const replication = z.string().regex(/^[0-2]{3}$/, { error: 'must be three digits 0-2 such as "001" (data centre, rack, server copies)' });

export const ObjectStoreConfig = strictObject({
  enabled: z.boolean().default(false).describe("Run the object store (SeaweedFS), or use the infra layer's S3 buckets on EKS."),
  masters: count(1).optional().describe("SeaweedFS masters (Raft; odd). Default: 1 in dev/staging, 3 in prod."),
  volumeServers: count(1).optional().describe("SeaweedFS volume servers, one per storage node. Default: the nodes of the storage pool (1 when unknown)."),
  filers: count(1).optional().describe("SeaweedFS filers. Only 1: filers on the embedded leveldb2 store copy metadata to each other asynchronously. Default: 1."),
  gateways: count(1).optional().describe("S3 gateway replicas (stateless, in front of the filer). Default: 1 in dev/staging, 2 in prod."),
  replication: replication.optional().describe('Default replica placement of new data. Default: "000" in dev/staging, "001" in prod (a second copy on another server).'),
  pool: poolName.optional().describe("Node pool SeaweedFS runs on. Default: the storage pools (by role)."),
  storage: storageConfig({ purpose: "object", sizeText: "20 in dev/staging, 500 in prod" }).prefault({}).describe("Volume-server data volumes."),
  resources: resourcesConfig.prefault({}).describe("Volume-server resources."),
  buckets: z.record(dnsLabel(), z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "must be an S3 bucket name: 3-63 lower-case letters, digits, '.', '-'" }))
    .default({ backups: "strata-backups" })
    .describe("Buckets by purpose, created declaratively (SeaweedFS); must include `backups`."),
});
export type ObjectStoreInput = z.infer<typeof ObjectStoreConfig>;

export interface ObjectStoreSettings {
  readonly enabled: boolean;
  readonly masters: number;
  readonly volumeServers: number;
  readonly filers: number;
  readonly gateways: number;
  readonly replication: string;
  readonly pool?: string;
  readonly storage: { readonly sizeGi: number; readonly purpose: string };
  readonly resources: Resources;
  readonly buckets: Readonly<Record<string, string>>;
}

const DEFAULTS: Record<Environment, { masters: number; gateways: number; replication: string; sizeGi: number; resources: Resources }> = {
  dev: { masters: 1, gateways: 1, replication: "000", sizeGi: 20, resources: { cpuMillis: 100, memoryMi: 256, limitCpuMillis: 1000, limitMemoryMi: 1024 } },
  staging: { masters: 1, gateways: 1, replication: "000", sizeGi: 20, resources: { cpuMillis: 100, memoryMi: 256, limitCpuMillis: 1000, limitMemoryMi: 1024 } },
  prod: { masters: 3, gateways: 2, replication: "001", sizeGi: 500, resources: { cpuMillis: 500, memoryMi: 1024, limitCpuMillis: 2000, limitMemoryMi: 4096 } },
};

/**
 * The chart's filers keep metadata in an embedded leveldb2 store each (filer.extraEnvironmentVars
 * `WEED_LEVELDB2_ENABLED`), and filers on embedded stores copy metadata to each other
 * asynchronously (seaweedfs issue #3224: "the metadata are replicated asynchronously"; #7062: N*N
 * filer-to-filer event streams whose messages can be lost or reordered; #4225: a
 * CompleteMultipartUpload reaching a filer that has not yet received every part): a second filer
 * can miss an object or the parts of an upload made through the first, and every backup tool
 * uploads in parts. A shared filer store would need a database outside the object store; the data services'
 * databases back up into it, so it cannot depend on them. One filer on a persistent volume.
 */
const FILERS_PROBLEM =
  "more than one filer on the embedded leveldb2 store copies metadata between filers asynchronously, so objects and multipart parts written through one can be missing on another (seaweedfs issues #3224, #7062, #4225)";

/** Copies SeaweedFS keeps of each volume for a replication string (`001` → 2). */
export function replicaCopies(placement: string): number {
  return [...placement].reduce((sum, digit) => sum + Number(digit), 1);
}

export function resolveObjectStore(input: ObjectStoreInput, ctx: PlatformContext, problems: string[]): ObjectStoreSettings {
  const key = "strata:platform.objectStore";
  const d = DEFAULTS[ctx.environment];
  const nodes = nodesFor(ctx, input.pool, "storage");
  const settings: ObjectStoreSettings = {
    enabled: input.enabled,
    masters: input.masters ?? d.masters,
    volumeServers: input.volumeServers ?? Math.max(1, nodes ?? 1),
    filers: input.filers ?? 1,
    gateways: input.gateways ?? d.gateways,
    replication: input.replication ?? d.replication,
    ...(input.pool === undefined ? {} : { pool: input.pool }),
    storage: { sizeGi: input.storage.sizeGi ?? d.sizeGi, purpose: input.storage.purpose },
    resources: resolveResources(`${key}.resources`, input.resources, d.resources, problems),
    buckets: input.buckets,
  };
  if (input.buckets["backups"] === undefined) {
    problems.push(`${key}.buckets: has no "backups" bucket (got ${describeValue(input.buckets)}); add backups: <bucket name>`);
  }
  if (input.enabled && ctx.backend === "eks" && ctx.s3Buckets !== undefined && !ctx.s3Buckets.includes("backups")) {
    problems.push(`${key}.enabled: the EKS object store is the infra layer's buckets, and its backups bucket is off (got true); set strata:infra.eks.buckets.backups.enabled to true`);
  }
  if (!input.enabled || ctx.backend === "eks") return settings;
  checkPool(`${key}.pool`, input.pool, ctx, problems);
  checkStoragePurpose(`${key}.storage.purpose`, settings.storage.purpose, ctx, problems);
  if (settings.filers > 1) {
    problems.push(`${key}.filers: ${FILERS_PROBLEM} (got ${settings.filers}); use 1 and scale the S3 gateway with ${key}.gateways`);
  }
  if (settings.masters % 2 === 0) {
    problems.push(`${key}.masters: must be odd for a Raft quorum (got ${settings.masters}); use 1, 3 or 5`);
  }
  const copies = replicaCopies(settings.replication);
  // Without the infra slice the backend and the storage pool are the upstream stack's: nothing to count yet.
  const countable = ctx.backend !== undefined || input.volumeServers !== undefined;
  if (countable && copies > settings.volumeServers) {
    problems.push(
      `${key}.replication: needs ${copies} volume servers for its ${copies} copies, has ${settings.volumeServers} (got ${describeValue(settings.replication)}); add volume servers or use "000"`,
    );
  }
  if (nodes !== undefined && settings.volumeServers > nodes) {
    problems.push(`${key}.volumeServers: more than the ${nodes} nodes they may run on, one per node (got ${settings.volumeServers}); use at most ${nodes} or add storage nodes`);
  }
  return settings;
}
