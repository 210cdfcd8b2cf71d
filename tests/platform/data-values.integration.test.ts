/**
 * Pure builders of MySQL, MongoDB, RabbitMQ and Kafka (issue #11): each custom resource
 * validated against its CRD from the chart reference data, each operator's values against its
 * values.yaml, and the facts that matter asserted directly.
 */
import { expect } from "chai";
import { chartNameOf, loadChartReference } from "../../tools/verify/chart-reference";
import { loadCrds } from "../../tools/verify/crds";
import { customResourceFindings } from "../../tools/verify/custom-resources";
import { valueKeyFindings } from "../../tools/verify/helm-values";
import { CHARTS, type ChartId } from "../../lib/catalog";
import type { Placement } from "../../lib/contracts";
import { chartReference } from "../cluster/reference";
import { type BackupTarget, splitEndpoint } from "../../platform/data-service";
import { appUserScript, mysqlClusterSpec, mysqlOperatorValues } from "../../platform/mysql/values";
import { mongodbClusterSpec, mongodbOperatorValues, mongodbUrl, pbmStorage } from "../../platform/mongodb/values";
import { defaultUserData, rabbitmqClusterSpec } from "../../platform/rabbitmq/values";
import { kafkaSpec, kafkaUserSpec, nodePoolSpec, strimziOperatorValues } from "../../platform/kafka/values";

const PLACEMENT: Placement = {
  nodeSelector: { "strata.io/database": "mysql" },
  tolerations: [{ key: "strata.io/database", operator: "Equal", value: "mysql", effect: "NoSchedule" }],
};
const SIZE = { cpuMillis: 2000, memoryMi: 4096, limitCpuMillis: 4000, limitMemoryMi: 8192 };
const SEAWEED: BackupTarget = {
  endpoint: "http://seaweedfs-s3.data.svc:8333",
  region: "us-east-1",
  bucket: "backups",
  prefix: "mysql/mysql",
  forcePathStyle: true,
  credentialsSecret: "mysql-backup-s3",
};

function crFindings(group: string, version: string, kind: string, spec: unknown) {
  const object = { apiVersion: `${group}/${version}`, kind, metadata: { name: "x", namespace: "data" }, spec };
  return customResourceFindings(kind, object, group, version, kind, loadCrds(chartReference())).map((f) => `${f.path}: ${f.message}`);
}

function valueFindings(chart: ChartId, values: Record<string, unknown>) {
  const ref = loadChartReference(chartReference(), chartNameOf(CHARTS[chart].chart));
  if (ref === undefined) throw new Error(`no reference data for ${chart}`);
  return valueKeyFindings(chart, values, ref).map((f) => `${f.path}: ${f.message}`);
}

