/**
 * Choosing the backup a Percona restore starts from. The plan is offline, so the backup objects
 * (named by the operator's schedules at run time) are listed and chosen when the restore is
 * applied: the newest complete one of the cluster, finished before `--to` where one is given.
 */
import type { RestoreRequest } from "./request";
import { BACKUP_PLACEHOLDER, type RestoreStep } from "./types";

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

/**
 * The steps that find the backup and start the restore: from the cluster's backup objects, or,
 * with `--from` (a rebuilt cluster that lists none), from the object store itself.
 */
export function startSteps(listing: BackupListing, request: RestoreRequest, file: string, storeListing: readonly string[]): RestoreStep[] {
  if (request.from !== undefined) {
    return [
      { title: "Check the backup is in the object store", commands: [...storeListing] },
      { title: "Start the restore", commands: [`kubectl apply -f ${file}`] },
    ];
  }
  return [
    { title: "List the cluster's backups (cluster, state, completed, name)", commands: [listBackupsCommand(listing)] },
    { title: "A rebuilt cluster lists none: list the backups in the object store and run npm run restore again with --from s3://<bucket>/<prefix>/<backup>", commands: [...storeListing] },
    { title: request.backup === undefined ? "Pick the newest complete backup and start the restore" : "Start the restore", commands: applyWithBackup(listing, request, file) },
  ];
}
