/**
 * MongoDB: a `PerconaServerMongoDBRestore` of the stack's replica set from one of its PBM
 * backups, with `pitr` (oplog up to a date) where the cluster collects oplog slices.
 *
 * Fields from the psmdb-operator 1.22.0 CRD (`clusterName`, `backupName`, `pitr.type`,
 * `pitr.date`); `backupName` and `backupSource` are exclusive, `pitr.type: date` takes
 * `YYYY-MM-DD HH:MM:SS` and the base backup must have completed before that date (Percona
 * Operator for MongoDB docs, "Restore the cluster from a previously saved backup"; PBM
 * "Point-in-time restore"). A backup is complete in state `ready` and so is a finished restore
 * (percona-server-mongodb-operator `BackupStateReady`, `RestoreStateReady`). Without backup
 * objects (a rebuilt cluster) `backupSource` names the backup's `destination`, its storage
 * (`s3` / `minio`, as the cluster renders it) and its `type`, which must then be given.
 */
import type { PlanDocument } from "../engine/plan-document";
import { backupNameFor, type BackupListing, startSteps } from "./backup-choice";
import { checkFrom, describeStorage, listStoreCommands, perconaBackups, refusePitr } from "./percona";
import { at, list, record, text } from "./plan-objects";
import { nameStamp, perconaDate, type RestoreRequest } from "./request";
import type { RestorePlan } from "./types";

export function mongodbRestore(plan: Pick<PlanDocument, "resources" | "stack">, request: RestoreRequest): RestorePlan {
  const backups = perconaBackups(plan, "mongodb", "psmdb.percona.com/v1", "PerconaServerMongoDB", "tasks");
  const { name: cluster, namespace } = backups.cluster.metadata;
  if (request.from !== undefined) checkFrom(backups, request.from);
  if (request.to !== undefined && !backups.pitr) refusePitr(backups, plan.stack, request.toText ?? "", "oplog slices");
  const name = `${cluster}-restore-${nameStamp(request.now)}`;
  const storageType = text(backups.storage["type"]) ?? "s3";
  const taskType = text(record(list(record(backups.cluster.spec["backup"])["tasks"])[0])["type"]) ?? "logical";
  const restore = {
    apiVersion: "psmdb.percona.com/v1",
    kind: "PerconaServerMongoDBRestore",
    metadata: { name, namespace },
    spec: {
      clusterName: cluster,
      // The storage as the cluster renders it; `type` is the backup type the cluster's task takes (docs: required with backupSource).
      ...(request.from === undefined
        ? { backupName: backupNameFor(request) }
        : { backupSource: { type: taskType, destination: request.from, [storageType]: record(backups.storage[storageType]) } }),
      ...(request.to === undefined ? {} : { pitr: { type: "date", date: perconaDate(request.to) } }),
    },
  };
  const listing: BackupListing = { resource: "psmdb-backup", namespace, cluster, completeState: "ready" };
  const file = "{{dir}}/mongodb-restore.yaml";
  const ns = `kubectl -n ${namespace}`;
  const replset = text(record(list(backups.cluster.spec["replsets"])[0])["name"]) ?? "rs0";
  const usersSecret = text(at(backups.cluster.spec, "secrets", "users")) ?? `${cluster}-secrets`;
  const secretKey = (key: string) => `$(${ns} get secret ${usersSecret} -o jsonpath='{.data.${key}}' | base64 -d)`;
  const mongosh = (script: string) => `${ns} exec ${cluster}-${replset}-0 -c mongod -- mongosh --quiet -u "$MONGO_USER" -p "$MONGO_PASSWORD" --authenticationDatabase admin --eval '${script}'`;
  return {
    summary: `MongoDB replica set ${namespace}/${cluster} restored in place from ${request.from ?? (request.backup === undefined ? "its newest complete backup" : `backup ${request.backup}`)}${request.to === undefined ? "" : ` and its oplog to ${request.toText}`}`,
    source: [`storage ${backups.storageName}: ${describeStorage(namespace, backups.storage)}`, `point-in-time recovery: ${backups.pitr ? "on (oplog slices collected)" : "off"}`],
    objects: [{ file: "mongodb-restore.yaml", object: restore }],
    steps: [
      ...startSteps(listing, request, file, listStoreCommands(namespace, backups.storage)),
      {
        title: "Watch it (PBM restores on every member; the database is unavailable until it ends)",
        commands: [`${ns} get psmdb-restore ${name} -w`, `${ns} wait psmdb-restore/${name} --for=jsonpath='{.status.state}'=ready --timeout=6h`],
      },
      {
        title: "Check it worked: the cluster is ready, a ping answers, the collections have their documents",
        commands: [
          `${ns} get psmdb ${cluster} -o jsonpath='{.status.state}{"\\n"}'   # ready`,
          `MONGO_USER=${secretKey("MONGODB_DATABASE_ADMIN_USER")}`,
          `MONGO_PASSWORD=${secretKey("MONGODB_DATABASE_ADMIN_PASSWORD")}`,
          `${mongosh("db.runCommand({ ping: 1 }).ok")}   # 1`,
          `${mongosh('db.getMongo().getDBNames().filter(d => !["admin", "config", "local"].includes(d)).forEach(d => db.getSiblingDB(d).getCollectionNames().forEach(c => print(d + "." + c, db.getSiblingDB(d)[c].countDocuments({}))))')}`,
        ],
      },
    ],
    warnings: [`This overwrites the data of ${namespace}/${cluster}: clients see errors while it runs, and writes after the backup${request.to === undefined ? "" : ` (and after ${request.toText})`} are lost.`],
  };
}