describe("platform data services (part 2): builders", () => {
  describe("mysql", () => {
    const spec = mysqlClusterSpec({
      members: 3,
      resources: SIZE,
      storageGi: 500,
      storageClass: "database",
      placement: PLACEMENT,
      haproxyReplicas: 3,
      haproxyResources: SIZE,
      systemUsersSecret: "mysql-secrets",
      backup: { target: SEAWEED, plan: { schedule: "0 2 * * *", keep: 30 } },
      metrics: true,
    });

    it("validates against the PerconaServerMySQL CRD; operator values exist in ps-operator 1.1.0", () => {
      expect(crFindings("ps.percona.com", "v1", "PerconaServerMySQL", spec)).to.deep.equal([]);
      expect(valueFindings("ps-operator", mysqlOperatorValues(PLACEMENT))).to.deep.equal([]);
    });
    it("runs group replication behind HAProxy, the router off, one member per node", () => {
      expect(spec.mysql).to.deep.include({ clusterType: "group-replication", size: 3, affinity: { antiAffinityTopologyKey: "kubernetes.io/hostname" } });
      expect(spec.proxy.haproxy.enabled).to.equal(true);
      expect(spec.proxy.router.enabled).to.equal(false);
      expect(spec.mysql.nodeSelector).to.deep.equal(PLACEMENT.nodeSelector);
      expect(spec.mysql.tolerations).to.deep.equal(PLACEMENT.tolerations);
    });
    it("backs up nightly to the object store with an s3 storage and keeps the retention's days; PITR (tech preview upstream) stays off", () => {
      expect(spec.backup).to.deep.include({ pitr: { enabled: false } });
      expect(spec.backup).to.have.deep.property("storages", {
        "object-store": {
          type: "s3",
          verifyTLS: false,
          s3: { bucket: "backups", prefix: "mysql/mysql", credentialsSecret: "mysql-backup-s3", endpointUrl: "http://seaweedfs-s3.data.svc:8333", region: "us-east-1" },
          containerOptions: { args: { xtrabackup: ["--compress=zstd"] } },
        },
      });
      expect(spec.backup).to.have.deep.property("schedule", [{ name: "nightly", schedule: "0 2 * * *", keep: 30, storageName: "object-store", type: "full" }]);
    });
    it("issue #19: compresses xtrabackup's stream with zstd, which the operator's restore decompresses", () => {
      expect(spec.backup).to.have.nested.property("storages.object-store.containerOptions.args.xtrabackup").that.deep.equals(["--compress=zstd"]);
    });
    it("creates the application user idempotently, with passwords only from the environment", () => {
      const script = appUserScript("app", "app");
      expect(script).to.contain("CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY '$APP_PASSWORD';");
      expect(script).to.contain("GRANT ALL PRIVILEGES ON \\`app\\`.* TO 'app'@'%';");
      expect(script).to.not.match(/-p\S/);
    });
  });

  describe("mongodb", () => {
    const spec = mongodbClusterSpec({
      members: 3,
      resources: SIZE,
      storageGi: 500,
      placement: PLACEMENT,
      systemUsersSecret: "mongodb-secrets",
      appUser: { database: "app", username: "app", secretName: "mongodb-app" },
      backup: { target: { ...SEAWEED, prefix: "mongodb/mongodb" }, plan: { schedule: "0 3 * * *", keep: 30 } },
      metrics: true,
    });

    it("validates against the PerconaServerMongoDB CRD; operator values exist in psmdb-operator 1.22.0", () => {
      expect(crFindings("psmdb.percona.com", "v1", "PerconaServerMongoDB", spec)).to.deep.equal([]);
      expect(valueFindings("psmdb-operator", mongodbOperatorValues(PLACEMENT))).to.deep.equal([]);
    });
    it("turns sharding off (the operator defaults it on) and runs rs0 without an arbiter", () => {
      expect(spec.sharding).to.deep.equal({ enabled: false });
      expect(spec.replsets).to.have.length(1);
      expect(spec.replsets[0]).to.deep.include({ name: "rs0", size: 3, arbiter: { enabled: false, size: 1 } });
    });
    it("gives the application user its own Secret", () => {
      expect(spec.users).to.deep.equal([{ name: "app", db: "app", passwordSecretRef: { name: "mongodb-app", key: "password" }, roles: [{ name: "readWrite", db: "app" }] }]);
    });
    it("uses PBM's minio storage for a path-style store and s3 for AWS, with count retention", () => {
      expect(pbmStorage(SEAWEED)).to.deep.equal({
        main: true,
        type: "minio",
        minio: { bucket: "backups", prefix: "mysql/mysql", region: "us-east-1", endpointUrl: "seaweedfs-s3.data.svc:8333", secure: false, forcePathStyle: true, credentialsSecret: "mysql-backup-s3" },
      });
      expect(pbmStorage({ ...SEAWEED, endpoint: "https://s3.eu-central-1.amazonaws.com", forcePathStyle: false }).type).to.equal("s3");
      expect(spec.backup).to.have.nested.property("tasks[0]").that.deep.includes({ schedule: "0 3 * * *", retention: { type: "count", count: 30, deleteFromStorage: true } });
    });
    it("issue #19: saves the oplog every 10 minutes for point-in-time recovery, compressed like the base backups (accepted by the CRD above)", () => {
      expect(spec.backup).to.have.deep.property("pitr", { enabled: true, oplogSpanMin: 10, compressionType: "zstd" });
      expect(spec.backup).to.have.nested.property("tasks[0].compressionType", "zstd");
    });
    it("encodes the password in the connection URL", () => {
      expect(mongodbUrl(["a.svc", "b.svc"], "app", "p@ss/word", "app")).to.equal("mongodb://app:p%40ss%2Fword@a.svc:27017,b.svc:27017/app?replicaSet=rs0&authSource=app");
    });
    it("rejects an endpoint that is not an http(s) URL", () => {
      expect(() => splitEndpoint("seaweedfs:8333")).to.throw('object store endpoint "seaweedfs:8333" is not an http(s)://host[:port] URL');
    });
  });

  describe("rabbitmq", () => {
    const spec = rabbitmqClusterSpec("rabbitmq", { replicas: 3, resources: SIZE, storageGi: 50, storageClass: "database", placement: PLACEMENT, defaultUserSecret: "rabbitmq-default-user", tlsSecret: "rabbitmq-tls", veleroVolumeBackup: true });

    it("validates against the RabbitmqCluster CRD", () => {
      expect(crFindings("rabbitmq.com", "v1beta1", "RabbitmqCluster", spec)).to.deep.equal([]);
    });
    it("keeps one node per Kubernetes node, on the pool, behind a ClusterIP service", () => {
      expect(spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).to.deep.equal([
        { labelSelector: { matchLabels: { "app.kubernetes.io/name": "rabbitmq" } }, topologyKey: "kubernetes.io/hostname" },
      ]);
      expect(spec.affinity).to.have.nested.property("nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key", "strata.io/database");
      expect(spec.service).to.deep.equal({ type: "ClusterIP" });
      expect(spec.persistence).to.deep.equal({ storageClassName: "database", storage: "50Gi" });
      expect(spec.override?.statefulSet.spec.template.metadata.annotations).to.deep.equal({ "backup.velero.io/backup-volumes": "persistence" });
    });
    it("issue #19: declares queues as quorum queues by default (RabbitMQ 4 has no classic mirroring)", () => {
      expect(spec.rabbitmq.additionalConfig.split("\n")).to.include("default_queue_type = quorum");
    });
    it("writes the default user in the keys the operator reads", () => {
      const data = defaultUserData("rabbitmq", "data", "strata", "pw");
      expect(data["default_user.conf"]).to.equal("default_user = strata\ndefault_pass = pw\n");
      expect(data).to.deep.include({ username: "strata", password: "pw", host: "rabbitmq.data.svc", port: "5672" });
    });
  });

  describe("kafka", () => {
    const placement: Placement = { nodeSelector: {}, tolerations: [] };
    const spec = kafkaSpec("kafka", { replicationFactor: 3, minInSyncReplicas: 2, placement, metrics: true });
    const pool = nodePoolSpec("kafka", { name: "dual", roles: ["controller", "broker"], replicas: 3, resources: SIZE, storageGi: 100, storageClass: "database", veleroVolumeBackup: true }, placement);

    it("validates against the Kafka and KafkaNodePool CRDs; operator values exist in strimzi-kafka-operator 1.2.0", () => {
      expect(crFindings("kafka.strimzi.io", "v1", "Kafka", spec)).to.deep.equal([]);
      expect(crFindings("kafka.strimzi.io", "v1", "KafkaNodePool", pool)).to.deep.equal([]);
      expect(valueFindings("strimzi-kafka-operator", strimziOperatorValues("data", placement))).to.deep.equal([]);
    });
    it("issue #18: hands the cluster CA to strata (clusterCa.generateCertificateAuthority: false, accepted by the Kafka CRD above)", () => {
      expect(spec.clusterCa).to.deep.equal({ generateCertificateAuthority: false });
    });
    it("has a TLS listener with SCRAM-SHA-512, RF 3 / min ISR 2 and rack awareness by node", () => {
      expect(spec.kafka.listeners).to.deep.equal([{ name: "tls", port: 9093, type: "internal", tls: true, authentication: { type: "scram-sha-512" } }]);
      expect(spec.kafka.config).to.deep.include({ "default.replication.factor": 3, "min.insync.replicas": 2 });
      expect(spec.kafka.rack).to.deep.equal({ topologyKey: "kubernetes.io/hostname" });
      expect(spec.kafka).to.not.have.property("resources");
    });
    it("puts resources and storage on the node pool, one pod per node", () => {
      expect(pool.resources).to.deep.equal({ requests: { cpu: "2000m", memory: "4096Mi" }, limits: { cpu: "4000m", memory: "8192Mi" } });
      expect(pool.storage.volumes[0]).to.deep.include({ type: "persistent-claim", size: "100Gi", class: "database", kraftMetadata: "shared" });
      expect(pool.template.pod.metadata?.annotations).to.deep.equal({ "backup.velero.io/backup-volumes": "data-0" });
      expect(pool.template.pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]?.labelSelector.matchLabels).to.deep.equal({ "strimzi.io/cluster": "kafka", "strimzi.io/pool-name": "dual" });
    });
    it("gives the user a SCRAM password from strata's Secret and prefix ACLs", () => {
      const user = kafkaUserSpec("kafka-app-credentials", "orders.");
      expect(user.authentication.password.valueFrom.secretKeyRef).to.deep.equal({ name: "kafka-app-credentials", key: "password" });
      expect(user.authorization.acls.map((a) => a.resource)).to.deep.equal([
        { type: "topic", name: "orders.", patternType: "prefix" },
        { type: "group", name: "orders.", patternType: "prefix" },
      ]);
    });
  });
});
