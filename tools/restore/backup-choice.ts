/**
 * Choosing the backup a Percona restore starts from. The plan is offline, so the backup objects
 * (named by the operator's schedules at run time) are listed and chosen when the restore is
 * applied: the newest complete one of the cluster, finished before `--to` where one is given.
 */
import type { RestoreRequest } from "./request";
import { BACKUP_PLACEHOLDER } from "./types";

export interface BackupListing {
  /** `kubectl get` resource name of the backup objects (`ps-backup`, `psmdb-backup`). */
  readonly resource: string;
  readonly namespace: string;
  readonly cluster: string;
  /** `status.state` of a complete backup. */
  readonly completeState: string;
}

/** The newest instant a base backup may have completed at: `--to`, or none. */
function bound(request: RestoreRequest): string | undefined {
  return request.to === undefined ? undefined : `${request.to.toISOString().slice(0, 19)}Z`;
}

/** `kubectl get` listing the cluster's backups: `<state> <completed> <name>`, oldest first. */
export function listBackupsCommand(listing: BackupListing): string {
  const columns = `{range .items[*]}{.spec.clusterName}{" "}{.status.state}{" "}{.status.completed}{" "}{.metadata.name}{"\\n"}{end}`;
  return `kubectl -n ${listing.namespace} get ${listing.resource} -o jsonpath='${columns}' | awk '$1 == "${listing.cluster}"' | sort -k3`;
}

/**
 * Commands that set BACKUP and apply `file` with it; with `--backup` the file already names it.
 * `status.completed` is an RFC 3339 UTC time, so it compares with the bound as text.
 */
export function applyWithBackup(listing: BackupListing, request: RestoreRequest, file: string): string[] {
  if (request.backup !== undefined) return [`kubectl apply -f ${file}`];
  const limit = bound(request);
  const pick = `$1 == "${listing.cluster}" && $2 == "${listing.completeState}"${limit === undefined ? "" : ` && $3 <= "${limit}"`} {b = $4} END {print b}`;
  const columns = `{range .items[*]}{.spec.clusterName}{" "}{.status.state}{" "}{.status.completed}{" "}{.metadata.name}{"\\n"}{end}`;
  return [
    `BACKUP=$(kubectl -n ${listing.namespace} get ${listing.resource} -o jsonpath='${columns}' | sort -k3 | awk '${pick}')`,
    `test -n "$BACKUP" || { echo "no ${listing.completeState} ${listing.resource} of ${listing.cluster}${limit === undefined ? "" : ` completed by ${limit}`}"; false; }`,
    `echo "restoring from $BACKUP"`,
    `sed "s/${BACKUP_PLACEHOLDER}/$BACKUP/" ${file} | kubectl apply -f -`,
  ];
}

/** The backup name to put in the object: the one given, or the placeholder the apply step fills. */
export function backupNameFor(request: RestoreRequest): string {
  return request.backup ?? BACKUP_PLACEHOLDER;
}
