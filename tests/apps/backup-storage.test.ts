/**
 * The backup-storage estimate under the capacity table (issue #19): each writer's fulls and logs
 * over its retention, against what the in-cluster object store holds after its replica copies.
 */
import { expect } from "chai";
import { type BackupWriterSettings, backupStorageEstimate, backupStorageProblem, backupStorageTable } from "../../apps/capacity/backup-storage";

/** The EMIS seed's prod: 500 Gi MySQL and MongoDB volumes, 30 daily backups, three storage nodes at SeaweedFS' prod defaults. */
const seedProd: BackupWriterSettings = {
  objectStore: { enabled: true, volumeServers: 3, replication: "001", storage: { sizeGi: 500, purpose: "object" } },
  postgres: { enabled: false, storage: { sizeGi: 100, purpose: "database" }, backup: { enabled: true, schedule: "0 1 * * *", retention: "30d" } },
  mysql: { enabled: true, storage: { sizeGi: 500, purpose: "database" }, backup: { enabled: true, schedule: "0 2 * * *", keep: 30 } },
  mongodb: { enabled: true, storage: { sizeGi: 500, purpose: "database" }, backup: { enabled: true, schedule: "0 3 * * *", keep: 30 } },
  backups: { enabled: true, retention: "30d", target: { kind: "in-cluster" }, volumeData: true },
  redis: { enabled: false, replicas: 3, storage: { sizeGi: 10, purpose: "database" } },
  rabbitmq: { enabled: false, replicas: 3, storage: { sizeGi: 50, purpose: "database" } },
  kafka: { enabled: false, nodePools: {} },
};

