/**
 * Checks the part-2 data services (MySQL, MongoDB, RabbitMQ, Kafka) share: odd quorum sizes,
 * one member per node, and MySQL backups, which need static object-store credentials.
 */
import type { PoolRole } from "../../lib/contracts";
import { nodesFor, type PlatformContext } from "./common";

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
 * What on EKS backs MySQL up: nothing strata can offer. The Percona operator for MySQL 1.1.0
 * takes S3 keys only from a Secret (`s3.credentialsSecret` is required by its CRD; the operator
 * refuses a backup without the Secret, `pkg/controller/psbackup/controller.go`, and hands the keys
 * to xbcloud as `--s3-access-key`/`--s3-secret-key`, `pkg/xtrabackup/xtrabackup.go`), so it cannot
 * use IRSA or Pod Identity, and the EKS backend issues no keys. Velero copies the data
 * namespace's objects only, not MySQL's volumes; a file copy of a running InnoDB data directory
 * would not be consistent without hooks strata does not have yet. (MongoDB's PBM and
 * PostgreSQL's Barman reach the backups bucket through IRSA.)
 */
export const MYSQL_EKS_BACKUP_REFUSAL =
  "nothing backs MySQL's data up on the eks backend: the Percona operator for MySQL 1.1.0 reads S3 keys only from a Secret (no IRSA or Pod Identity) and the backend issues none, and Velero copies the data namespace's objects, not MySQL's volumes";

/** Refuses MySQL backups on EKS (see MYSQL_EKS_BACKUP_REFUSAL) instead of turning them off silently. */
export function checkMysqlBackupOnEks(key: string, enabled: boolean, ctx: PlatformContext, problems: string[]): void {
  if (enabled && ctx.backend === "eks") {
    problems.push(`${key}: ${MYSQL_EKS_BACKUP_REFUSAL} (got true); set it to false and back MySQL up outside strata (e.g. mysqldump to S3), or run MySQL where strata runs the object store`);
  }
}

/** Backups kept when one runs a day: the retention in days. */
export function keepFor(retentionText: string): number {
  const n = Number(retentionText.slice(0, -1));
  return retentionText.endsWith("w") ? n * 7 : n;
}
