/**
 * MySQL: a `PerconaServerMySQLRestore` of the stack's group-replication cluster from one of its
 * xtrabackup backups, with `pitr` (binlogs up to a date) where the cluster collects binlogs.
 *
 * Fields from the ps-operator 1.1.0 CRD (`spec.clusterName` required, `backupName`, `pitr.type`
 * `date|gtid` with `pitr.date`); the restore stops the cluster, restores every member and starts
 * it again. `pitr.date` takes `YYYY-MM-DD hh:mm:ss` (Percona Operator for MySQL docs, "Restore
 * Resource options"). A backup is complete in state `Succeeded` and a restore finishes in
 * `Succeeded` (percona-server-mysql-operator api/v1 `BackupSucceeded`, `RestoreSucceeded`).
 * A cluster with no backup objects (rebuilt after losing its Kubernetes cluster) restores from
 * `backupSource`: the backup's `destination` and a `storage` of the same schema as the
 * cluster's `spec.backup.storages` entries, whose `s3.credentialsSecret` the CRD requires.
 */
import type { PlanDocument } from "../engine/plan-document";
import { backupNameFor, type BackupListing, startSteps } from "./backup-choice";
import { checkFrom, describeStorage, listStoreCommands, perconaBackups, refusePitr } from "./percona";
import { text } from "./plan-objects";
import { nameStamp, perconaDate, type RestoreRequest } from "./request";
import type { RestorePlan } from "./types";

export function mysqlRestore(plan: Pick<PlanDocument, "resources" | "stack">, request: RestoreRequest): RestorePlan {
  const backups = perconaBackups(plan, "mysql", "ps.percona.com/v1", "PerconaServerMySQL", "schedule");
  const { name: cluster, namespace } = backups.cluster.metadata;
  if (request.from !== undefined) checkFrom(backups, request.from);
  if (request.to !== undefined && !backups.pitr) refusePitr(backups, plan.stack, request.toText ?? "", "binlogs");
  const name = `${cluster}-restore-${nameStamp(request.now)}`;
  const restore = {
    apiVersion: "ps.percona.com/v1",
    kind: "PerconaServerMySQLRestore",
    metadata: { name, namespace },
    spec: {
      clusterName: cluster,
      // The storage as the cluster renders it: the same bucket, endpoint and credentials its backups were written with.
      ...(request.from === undefined ? { backupName: backupNameFor(request) } : { backupSource: { destination: request.from, storage: backups.storage } }),
      ...(request.to === undefined ? {} : { pitr: { type: "date", date: perconaDate(request.to) } }),
    },
  };
  const listing: BackupListing = { resource: "ps-backup", namespace, cluster, completeState: "Succeeded" };
  const file = "{{dir}}/mysql-restore.yaml";
  const ns = `kubectl -n ${namespace}`;
  const secretsName = text(backups.cluster.spec["secretsName"]) ?? `${cluster}-secrets`;
  const mysql = (args: string) => `${ns} exec ${cluster}-mysql-0 -c mysql -- env MYSQL_PWD="$MYSQL_ROOT" mysql -uroot -N ${args}`;
  const userSchemas = "table_schema NOT IN ('mysql','sys','information_schema','performance_schema')";
  return {
    summary: `MySQL cluster ${namespace}/${cluster} restored in place from ${request.from ?? (request.backup === undefined ? "its newest complete backup" : `backup ${request.backup}`)}${request.to === undefined ? "" : ` and its binlogs to ${request.toText}`}`,
    source: [`storage ${backups.storageName}: ${describeStorage(namespace, backups.storage)}`, `point-in-time recovery: ${backups.pitr ? "on (binlogs collected)" : "off"}`],
    objects: [{ file: "mysql-restore.yaml", object: restore }],
    steps: [
      ...startSteps(listing, request, file, listStoreCommands(namespace, backups.storage)),
      {
        title: "Watch it (the operator stops the cluster, restores each member, starts it again)",
        commands: [`${ns} get ps-restore ${name} -w`, `${ns} wait ps-restore/${name} --for=jsonpath='{.status.state}'=Succeeded --timeout=6h`],
      },
      {
        title: "Check it worked: the cluster is ready, every member ONLINE, a query answers, the tables have their rows",
        commands: [
          `${ns} get ps ${cluster} -o jsonpath='{.status.state}{"\\n"}'   # ready`,
          `MYSQL_ROOT=$(${ns} get secret ${secretsName} -o jsonpath='{.data.root}' | base64 -d)`,
          `${mysql(`-se 'SELECT 1'`)}   # 1`,
          `${mysql(`-se 'SELECT MEMBER_HOST, MEMBER_STATE FROM performance_schema.replication_group_members'`)}   # every member ONLINE`,
          `${mysql(`-se "SELECT CONCAT('SELECT ''', table_schema, '.', table_name, ''', COUNT(*) FROM \\\`', table_schema, '\\\`.\\\`', table_name, '\\\`;') FROM information_schema.tables WHERE ${userSchemas} AND table_type = 'BASE TABLE'"`)} | ${ns} exec -i ${cluster}-mysql-0 -c mysql -- env MYSQL_PWD="$MYSQL_ROOT" mysql -uroot -N`,
        ],
      },
    ],
    warnings: [`This overwrites the data of ${namespace}/${cluster}: the cluster is down while it runs, and writes after the backup${request.to === undefined ? "" : ` (and after ${request.toText})`} are lost.`],
  };
}