describe("backup storage estimate", () => {
  it("issue #19: 30 fulls of two 500 Gi databases do not fit three 500 Gi volume servers holding two copies; the message names the key, the sizes and the fixes", () => {
    // The in-cluster target (prod accepts it only with a waiver, config/platform/backup-target.ts).
    const estimate = backupStorageEstimate(seedProd, "vsphere");
    expect(estimate.writers.map((w) => [w.writer.split(" ")[0], w.fulls, w.fullGi, w.logGi, w.totalGi])).to.deep.equal([
      ["mysql", 30, 250, 0, 7500],
      // The oplog: 5 % of 500 Gi a day, halved by compression, for 30 days.
      ["mongodb", 30, 250, 375, 7875],
      ["velero", 30, 1, 0, 1],
    ]);
    expect(estimate.target).to.deep.include({ usableGi: 750, basis: "3 volume servers × 500 Gi / 2 copies" });
    expect(backupStorageProblem(estimate)).to.equal(
      "strata:platform.objectStore.storage.sizeGi: in-cluster object store (SeaweedFS) holds 750 Gi (3 volume servers × 500 Gi / 2 copies), less than the 15,376 Gi the backups need by estimate (mysql 7,500 Gi, mongodb 7,875 Gi, velero 1 Gi) (got 500); raise it or add volume servers, or shorten strata:platform.mongodb.backup.retention",
    );
    expect(backupStorageTable(estimate)).to.contain("total: 15,376 Gi of 750 Gi on in-cluster object store (SeaweedFS) (3 volume servers × 500 Gi / 2 copies): OVER");
  });

  it("issue #19: PostgreSQL keeps a base backup more than its recovery window, plus the window's WAL", () => {
    const estimate = backupStorageEstimate({ ...seedProd, postgres: { ...seedProd.postgres, enabled: true }, mysql: { ...seedProd.mysql, enabled: false }, mongodb: { ...seedProd.mongodb, enabled: false } }, "vsphere");
    expect(estimate.writers[0]).to.deep.include({ fulls: 31, fullGi: 50, logGi: 75, totalGi: 31 * 50 + 75 });
  });

  it("issue #19: fits once the volumes use the storage nodes' disks and the databases keep four nightly backups", () => {
    const estimate = backupStorageEstimate(
      { ...seedProd, objectStore: { ...seedProd.objectStore, storage: { sizeGi: 1800, purpose: "object" } }, mysql: { ...seedProd.mysql, backup: { ...seedProd.mysql.backup, keep: 4 } }, mongodb: { ...seedProd.mongodb, backup: { ...seedProd.mongodb.backup, keep: 4 } } },
      "vsphere",
    );
    expect(estimate.totalGi).to.equal(2051);
    expect(backupStorageProblem(estimate)).to.equal(undefined);
  });

  it("issue #19: checks an S3 target against its configured capacityGi, and only prints without one", () => {
    const s3 = (capacityGi?: number): BackupWriterSettings["backups"]["target"] => ({
      kind: "s3", endpoint: "https://s3.us-east-1.amazonaws.com", aws: true, region: "us-east-1", bucket: "emis-backups", forcePathStyle: false, credentials: { accessKeyId: "id", secretAccessKey: "key" }, ...(capacityGi === undefined ? {} : { capacityGi }),
    });
    const bounded = backupStorageEstimate({ ...seedProd, backups: { ...seedProd.backups, target: s3(10_000) } }, "vsphere");
    expect(backupStorageProblem(bounded)).to.equal(
      "strata:platform.backups.target.capacityGi: S3 bucket emis-backups (https://s3.us-east-1.amazonaws.com) holds 10,000 Gi (strata:platform.backups.target.capacityGi), less than the 15,376 Gi the backups need by estimate (mysql 7,500 Gi, mongodb 7,875 Gi, velero 1 Gi) (got 10000); raise it if the bucket offers more, or shorten strata:platform.mongodb.backup.retention",
    );
    const unbounded = backupStorageEstimate({ ...seedProd, backups: { ...seedProd.backups, target: s3() } }, "vsphere");
    expect(backupStorageProblem(unbounded)).to.equal(undefined);
    expect(backupStorageTable(unbounded)).to.contain("total: 15,376 Gi on S3 bucket emis-backups (https://s3.us-east-1.amazonaws.com) (capacity not known to strata)");
  });

  it("issue #19: Velero stores each Redis, RabbitMQ and Kafka volume once plus its daily changes over the retention", () => {
    const estimate = backupStorageEstimate(
      { ...seedProd, mysql: { ...seedProd.mysql, enabled: false }, mongodb: { ...seedProd.mongodb, enabled: false }, redis: { ...seedProd.redis, enabled: true }, rabbitmq: { ...seedProd.rabbitmq, enabled: true }, kafka: { enabled: true, nodePools: { dual: { roles: ["controller", "broker"], replicas: 3, resources: { cpuMillis: 1, memoryMi: 1, limitCpuMillis: 1, limitMemoryMi: 1 }, storage: { sizeGi: 100, purpose: "database" } } } } },
      "vsphere",
    );
    // 30 + 150 + 300 = 480 Gi of volumes: 240 Gi once, 480 × 5 % × 0.5 × 30 = 360 Gi of changes, 1 Gi of objects.
    expect(estimate.writers).to.deep.equal([{ writer: "velero (objects + Redis/RabbitMQ/Kafka volumes, kopia)", retentionKey: "strata:platform.backups.retention", fulls: 30, fullGi: 241, logGi: 360, totalGi: 601 }]);
  });

  it("issue #19: prints the estimate without a verdict where strata does not know the target's capacity (the EKS bucket)", () => {
    const estimate = backupStorageEstimate({ ...seedProd, backups: { ...seedProd.backups, target: { kind: "infra-bucket" } } }, "eks");
    expect(estimate.target.usableGi).to.equal(undefined);
    expect(backupStorageProblem(estimate)).to.equal(undefined);
    expect(backupStorageTable(estimate)).to.contain("total: 15,376 Gi on the infra layer's S3 bucket (capacity not known to strata)");
  });

  it("says so when a stack has no backup writer", () => {
    const none = { ...seedProd, mysql: { ...seedProd.mysql, enabled: false }, mongodb: { ...seedProd.mongodb, enabled: false }, backups: { ...seedProd.backups, enabled: false } };
    expect(backupStorageTable(backupStorageEstimate(none, "vsphere"))).to.equal("Backup storage (estimate): no backup writer in this stack");
  });
});
