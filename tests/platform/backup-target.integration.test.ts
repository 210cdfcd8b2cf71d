/**
 * Issue #19: every backup writer reaches the backup target outside the cluster, with the
 * target's keys (and CA) in its own namespace and a NetworkPolicy for the target's port; the
 * connection check proves each path, and breaks when the egress is gone.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { brokenConnections, proveConnections } from "../../tools/connections";
import type { PlanDocument, PlannedResource } from "../../tools/engine/plan-document";
import { REPO_ROOT, toPlanDocument } from "../../tools/engine/run";
import { planStack } from "../harness";

const TARTWARE = `${REPO_ROOT}/examples/tartware/Pulumi.tartware.yaml`;
const tartwareCa = (): string => {
  const config = parse(readFileSync(TARTWARE, "utf8")) as { config: { "strata:platform": { backups: { target: { caBundle: string } } } } };
  return config.config["strata:platform"].backups.target.caBundle;
};

let tartware: Promise<PlanDocument> | undefined;
let prod: Promise<PlanDocument> | undefined;
const tartwarePlan = () => (tartware ??= planStack({ stack: "tartware", configFile: TARTWARE }).then(toPlanDocument));
const prodPlan = () => (prod ??= planStack({ stack: "prod" }).then(toPlanDocument));

const object = (plan: PlanDocument, kind: string, namespace: string, name: string): PlannedResource => {
  const found = plan.resources.find((r) => {
    const metadata = r.inputs["metadata"] as { name?: string; namespace?: string } | undefined;
    return r.inputs["kind"] === kind && metadata?.name === name && metadata.namespace === namespace;
  });
  expect(found, `${kind} ${namespace}/${name}`).to.not.equal(undefined);
  return found as PlannedResource;
};
/** The value at `path` under a resource's spec. */
const at = (r: PlannedResource, ...path: string[]): unknown => path.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], r.inputs["spec"]);
const text = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

