/**
 * Checks the part-2 data services (MySQL, MongoDB, RabbitMQ, Kafka) share: odd quorum sizes,
 * one member per node, and operator backups that need static object-store credentials.
 */
import type { PoolRole } from "../lib/contracts";
import { nodesFor, type PlatformContext } from "./platform-common";

/** Reports an even or out-of-range quorum size. */
export function checkOdd(key: string, value: number, range: { readonly min: number; readonly max: number }, what: string, problems: string[]): void {
  const allowed = Array.from({ length: range.max - range.min + 1 }, (_, i) => range.min + i).filter((n) => n % 2 === 1);
  const list = `${allowed.slice(0, -1).join(", ")} or ${allowed[allowed.length - 1] ?? range.max}`;
  if (value % 2 === 0 || value < range.min || value > range.max) {
    problems.push(`${key}: must be odd, from ${range.min} to ${range.max}, for ${what} (got ${value}); use ${list}`);
  }
}

/** Reports more pods than nodes they may run on, one per node (quiet when the pools are unknown). */
export function checkOnePerNode(key: string, value: number, pool: string | undefined, role: PoolRole, ctx: PlatformContext, problems: string[]): void {
  if (pool !== undefined && !(ctx.pools ?? []).some((p) => p.name === pool)) return; // reported by checkPool
  const nodes = nodesFor(ctx, pool, role);
  if (nodes === undefined || value <= nodes) return;
  const where = pool === undefined ? `the ${role} pools` : `pool "${pool}"`;
  problems.push(`${key}: needs ${value} nodes, one per pod, but ${where} has ${nodes} (got ${value}); add nodes or lower it`);
}

/**
 * Percona's backup jobs authenticate with a credentials Secret; on EKS the object store is the
 * infra layer's S3 reached through cloud identities, with no static keys to put in one.
 */
export function checkOperatorBackup(key: string, enabled: boolean | undefined, ctx: PlatformContext, problems: string[]): void {
  if (enabled === true && ctx.backend === "eks") {
    problems.push(`${key}: this operator's backups need static object-store credentials, which the eks backend does not issue (got true); set it to false: Velero backs up the volumes`);
  }
}

/** Backups kept when one runs a day: the retention in days. */
export function keepFor(retentionText: string): number {
  const n = Number(retentionText.slice(0, -1));
  return retentionText.endsWith("w") ? n * 7 : n;
}
