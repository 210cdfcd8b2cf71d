/**
 * Pure: whether Velero copies volume data, from the resolved `strata:platform` slice. Redis,
 * RabbitMQ and Kafka have no operator backup; their pods opt in to Velero's file-system backup
 * (platform/backups/pod-volumes.ts) exactly when this holds.
 */
import type { PlatformConfig } from "./platform";

/** The settings that decide whether Velero copies volume data. */
export type VeleroSettings = Pick<PlatformConfig, "backups" | "objectStore">;

/**
 * Velero runs (it needs the object store) and its node agent copies volume data: the pods that
 * opt in (`backup.velero.io/backup-volumes`) get their volumes in the backups.
 */
export function veleroCopiesVolumeData(config: VeleroSettings): boolean {
  return config.backups.enabled && config.objectStore.enabled && config.backups.volumeData;
}