describe("backup target: writers reach a bucket outside the cluster", function () {
  this.timeout(600_000);

  it("tartware: Barman writes to the external endpoint, trusting its CA from the credentials Secret", async () => {
    const plan = await tartwarePlan();
    expect(at(object(plan, "ObjectStore", "data", "postgres-backups"), "configuration")).to.deep.include({
      destinationPath: "s3://tartware-backups/postgres/",
      endpointURL: "https://backup.tartware.local:9000",
      endpointCA: { name: "postgres-backup-credentials", key: "ca.crt" },
    });
    expect(object(plan, "Secret", "data", "postgres-backup-credentials").dataKeys).to.include.members(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "ca.crt"]);
  });

  it("tartware: Velero's location names the endpoint, path style, and the CA", async () => {
    const plan = await tartwarePlan();
    const location = object(plan, "BackupStorageLocation", "velero", "default");
    expect(at(location, "config")).to.deep.equal({ region: "us-east-1", s3Url: "https://backup.tartware.local:9000", s3ForcePathStyle: "true" });
    expect(Buffer.from(text(at(location, "objectStorage", "caCert")), "base64").toString("utf8")).to.equal(tartwareCa());
    expect(at(location, "objectStorage")).to.deep.include({ bucket: "tartware-backups", prefix: "velero" });
  });

  it("tartware: the data and backup namespaces may open the target's port 9000 outside the cluster, and only that", async () => {
    const plan = await tartwarePlan();
    for (const namespace of ["data", "velero"]) {
      const egress = at(object(plan, "NetworkPolicy", namespace, "allow-backup-target"), "egress") as { to: { ipBlock: { cidr: string; except: string[] } }[]; ports: unknown[] }[];
      expect(egress).to.have.length(1);
      expect(egress[0]?.ports).to.deep.equal([{ protocol: "TCP", port: 9000 }]);
      expect(egress[0]?.to[0]?.ipBlock.cidr).to.equal("0.0.0.0/0");
      expect(egress[0]?.to[0]?.ipBlock.except.length).to.be.greaterThan(0);
    }
  });

  it("tartware: every writer's path to the target is proven, and breaks without the egress policy", async () => {
    const plan = await tartwarePlan();
    const results = await proveConnections(plan);
    const toTarget = results.filter((r) => r.destination === "backup-target:9000 (outside)").map((r) => r.source);
    expect(toTarget).to.include.members(["velero/velero", "velero/node-agent"]);
    expect(toTarget.some((source) => source.startsWith("data/{cnpg.io/cluster=postgres"))).to.equal(true);
    expect(brokenConnections(results)).to.deep.equal([]);
    const without = { ...plan, resources: plan.resources.filter((r) => !(r.inputs["kind"] === "NetworkPolicy" && (r.inputs["metadata"] as { name?: string }).name === "allow-backup-target")) };
    const broken = brokenConnections(await proveConnections(without)).map((b) => `${b.connection}: ${b.message.split(":")[0]}`);
    expect(broken).to.include.members(["velero/velero → backup-target:9000 (outside): egress", "velero/node-agent → backup-target:9000 (outside): egress"]);
  });

  it("issue #19: prod (EMIS) backs up MongoDB, MySQL and Velero to the S3 bucket, not the in-cluster SeaweedFS", async () => {
    const plan = await prodPlan();
    const mongo = at(object(plan, "PerconaServerMongoDB", "data", "mongodb"), "backup", "storages") as Record<string, unknown>;
    const mysql = at(object(plan, "PerconaServerMySQL", "data", "mysql"), "backup", "storages") as Record<string, unknown>;
    const location = object(plan, "BackupStorageLocation", "velero", "default");
    const storages = [...Object.values(mongo), ...Object.values(mysql)].map(text);
    for (const storage of storages) {
      expect(storage).to.include("emis-backups");
      expect(storage).to.not.include("seaweedfs");
    }
    expect(at(location, "objectStorage", "bucket")).to.equal("emis-backups");
    expect(text(at(location))).to.not.include("seaweedfs");
    const results = await proveConnections(plan);
    expect(results.filter((r) => r.destination === "backup-target:443 (outside)").map((r) => r.source)).to.include.members(["velero/velero", "data/mongodb-rs0"]);
  });

  it("issue #19: prod (EMIS) proves MySQL's backup paths: each member's xtrabackup sidecar uploads, the delete Jobs remove, the backup Job reaches the sidecar; without the keys Secret they break", async () => {
    const plan = await prodPlan();
    const mysql = (await proveConnections(plan)).filter((r) => r.purpose.startsWith("xtrabackup uploads") || r.purpose.startsWith("expired backups deleted") || r.purpose.startsWith("backup Job asks"));
    expect(mysql.map((r) => `${r.source.split("{")[1]?.split(",")[0] ?? r.source} → ${r.destination.split(" ")[0] ?? ""}`)).to.deep.equal([
      "app.kubernetes.io/name=mysql → backup-target:443",
      "app.kubernetes.io/name=xtrabackup → backup-target:443",
      "app.kubernetes.io/name=xtrabackup → data/{app.kubernetes.io/name=mysql,app.kubernetes.io/instance=mysql,app.kubernetes.io/part-of=percona-server,app.kubernetes.io/component=database,app.kubernetes.io/managed-by=percona-server-mysql-operator}:http",
    ]);
    expect(brokenConnections(mysql)).to.deep.equal([]);
    const without = { ...plan, resources: plan.resources.filter((r) => !(r.inputs["kind"] === "Secret" && (r.inputs["metadata"] as { name?: string }).name === "mysql-backup-s3")) };
    const broken = brokenConnections(await proveConnections(without)).filter((b) => b.connection.includes("backup-target"));
    expect(broken.map((b) => b.message.split(":")[0])).to.include("secrets");
  });

  it("issue #19: prod (EMIS) copies the students' files (emis-objects) to the same target, and only the app bucket", async () => {
    const plan = await prodPlan();
    const copier = object(plan, "Deployment", "data", "bucket-backup");
    const containers = at(copier, "template", "spec", "containers") as { name: string; args: string[] }[];
    expect(containers.map((c) => c.name)).to.deep.equal(["copy-objects"]);
    expect(containers[0]?.args).to.include("-filerPath=/buckets/emis-objects");
    const results = await proveConnections(plan);
    expect(results.filter((r) => r.purpose.startsWith("app bucket copies")).map((r) => r.destination)).to.include("backup-target:443 (outside)");
    expect(object(plan, "Secret", "data", "bucket-backup-backup-s3").dataKeys).to.include.members(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
  });
});
