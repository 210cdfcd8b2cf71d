/**
 * `strata:platform.backups`: where every backup goes (`target`), Velero backing up namespaces
 * (objects and volume data) there, and the vSphere control planes' etcd snapshots copied there
 * (`etcd`). The etcd upload lives here, not under `strata:infra.vsphere.etcdSnapshots`: it is a
 * CronJob in the cluster that writes to the platform's backup target with the target's keys, so
 * the layer that owns the target and its credentials owns the copy; the infra layer keeps only
 * what runs on the nodes (the snapshot timer), and no S3 key ever reaches a VM's guestinfo.
 */
import { z } from "zod";
import { BackupTargetConfig, type BackupTargetSettings, resolveBackupTarget } from "./backup-target";
import { dnsLabel, strictObject } from "../common";
import { cron, type PlatformContext, retention } from "./common";
import { BACKUP_DEFAULTS } from "./common";
import type { Environment } from "../environment";

/** Hourly, at 20 past: the newest snapshot (every 6 hours by default) is off the node within the hour. */
export const ETCD_UPLOAD_SCHEDULE = "20 * * * *";

export const BackupsConfig = strictObject({
  target: BackupTargetConfig.optional(),
  enabled: z.boolean().default(false).describe("Run Velero with a daily schedule for the data and app namespaces; needs a backup target."),
  schedule: cron.optional().describe('When the namespace backup runs (cron, UTC). Default: "0 1 * * *" (seeds: daily at 01:00).'),
  retention: retention.optional().describe("How long namespace backups are kept. Default: 7d in dev/staging, 30d in prod."),
  extraNamespaces: z.array(dnsLabel()).default([]).describe("Namespaces backed up besides the data and app namespaces."),
  volumeData: z.boolean().default(true).describe("Copy volume data with the node agent (kopia file-system backup)."),
  etcd: strictObject({
    enabled: z.boolean().default(true).describe("Copy the control planes' etcd snapshots to the backup target (vSphere only, where a target exists; EKS's etcd is AWS's)."),
    schedule: cron.default(ETCD_UPLOAD_SCHEDULE).describe(`When the upload runs (cron, UTC); each run copies the snapshots not yet in the bucket. @default "${ETCD_UPLOAD_SCHEDULE}" (hourly)`),
  })
    .prefault({})
    .describe("etcd snapshots off the control planes, to <bucket>/etcd/<cluster>/<node>/ (platform/README.md, \"etcd snapshots off the cluster\")."),
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
  /** The control planes' etcd snapshots copied to the target (vSphere, with a target). */
  readonly etcd: { readonly enabled: boolean; readonly schedule: string };
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
    etcd: { enabled: input.etcd.enabled, schedule: input.etcd.schedule },
    waivers: input.waivers,
  };
}
