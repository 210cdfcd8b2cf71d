/** `strata:platform.backups`: Velero backing up namespaces (objects and volume data) to the object store. */
import { z } from "zod";
import { dnsLabel, strictObject } from "./common";
import { cron, type PlatformContext, retention } from "./platform-common";
import { BACKUP_DEFAULTS } from "./platform-common";
import type { Environment } from "./schema";

export const BackupsConfig = strictObject({
  enabled: z.boolean().default(false).describe("Run Velero with a daily schedule for the data and app namespaces; needs the object store."),
  schedule: cron.optional().describe('When the namespace backup runs (cron, UTC). Default: "0 1 * * *" (seeds: daily at 01:00).'),
  retention: retention.optional().describe("How long namespace backups are kept. Default: 7d in dev/staging, 30d in prod."),
  extraNamespaces: z.array(dnsLabel()).default([]).describe("Namespaces backed up besides the data and app namespaces."),
  volumeData: z.boolean().default(true).describe("Copy volume data with the node agent (kopia file-system backup)."),
});
export type BackupsInput = z.infer<typeof BackupsConfig>;

export interface BackupsSettings {
  readonly enabled: boolean;
  readonly schedule: string;
  readonly retention: string;
  readonly extraNamespaces: readonly string[];
  readonly volumeData: boolean;
}

export function resolveBackups(input: BackupsInput, ctx: PlatformContext & { readonly objectStore: boolean }, problems: string[]): BackupsSettings {
  const d = BACKUP_DEFAULTS[ctx.environment satisfies Environment];
  if (input.enabled && !ctx.objectStore) {
    problems.push("strata:platform.backups.enabled: Velero needs the object store (got true); set strata:platform.objectStore.enabled to true");
  }
  return {
    enabled: input.enabled,
    schedule: input.schedule ?? d.schedule,
    retention: input.retention ?? d.retention,
    extraNamespaces: input.extraNamespaces,
    volumeData: input.volumeData,
  };
}
