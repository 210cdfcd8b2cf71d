/**
 * The backup-storage estimate in the program (issue #19): the prod stack's seed retention (30
 * nightly fulls of 500 Gi databases) on the in-cluster SeaweedFS, even with the same-failure-domain
 * waiver, is refused before any workload is declared; the repository's prod stack, which backs up
 * to an S3 bucket of unknown size, plans and prints its estimate.
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

/** Pulumi.prod.yaml with its backups on the in-cluster object store (waiver given) instead of S3. */
function inClusterProd(): string {
  const doc = parseDocument(readFileSync(join(REPO_ROOT, "Pulumi.prod.yaml"), "utf8"));
  doc.setIn(["config", "strata:platform", "backups", "target"], doc.createNode({ type: "in-cluster", acceptSameFailureDomain: true, reason: "test: the estimate against the in-cluster store" }));
  // The in-cluster target copies the app buckets nowhere; prod wants a reason for that too.
  doc.setIn(["config", "strata:platform", "backups", "waivers", "objectStore"], "test: only the backup estimate is under test");
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
      planStack({ stack: "prod", configFile: inClusterProd() }).then(
        () => undefined,
        (e: unknown) => e,
      ),
      planStack({ stack: "prod" }),
    ]);
  });

  // Velero: 1 Gi of objects plus Redis (3 × 10 Gi) and RabbitMQ (3 × 50 Gi) volumes, once and 30 days of changes;
  // PostgreSQL (Grafana's database): 31 base backups of half its 10 Gi volume plus WAL.
  it("issue #19: refuses prod when 30 nightly fulls of its 500 Gi databases exceed the in-cluster store", () => {
    expect(refused).to.be.instanceOf(ConfigRejected);
    expect((refused as ConfigRejected).problems).to.deep.equal([
      "strata:platform.objectStore.storage.sizeGi: in-cluster object store (SeaweedFS) holds 2,100 Gi (3 volume servers × 1400 Gi / 2 copies), less than the 15,764 Gi the backups need by estimate (postgres 163 Gi, mysql 7,500 Gi, mongodb 7,875 Gi, velero 226 Gi) (got 1400); raise it or add volume servers, or shorten strata:platform.mongodb.backup.retention",
    ]);
  });

  it("issue #19: the prod stack backs up to S3 with no configured capacity: the plan prints each writer's estimate", () => {
    const capacity = planCapacity(loadStackConfig(REPO_ROOT, "prod"), prod.outputs);
    expect(capacity?.problems).to.deep.equal([]);
    expect(capacity?.table).to.match(/mysql \(xtrabackup fulls; no binlog PITR\)\s+30\s+250 Gi\s+0 Gi\s+7,500 Gi/);
    expect(capacity?.table).to.contain("on S3 bucket emis-backups (https://s3.us-east-1.amazonaws.com) (capacity not known to strata)");
  });
});
