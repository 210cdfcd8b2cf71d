/**
 * What a restore renders: the objects to apply, where they read the backups from, and the exact
 * commands to run, watch and check it.
 */

/** One object to apply, and the file it is written to under `--out`. */
export interface RestoreObject {
  readonly file: string;
  readonly object: Readonly<Record<string, unknown>>;
}

/** A step of the runbook: what it does and the commands, in order. */
export interface RestoreStep {
  readonly title: string;
  readonly commands: readonly string[];
}

export interface RestorePlan {
  /** One line: what is restored, from what, to when. */
  readonly summary: string;
  /** Where the backups are read from, as the stack renders it (for the operator to confirm). */
  readonly source: readonly string[];
  readonly objects: readonly RestoreObject[];
  /** Steps with `{{dir}}` standing for the folder the objects are written to. */
  readonly steps: readonly RestoreStep[];
  /** What the operator must know before running it (data loss, downtime, follow-ups). */
  readonly warnings: readonly string[];
}

/** The stack cannot restore what was asked: the service is not there, has no backups, or no PITR. */
export class RestoreRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RestoreRefused";
  }
}

/** Stands for the backup object's name in a rendered object until the apply step picks it. */
export const BACKUP_PLACEHOLDER = "@BACKUP@";
