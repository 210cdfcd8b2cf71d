/**
 * `npm run restore` on whole stacks: each service kind on prod (vSphere, in-cluster object store)
 * and on the EKS stacks (S3 bucket through IRSA / Pod Identity), the restore objects valid against
 * their CRDs, and the refusals where a stack has no such service or no backups for it.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import type { PlanDocument } from "../../tools/engine/plan-document";
import { REPO_ROOT, toPlanDocument } from "../../tools/engine/run";
import { planRestore, RestoreRefused, validateRestoreObjects, type RestorePlan } from "../../tools/restore/index";
import { parseRestoreRequest, type RawRestoreFlags } from "../../tools/restore/request";
import { defaultChartsDir } from "../../tools/verify/reference-dir";
import { planStack } from "../harness";

const NOW = new Date("2026-03-10T12:00:00Z");
const STACKS = {
  prod: { stack: "prod" },
  eks: { stack: "eks-prod-cluster", configFile: "examples/eks-prod-cluster.yaml" },
  valueverse: { stack: "valueverse", configFile: "examples/valueverse.yaml" },
  dev: { stack: "dev" },
} as const;

const plans = new Map<string, Promise<PlanDocument>>();
function planOf(name: keyof typeof STACKS): Promise<PlanDocument> {
  let plan = plans.get(name);
  if (plan === undefined) {
    plan = planStack(STACKS[name]).then(toPlanDocument);
    plans.set(name, plan);
  }
  return plan;
}

async function restore(name: keyof typeof STACKS, flags: RawRestoreFlags): Promise<RestorePlan> {
  return planRestore(await planOf(name), parseRestoreRequest(flags, NOW));
}

async function refusal(name: keyof typeof STACKS, flags: RawRestoreFlags): Promise<string> {
  try {
    await restore(name, flags);
  } catch (error) {
    expect(error).to.be.instanceOf(RestoreRefused);
    return (error as Error).message;
  }
  throw new Error("expected the restore to be refused");
}

/** Every object passes its CRD; a Velero Restore is reported as not checked (its CRD is not in the reference data yet). */
async function expectValid(plan: RestorePlan): Promise<void> {
  const findings = await validateRestoreObjects(plan.objects, defaultChartsDir());
  expect(findings.filter((f) => f.severity === "error"), JSON.stringify(findings)).to.deep.equal([]);
  for (const warning of findings) expect(warning.message).to.match(/^not checked: no CRD for Restore \(velero\.io\)/);
}

const spec = (plan: RestorePlan) => plan.objects[0]?.object["spec"] as Record<string, unknown>;

/** The rendered object of a kind, read here independently of the tool. */
async function rendered(name: keyof typeof STACKS, kind: string): Promise<Record<string, unknown> | undefined> {
  return (await planOf(name)).resources.find((r) => r.inputs["kind"] === kind)?.inputs;
}

/** The bucket and prefix of the storage a Percona cluster's schedule writes to, as rendered. */
async function perconaStorage(name: keyof typeof STACKS, kind: string, scheduleKey: string): Promise<{ bucket: string; prefix: string; pitr: boolean }> {
  const backup = ((await rendered(name, kind))?.["spec"] as { backup: Record<string, unknown> }).backup;
  const storageName = (backup[scheduleKey] as { storageName: string }[])[0]!.storageName;
  const storage = (backup["storages"] as Record<string, Record<string, unknown>>)[storageName]!;
  const settings = storage[String(storage["type"])] as { bucket: string; prefix: string };
  return { bucket: settings.bucket, prefix: settings.prefix, pitr: (backup["pitr"] as { enabled?: boolean } | undefined)?.enabled === true };
}

/**
 * Backups some stacks do not have yet are being turned on (issue #19): until they are, the
 * restore is refused with `refusal`; once they are, it renders valid objects.
 */
async function restoresOrRefuses(name: keyof typeof STACKS, flags: RawRestoreFlags, backedUp: boolean, refusal: RegExp): Promise<void> {
  if (backedUp) {
    await expectValid(await restore(name, flags));
    return;
  }
  let message = "";
  try {
    await restore(name, flags);
  } catch (error) {
    expect(error).to.be.instanceOf(RestoreRefused);
    message = (error as Error).message;
  }
  expect(message).to.match(refusal);
}

