/**
 * issue #19: the stacks as planned under mocks. Where Velero copies volume data, the Redis server
 * pods, the RabbitMQ nodes and every Kafka node pool name their data volumes in
 * `backup.velero.io/backup-volumes`; the `daily-data` schedule stays opt-in, and no database
 * object asks for a file copy. Where Velero copies objects only (a Tartware variant with
 * `volumeData: false` and waivers), nothing does.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { expect } from "chai";
import { brokenConnections, proveConnections } from "../../tools/connections";
import type { CapturedRecord } from "../../tools/engine/capture";
import { REPO_ROOT, type RunResult, toPlanDocument } from "../../tools/engine/run";
import { at, FIXTURES, ofType, planStack } from "../harness";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const RABBITMQ = "kubernetes:rabbitmq.com/v1beta1:RabbitmqCluster";
const NODE_POOL = "kubernetes:kafka.strimzi.io/v1:KafkaNodePool";
const SCHEDULE = "kubernetes:velero.io/v1:Schedule";
const DATABASES = ["kubernetes:postgresql.cnpg.io/v1:Cluster", "kubernetes:ps.percona.com/v1:PerconaServerMySQL", "kubernetes:psmdb.percona.com/v1:PerconaServerMongoDB"];
const BACKUP_VOLUMES = "backup.velero.io/backup-volumes";

const PROD = { stack: "prod" } as const;
const VOLUMES = { stack: "velero-volumes", configFile: `${FIXTURES}/stacks/velero-volumes.yaml` } as const;
const TARTWARE = { stack: "tartware", configFile: `${REPO_ROOT}/examples/tartware/Pulumi.tartware.yaml` } as const;

/** Tartware with Velero copying objects only; prod then needs the config to say why Redis and Kafka may be lost. */
function objectsOnlyTartware(): { readonly stack: string; readonly configFile: string } {
  const doc = parseDocument(readFileSync(TARTWARE.configFile, "utf8"));
  doc.setIn(["config", "strata:platform", "backups", "volumeData"], false);
  doc.setIn(["config", "strata:platform", "backups", "waivers"], doc.createNode({ redis: "test: a cache rebuilt from PostgreSQL", kafka: "test: events replayed from PostgreSQL" }));
  const configFile = join(mkdtempSync(join(tmpdir(), "strata-velero-volumes-")), "Pulumi.tartware.yaml");
  writeFileSync(configFile, doc.toString());
  return { stack: "tartware", configFile };
}

function redisRelease(result: RunResult): CapturedRecord {
  const found = ofType(result, RELEASE).filter((r) => String(r.inputs.chart).split("/").pop() === "redis-ha");
  expect(found).to.have.length(1);
  return found[0] as CapturedRecord;
}

const redisPodAnnotations = (result: RunResult) => at(redisRelease(result).inputs, "values.redis.podAnnotations") as Record<string, string> | undefined;
const rabbitmqPodAnnotations = (result: RunResult) => ofType(result, RABBITMQ).map((r) => at(r.inputs, "spec.override.statefulSet.spec.template.metadata.annotations"));
const nodePoolAnnotations = (result: RunResult) => ofType(result, NODE_POOL).map((r) => at(r.inputs, "spec.template.pod.metadata.annotations"));

function dataSchedule(result: RunResult): CapturedRecord {
  const found = ofType(result, SCHEDULE).filter((r) => at(r.inputs, "metadata.name") === "daily-data");
  expect(found).to.have.length(1);
  return found[0] as CapturedRecord;
}

describe("Velero file-system backup of Redis, RabbitMQ and Kafka, as the stacks plan it", function () {
  this.timeout(600_000);
  let prod: RunResult;
  let volumes: RunResult;
  let tartware: RunResult;
  before(async () => {
    [prod, volumes, tartware] = await Promise.all([planStack(PROD), planStack(VOLUMES), planStack(objectsOnlyTartware())]);
  });

  it("issue #19: prod's Redis server pods opt their `data` volume in, with the snapshot hook in the redis container", () => {
    const annotations = redisPodAnnotations(prod);
    expect(annotations?.[BACKUP_VOLUMES]).to.equal("data");
    expect(annotations).to.deep.include({ "pre.hook.backup.velero.io/container": "redis", "pre.hook.backup.velero.io/on-error": "Continue" });
    const command = JSON.parse(annotations?.["pre.hook.backup.velero.io/command"] ?? "[]") as string[];
    expect(command.slice(0, 2)).to.deep.equal(["/bin/sh", "-c"]);
    expect(command[2]).to.contain("BGSAVE SCHEDULE");
  });

  it("prod's RabbitMQ nodes opt their `persistence` volume in", () => {
    expect(rabbitmqPodAnnotations(prod)).to.deep.equal([{ [BACKUP_VOLUMES]: "persistence" }]);
  });

  it("issue #19: every Kafka node pool opts its JBOD volume `data-0` in", () => {
    const annotations = nodePoolAnnotations(volumes);
    expect(annotations.length).to.be.greaterThan(0);
    for (const a of annotations) expect(a).to.deep.equal({ [BACKUP_VOLUMES]: "data-0" });
    expect(redisPodAnnotations(volumes)?.[BACKUP_VOLUMES]).to.equal("data");
    expect(rabbitmqPodAnnotations(volumes)).to.deep.equal([{ [BACKUP_VOLUMES]: "persistence" }]);
  });

  it("keeps the data namespace's schedule opt-in, and no database object names a volume for Velero", () => {
    for (const result of [prod, volumes]) {
      expect(at(dataSchedule(result).inputs, "spec.template")).to.deep.include({ includedNamespaces: ["data"], defaultVolumesToFsBackup: false, snapshotVolumes: false });
      const databases = DATABASES.flatMap((type) => ofType(result, type));
      expect(databases.length, result.stack).to.be.greaterThan(0);
      for (const db of databases) expect(JSON.stringify(db.inputs), db.name).to.not.contain("backup.velero.io");
    }
  });

  it("annotates nothing where Velero copies objects only (Tartware with volumeData: false and waivers)", () => {
    expect(ofType(tartware, SCHEDULE).length).to.be.greaterThan(0);
    expect(redisPodAnnotations(tartware) ?? {}).to.not.have.property(BACKUP_VOLUMES);
    expect(nodePoolAnnotations(tartware).every((a) => a === undefined)).to.equal(true);
    expect(nodePoolAnnotations(tartware).length).to.be.greaterThan(0);
  });

  it("proves Velero's path to the API server (hooks run as pods/exec), which breaks without the backup namespace's allow-api-server policy", async () => {
    const plan = toPlanDocument(prod);
    const hooks = "velero/velero → api-server";
    const proven = await proveConnections(plan);
    expect(proven.filter((r) => `${r.source} → ${r.destination}` === hooks)).to.have.length(1);
    expect(brokenConnections(proven)).to.deep.equal([]);
    const isPolicy = (r: (typeof plan.resources)[number]) => {
      const metadata = r.inputs["metadata"] as { name?: string; namespace?: string } | undefined;
      return r.inputs["kind"] === "NetworkPolicy" && metadata?.name === "allow-api-server" && metadata.namespace === "velero";
    };
    expect(plan.resources.filter(isPolicy)).to.have.length(1);
    const broken = brokenConnections(await proveConnections({ ...plan, resources: plan.resources.filter((r) => !isPolicy(r)) }));
    expect(broken.map((b) => `${b.connection}: ${b.message.split(":")[0]}`)).to.include.members([`${hooks}: egress`, "velero/node-agent → api-server: egress"]);
  });
});
