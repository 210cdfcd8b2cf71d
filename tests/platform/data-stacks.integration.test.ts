/**
 * The data services of issue #11 as the stacks plan them: prod (EMIS on vSphere), dev (EKS) and
 * the Tartware example, through the shared harness. Per service: pin, replicas, anti-affinity,
 * PDB, storage, pool placement, metrics, backups, endpoint and its Secret.
 */
import { isDeepStrictEqual } from "node:util";
import { expect } from "chai";
import { CHARTS, MANIFESTS } from "../../lib/catalog";
import { mysqldLabels } from "../../platform/mysql/values";
import type { CapturedRecord } from "../../tools/engine/capture";
import { REPO_ROOT, type RunResult } from "../../tools/engine/run";
import { at, ofType, planStack } from "../harness";
import { MOCK_ACCOUNT_ID } from "../../tools/engine/mock-state/aws";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const MYSQL = "kubernetes:ps.percona.com/v1:PerconaServerMySQL";
const MONGODB = "kubernetes:psmdb.percona.com/v1:PerconaServerMongoDB";
const RABBITMQ = "kubernetes:rabbitmq.com/v1beta1:RabbitmqCluster";
const KAFKA = "kubernetes:kafka.strimzi.io/v1:Kafka";
const NODE_POOL = "kubernetes:kafka.strimzi.io/v1:KafkaNodePool";
const POD_MONITOR = "kubernetes:monitoring.coreos.com/v1:PodMonitor";
export const TARTWARE = { stack: "tartware", configFile: `${REPO_ROOT}/examples/tartware/Pulumi.tartware.yaml` } as const;

function one(result: RunResult, type: string): CapturedRecord {
  const found = ofType(result, type);
  expect(found, type).to.have.length(1);
  return found[0] as CapturedRecord;
}

function release(result: RunResult, chart: string): CapturedRecord {
  const found = result.resources.filter((r) => r.type === RELEASE && String(r.inputs.chart).split("/").pop() === chart);
  expect(found, chart).to.have.length(1);
  return found[0] as CapturedRecord;
}

function podMonitorFor(result: RunResult, selector: Record<string, string>): CapturedRecord | undefined {
  return ofType(result, POD_MONITOR).find((r) => isDeepStrictEqual(at(r.inputs, "spec.selector.matchLabels"), selector));
}

interface Endpoints {
  platform: { endpoints: Record<string, Record<string, unknown>> };
}

