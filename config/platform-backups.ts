/**
 * `strata:platform.backups`: where every backup goes (`target`), and Velero backing up
 * namespaces (objects and volume data) there.
 */
import { z } from "zod";
import { BackupTargetConfig, type BackupTargetSettings, resolveBackupTarget } from "./backup-target";
import { dnsLabel, strictObject } from "./common";
import { cron, type PlatformContext, retention } from "./platform-common";
import { BACKUP_DEFAULTS } from "./platform-common";
import type { Environment } from "./schema";

export const BackupsConfig = strictObject({
  target: BackupTargetConfig.optional(),
  enabled: z.boolean().default(false).describe("Run Velero with a daily schedule for the data and app namespaces; needs a backup target."),
  schedule: cron.optional().describe('When the namespace backup runs (cron, UTC). Default: "0 1 * * *" (seeds: daily at 01:00).'),
  retention: retention.optional().describe("How long namespace backups are kept. Default: 7d in dev/staging, 30d in prod."),
  extraNamespaces: z.array(dnsLabel()).default([]).describe("Namespaces backed up besides the data and app namespaces."),
  volumeData: z.boolean().default(true).describe("Copy volume data with the node agent (kopia file-system backup)."),
  waivers: z
    .partialRecord(z.enum(["redis", "rabbitmq", "kafka", "objectStore"]), z.string().min(10))
    .default({})
    .describe("Why a stateful service without a backup slice of its own may run unbacked (Redis, RabbitMQ, Kafka: no Velero volume copy; objectStore: app buckets not copied); prod refuses them otherwise. Printed in the plan."),
});
export type BackupsInput = z.infer<typeof BackupsConfig>;

export interface BackupsSettings {
  /** Where every backup writer puts its backups. */
  readonly target: BackupTargetSettings;
  readonly enabled: boolean;
  readonly schedule: string;
  readonly retention: string;
  readonly extraNamespaces: readonly string[];
  readonly volumeData: boolean;
  /** Reasons, by service, for running without backups. */
  readonly waivers: Readonly<Partial<Record<WaivableService, string>>>;
}

/** Stateful services whose waiver lives under `strata:platform.backups.waivers` (the databases' under their own `backup.waiver`). */
export type WaivableService = "redis" | "rabbitmq" | "kafka" | "objectStore";

export function resolveBackups(input: BackupsInput, ctx: PlatformContext & { readonly objectStore: boolean }, problems: string[]): BackupsSettings {
  const d = BACKUP_DEFAULTS[ctx.environment satisfies Environment];
  const target = resolveBackupTarget(input.target, ctx, problems);
  if (input.enabled && target.kind === "none") {
    problems.push("strata:platform.backups.enabled: Velero needs a backup target (got true); set strata:platform.backups.target, or strata:platform.objectStore.enabled to true outside prod");
  }
  return {
    target,
    enabled: input.enabled,
    schedule: input.schedule ?? d.schedule,
    retention: input.retention ?? d.retention,
    extraNamespaces: input.extraNamespaces,
    volumeData: input.volumeData,
    waivers: input.waivers,
  };
}
