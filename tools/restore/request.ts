/**
 * What an operator asks `npm run restore` for, checked before anything is planned: the service
 * kind, the point in time and the names it needs. A bad flag is a `RestoreUsageError` naming the
 * flag, the value and what is allowed.
 */

/** The service kinds a restore can be rendered for. */
export const SERVICES = ["postgres", "mysql", "mongodb", "namespace"] as const;
export type ServiceKind = (typeof SERVICES)[number];

/** A flag the tool cannot work with; the CLI prints the message and the usage and exits 2. */
export class RestoreUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RestoreUsageError";
  }
}

export interface RestoreRequest {
  readonly service: ServiceKind;
  /** `--to`: recover up to this instant (point-in-time recovery). @default - the newest backup (and, for PostgreSQL, all archived WAL) */
  readonly to?: Date;
  /** `--to` exactly as given, for the messages and CloudNativePG's `targetTime`. */
  readonly toText?: string;
  /** `--namespace`: the namespace a Velero restore brings back (service `namespace` only). */
  readonly namespace?: string;
  /** `--backup`: the backup object to restore from. @default - chosen at apply time: the newest complete one (before `--to`) */
  readonly backup?: string;
  /** `--from`: a MySQL/MongoDB backup in the object store (`s3://bucket/prefix/backup`), for a cluster that has no backup objects (rebuilt, or another cluster's backups). */
  readonly from?: string;
  /** When the request was made; names the restore objects and bounds `--to`. */
  readonly now: Date;
}

/** RFC 3339 `date-time` (section 5.6): a full date, `T`, a time with optional fraction, and `Z` or an offset. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
/** A DNS-1123 label: what a namespace and an object name may be. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

export interface RawRestoreFlags {
  readonly service?: string;
  readonly to?: string;
  readonly namespace?: string;
  readonly backup?: string;
  readonly from?: string;
}

/** Checks the flags; `now` bounds `--to` (a target in the future has nothing to recover to). */
export function parseRestoreRequest(flags: RawRestoreFlags, now: Date): RestoreRequest {
  const service = flags.service;
  if (service === undefined) throw new RestoreUsageError(`--service is required; one of ${SERVICES.join(", ")}`);
  if (!(SERVICES as readonly string[]).includes(service)) {
    throw new RestoreUsageError(`--service: unknown service (got "${service}"); one of ${SERVICES.join(", ")}`);
  }
  const kind = service as ServiceKind;
  if (kind === "namespace" && flags.namespace === undefined) {
    throw new RestoreUsageError(`--namespace is required with --service namespace: the namespace Velero brings back (e.g. --namespace emis-services)`);
  }
  if (flags.namespace !== undefined && kind !== "namespace") {
    throw new RestoreUsageError(`--namespace: only for --service namespace (got --service ${kind} --namespace ${flags.namespace}); ${kind} restores into the namespace its cluster runs in`);
  }
  if (flags.namespace !== undefined && !DNS_LABEL.test(flags.namespace)) {
    throw new RestoreUsageError(`--namespace: not a namespace name (got "${flags.namespace}"); lower-case letters, digits and '-', at most 63 characters`);
  }
  if (flags.backup !== undefined && !DNS_SUBDOMAIN.test(flags.backup)) {
    throw new RestoreUsageError(`--backup: not an object name (got "${flags.backup}"); the name of a backup object as \`kubectl get\` lists it`);
  }
  if (flags.from !== undefined) {
    if (kind !== "mysql" && kind !== "mongodb") {
      throw new RestoreUsageError(`--from: only for --service mysql or mongodb (got --service ${kind} --from ${flags.from}); ${kind === "postgres" ? "PostgreSQL reads its archive through the stack's ObjectStore" : "name a Velero backup with --backup"}`);
    }
    if (flags.backup !== undefined) throw new RestoreUsageError(`--from and --backup both given (got --backup ${flags.backup} --from ${flags.from}); one names a backup object, the other a backup in the object store`);
    if (!/^s3:\/\/[a-z0-9][a-z0-9.-]+\/[^\s'"]+$/.test(flags.from)) {
      throw new RestoreUsageError(`--from: not a backup location (got "${flags.from}"); s3://<bucket>/<prefix>/<backup>, as the Destination column of \`kubectl get ps-backup\` / \`psmdb-backup\` shows it`);
    }
  }
  const to = flags.to === undefined ? undefined : parseTarget(flags.to, now);
  return {
    service: kind,
    now,
    ...(to === undefined ? {} : { to, toText: flags.to }),
    ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
    ...(flags.backup === undefined ? {} : { backup: flags.backup }),
    ...(flags.from === undefined ? {} : { from: flags.from }),
  };
}

function parseTarget(text: string, now: Date): Date {
  const match = RFC3339.exec(text);
  const allowed = "an RFC 3339 time with a zone, e.g. 2026-03-01T14:30:00Z or 2026-03-01T15:30:00+01:00";
  if (match === null) throw new RestoreUsageError(`--to: not an RFC 3339 time (got "${text}"); ${allowed}`);
  const [, year, month, day, hour, minute, second] = match.map(Number);
  const valid = month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysIn(year!, month!) && hour! <= 23 && minute! <= 59 && second! <= 59;
  const at = new Date(text);
  if (!valid || Number.isNaN(at.getTime())) throw new RestoreUsageError(`--to: no such time (got "${text}"); ${allowed}`);
  if (at.getTime() > now.getTime()) {
    throw new RestoreUsageError(`--to: in the future (got "${text}", now is ${now.toISOString()}); a point in time up to now`);
  }
  return at;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `2026-03-01 14:30:00`: the UTC form the Percona operators take for `pitr.date` (seconds; a fraction is dropped). */
export function perconaDate(at: Date): string {
  return at.toISOString().slice(0, 19).replace("T", " ");
}

/** `20260301-1430`: a UTC stamp that makes restore object names unique per minute. */
export function nameStamp(at: Date): string {
  const iso = at.toISOString();
  return `${iso.slice(0, 10).replace(/-/g, "")}-${iso.slice(11, 16).replace(":", "")}`;
}