describe("restore: whole stacks", function () {
  this.timeout(600_000);

  describe("prod (vSphere, SeaweedFS)", () => {
    it("mysql: restores data/mysql, reading from the storage its schedule writes to", async () => {
      const plan = await restore("prod", { service: "mysql" });
      const storage = await perconaStorage("prod", "PerconaServerMySQL", "schedule");
      expect(spec(plan)).to.deep.include({ clusterName: "mysql" });
      expect(plan.source[0]).to.include(`s3://${storage.bucket}/${storage.prefix}/`);
      await expectValid(plan);
    });

    it("mysql --to: binlog replay where binlogs are collected, else refused naming the flag and value", async () => {
      const { pitr } = await perconaStorage("prod", "PerconaServerMySQL", "schedule");
      if (pitr) {
        const plan = await restore("prod", { service: "mysql", to: "2026-03-09T23:00:00+01:00" });
        expect(spec(plan)["pitr"]).to.deep.equal({ type: "date", date: "2026-03-09 22:00:00" });
        await expectValid(plan);
      } else {
        expect(await refusal("prod", { service: "mysql", to: "2026-03-09T22:00:00Z" })).to.match(/^--to 2026-03-09T22:00:00Z: point-in-time recovery is off for PerconaServerMySQL data\/mysql in stack prod/);
      }
    });

    it("mongodb: restores data/mongodb, reading from its PBM storage", async () => {
      const plan = await restore("prod", { service: "mongodb" });
      const storage = await perconaStorage("prod", "PerconaServerMongoDB", "tasks");
      expect(spec(plan)).to.deep.include({ clusterName: "mongodb" });
      expect(plan.source[0]).to.include(`s3://${storage.bucket}/${storage.prefix}/`);
      await expectValid(plan);
    });

    it("mongodb --to: oplog replay where PITR is on, else refused naming the flag and value", async () => {
      const { pitr } = await perconaStorage("prod", "PerconaServerMongoDB", "tasks");
      if (pitr) {
        const plan = await restore("prod", { service: "mongodb", to: "2026-03-09T22:00:00Z" });
        expect(spec(plan)["pitr"]).to.deep.equal({ type: "date", date: "2026-03-09 22:00:00" });
        await expectValid(plan);
      } else {
        expect(await refusal("prod", { service: "mongodb", to: "2026-03-09T22:00:00Z" })).to.match(/point-in-time recovery is off for PerconaServerMongoDB data\/mongodb in stack prod/);
      }
    });

    it("mysql and mongodb --from: a rebuilt cluster restores from a location in its bucket, read with its own storage", async () => {
      for (const [service, kind, key] of [["mysql", "PerconaServerMySQL", "schedule"], ["mongodb", "PerconaServerMongoDB", "tasks"]] as const) {
        const storage = await perconaStorage("prod", kind, key);
        const from = `s3://${storage.bucket}/${storage.prefix}/2026-03-09-backup`;
        const plan = await restore("prod", { service, from });
        expect(JSON.stringify(spec(plan)["backupSource"])).to.include(`"destination":"${from}"`).and.include(`"bucket":"${storage.bucket}"`);
        expect(plan.steps.flatMap((s) => s.commands).join("\n")).to.include(`aws s3 ls s3://${storage.bucket}/${storage.prefix}/`);
        await expectValid(plan);
      }
    });

    it("namespace: restores emis-services from the apps schedule, volumes included", async () => {
      const plan = await restore("prod", { service: "namespace", namespace: "emis-services" });
      expect(spec(plan)).to.deep.equal({ backupName: "", scheduleName: "daily-apps", includedNamespaces: ["emis-services"], restorePVs: true });
      const location = (await rendered("prod", "BackupStorageLocation"))?.["spec"] as { objectStorage: { bucket: string; prefix: string } };
      expect(plan.source[1]).to.include(`s3://${location.objectStorage.bucket}/${location.objectStorage.prefix}/`);
      await expectValid(plan);
    });

    it("postgres: recovers data/postgres (Grafana's database) from the S3 target with the backup credentials", async () => {
      const plan = await restore("prod", { service: "postgres" });
      const store = (await rendered("prod", "ObjectStore"))?.["spec"] as { configuration: { destinationPath: string } };
      expect(store.configuration.destinationPath).to.equal("s3://emis-backups/postgres/");
      expect(plan.source[0]).to.equal(`ObjectStore data/postgres-backups: ${store.configuration.destinationPath} (server postgres) at https://s3.us-east-1.amazonaws.com`);
      expect(plan.source[1]).to.match(/^credentials: Secret data\/postgres-backup-credentials/);
      await expectValid(plan);
    });
  });

  describe("eks-prod-cluster (EKS, S3 through IRSA)", () => {
    it("postgres: recovers data/postgres from the infra layer's bucket with the instances' IAM role", async () => {
      const plan = await restore("eks", { service: "postgres" });
      const store = (await rendered("eks", "ObjectStore"))?.["spec"] as { configuration: { destinationPath: string } };
      expect(plan.source[0]).to.equal(`ObjectStore data/postgres-backups: ${store.configuration.destinationPath} (server postgres)`);
      expect(plan.source[1]).to.match(/^credentials: the instances' IAM role \(IRSA\)/);
      // The recovered cluster keeps the name the IRSA role trusts (system:serviceaccount:data:postgres) and its annotation.
      expect(plan.objects[0]?.object["metadata"]).to.deep.include({ name: "postgres", namespace: "data" });
      expect(JSON.stringify(spec(plan)["serviceAccountTemplate"])).to.match(/eks\.amazonaws\.com\/role-arn/);
      await expectValid(plan);
    });

    it("postgres --to: recovers to that time", async () => {
      const plan = await restore("eks", { service: "postgres", to: "2026-03-09T22:00:00Z" });
      expect(spec(plan)["bootstrap"]).to.deep.include({ recovery: { source: "origin", database: "app", owner: "app", secret: { name: "postgres-credentials" }, recoveryTarget: { targetTime: "2026-03-09T22:00:00Z" } } });
      await expectValid(plan);
    });

    it("namespace: restores apps from the bucket through Velero's Pod Identity", async () => {
      const plan = await restore("eks", { service: "namespace", namespace: "apps" });
      expect(plan.source[1]).to.match(/^BackupStorageLocation velero\/default: s3:\/\/\S+, credentials from Velero's cloud identity$/);
      await expectValid(plan);
    });

    it("mysql and mongodb: refused, the stack runs neither", async () => {
      expect(await refusal("eks", { service: "mysql" })).to.match(/^--service mysql: not enabled in stack eks-prod-cluster .*this stack can restore: postgres, namespace$/);
      expect(await refusal("eks", { service: "mongodb" })).to.match(/^--service mongodb: not enabled in stack eks-prod-cluster /);
    });
  });

  // Backups of these EKS stacks are being turned on (issue #19 items 1 and 6, on another branch):
  // today the restore is refused with the reason; once they render, it must restore.
  describe("EKS stacks whose backups are off today", () => {
    it("valueverse postgres: backups off", async () => {
      const cluster = (await rendered("valueverse", "Cluster"))?.["spec"] as Record<string, unknown>;
      await restoresOrRefuses("valueverse", { service: "postgres" }, cluster["plugins"] !== undefined, /^--service postgres: backups are off for Cluster data\/postgres in stack valueverse/);
    });

    it("valueverse namespace: no Velero", async () => {
      const velero = (await rendered("valueverse", "Schedule")) !== undefined;
      await restoresOrRefuses("valueverse", { service: "namespace", namespace: "apps" }, velero, /^--service namespace: not enabled in stack valueverse/);
    });

    it("dev mysql and mongodb: backups off", async () => {
      const enabled = async (kind: string) => ((await rendered("dev", kind))?.["spec"] as { backup: { enabled?: boolean } }).backup.enabled === true;
      await restoresOrRefuses("dev", { service: "mysql" }, await enabled("PerconaServerMySQL"), /^--service mysql: backups are off for PerconaServerMySQL data\/mysql in stack dev \(spec.backup.enabled is not true\)/);
      await restoresOrRefuses("dev", { service: "mongodb" }, await enabled("PerconaServerMongoDB"), /^--service mongodb: backups are off for PerconaServerMongoDB data\/mongodb in stack dev/);
    });
  });

  describe("the command", () => {
    function run(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", "tools/restore.ts", ...args], { cwd: REPO_ROOT });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      });
    }

    it("writes the objects to --out and prints the runbook with their paths", async () => {
      const out = mkdtempSync(join(tmpdir(), "strata-restore-test-"));
      const result = await run("--stack", "prod", "--service", "mysql", "--out", out);
      expect(result.code, result.stderr).to.equal(0);
      const file = join(out, "mysql-restore.yaml");
      expect((parse(readFileSync(file, "utf8")) as { kind: string }).kind).to.equal("PerconaServerMySQLRestore");
      expect(result.stdout).to.include(`sed "s/@BACKUP@/$BACKUP/" ${file} | kubectl apply -f -`);
    });

    it("exits non-zero with the flag, the value and what is allowed", async () => {
      const unknown = await run("--stack", "prod", "--service", "redis");
      expect(unknown.code).to.equal(2);
      expect(unknown.stderr).to.include('--service: unknown service (got "redis"); one of postgres, mysql, mongodb, namespace');
      const badTime = await run("--stack", "prod", "--service", "mysql", "--to", "last tuesday");
      expect(badTime.code).to.equal(2);
      expect(badTime.stderr).to.include('--to: not an RFC 3339 time (got "last tuesday")');
      const absent = await run("--stack", "eks-prod-cluster", "--config-file", "examples/eks-prod-cluster.yaml", "--service", "mysql");
      expect(absent.code).to.equal(1);
      expect(absent.stderr).to.include("restore: --service mysql: not enabled in stack eks-prod-cluster");
    });
  });
});
