/**
 * Pieces every `strata:platform.<service>` slice shares: storage, resources, placement, backup
 * schedule and retention, and the checks that need the node pools and storage classes (the
 * `PlatformContext`) rather than the slice alone.
 */
import { z } from "zod";
import type { Backend, PoolRole } from "../../lib/contracts";
import { STORAGE_PURPOSES } from "../../lib/contracts";
import { count, dnsLabel, strictObject } from "../common";
import { describeValue } from "../errors";
import type { Environment } from "../environment";

/** What platform slices are checked against; pools and storage purposes are absent when another stack owns them. */
export interface PlatformContext {
  readonly environment: Environment;
  /** Backend of the cluster, when this stack owns the infra layer. */
  readonly backend?: Backend;
  /** Node pools (name, role, nodes), when known at parse time. */
  readonly pools?: readonly { readonly name: string; readonly role: PoolRole; readonly count: number }[];
  /** Storage purposes the cluster layer gives a class, when known at parse time. */
  readonly storagePurposes?: readonly string[];
  /** EKS: the purposes the infra layer creates an S3 bucket for. */
  readonly s3Buckets?: readonly string[];
  /**
   * Whether this stack installs observability (`strata:platform.observability` is set), which the
   * data services' monitors need; absent when the stack does not own the platform layer.
   */
  readonly observability?: boolean;
}

/**
 * Storage purposes a service may ask for: the cluster contract's, plus the object-store disks
 * (`object` HDD / `object-fast` SSD on storage nodes) that fall back to `local` where absent.
 */
export const PLATFORM_STORAGE_PURPOSES = [...new Set<string>([...STORAGE_PURPOSES, "object", "object-fast"])] as [string, ...string[]];

/** Where a purpose falls back to when the cluster has no class for it. */
export const STORAGE_FALLBACK: Readonly<Record<string, string>> = { "object-fast": "object", object: "local", local: "default", database: "default" };

/** The class a purpose resolves to on a cluster with `classes`, following the fallbacks. */
export function storageClassFor(classes: Readonly<Record<string, string | undefined>>, purpose: string): string | undefined {
  for (let p: string | undefined = purpose; p !== undefined; p = STORAGE_FALLBACK[p]) {
    const name = classes[p];
    if (name !== undefined) return name;
  }
  return undefined;
}

/** Volume size and class purpose. */
export function storageConfig(defaults: { readonly purpose: string; readonly sizeText: string }) {
  return strictObject({
    sizeGi: count(1).optional().describe(`Volume size per pod, GiB. Default: ${defaults.sizeText}.`),
    purpose: z.enum(PLATFORM_STORAGE_PURPOSES).default(defaults.purpose).describe("Storage class purpose from the cluster contract (falls back object-fast → object → local → default)."),
  });
}

/** Requests and limits of the main container; each defaults per environment. */
export const resourcesConfig = strictObject({
  cpuMillis: count(1).optional().describe("CPU request, millicores."),
  memoryMi: count(16).optional().describe("Memory request, MiB."),
  limitCpuMillis: count(1).optional().describe("CPU limit, millicores."),
  limitMemoryMi: count(16).optional().describe("Memory limit, MiB."),
});
export type ResourcesInput = z.infer<typeof resourcesConfig>;

/** Resolved requests and limits. */
export interface Resources {
  readonly cpuMillis: number;
  readonly memoryMi: number;
  readonly limitCpuMillis: number;
  readonly limitMemoryMi: number;
}

/** `{ requests, limits }` in Kubernetes quantities. */
export function resourceRequirements(r: Resources): { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } } {
  return { requests: { cpu: `${r.cpuMillis}m`, memory: `${r.memoryMi}Mi` }, limits: { cpu: `${r.limitCpuMillis}m`, memory: `${r.limitMemoryMi}Mi` } };
}

