/**
 * Pure: the pod annotations that put a service's volumes into Velero's backups by file-system
 * backup, and the pre-backup hook that makes the copy consistent where the service has a way to.
 *
 * Opt-in, not opt-out: the data namespace's schedule keeps `defaultVolumesToFsBackup: false`, so
 * the node agent copies only the volumes a pod names in `backup.velero.io/backup-volumes`
 * (comma-separated; velero v1.18.1 `pkg/util/podvolume/pod_volume.go` `GetVolumesByPod` returns
 * exactly those when the default is off). The databases' pods name none: their operators' backups
 * are consistent, a file copy of a live database is not.
 *
 * The node agent reads the volumes through the kubelet's pod directory on its node (a hostPath
 * mount of the chart's DaemonSet), not over the network; its only network paths are the API
 * server and the backup storage location, declared with the Velero release (./connections.ts,
 * ./workloads.ts). A pre-backup hook is a `pods/exec` the Velero server asks of the API server
 * (velero `internal/hook/item_hook_handler.go`); it does not enter the pod's network either.
 */

/** Velero's opt-in list of a pod's volumes to copy (velero `pkg/apis/velero/v1` `VolumesToBackupAnnotation`). */
export const BACKUP_VOLUMES_ANNOTATION = "backup.velero.io/backup-volumes";

/** The pre-backup exec hook's annotations (velero v1.18.1 `internal/hook/item_hook_handler.go`, phase `pre`). */
export const PRE_BACKUP_HOOK_ANNOTATIONS = {
  container: "pre.hook.backup.velero.io/container",
  command: "pre.hook.backup.velero.io/command",
  onError: "pre.hook.backup.velero.io/on-error",
  timeout: "pre.hook.backup.velero.io/timeout",
} as const;

/** A command Velero runs in one of the pod's containers before it copies the pod's volumes. */
export interface PreBackupHook {
  /** Container the command runs in. */
  readonly container: string;
  /** The command and its arguments (no shell unless the first element is one). */
  readonly command: readonly string[];
  /**
   * What a failing hook does to the pod's backup: `Fail` skips it, `Continue` copies the volumes
   * anyway (velero's default is `Fail`, `pkg/podexec/pod_command_executor.go`).
   */
  readonly onError: "Fail" | "Continue";
  /** How long Velero waits for the command, as a Go duration (velero's default is 30s). */
  readonly timeout: string;
}

/** What Velero copies of one pod: the volumes by their name in the pod spec, and the hook before. */
export interface PodVolumeBackup {
  /** Volume names in the pod spec (not the claims' names). */
  readonly volumes: readonly string[];
  /** @default - none: the copy is file-level, with the service's recovery from an unclean shutdown */
  readonly preHook?: PreBackupHook;
}

/** The pod annotations for `backup`; empty when Velero copies no volume data. */
export function podVolumeBackupAnnotations(backup: PodVolumeBackup | undefined): Record<string, string> {
  if (backup === undefined || backup.volumes.length === 0) return {};
  const hook = backup.preHook;
  return {
    [BACKUP_VOLUMES_ANNOTATION]: backup.volumes.join(","),
    ...(hook === undefined
      ? {}
      : {
          [PRE_BACKUP_HOOK_ANNOTATIONS.container]: hook.container,
          // A JSON array is taken as the argument vector (`parseStringToCommand`).
          [PRE_BACKUP_HOOK_ANNOTATIONS.command]: JSON.stringify(hook.command),
          [PRE_BACKUP_HOOK_ANNOTATIONS.onError]: hook.onError,
          [PRE_BACKUP_HOOK_ANNOTATIONS.timeout]: hook.timeout,
        }),
  };
}
