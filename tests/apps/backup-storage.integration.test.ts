/**
 * The backup-storage estimate in the program (issue #19): the prod stack with the seed's 30 nightly
 * backups on SeaweedFS' default volumes is refused before any workload is declared; the repository's
 * prod stack, sized to the storage nodes' disks and keeping four nightly backups, plans and prints
 * its estimate.
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { ConfigRejected, REPO_ROOT, type RunResult } from "../../tools/engine/run";
import { loadStackConfig } from "../../tools/engine/stack-config";
import { planCapacity } from "../../tools/plan/capacity";
import { planStack } from "../harness";

/** Pulumi.prod.yaml as it was before the estimate: default store volumes, default (30 d) database retention. */
function seedRetentionProd(): string {
  const doc = parseDocument(readFileSync(join(REPO_ROOT, "Pulumi.prod.yaml"), "utf8"));
  for (const path of [
    ["config", "strata:platform", "objectStore", "storage"],
    ["config", "strata:platform", "mysql", "backup"],
    ["config", "strata:platform", "mongodb", "backup"],
  ]) doc.deleteIn(path);
  const file = join(mkdtempSync(join(tmpdir(), "strata-backup-storage-")), "Pulumi.prod.yaml");
  writeFileSync(file, doc.toString());
  return file;
}

describe("backup storage estimate in the program", () => {
  let refused: unknown;
  let prod: RunResult;
  before(async function () {
    this.timeout(400_000);
    [refused, prod] = await Promise.all([
      planStack({ stack: "prod", configFile: seedRetentionProd() }).then(
        () => undefined,
        (e: unknown) => e,
      ),
      planStack({ stack: "prod" }),
    ]);
  });

  it("issue #19: refuses prod when 30 nightly fulls of its 500 Gi databases exceed the in-cluster store", () => {
    expect(refused).to.be.instanceOf(ConfigRejected);
    expect((refused as ConfigRejected).problems).to.deep.equal([
      "strata:platform.objectStore.storage.sizeGi: the object store holds 750 Gi (3 volume servers × 500 Gi / 2 copies), less than the 15,376 Gi the backups need by estimate (mysql 7,500 Gi, mongodb 7,875 Gi, velero 1 Gi) (got 500); raise it or add volume servers, or shorten strata:platform.mongodb.backup.retention",
    ]);
  });

  it("issue #19: the prod stack fits and the plan prints each writer's estimate", () => {
    const capacity = planCapacity(loadStackConfig(REPO_ROOT, "prod"), prod.outputs);
    expect(capacity?.problems).to.deep.equal([]);
    expect(capacity?.table).to.contain("total: 2,051 Gi of 2,700 Gi on in-cluster object store (SeaweedFS) (3 volume servers × 1800 Gi / 2 copies): fits");
    expect(capacity?.table).to.match(/mysql \(xtrabackup fulls; no binlog PITR\)\s+4\s+250 Gi\s+0 Gi\s+1,000 Gi/);
  });
});