/** Merges set fields over defaults and checks requests do not exceed limits. */
export function resolveResources(key: string, input: ResourcesInput, defaults: Resources, problems: string[]): Resources {
  const r: Resources = {
    cpuMillis: input.cpuMillis ?? defaults.cpuMillis,
    memoryMi: input.memoryMi ?? defaults.memoryMi,
    limitCpuMillis: input.limitCpuMillis ?? Math.max(defaults.limitCpuMillis, input.cpuMillis ?? 0),
    limitMemoryMi: input.limitMemoryMi ?? Math.max(defaults.limitMemoryMi, input.memoryMi ?? 0),
  };
  if (r.cpuMillis > r.limitCpuMillis) problems.push(`${key}.cpuMillis: exceeds limitCpuMillis ${r.limitCpuMillis} (got ${r.cpuMillis}); request at most the limit`);
  if (r.memoryMi > r.limitMemoryMi) problems.push(`${key}.memoryMi: exceeds limitMemoryMi ${r.limitMemoryMi} (got ${r.memoryMi}); request at most the limit`);
  return r;
}

const CRON_FIELDS: readonly (readonly [string, number, number])[] = [
  ["minute", 0, 59],
  ["hour", 0, 23],
  ["day of month", 1, 31],
  ["month", 1, 12],
  ["day of week", 0, 7],
];

/** Why a five-field cron expression does not parse, or undefined when it does. */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return `must have 5 fields (minute hour day-of-month month day-of-week), has ${fields.length}`;
  for (const [i, field] of fields.entries()) {
    const [name, min, max] = CRON_FIELDS[i] ?? ["", 0, 0];
    for (const part of field.split(",")) {
      const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
      if (match === null) return `${name} field "${field}" is not a number, range, list or step`;
      const [, , from, to, step] = match;
      const numbers = [from, to].filter((v): v is string => v !== undefined).map(Number);
      if (numbers.some((n) => n < min || n > max)) return `${name} field "${field}" is outside ${min}-${max}`;
      if (numbers.length === 2 && (numbers[0] ?? 0) > (numbers[1] ?? 0)) return `${name} field "${field}" has a range that ends before it starts`;
      if (step !== undefined && Number(step) === 0) return `${name} field "${field}" has a step of 0`;
    }
  }
  return undefined;
}

/** A standard five-field cron expression, in the cluster's time zone (UTC). */
export const cron = z.string().superRefine((value, ctx) => {
  const problem = cronProblem(value);
  if (problem !== undefined) ctx.addIssue({ code: "custom", message: `is not a five-field cron expression such as "0 1 * * *" (01:00 daily): ${problem}` });
});

/** How long backups are kept: days or weeks (`7d`, `4w`). */
export const retention = z.string().regex(/^[1-9]\d*[dw]$/, { error: "must be a retention in days or weeks such as 7d or 4w" });

/** Retention in hours, for tools that take a duration (Velero `ttl`). */
export function retentionHours(value: string): number {
  const n = Number(value.slice(0, -1));
  return value.endsWith("w") ? n * 7 * 24 : n * 24;
}

/** Backup schedule and retention; each defaults per environment. */
export const backupConfig = strictObject({
  enabled: z.boolean().optional().describe("Back up to the backup target (strata:platform.backups.target). Default: true when there is one."),
  schedule: cron.optional().describe('When full backups run (cron, UTC). Default: "0 1 * * *" (01:00 daily, as the seeds).'),
  retention: retention.optional().describe("How long backups are kept. Default: 7d in dev/staging, 30d in prod."),
  waiver: z.string().min(10).optional().describe("Why this service may run without backups; prod refuses a data service without backups otherwise. Printed in the plan."),
});
export type BackupInput = z.infer<typeof backupConfig>;

export interface BackupSettings {
  readonly enabled: boolean;
  readonly schedule: string;
  readonly retention: string;
  /** Why the service runs without backups, when it does by choice. */
  readonly waiver?: string;
}

