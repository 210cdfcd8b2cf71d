/**
 * The backup section `npm run plan` prints: where backups go, how each stateful service is
 * backed up, and every waiver the config gives for data that is not, so a reviewer sees what a
 * lost cluster would cost.
 */
import { backupCoverage } from "../../config/backup-coverage";
import { describeBackupTarget } from "../../config/backup-target";
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
  return [`Backups → ${describeBackupTarget(platform.backups.target)}`, ...(rows.length === 0 ? ["  (no stateful service)"] : rows)].join("\n");
}
