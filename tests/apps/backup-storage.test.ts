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
  backups: { enabled: true, retention: "30d" },
};

describe("backup storage estimate", () => {
  it("issue #19: 30 fulls of two 500 Gi databases do not fit three 500 Gi volume servers holding two copies; the message names the key, the sizes and the fixes", () => {
    const estimate = backupStorageEstimate(seedProd, "vsphere");
    expect(estimate.writers.map((w) => [w.writer.split(" ")[0], w.fulls, w.fullGi, w.logGi, w.totalGi])).to.deep.equal([
      ["mysql", 30, 250, 0, 7500],
      // The oplog: 5 % of 500 Gi a day, halved by compression, for 30 days.
      ["mongodb", 30, 250, 375, 7875],
      ["velero", 30, 1, 0, 1],
    ]);
    expect(estimate.target).to.deep.include({ usableGi: 750, basis: "3 volume servers × 500 Gi / 2 copies" });
    expect(backupStorageProblem(estimate)).to.equal(
      "strata:platform.objectStore.storage.sizeGi: the object store holds 750 Gi (3 volume servers × 500 Gi / 2 copies), less than the 15,376 Gi the backups need by estimate (mysql 7,500 Gi, mongodb 7,875 Gi, velero 1 Gi) (got 500); raise it or add volume servers, or shorten strata:platform.mongodb.backup.retention",
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

  it("issue #19: prints the estimate without a verdict where strata does not know the target's capacity (the EKS bucket)", () => {
    const estimate = backupStorageEstimate(seedProd, "eks");
    expect(estimate.target.usableGi).to.equal(undefined);
    expect(backupStorageProblem(estimate)).to.equal(undefined);
    expect(backupStorageTable(estimate)).to.contain("total: 15,376 Gi on the infra layer's S3 bucket (capacity not known to strata)");
  });

  it("says so when a stack has no backup writer", () => {
    const none = { ...seedProd, mysql: { ...seedProd.mysql, enabled: false }, mongodb: { ...seedProd.mongodb, enabled: false }, backups: { enabled: false, retention: "30d" } };
    expect(backupStorageTable(backupStorageEstimate(none, "vsphere"))).to.equal("Backup storage (estimate): no backup writer in this stack");
  });
});