export const BACKUP_DEFAULTS: Readonly<Record<Environment, { readonly schedule: string; readonly retention: string }>> = {
  dev: { schedule: "0 1 * * *", retention: "7d" },
  staging: { schedule: "0 1 * * *", retention: "7d" },
  prod: { schedule: "0 1 * * *", retention: "30d" },
};

/** What a data service's backups are resolved against: whether a backup target exists. */
export type BackupContext = PlatformContext & { readonly backupTarget: boolean };

/**
 * Resolves a data service's backup slice. Backups are on wherever a target exists; prod refuses
 * a data service without them unless `waiver` says why. Callers report the problems only for an
 * enabled service.
 */
export function resolveBackup(key: string, input: BackupInput, ctx: BackupContext, problems: string[]): BackupSettings {
  if (input.enabled === true && !ctx.backupTarget) {
    problems.push(`${key}.enabled: backups need a backup target (got true); set strata:platform.backups.target (or strata:platform.objectStore.enabled outside prod), or turn backups off`);
  }
  const enabled = (input.enabled ?? true) && ctx.backupTarget;
  if (!enabled && ctx.environment === "prod" && input.waiver === undefined) {
    problems.push(
      `${key}: prod refuses a data service without backups (got ${input.enabled === false ? "enabled: false" : "no backup target"}); set strata:platform.backups.target, or ${key}.waiver to why this data may be lost`,
    );
  }
  if (enabled && input.waiver !== undefined) {
    problems.push(`${key}.waiver: waives backups, which are on (got ${describeValue(input.waiver)}); remove it, or set ${key}.enabled to false`);
  }
  const defaults = BACKUP_DEFAULTS[ctx.environment];
  return {
    enabled,
    schedule: input.schedule ?? defaults.schedule,
    retention: input.retention ?? defaults.retention,
    ...(!enabled && input.waiver !== undefined ? { waiver: input.waiver } : {}),
  };
}

/** A node pool name (key of the infra layer's pools). */
export const poolName = dnsLabel();

/** Reports a pool name no pool has; quiet when the pools are not known at parse time. */
export function checkPool(key: string, pool: string | undefined, ctx: PlatformContext, problems: string[]): void {
  if (pool === undefined || ctx.pools === undefined || ctx.pools.some((p) => p.name === pool)) return;
  problems.push(`${key}: names no node pool (got ${describeValue(pool)}); use one of ${ctx.pools.map((p) => p.name).join(", ")}`);
}

/** Nodes a workload may spread over: the named pool's, or every pool of `role`'s. Undefined when unknown. */
export function nodesFor(ctx: PlatformContext, pool: string | undefined, role: PoolRole): number | undefined {
  if (ctx.pools === undefined) return undefined;
  const matching = ctx.pools.filter((p) => (pool === undefined ? p.role === role : p.name === pool));
  // No pool of the role (the pod may go anywhere) or an unknown name (reported by checkPool).
  return matching.length === 0 ? undefined : matching.reduce((sum, p) => sum + p.count, 0);
}

/** Reports a storage purpose with no class (after fallbacks); quiet when classes are not known at parse time. */
export function checkStoragePurpose(key: string, purpose: string, ctx: PlatformContext, problems: string[]): void {
  if (ctx.storagePurposes === undefined) return;
  const classes = Object.fromEntries(ctx.storagePurposes.map((p) => [p, p]));
  if (storageClassFor(classes, purpose) !== undefined) return;
  if (ctx.backend === "eks" && purpose === "database-io2") {
    problems.push(`${key}: the cluster declares no io2 class (got ${describeValue(purpose)}); set strata:cluster.eks.io2.iopsPerGi to declare it, or use database (gp3, Retain)`);
    return;
  }
  problems.push(
    ctx.storagePurposes.length === 0
      ? `${key}: the cluster has no storage class for this purpose (got ${describeValue(purpose)}); name the existing cluster's classes in strata:cluster.existing.storageClasses`
      : `${key}: the cluster has no storage class for this purpose (got ${describeValue(purpose)}); use one of ${ctx.storagePurposes.join(", ")}`,
  );
}
