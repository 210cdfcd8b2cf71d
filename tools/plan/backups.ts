/**
 * The backup section `npm run plan` prints: where backups go, how each stateful service is
 * backed up, and every waiver the config gives for data that is not, so a reviewer sees what a
 * lost cluster would cost.
 */
import { backupCoverage } from "../../config/platform/backup-coverage";
import { describeBackupTarget } from "../../config/platform/backup-target";
import { appBucketsCopied } from "../../config/platform";
import type { StrataConfig } from "../../config/schema";

/** The section's lines; empty when the stack does not own the platform layer. */
export function formatBackupCoverage(config: StrataConfig): string {
  if (!config.layers.includes("platform")) return "";
  const { platform } = config;
  const coverage = backupCoverage(platform, { appBucketsCopied: appBucketsCopied(platform) });
  const width = Math.max(0, ...coverage.map((c) => c.service.length));
  const rows = coverage.map((entry) => {
    const how = entry.method === "operator" ? `operator (${entry.tool})` : entry.method;
    const waiver = entry.method === "none" ? (entry.waiver === undefined ? "  NOT BACKED UP" : `  waived: ${entry.waiver}`) : "";
    return `  ${entry.service.padEnd(width)}  ${how.padEnd(22)} ${entry.detail}${waiver}`;
  });
  const etcd = etcdCoverage(config);
  return [`Backups → ${describeBackupTarget(platform.backups.target)}`, ...(rows.length === 0 ? ["  (no stateful service)"] : rows), ...(etcd === undefined ? [] : [etcd])].join("\n");
}

/**
 * The vSphere control planes' etcd snapshots: copied to the target by the platform's upload
 * (platform/etcd-backup/), or kept on the nodes only. Nothing on EKS (AWS runs etcd); a stack
 * whose infra layer is another stack's says the line holds on vSphere only.
 */
export function etcdCoverage(config: StrataConfig): string | undefined {
  const backend = config.infra?.backend;
  if (backend !== undefined && backend !== "vsphere") return undefined;
  const { backups, objectStore } = config.platform;
  const target = backups.target.kind;
  const hasTarget = target === "s3" || target === "in-cluster" || (target === "default" && objectStore.enabled);
  const where = backend === undefined ? " (on vSphere)" : "";
  if (!backups.etcd.enabled) return `  etcd: on the nodes only${where} (strata:platform.backups.etcd.enabled: false)`;
  if (!hasTarget) return `  etcd: on the nodes only${where}: no backup target to copy the control planes' snapshots to`;
  return `  etcd: control-plane snapshots copied to etcd/<cluster>/<node>/ in the target${where} ("${backups.etcd.schedule}" UTC)`;
}
