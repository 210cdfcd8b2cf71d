/**
 * The restore builders on small plans shaped like the rendered objects: they read every backup
 * setting from the objects (a moved bucket or prefix moves the restore), refuse what the stack
 * cannot restore, and every object they render passes its CRD in the chart reference data.
 */
import { expect } from "chai";
import type { PlanDocument, PlannedResource } from "../../tools/engine/plan-document";
import { planRestore, RestoreRefused, validateRestoreObjects } from "../../tools/restore/index";
import { parseRestoreRequest, type RawRestoreFlags } from "../../tools/restore/request";
import { BACKUP_PLACEHOLDER, type RestorePlan } from "../../tools/restore/types";
import { defaultChartsDir } from "../../tools/verify/reference-dir";

const NOW = new Date("2026-03-10T12:00:00Z");

function resource(object: Record<string, unknown>): PlannedResource {
  const kind = String(object["kind"]);
  return { urn: `urn:${kind}`, type: `kubernetes:${String(object["apiVersion"])}:${kind}`, name: kind, parent: "", dependencies: [], provider: "", protect: false, custom: true, version: "", inputs: object };
}

function stack(...objects: Record<string, unknown>[]): Pick<PlanDocument, "resources" | "stack"> {
  return { stack: "test", resources: objects.map(resource) };
}

const pgCluster = (plugins: unknown[] = [{ name: "barman-cloud.cloudnative-pg.io", isWALArchiver: true, parameters: { barmanObjectName: "pg-archive" } }]) => ({
  apiVersion: "postgresql.cnpg.io/v1",
  kind: "Cluster",
  metadata: { name: "orders", namespace: "db", labels: { app: "orders" } },
  spec: {
    instances: 2,
    storage: { size: "10Gi" },
    bootstrap: { initdb: { database: "shop", owner: "shop", secret: { name: "orders-credentials" } } },
    ...(plugins.length === 0 ? {} : { plugins }),
  },
});
const pgStore = (destinationPath: string) => ({
  apiVersion: "barmancloud.cnpg.io/v1",
  kind: "ObjectStore",
  metadata: { name: "pg-archive", namespace: "db" },
  spec: { configuration: { destinationPath, endpointURL: "https://s3.backup.example:9000", s3Credentials: { accessKeyId: { name: "pg-keys", key: "AWS_ACCESS_KEY_ID" }, secretAccessKey: { name: "pg-keys", key: "AWS_SECRET_ACCESS_KEY" } } }, retentionPolicy: "14d" },
});
const mysqlCluster = (backup: Record<string, unknown>) => ({ apiVersion: "ps.percona.com/v1", kind: "PerconaServerMySQL", metadata: { name: "orders", namespace: "db" }, spec: { secretsName: "orders-users", backup } });
const mysqlBackup = (pitr: boolean) => ({
  enabled: true,
  storages: { offsite: { type: "s3", s3: { bucket: "dr-bucket", prefix: "mysql/orders", endpointUrl: "https://s3.backup.example:9000", credentialsSecret: "orders-s3" } } },
  schedule: [{ name: "nightly", schedule: "0 2 * * *", keep: 7, storageName: "offsite", type: "full" }],
  pitr: { enabled: pitr },
});
const mongoCluster = (backup: Record<string, unknown>) => ({
  apiVersion: "psmdb.percona.com/v1",
  kind: "PerconaServerMongoDB",
  metadata: { name: "events", namespace: "db" },
  spec: { replsets: [{ name: "rs0", size: 3 }], secrets: { users: "events-users" }, backup },
});
const mongoBackup = (pitr: boolean) => ({
  enabled: true,
  storages: { offsite: { main: true, type: "s3", s3: { bucket: "dr-bucket", prefix: "mongodb/events", region: "eu-west-1" } } },
  tasks: [{ name: "nightly", enabled: true, schedule: "0 3 * * *", storageName: "offsite", type: "logical" }],
  pitr: { enabled: pitr },
});
const veleroSchedule = (name: string, namespaces: string[], volumeData: boolean) => ({
  apiVersion: "velero.io/v1",
  kind: "Schedule",
  metadata: { name, namespace: "velero" },
  spec: { schedule: "0 1 * * *", template: { includedNamespaces: namespaces, storageLocation: "default", ttl: "720h0m0s", defaultVolumesToFsBackup: volumeData } },
});
const veleroLocation = { apiVersion: "velero.io/v1", kind: "BackupStorageLocation", metadata: { name: "default", namespace: "velero" }, spec: { provider: "aws", default: true, objectStorage: { bucket: "dr-bucket", prefix: "velero" }, config: { region: "eu-west-1" } } };

