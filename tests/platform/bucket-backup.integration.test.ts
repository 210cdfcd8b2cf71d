/**
 * Issue #19: the EMIS prod stack planned through the platform layer with an app-bucket backup
 * target outside the cluster (tests/fixtures/bucket-backup-project: strata's composition root
 * with `appBucketBackupTarget` set and the target's keys Secret in the data namespace). The copier
 * of `emis-objects` is in the plan on the storage pool, every object is schema-valid, every
 * connection of the stack (the copier's three included) is proven, and the keys appear only in
 * the target's own Secret.
 */
import { expect } from "chai";
import { join } from "node:path";
import { parse } from "yaml";
import { brokenConnections, proveConnections } from "../../tools/connections";
import { REPO_ROOT, toPlanDocument, type RunResult } from "../../tools/engine/run";
import { errorsOf, formatFinding, verifyPlan } from "../../tools/verify/index";
import { defaultChartsDir } from "../../tools/verify/reference-dir";
import { TEST_TARGET } from "../fixtures/bucket-backup-project/target";
import { at, ofType, planStack } from "../harness";

const PROJECT = join(__dirname, "..", "fixtures", "bucket-backup-project");
const metadataOf = (r: { inputs: unknown }) => at(r.inputs, "metadata") as { name: string; namespace: string };

describe("platform: app buckets copied to an outside target, prod plan (issue #19)", () => {
  let run: RunResult;
  before(async function () {
    this.timeout(600_000);
    run = await planStack({ stack: "prod", configFile: join(REPO_ROOT, "Pulumi.prod.yaml"), projectDir: PROJECT });
  });

  it("issue #19: runs a copier for emis-objects (the app bucket; not backups, nor Loki's and Tempo's buckets) beside SeaweedFS on its pool", () => {
    const deployment = ofType(run, "kubernetes:apps/v1:Deployment").find((r) => metadataOf(r).name === "bucket-backup");
    expect(deployment, "Deployment bucket-backup").not.to.equal(undefined);
    expect(metadataOf(deployment!).namespace).to.equal("data");
    const pod = at(deployment!.inputs, "spec.template.spec") as { containers: { name: string; args: string[] }[]; nodeSelector: Record<string, string> };
    expect(pod.containers.map((c) => c.name)).to.deep.equal(["copy-objects"]);
    expect(pod.containers.find((c) => c.name === "copy-objects")?.args).to.include("-filerPath=/buckets/emis-objects");
    const seaweedfs = ofType(run, "kubernetes:helm.sh/v3:Release").find((r) => at(r.inputs, "chart") === "seaweedfs");
    expect(pod.nodeSelector).to.deep.equal(parse(at(seaweedfs?.inputs, "values.volume.nodeSelector") as string));
  });

  it("plans every object schema-valid", async function () {
    this.timeout(300_000);
    const report = await verifyPlan(toPlanDocument(run), defaultChartsDir());
    expect(errorsOf(report).map(formatFinding)).to.deep.equal([]);
  });

  it("issue #19: proves the copier's paths to the filer and to the target, and breaks nothing else", async () => {
    const results = await proveConnections(toPlanDocument(run));
    const copier = results.filter((r) => r.purpose.startsWith("app bucket copies"));
    expect(copier.map((r) => r.destination)).to.deep.equal(["data/seaweedfs-filer:18888", "data/seaweedfs-filer:8888", "backup-target:9000 (outside)"]);
    expect(brokenConnections(results)).to.deep.equal([]);
  });

  it("writes the target's keys only into its own Secret, never into the copier's objects", () => {
    const copierObjects = run.resources.filter((r) => r.name.includes("bucket-backup"));
    expect(copierObjects.length).to.be.greaterThan(3);
    expect(JSON.stringify(copierObjects.map((r) => r.inputs))).not.to.include("test-target-secret-access-key");
    // The env refers to the Secret by name; the plan knows the key itself as a secret.
    expect(JSON.stringify(copierObjects.map((r) => r.inputs))).to.include(`"name":"${TEST_TARGET.credentialsSecret}"`);
    expect(run.secrets).to.include("test-target-secret-access-key-0000000000");
  });
});