describe("platform data services (part 2) in the stacks", () => {
  let prod: RunResult;
  let dev: RunResult;
  let tartware: RunResult;
  before(async () => {
    [prod, dev, tartware] = await Promise.all([planStack({ stack: "prod" }), planStack({ stack: "dev" }), planStack(TARTWARE)]);
  });

  describe("prod (EMIS on vSphere)", () => {
    it("MySQL: ps-operator 1.1.0, group replication of 3 with the seed's resources and 500 Gi, only on the mysql pool", () => {
      const operator = release(prod, "ps-operator");
      expect(operator.inputs.version).to.equal(CHARTS["ps-operator"].version).and.to.equal("1.1.0");
      expect(operator.protect, "operator protected").to.equal(true);
      const cluster = one(prod, MYSQL);
      expect(cluster.protect, "cluster protected").to.equal(true);
      const mysql = at(cluster.inputs, "spec.mysql") as Record<string, unknown>;
      expect(mysql).to.deep.include({ clusterType: "group-replication", size: 3, affinity: { antiAffinityTopologyKey: "kubernetes.io/hostname" }, podDisruptionBudget: { maxUnavailable: 1 } });
      expect(mysql["resources"]).to.deep.equal({ requests: { cpu: "2000m", memory: "4096Mi" }, limits: { cpu: "4000m", memory: "8192Mi" } });
      expect(at(mysql, "volumeSpec.persistentVolumeClaim")).to.deep.include({ storageClassName: "vsphere-database", resources: { requests: { storage: "500Gi" } } });
      for (const part of [mysql, at(cluster.inputs, "spec.proxy.haproxy") as Record<string, unknown>]) {
        expect(part["nodeSelector"]).to.include({ "node.strata.io/pool": "mysql" });
        expect(part["tolerations"]).to.deep.equal([{ key: "strata.io/database", operator: "Equal", value: "mysql", effect: "NoSchedule" }]);
      }
      expect(at(cluster.inputs, "spec.proxy.haproxy.size")).to.equal(3);
    });

    it("MongoDB: psmdb-operator 1.22.0, rs0 of 3 without sharding, only on the mongodb pool, 500 Gi", () => {
      expect(release(prod, "psmdb-operator").inputs.version).to.equal("1.22.0");
      const cluster = one(prod, MONGODB);
      expect(cluster.protect).to.equal(true);
      expect(at(cluster.inputs, "spec.sharding")).to.deep.equal({ enabled: false });
      const replset = (at(cluster.inputs, "spec.replsets") as Record<string, unknown>[])[0] ?? {};
      expect(replset).to.deep.include({ name: "rs0", size: 3, arbiter: { enabled: false, size: 1 }, podDisruptionBudget: { maxUnavailable: 1 } });
      expect(replset["nodeSelector"]).to.include({ "node.strata.io/pool": "mongodb" });
      expect(replset["tolerations"]).to.deep.equal([{ key: "strata.io/database", operator: "Equal", value: "mongodb", effect: "NoSchedule" }]);
      expect(at(replset, "volumeSpec.persistentVolumeClaim.resources.requests.storage")).to.equal("500Gi");
    });

    it("RabbitMQ: the pinned operator manifests, 3 nodes with the seed's resources and 50 Gi, one per node, a PDB and no public service", () => {
      const manifests = ofType(prod, "kubernetes:yaml/v2:ConfigFile").filter((r) => String(r.inputs.file).includes("rabbitmq"));
      // The cluster operator, and the topology operator through which the apps get their own users (issue #19).
      expect(manifests.map((m) => m.inputs.file)).to.deep.equal([MANIFESTS.rabbitmqClusterOperator.url, MANIFESTS.rabbitmqTopologyOperator.url]);
      expect(MANIFESTS.rabbitmqClusterOperator.url).to.contain("/v2.22.3/");
      expect(MANIFESTS.rabbitmqTopologyOperator.url).to.contain("/v1.20.1/");
      expect(manifests.map((m) => m.protect)).to.deep.equal([true, true]);
      const cluster = one(prod, RABBITMQ);
      expect(at(cluster.inputs, "spec")).to.deep.include({ replicas: 3, persistence: { storageClassName: "vsphere-database", storage: "50Gi" }, service: { type: "ClusterIP" } });
      expect(at(cluster.inputs, "spec.resources")).to.deep.equal({ requests: { cpu: "1000m", memory: "2048Mi" }, limits: { cpu: "2000m", memory: "4096Mi" } });
      expect(at(cluster.inputs, "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution")).to.have.length(1);
      expect(at(cluster.inputs, "spec.tls.secretName")).to.equal("rabbitmq-tls");
      // RabbitMQ's budget; the EMIS apps have their own.
      const pdbs = ofType(prod, "kubernetes:policy/v1:PodDisruptionBudget").filter((r) => r.urn.includes("strata:platform:Rabbitmq"));
      expect(pdbs).to.have.length(1);
      const pdb = pdbs[0] as CapturedRecord;
      expect(at(pdb.inputs, "spec")).to.deep.equal({ maxUnavailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "rabbitmq" } } });
    });

    it("issue #19: backs MySQL up at 02:00 and MongoDB at 03:00 to the backup target outside the cluster (S3 emis-backups), 30 kept, with its keys in their own Secrets", () => {
      const mysql = at(one(prod, MYSQL).inputs, "spec.backup") as Record<string, unknown>;
      expect(mysql["schedule"]).to.deep.equal([{ name: "nightly", schedule: "0 2 * * *", keep: 30, storageName: "object-store", type: "full" }]);
      expect(at(mysql, "storages.object-store.s3")).to.deep.include({ bucket: "emis-backups", prefix: "mysql/mysql", credentialsSecret: "mysql-backup-s3", endpointUrl: "https://s3.us-east-1.amazonaws.com" });
      const mongodb = at(one(prod, MONGODB).inputs, "spec.backup") as Record<string, unknown>;
      expect((mongodb["tasks"] as unknown[])[0]).to.deep.include({ schedule: "0 3 * * *", retention: { type: "count", count: 30, deleteFromStorage: true } });
      expect(at(mongodb, "storages.object-store")).to.deep.include({ type: "s3" });
      expect(at(mongodb, "storages.object-store.s3")).to.deep.include({ bucket: "emis-backups", prefix: "mongodb/mongodb", credentialsSecret: "mongodb-backup-s3" });
      for (const name of ["mysql-backup-s3", "mongodb-backup-s3"]) {
        const secret = prod.resources.find((r) => r.type === "kubernetes:core/v1:Secret" && at(r.inputs, "metadata.name") === name);
        expect(at(secret?.inputs, "metadata.namespace"), name).to.equal("data");
        expect(at(secret?.inputs, "stringData"), name).to.equal("[secret]");
      }
    });

    it("scrapes every service: exporter sidecars and PodMonitors", () => {
      // issue #18: the operator labels mysqld pods `app.kubernetes.io/component: database` (platform/mysql/values.ts).
      expect(podMonitorFor(prod, mysqldLabels("mysql"))).to.not.equal(undefined);
      expect(podMonitorFor(prod, { "app.kubernetes.io/instance": "mongodb", "app.kubernetes.io/component": "mongod" })).to.not.equal(undefined);
      expect(podMonitorFor(prod, { "app.kubernetes.io/name": "rabbitmq" })).to.not.equal(undefined);
      expect((at(one(prod, MYSQL).inputs, "spec.mysql.sidecars") as { name: string }[]).map((c) => c.name)).to.deep.equal(["mysqld-exporter"]);
    });

    it("publishes endpoints whose credentials live in Secrets and stay secret", () => {
      const endpoints = (prod.outputs as unknown as Endpoints).platform.endpoints;
      expect(endpoints["mysql"]).to.deep.include({ kind: "mysql", host: "mysql-haproxy.data.svc", port: 3306, readHost: "mysql-haproxy.data.svc", secretName: "mysql-app", namespace: "data" });
      expect(endpoints["mongodb"]).to.deep.include({ kind: "mongodb", port: 27017, secretName: "mongodb-app" });
      expect(endpoints["rabbitmq"]).to.deep.include({ kind: "rabbitmq", host: "rabbitmq.data.svc", port: 5672, secretName: "rabbitmq-default-user" });
      for (const endpoint of Object.values(endpoints)) {
        expect(endpoint).to.not.have.property("password");
        expect(endpoint).to.not.have.property("url");
      }
      const appSecret = prod.resources.find((r) => r.type === "kubernetes:core/v1:Secret" && at(r.inputs, "metadata.name") === "mysql-app");
      // issue #27: the connection URL keeps its shape with the password masked; the password itself stays hidden.
      const stringData = at(appSecret?.inputs, "stringData") as Record<string, string>;
      expect(stringData.password).to.equal("[secret]");
      expect(stringData.url).to.match(/^mysql:\/\/[a-z_]+:\*\*\*@[a-z0-9.-]+:\d+\/[a-z_]+$/);
    });
  });

  describe("dev (EKS)", () => {
    it("runs the same set small, on any node; MySQL's backup is off as the stack says (its operator needs static S3 keys)", () => {
      const mysql = one(dev, MYSQL);
      expect(mysql.protect).to.equal(false);
      expect(at(mysql.inputs, "spec.mysql.resources")).to.deep.equal({ requests: { cpu: "250m", memory: "1024Mi" }, limits: { cpu: "1000m", memory: "2048Mi" } });
      expect(at(mysql.inputs, "spec.mysql.volumeSpec.persistentVolumeClaim.resources.requests.storage")).to.equal("20Gi");
      expect(at(mysql.inputs, "spec.mysql.nodeSelector")).to.deep.equal({});
      expect(at(mysql.inputs, "spec.backup.enabled")).to.equal(false);
      expect(at(one(dev, RABBITMQ).inputs, "spec.persistence.storage")).to.equal("10Gi");
      expect(ofType(dev, KAFKA)).to.have.length(0);
    });

    it("issue #19: backs MongoDB up with PBM to the backups bucket under mongodb/, as IRSA roles, with no keys", () => {
      const spec = at(one(dev, MONGODB).inputs, "spec") as Record<string, unknown>;
      expect(at(spec, "backup.enabled")).to.equal(true);
      // No credentialsSecret: PBM's SDK client takes the pod's web identity (percona-backup-mongodb v2.12.0 s3.go `s3client`).
      expect(at(spec, "backup.storages.object-store")).to.deep.equal({
        main: true,
        type: "s3",
        s3: { bucket: `strata-dev-backups-${MOCK_ACCOUNT_ID}`, prefix: "mongodb/mongodb", region: "eu-central-1", endpointUrl: "https://s3.eu-central-1.amazonaws.com" },
      });
      expect(at(spec, "replsets.0.serviceAccountName")).to.equal("mongodb-backup");
      const account = ofType(dev, "kubernetes:core/v1:ServiceAccount").find((r) => at(r.inputs, "metadata.name") === "mongodb-backup");
      expect(at(account?.inputs, "metadata.namespace")).to.equal("data");
      expect(String((at(account?.inputs, "metadata.annotations") as Record<string, string> | undefined)?.["eks.amazonaws.com/role-arn"])).to.match(/^arn:aws:iam::\d{12}:role\/strata-dev-mongodb-backups/);
      // The operator deletes expired backups itself: its service account carries its own role.
      const operator = release(dev, "psmdb-operator");
      expect(at(operator.inputs, "values.fullnameOverride")).to.equal("psmdb-operator");
      expect(String((at(operator.inputs, "values.serviceAccount.annotations") as Record<string, string> | undefined)?.["eks.amazonaws.com/role-arn"])).to.match(/role\/strata-dev-mongodb-operator/);
    });
  });

  describe("Tartware example (vSphere, Kafka)", () => {
    it("Strimzi 1.2.0 watching the data namespace; KRaft with 3 controllers and 3 brokers, RF 3 / min ISR 2", () => {
      const operator = release(tartware, "strimzi-kafka-operator");
      expect(operator.inputs.version).to.equal("1.2.0");
      expect(at(operator.inputs, "values.watchNamespaces")).to.deep.equal(["data"]);
      const kafka = one(tartware, KAFKA);
      expect(kafka.protect).to.equal(true);
      expect(at(kafka.inputs, "spec.kafka.config")).to.deep.include({ "default.replication.factor": 3, "min.insync.replicas": 2 });
      expect(at(kafka.inputs, "spec.kafka.rack")).to.deep.equal({ topologyKey: "kubernetes.io/hostname" });
      const pools = ofType(tartware, NODE_POOL).map((p) => [at(p.inputs, "metadata.name"), at(p.inputs, "spec.roles"), at(p.inputs, "spec.replicas"), at(p.inputs, "spec.storage.volumes")]);
      expect(pools).to.deep.equal([
        ["controllers", ["controller"], 3, [{ id: 0, type: "persistent-claim", size: "20Gi", class: "vsphere-database", deleteClaim: false, kraftMetadata: "shared" }]],
        ["brokers", ["broker"], 3, [{ id: 0, type: "persistent-claim", size: "500Gi", class: "vsphere-database", deleteClaim: false, kraftMetadata: "shared" }]],
      ]);
      // The example runs observability (KEDA queries its Prometheus), so Kafka's monitor follows it on.
      expect(podMonitorFor(tartware, { "strimzi.io/cluster": "kafka", "strimzi.io/kind": "Kafka" })).to.not.equal(undefined);
    });

    it("the endpoint carries the TLS bootstrap address and the SCRAM user's Secret", () => {
      const endpoint = (tartware.outputs as unknown as Endpoints).platform.endpoints["kafka"];
      expect(endpoint).to.deep.include({ kind: "kafka", host: "kafka-kafka-bootstrap.data.svc", port: 9093, username: "app", secretName: "kafka-app-credentials" });
      const user = one(tartware, "kubernetes:kafka.strimzi.io/v1:KafkaUser");
      expect(at(user.inputs, "spec.authentication")).to.deep.equal({ type: "scram-sha-512", password: { valueFrom: { secretKeyRef: { name: "kafka-app-credentials", key: "password" } } } });
      expect(at(user.inputs, "metadata.labels")).to.include({ "strimzi.io/cluster": "kafka" });
    });

    it("issue #18: the endpoint carries Kafka's client settings; the CA certificate travels with the stack's secrets", () => {
      const endpoint = (tartware.outputs as unknown as Endpoints).platform.endpoints["kafka"];
      expect(endpoint).to.have.property("kafka").that.deep.equals({ bootstrapServers: "kafka-kafka-bootstrap.data.svc:9093", securityProtocol: "SASL_SSL", saslMechanism: "SCRAM-SHA-512", caSecretName: "kafka-cluster-ca-cert" });
      expect(secretLeaves(tartware.outputs.platformSecrets).every((leaf) => leaf === "[secret]" || /^[a-z][a-z0-9+.-]*:\/\/[^:]*:\*\*\*@/.test(leaf)), "only masked URLs show").to.equal(true);
    });

    it("issue #18: the Kafka waits for the cluster CA Secrets strata writes; the operator is scraped for the CA's expiry", () => {
      const caSecrets = ofType(tartware, "kubernetes:core/v1:Secret").filter((r) => ["kafka-cluster-ca-cert", "kafka-cluster-ca"].includes(String(at(r.inputs, "metadata.name"))) && at(r.inputs, "metadata.namespace") === "data");
      expect(caSecrets).to.have.length(2);
      expect(one(tartware, KAFKA).dependencies).to.include.members(caSecrets.map((r) => r.urn));
      expect(at(podMonitorFor(tartware, { name: "strimzi-cluster-operator", "strimzi.io/kind": "cluster-operator" })?.inputs, "metadata.namespace")).to.equal("operators");
    });
  });
});

/** Every leaf of a secret output as shown in the plan: the placeholder, or a URL with its password masked (issue #27). */
function secretLeaves(value: unknown): string[] {
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(secretLeaves);
  return [String(value)];
}