function restore(plan: Pick<PlanDocument, "resources" | "stack">, flags: RawRestoreFlags): RestorePlan {
  return planRestore(plan, parseRestoreRequest(flags, NOW));
}

function refused(plan: Pick<PlanDocument, "resources" | "stack">, flags: RawRestoreFlags): string {
  try {
    restore(plan, flags);
  } catch (error) {
    expect(error).to.be.instanceOf(RestoreRefused);
    return (error as Error).message;
  }
  throw new Error("expected the restore to be refused");
}

async function expectValid(plan: RestorePlan): Promise<void> {
  const findings = await validateRestoreObjects(plan.objects, defaultChartsDir());
  expect(findings.filter((f) => f.severity === "error")).to.deep.equal([]);
}

const commands = (plan: RestorePlan) => plan.steps.flatMap((s) => s.commands).join("\n");
const spec0 = (plan: RestorePlan) => plan.objects[0]?.object["spec"];

describe("restore: builders", () => {
  describe("postgres", () => {
    const plan = stack(pgCluster(), pgStore("s3://dr-bucket/pg/"));

    it("recovers the cluster under its own name from the ObjectStore and server the stack archives to", async () => {
      const result = restore(plan, { service: "postgres" });
      const [only] = result.objects;
      expect(only?.object).to.deep.include({ apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: "orders", namespace: "db", labels: { app: "orders" } } });
      const spec = only?.object["spec"] as Record<string, unknown>;
      expect(spec["bootstrap"]).to.deep.equal({ recovery: { source: "origin", database: "shop", owner: "shop", secret: { name: "orders-credentials" } } });
      expect(spec["externalClusters"]).to.deep.equal([{ name: "origin", plugin: { name: "barman-cloud.cloudnative-pg.io", parameters: { barmanObjectName: "pg-archive", serverName: "orders" } } }]);
      expect(spec["plugins"]).to.deep.equal([{ name: "barman-cloud.cloudnative-pg.io", isWALArchiver: true, parameters: { barmanObjectName: "pg-archive", serverName: "orders-20260310-1200" } }]);
      expect(spec).to.deep.include({ instances: 2, storage: { size: "10Gi" } });
      expect(result.source.join("\n")).to.include("s3://dr-bucket/pg/ (server orders) at https://s3.backup.example:9000").and.include("Secret db/pg-keys");
      expect(commands(result)).to.include("kubectl -n db wait cluster.postgresql.cnpg.io/orders --for=condition=Ready").and.include('psql -d shop -Atc "SELECT 1"');
      await expectValid(result);
    });

    it("follows the archive wherever the stack sends it", () => {
      const moved = stack(pgCluster([{ name: "barman-cloud.cloudnative-pg.io", isWALArchiver: true, parameters: { barmanObjectName: "pg-archive", serverName: "orders-v2" } }]), pgStore("s3://other-bucket/elsewhere/"));
      const result = restore(moved, { service: "postgres" });
      expect(result.source[0]).to.include("s3://other-bucket/elsewhere/ (server orders-v2)");
      expect(JSON.stringify(result.objects[0]?.object)).to.include('"serverName":"orders-v2"');
    });

    it("recovers to --to through recoveryTarget.targetTime", async () => {
      const result = restore(plan, { service: "postgres", to: "2026-03-09T23:15:00+01:00" });
      expect((result.objects[0]?.object["spec"] as { bootstrap: { recovery: unknown } }).bootstrap.recovery).to.deep.include({ recoveryTarget: { targetTime: "2026-03-09T23:15:00+01:00" } });
      await expectValid(result);
    });

    it("refuses a cluster whose WAL is archived nowhere", () => {
      expect(refused(stack(pgCluster([])), { service: "postgres" })).to.match(/^--service postgres: backups are off for Cluster db\/orders in stack test/);
    });
  });

  describe("mysql", () => {
    it("restores the cluster from a backup chosen at apply time, read from the storage the schedule uses", async () => {
      const result = restore(stack(mysqlCluster(mysqlBackup(false))), { service: "mysql" });
      expect(result.objects[0]?.object).to.deep.equal({
        apiVersion: "ps.percona.com/v1",
        kind: "PerconaServerMySQLRestore",
        metadata: { name: "orders-restore-20260310-1200", namespace: "db" },
        spec: { clusterName: "orders", backupName: BACKUP_PLACEHOLDER },
      });
      expect(result.source[0]).to.equal("storage offsite: s3: s3://dr-bucket/mysql/orders/ at https://s3.backup.example:9000, credentials Secret db/orders-s3");
      expect(commands(result)).to.include(`awk '$1 == "orders" && $2 == "Succeeded" {b = $4} END {print b}'`).and.include("get secret orders-users");
      await expectValid(result);
    });

    it("names the backup given with --backup and applies the file as it is", () => {
      const result = restore(stack(mysqlCluster(mysqlBackup(false))), { service: "mysql", backup: "cron-orders-offsite-20260309" });
      expect((result.objects[0]?.object["spec"] as Record<string, unknown>)["backupName"]).to.equal("cron-orders-offsite-20260309");
      expect(commands(result)).to.not.include(BACKUP_PLACEHOLDER);
    });

    it("replays binlogs to --to where the cluster collects them, from a backup completed before it", async () => {
      const result = restore(stack(mysqlCluster(mysqlBackup(true))), { service: "mysql", to: "2026-03-09T23:15:00+01:00" });
      expect((result.objects[0]?.object["spec"] as Record<string, unknown>)["pitr"]).to.deep.equal({ type: "date", date: "2026-03-09 22:15:00" });
      expect(commands(result)).to.include('$3 <= "2026-03-09T22:15:00Z"');
      await expectValid(result);
    });

    it("restores a rebuilt cluster from --from with the storage as the cluster renders it, and lists the object store", async () => {
      const result = restore(stack(mysqlCluster(mysqlBackup(false))), { service: "mysql", from: "s3://dr-bucket/mysql/orders/orders-2026-03-09-full" });
      expect(spec0(result)).to.deep.equal({
        clusterName: "orders",
        backupSource: {
          destination: "s3://dr-bucket/mysql/orders/orders-2026-03-09-full",
          storage: { type: "s3", s3: { bucket: "dr-bucket", prefix: "mysql/orders", endpointUrl: "https://s3.backup.example:9000", credentialsSecret: "orders-s3" } },
        },
      });
      expect(commands(result)).to.include("aws s3 ls s3://dr-bucket/mysql/orders/ --endpoint-url https://s3.backup.example:9000").and.include("kubectl apply -f {{dir}}/mysql-restore.yaml");
      await expectValid(result);
      expect(refused(stack(mysqlCluster(mysqlBackup(false))), { service: "mysql", from: "s3://elsewhere/x/y" })).to.equal(
        '--from: not in the bucket PerconaServerMySQL db/orders backs up to (got "s3://elsewhere/x/y"); a location under s3://dr-bucket/',
      );
    });

    it("reaches an in-cluster store through a port-forward to list it", () => {
      const backup = { ...mysqlBackup(false), storages: { offsite: { type: "s3", s3: { bucket: "b", prefix: "mysql/orders", endpointUrl: "http://seaweedfs-s3.data.svc:8333", credentialsSecret: "orders-s3" } } } };
      const text = commands(restore(stack(mysqlCluster(backup)), { service: "mysql" }));
      expect(text).to.include("kubectl -n data port-forward svc/seaweedfs-s3 18333:8333").and.include("aws s3 ls s3://b/mysql/orders/ --endpoint-url http://127.0.0.1:18333");
    });

    it("refuses --to without binlog collection, and a cluster without backups", () => {
      expect(refused(stack(mysqlCluster(mysqlBackup(false))), { service: "mysql", to: "2026-03-09T22:15:00Z" })).to.match(
        /^--to 2026-03-09T22:15:00Z: point-in-time recovery is off for PerconaServerMySQL db\/orders in stack test \(spec.backup.pitr.enabled is not true: no binlogs are collected\); drop --to/,
      );
      expect(refused(stack(mysqlCluster({ enabled: false })), { service: "mysql" })).to.match(/^--service mysql: backups are off for PerconaServerMySQL db\/orders in stack test \(spec.backup.enabled is not true\)/);
    });
  });

  describe("mongodb", () => {
    it("restores the replica set from its newest ready backup", async () => {
      const result = restore(stack(mongoCluster(mongoBackup(false))), { service: "mongodb" });
      expect(result.objects[0]?.object).to.deep.equal({
        apiVersion: "psmdb.percona.com/v1",
        kind: "PerconaServerMongoDBRestore",
        metadata: { name: "events-restore-20260310-1200", namespace: "db" },
        spec: { clusterName: "events", backupName: BACKUP_PLACEHOLDER },
      });
      expect(result.source[0]).to.equal("storage offsite: s3: s3://dr-bucket/mongodb/events/, credentials from the pods' cloud identity");
      expect(commands(result)).to.include('$2 == "ready"').and.include("exec events-rs0-0 -c mongod").and.include("get secret events-users");
      await expectValid(result);
    });

    it("restores from --from with the backup type of the cluster's task and its storage", async () => {
      const result = restore(stack(mongoCluster(mongoBackup(false))), { service: "mongodb", from: "s3://dr-bucket/mongodb/events/2026-03-09T03:00:21Z" });
      expect(spec0(result)).to.deep.equal({
        clusterName: "events",
        backupSource: { type: "logical", destination: "s3://dr-bucket/mongodb/events/2026-03-09T03:00:21Z", s3: { bucket: "dr-bucket", prefix: "mongodb/events", region: "eu-west-1" } },
      });
      await expectValid(result);
    });

    it("replays the oplog to --to where PITR is on, and refuses --to where it is off", async () => {
      const result = restore(stack(mongoCluster(mongoBackup(true))), { service: "mongodb", to: "2026-03-09T22:15:30Z" });
      expect((result.objects[0]?.object["spec"] as Record<string, unknown>)["pitr"]).to.deep.equal({ type: "date", date: "2026-03-09 22:15:30" });
      await expectValid(result);
      expect(refused(stack(mongoCluster(mongoBackup(false))), { service: "mongodb", to: "2026-03-09T22:15:30Z" })).to.match(/no oplog slices are collected/);
    });
  });

  describe("namespace", () => {
    const plan = stack(veleroSchedule("daily-data", ["db"], false), veleroSchedule("daily-apps", ["shop", "web"], true), veleroLocation);

    it("restores the namespace from the newest backup of the schedule that covers it", () => {
      const result = restore(plan, { service: "namespace", namespace: "shop" });
      expect(result.objects[0]?.object).to.deep.equal({
        apiVersion: "velero.io/v1",
        kind: "Restore",
        metadata: { name: "shop-20260310-1200", namespace: "velero" },
        spec: { backupName: "", scheduleName: "daily-apps", includedNamespaces: ["shop"], restorePVs: true },
      });
      expect(commands(result)).to.include("get podvolumerestores.velero.io -l velero.io/restore-name=shop-20260310-1200");
      expect(result.source[1]).to.equal("BackupStorageLocation velero/default: s3://dr-bucket/velero/, credentials from Velero's cloud identity");
    });

    it("warns that a schedule in opt-in mode brings back only the volumes of pods that opted in", () => {
      const result = restore(plan, { service: "namespace", namespace: "db" });
      expect(result.warnings[0]).to.match(/^Schedule daily-data copies only the volumes of pods that opt in \(annotation backup.velero.io\/backup-volumes\); db's other volumes come back empty/);
      expect(result.source[0]).to.include("objects, and the volumes of pods that opt in");
    });

    it("refuses --to, a namespace no schedule covers, and a stack without Velero", () => {
      expect(refused(plan, { service: "namespace", namespace: "shop", to: "2026-03-09T22:15:00Z" })).to.match(/^--to 2026-03-09T22:15:00Z: Velero restores whole backups and has no point-in-time recovery/);
      expect(refused(plan, { service: "namespace", namespace: "kube-system" })).to.equal(
        '--namespace: no Velero Schedule in stack test backs up namespace kube-system (got "kube-system"); backed-up namespaces: db, shop, web',
      );
      expect(refused(stack(pgCluster(), pgStore("s3://b/p/")), { service: "namespace", namespace: "shop" })).to.equal(
        "--service namespace: not enabled in stack test (no Schedule velero.io/v1 is rendered; strata:platform.backups (Velero) is off); this stack can restore: postgres",
      );
    });
  });

  it("refuses a service the stack does not run and names the ones it does", () => {
    expect(refused(stack(mysqlCluster(mysqlBackup(false))), { service: "mongodb" })).to.equal(
      "--service mongodb: not enabled in stack test (no PerconaServerMongoDB psmdb.percona.com/v1 is rendered; strata:platform.mongodb is off); this stack can restore: mysql",
    );
  });

  it("reports a field the CRD does not declare", async () => {
    const result = restore(stack(mysqlCluster(mysqlBackup(false))), { service: "mysql" });
    const broken = { ...result.objects[0]!, object: { ...result.objects[0]!.object, spec: { clusterName: "orders", backupNmae: "x" } } };
    const findings = await validateRestoreObjects([broken], defaultChartsDir());
    expect(findings.map((f) => [f.severity, f.path])).to.deep.equal([["error", "spec.backupNmae"]]);
  });
});
