/**
 * A namespace: a Velero `Restore` of the namespace from the newest successful backup of the
 * stack's Schedule that covers it. Velero restores whole backups, so there is no `--to`; an
 * older backup is chosen by name with `--backup`.
 *
 * Fields from Velero's Restore CRD (config/crd/v1/bases/velero.io_restores.yaml): with
 * `scheduleName` set and `backupName` empty Velero restores "the most recent successful backup
 * created from this schedule"; the schema lists `backupName` as required, so it is sent empty.
 * `status.phase` ends `Completed`, `PartiallyFailed` or `Failed`, with `errors`/`warnings`
 * counts. Objects that still exist are left as they are unless `existingResourcePolicy` says
 * `update` (Velero docs, "Restore Reference"). A schedule with `defaultVolumesToFsBackup: false`
 * copies only the volumes a pod names in its `backup.velero.io/backup-volumes` annotation
 * (Velero docs, "File System Backup", opt-in approach).
 */
import type { PlanDocument } from "../engine/plan-document";
import { at, list, objectsOf, record, text, type RenderedObject } from "./plan-objects";
import { nameStamp, type RestoreRequest } from "./request";
import { RestoreRefused, type RestorePlan } from "./types";

export function namespaceRestore(plan: Pick<PlanDocument, "resources" | "stack">, request: RestoreRequest): RestorePlan {
  const target = request.namespace ?? "";
  const schedules = objectsOf(plan, "velero.io/v1", "Schedule");
  const locations = objectsOf(plan, "velero.io/v1", "BackupStorageLocation");
  if (schedules.length === 0 || locations.length === 0) {
    throw new RestoreRefused(`--service namespace: Velero backups are off in stack ${plan.stack} (no Schedule or BackupStorageLocation is rendered); turn on strata:platform.backups (Velero) first`);
  }
  if (request.to !== undefined) {
    throw new RestoreRefused(
      `--to ${request.toText ?? ""}: Velero restores whole backups and has no point-in-time recovery; drop --to to restore the newest backup of the namespace, or name an older one with --backup <name> (\`velero backup get\` lists them)`,
    );
  }
  const schedule = schedules.find((s) => list(at(s.spec, "template", "includedNamespaces")).some((ns) => ns === target || ns === "*"));
  if (schedule === undefined) {
    const covered = [...new Set(schedules.flatMap((s) => list(at(s.spec, "template", "includedNamespaces")).map(String)))].sort();
    throw new RestoreRefused(`--namespace: no Velero Schedule in stack ${plan.stack} backs up namespace ${target} (got "${target}"); backed-up namespaces: ${covered.join(", ")}`);
  }
  const veleroNamespace = schedule.metadata.namespace;
  const locationName = text(at(schedule.spec, "template", "storageLocation"));
  const location = locations.find((l) => l.metadata.name === locationName) ?? locations.find((l) => l.spec["default"] === true) ?? locations[0];
  const volumeData = at(schedule.spec, "template", "defaultVolumesToFsBackup") === true;
  const name = `${target}-${nameStamp(request.now)}`;
  const restore = {
    apiVersion: "velero.io/v1",
    kind: "Restore",
    metadata: { name, namespace: veleroNamespace },
    spec: {
      ...(request.backup === undefined ? { backupName: "", scheduleName: schedule.metadata.name } : { backupName: request.backup }),
      includedNamespaces: [target],
      restorePVs: true,
    },
  };
  const ns = `kubectl -n ${veleroNamespace}`;
  const file = "{{dir}}/namespace-restore.yaml";
  return {
    summary: `Namespace ${target} restored by Velero from ${request.backup === undefined ? `the newest successful backup of Schedule ${schedule.metadata.name}` : `backup ${request.backup}`}`,
    source: [
      `Schedule ${veleroNamespace}/${schedule.metadata.name} (${text(schedule.spec["schedule"]) ?? "?"}, ttl ${text(at(schedule.spec, "template", "ttl")) ?? "?"}): ${volumeData ? "objects and every volume (file-system backup)" : "objects, and the volumes of pods that opt in (backup.velero.io/backup-volumes)"}`,
      location === undefined ? "no BackupStorageLocation" : `BackupStorageLocation ${veleroNamespace}/${location.metadata.name}: ${describeLocation(location)}`,
    ],
    objects: [{ file: "namespace-restore.yaml", object: restore }],
    steps: [
      {
        title: "List the backups the restore can use (newest last)",
        commands: [`${ns} get backups.velero.io -l velero.io/schedule-name=${schedule.metadata.name} --sort-by=.status.completionTimestamp -o custom-columns=NAME:.metadata.name,PHASE:.status.phase,COMPLETED:.status.completionTimestamp`],
      },
      {
        title: `Velero leaves objects that still exist untouched: to bring ${target} back as it was, delete what is damaged (or the whole namespace) first`,
        commands: [`kubectl get all,pvc,configmap,secret -n ${target}`],
      },
      { title: "Start the restore", commands: [`kubectl apply -f ${file}`] },
      {
        title: "Watch it",
        commands: [`${ns} get restores.velero.io ${name} -w`, `${ns} wait restores.velero.io/${name} --for=jsonpath='{.status.phase}'=Completed --timeout=6h`],
      },
      {
        title: "Check it worked: the restore completed without errors, volume data came back, the workloads run",
        commands: [
          `${ns} get restores.velero.io ${name} -o jsonpath='{.status.phase} errors={.status.errors} warnings={.status.warnings}{"\\n"}'   # Completed errors= (no errors)`,
          `${ns} get podvolumerestores.velero.io -l velero.io/restore-name=${name} -o custom-columns=POD:.spec.pod.name,VOLUME:.spec.volume,PHASE:.status.phase   # every one Completed`,
          `kubectl -n ${target} get deployments,statefulsets,persistentvolumeclaims`,
          `kubectl -n ${target} wait pods --all --for=condition=Ready --timeout=15m`,
        ],
      },
    ],
    warnings: volumeData
      ? [`Volumes come back from the file-system backup of ${text(schedule.spec["schedule"]) ?? "the schedule"}; files written after it are lost.`]
      : [
          `Schedule ${schedule.metadata.name} copies only the volumes of pods that opt in (annotation backup.velero.io/backup-volumes); ${target}'s other volumes come back empty. Restore databases with --service postgres, mysql or mongodb.`,
        ],
  };
}

function describeLocation(location: RenderedObject): string {
  const bucket = text(at(location.spec, "objectStorage", "bucket")) ?? "(no bucket)";
  const prefix = text(at(location.spec, "objectStorage", "prefix"));
  const config = record(location.spec["config"]);
  const url = text(config["s3Url"]);
  const secret = text(at(location.spec, "credential", "name"));
  return `s3://${bucket}/${prefix === undefined ? "" : `${prefix}/`}${url === undefined ? "" : ` at ${url}`}, credentials ${secret === undefined ? "from Velero's cloud identity" : `Secret ${location.metadata.namespace}/${secret}`}`;
}
