/**
 * The platform layer as the stacks plan it: EMIS prod (vSphere: Redis on the redis pool,
 * SeaweedFS on the storage pool, Velero), dev (EKS: PostgreSQL, Redis, S3, Velero) and the vSphere
 * dev example (PostgreSQL with SeaweedFS). Charts and versions come from the catalog.
 */
import { expect } from "chai";
import { CHARTS, IMAGES } from "../../lib/catalog";
import type { CapturedRecord } from "../../tools/engine/capture";
import { SECRET_PLACEHOLDER } from "../../tools/engine/plan-document";
import type { RunResult } from "../../tools/engine/run";
import { at, ofType, planStack } from "../harness";
import { exampleRun } from "../infra/vsphere/fixtures";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const CR = (group: string, kind: string) => `kubernetes:${group}:${kind}`;

function releaseOf(result: RunResult, chart: keyof typeof CHARTS): CapturedRecord {
  const found = ofType(result, RELEASE).filter((r) => r.inputs.chart === CHARTS[chart].chart && r.inputs.version === CHARTS[chart].version);
  expect(found, `${chart} ${CHARTS[chart].version}`).to.have.length(1);
  return found[0] as CapturedRecord;
}
const values = (r: CapturedRecord, path: string) => at(r.inputs.values, path);
const one = (result: RunResult, type: string): CapturedRecord => {
  const found = ofType(result, type);
  expect(found, type).to.have.length(1);
  return found[0] as CapturedRecord;
};
const endpoints = (result: RunResult) => (result.outputs.platform as { endpoints: Record<string, Record<string, unknown>> }).endpoints;

describe("platform layer of the stacks", () => {
  let prod: RunResult;
  let dev: RunResult;
  let vsDev: RunResult;
  let eksProd: RunResult;
  before(async () => {
    [prod, dev, vsDev, eksProd] = await Promise.all([
      planStack({ stack: "prod" }),
      planStack({ stack: "dev" }),
      planStack(exampleRun("vsphere-dev.yaml")),
      planStack({ stack: "eks-prod-cluster", configFile: "examples/eks-prod-cluster.yaml" }),
    ]);
  });

  describe("prod (EMIS, vSphere)", () => {
    it("runs Redis (Valkey) with 3 Sentinels, quorum 2, hard anti-affinity, on the redis pool with its taint tolerated", () => {
      const redis = releaseOf(prod, "redis-ha");
      expect(redis.protect, "protected in prod").to.equal(true);
      expect(values(redis, "replicas")).to.equal(3);
      expect(values(redis, "sentinel.quorum")).to.equal(2);
      expect(values(redis, "hardAntiAffinity")).to.equal(true);
      expect(values(redis, "image")).to.deep.equal({ repository: IMAGES.valkey.repository, tag: IMAGES.valkey.tag });
      expect(values(redis, "nodeSelector")).to.deep.include({ "node.strata.io/pool": "redis" });
      expect(values(redis, "tolerations")).to.deep.equal([{ key: "strata.io/database", operator: "Equal", value: "redis", effect: "NoSchedule" }]);
      expect(values(redis, "persistentVolume")).to.deep.equal({ enabled: true, storageClass: "vsphere-database", size: "10Gi" });
      expect(values(redis, "podDisruptionBudget")).to.deep.equal({ maxUnavailable: 1 });
      expect(values(redis, "redis.resources")).to.deep.equal({ requests: { cpu: "1000m", memory: "2048Mi" }, limits: { cpu: "2000m", memory: "4096Mi" } });
      expect(values(redis, "exporter.enabled")).to.equal(true);
      expect(values(redis, "exporter.serviceMonitor.enabled")).to.equal(true);
    });

    it("authenticates Redis and Sentinel separately from one generated Secret, never in the values", () => {
      const redis = releaseOf(prod, "redis-ha");
      expect(values(redis, "auth")).to.equal(true);
      expect(values(redis, "sentinel.auth")).to.equal(true);
      expect(values(redis, "existingSecret")).to.equal("redis-auth");
      expect(values(redis, "sentinel.existingSecret")).to.equal("redis-auth");
      expect(values(redis, "authKey")).to.not.equal(values(redis, "sentinel.authKey"));
      const secret = ofType(prod, "kubernetes:core/v1:Secret").find((s) => at(s.inputs, "metadata.name") === "redis-auth");
      expect(secret?.inputs.stringData).to.equal(SECRET_PLACEHOLDER);
    });

    it("runs SeaweedFS on the storage pool: 3 masters, a volume server per storage node, two copies, persistent volumes only", () => {
      const sw = releaseOf(prod, "seaweedfs");
      expect(sw.protect).to.equal(true);
      expect(values(sw, "master.replicas")).to.equal(3);
      expect(values(sw, "volume.replicas")).to.equal(3);
      expect(values(sw, "master.defaultReplication")).to.equal("001");
      expect(values(sw, "volume.nodeSelector")).to.be.a("string").and.contain("node.strata.io/pool: storage");
      const dataDirs = values(sw, "volume.dataDirs") as { type: string; storageClass: string; size: string }[];
      // The seed's 2 TiB usable (MinIO 4 × 1 TiB at EC:2): 3 servers × 1400 GiB, two copies (issue #25).
      expect(dataDirs.map((d) => [d.type, d.storageClass, d.size])).to.deep.equal([["persistentVolumeClaim", "local-object", "1400Gi"]]);
      expect(values(sw, "master.data.type")).to.equal("persistentVolumeClaim");
      expect(values(sw, "filer.data.type")).to.equal("persistentVolumeClaim");
      // Raft state and filer metadata on the storage nodes' SSDs, object data on their HDDs.
      expect(values(sw, "master.data.storageClass")).to.equal("local-object-fast");
      expect(values(sw, "filer.data.storageClass")).to.equal("local-object-fast");
      expect(JSON.stringify(sw.inputs.values)).to.not.contain("hostPath");
      expect(values(sw, "s3.enableAuth")).to.equal(true);
      expect(values(sw, "s3"), "buckets come from strata's Job, not the chart's unplaceable hook").to.not.have.property("createBuckets");
      // issue #19: one filer (its metadata is not shared), two S3 gateways.
      expect(values(sw, "filer.replicas")).to.equal(1);
      expect(values(sw, "s3.replicas")).to.equal(2);
    });

    it("issue #19: places every SeaweedFS part on the storage pool, and budgets the replicated ones", () => {
      const sw = releaseOf(prod, "seaweedfs");
      for (const part of ["master", "volume", "filer", "s3"]) expect(values(sw, `${part}.nodeSelector`), part).to.be.a("string").and.contain("node.strata.io/pool: storage");
      const jobs = ofType(prod, "kubernetes:batch/v1:Job").filter((r) => at(r.inputs, "metadata.namespace") === "data" && String(at(r.inputs, "metadata.name")).startsWith("seaweedfs-buckets-"));
      expect(jobs).to.have.length(1);
      const job = jobs[0] as CapturedRecord;
      expect(at(job.inputs, "spec.template.spec.nodeSelector")).to.deep.include({ "node.strata.io/pool": "storage" });
      // The EMIS services' objects, backups, plus Loki's and Tempo's buckets (observability); versions kept in the backups bucket.
      const script = String(at(job.inputs, "spec.template.spec.containers.0.command.2"));
      for (const bucket of ["emis-objects", "strata-backups", "strata-logs", "strata-traces"]) expect(script).to.contain(`s3.bucket.create --name ${bucket}'`);
      expect(script).to.contain("s3.bucket.versioning -name strata-backups -status Enabled");
      const budgets = ofType(prod, "kubernetes:policy/v1:PodDisruptionBudget").map((r) => String(at(r.inputs, "metadata.name")));
      expect(budgets).to.include.members(["seaweedfs-master", "seaweedfs-volume", "seaweedfs-s3"]);
    });

    it("publishes the object store with its keys secret, and PostgreSQL (for Grafana alone) beside MySQL", () => {
      const platform = prod.outputs.platform as { objectStore: Record<string, unknown> };
      expect(platform.objectStore).to.deep.include({ endpoint: "http://seaweedfs-s3.data.svc:8333", forcePathStyle: true, buckets: { objects: "emis-objects", backups: "strata-backups", logs: "strata-logs", traces: "strata-traces" } });
      // issue #27: connection URLs keep their shape with the password masked; every other leaf is hidden.
      const leaves = (value: unknown): string[] => (value !== null && typeof value === "object" ? Object.values(value).flatMap(leaves) : [String(value)]);
      expect(leaves(prod.outputs.platformSecrets).every((leaf) => leaf === SECRET_PLACEHOLDER || /^[a-z][a-z0-9+.-]*:\/\/[^:]*:\*\*\*@/.test(leaf))).to.equal(true);
      expect(Object.keys(endpoints(prod))).to.include.members(["redis", "postgres", "mysql"]);
      expect(ofType(prod, CR("postgresql.cnpg.io/v1", "Cluster"))).to.have.length(1);
      expect(ofType(prod, RELEASE).map((r) => r.inputs.chart)).to.include("cloudnative-pg");
    });

    it("issue #19: backs up data and app namespaces daily at 01:00 to the S3 bucket outside the cluster, kept 30 days", () => {
      const velero = releaseOf(prod, "velero");
      expect(velero.protect).to.equal(true);
      expect(values(velero, "deployNodeAgent")).to.equal(true);
      expect(values(velero, "configuration.uploaderType")).to.equal("kopia");
      expect(values(velero, "credentials")).to.deep.equal({ useSecret: true, existingSecret: "velero-object-store" });
      const location = one(prod, CR("velero.io/v1", "BackupStorageLocation"));
      expect(at(location.inputs, "spec.config")).to.deep.equal({ region: "us-east-1", s3Url: "https://s3.us-east-1.amazonaws.com", s3ForcePathStyle: "false" });
      expect(at(location.inputs, "spec.objectStorage")).to.deep.equal({ bucket: "emis-backups", prefix: "velero" });
      const schedules = ofType(prod, CR("velero.io/v1", "Schedule"));
      expect(schedules.map((s) => [at(s.inputs, "spec.schedule"), at(s.inputs, "spec.template.ttl"), at(s.inputs, "spec.template.includedNamespaces")])).to.deep.equal([
        ["0 1 * * *", "720h0m0s", ["data"]],
        ["0 1 * * *", "720h0m0s", ["emis-infrastructure", "emis-services"]],
      ]);
    });
  });

  describe("dev (ValueVerse, EKS)", () => {
    it("runs the CloudNativePG operator and plugin from the catalog, a single instance on io2 with no superuser", () => {
      releaseOf(dev, "cloudnative-pg");
      releaseOf(dev, "plugin-barman-cloud");
      const cluster = one(dev, CR("postgresql.cnpg.io/v1", "Cluster"));
      expect(cluster.protect, "dev is not protected").to.equal(false);
      expect(at(cluster.inputs, "spec.instances")).to.equal(1);
      expect(at(cluster.inputs, "spec.imageName")).to.equal(`${IMAGES.postgresql.repository}:${IMAGES.postgresql.tag}`);
      expect(at(cluster.inputs, "spec.enableSuperuserAccess")).to.equal(false);
      // issue #22: dev's database class is gp3 (kept on delete), not io2.
      expect(at(cluster.inputs, "spec.storage")).to.deep.equal({ size: "20Gi", storageClass: "gp3-retain-encrypted" });
      expect(at(cluster.inputs, "spec.affinity.podAntiAffinityType")).to.equal("required");
      expect(at(cluster.inputs, "spec.enablePDB")).to.equal(true);
    });

    it("archives WAL and base backups through the plugin to the S3 backups bucket under IRSA", () => {
      const cluster = one(dev, CR("postgresql.cnpg.io/v1", "Cluster"));
      expect(at(cluster.inputs, "spec.plugins")).to.deep.equal([{ name: "barman-cloud.cloudnative-pg.io", isWALArchiver: true, parameters: { barmanObjectName: "postgres-backups" } }]);
      expect(at(cluster.inputs, "spec.serviceAccountTemplate.metadata.annotations")).to.have.property("eks.amazonaws.com/role-arn").that.matches(/^arn:aws:iam::/);
      const store = one(dev, CR("barmancloud.cnpg.io/v1", "ObjectStore"));
      expect(at(store.inputs, "spec.configuration.s3Credentials")).to.deep.equal({ inheritFromIAMRole: true });
      expect(at(store.inputs, "spec.configuration.destinationPath")).to.match(/^s3:\/\/.+\/postgres\/$/);
      expect(at(store.inputs, "spec.retentionPolicy")).to.equal("7d");
      const backup = one(dev, CR("postgresql.cnpg.io/v1", "ScheduledBackup"));
      expect(at(backup.inputs, "spec")).to.deep.include({ schedule: "0 0 1 * * *", method: "plugin" });
      expect(ofType(dev, RELEASE).map((r) => r.inputs.chart)).to.not.include("seaweedfs");
    });

    it("puts PgBouncer in transaction mode in front of the primary, sized for 10,000 clients, with PodMonitors", () => {
      const pooler = one(dev, CR("postgresql.cnpg.io/v1", "Pooler"));
      expect(at(pooler.inputs, "spec.type")).to.equal("rw");
      expect(at(pooler.inputs, "spec.pgbouncer.poolMode")).to.equal("transaction");
      expect(at(pooler.inputs, "spec.pgbouncer.parameters.max_client_conn")).to.equal("10000");
      const monitors = ofType(dev, CR("monitoring.coreos.com/v1", "PodMonitor")).map((m) => String(at(m.inputs, "metadata.name")));
      expect(monitors.filter((name) => name.startsWith("postgres"))).to.have.members(["postgres-instances", "postgres-pooler"]);
    });

    it("publishes PostgreSQL and Redis endpoints whose password and URL are secret", () => {
      const { postgres, redis } = endpoints(dev);
      expect({ postgres, redis }).to.deep.equal({
        postgres: { kind: "postgresql", namespace: "data", host: "postgres-pooler-rw.data.svc", port: 5432, ports: [5432], readHost: "postgres-ro.data.svc", database: "app", username: "app", secretName: "postgres-credentials" },
        redis: { kind: "redis", namespace: "data", host: "redis-haproxy.data.svc", port: 6379, ports: [6379], username: "default", secretName: "redis-auth" },
      });
      expect(dev.snapshot.secretOutputNames).to.include("platformSecrets");
      const secrets = dev.snapshot.outputs.platformSecrets as { endpoints: Record<string, { password: string; url: string }> };
      expect(secrets.endpoints.postgres?.url).to.match(/^postgresql:\/\/app:.+@postgres-pooler-rw\.data\.svc:5432\/app$/);
      expect(JSON.stringify(dev.outputs)).to.not.contain(secrets.endpoints.postgres?.password ?? "missing");
    });

    it("gives the PostgreSQL service account an IRSA role trusted for data/postgres only", () => {
      const role = ofType(dev, "aws:iam/role:Role").find((r) => r.name.endsWith("-postgres-backups"));
      const trust = JSON.parse(String(role?.inputs.assumeRolePolicy)) as { Statement: { Action: string; Condition: { StringEquals: Record<string, string> } }[] };
      expect(trust.Statement[0]?.Action).to.equal("sts:AssumeRoleWithWebIdentity");
      expect(Object.values(trust.Statement[0]?.Condition.StringEquals ?? {})).to.include("system:serviceaccount:data:postgres");
    });

    it("uses the infra layer's backups bucket for Velero through its Pod Identity service account, without keys", () => {
      const velero = releaseOf(dev, "velero");
      expect(values(velero, "credentials")).to.deep.equal({ useSecret: false });
      expect(values(velero, "serviceAccount.server.name")).to.equal("velero");
      const location = one(dev, CR("velero.io/v1", "BackupStorageLocation"));
      expect(at(location.inputs, "spec.config")).to.deep.equal({ region: "eu-central-1" });
      expect(at(location.inputs, "spec")).to.not.have.property("credential");
      const store = (dev.outputs.platform as { objectStore: Record<string, unknown> }).objectStore;
      expect(store).to.not.have.property("credentials");
      expect(store).to.deep.include({ endpoint: "https://s3.eu-central-1.amazonaws.com", forcePathStyle: false });
    });
  });

  describe("EKS prod example (ValueVerse)", () => {
    it("runs a protected primary + 2 replicas on the data node group, one per node, 100 Gi io2", () => {
      const cluster = one(eksProd, CR("postgresql.cnpg.io/v1", "Cluster"));
      expect(cluster.protect).to.equal(true);
      expect(releaseOf(eksProd, "cloudnative-pg").protect).to.equal(true);
      expect(at(cluster.inputs, "spec.instances")).to.equal(3);
      expect(at(cluster.inputs, "spec.storage")).to.deep.equal({ size: "100Gi", storageClass: "io2-encrypted" });
      expect(at(cluster.inputs, "spec.affinity")).to.deep.include({ enablePodAntiAffinity: true, podAntiAffinityType: "required", topologyKey: "kubernetes.io/hostname" });
      expect(at(cluster.inputs, "spec.affinity.nodeSelector")).to.deep.include({ "node.strata.io/pool": "data" });
      expect(at(cluster.inputs, "spec.affinity.tolerations")).to.deep.equal([{ key: "node.strata.io/dedicated", operator: "Equal", value: "database", effect: "NoSchedule" }]);
      expect(at(one(eksProd, CR("barmancloud.cnpg.io/v1", "ObjectStore")).inputs, "spec.retentionPolicy")).to.equal("30d");
    });

    it("runs 3 PgBouncers, any two of which admit all 10,000 clients, with a PDB", () => {
      const pooler = one(eksProd, CR("postgresql.cnpg.io/v1", "Pooler"));
      expect(at(pooler.inputs, "spec.instances")).to.equal(3);
      expect(at(pooler.inputs, "spec.pgbouncer.parameters.max_client_conn")).to.equal("5000");
      const pdbs = eksProd.resources.filter((r) => r.type === "kubernetes:policy/v1:PodDisruptionBudget" && (at(r.inputs, "spec.selector.matchLabels") as Record<string, string> | undefined)?.["cnpg.io/poolerName"] !== undefined);
      expect(pdbs).to.have.length(1);
      const pdb = pdbs[0]!;
      expect(at(pdb.inputs, "spec")).to.deep.equal({ maxUnavailable: 1, selector: { matchLabels: { "cnpg.io/poolerName": "postgres-pooler-rw" } } });
    });

    it("runs Redis with 3 Sentinels on the same node group with 10 Gi gp3 volumes kept on delete (the seed's gp3 Retain)", () => {
      const redis = releaseOf(eksProd, "redis-ha");
      expect(values(redis, "replicas")).to.equal(3);
      expect(values(redis, "persistentVolume")).to.deep.include({ storageClass: "gp3-retain-encrypted", size: "10Gi" });
      expect(values(redis, "nodeSelector")).to.deep.include({ "node.strata.io/pool": "data" });
    });
  });

  describe("vSphere dev example", () => {
    it("runs PostgreSQL with backups on SeaweedFS with static keys, and no Redis where it is not enabled", () => {
      const store = one(vsDev, CR("barmancloud.cnpg.io/v1", "ObjectStore"));
      expect(at(store.inputs, "spec.configuration.endpointURL")).to.equal("http://seaweedfs-s3.data.svc:8333");
      expect(at(store.inputs, "spec.configuration.s3Credentials")).to.deep.equal({
        accessKeyId: { name: "postgres-backup-credentials", key: "AWS_ACCESS_KEY_ID" },
        secretAccessKey: { name: "postgres-backup-credentials", key: "AWS_SECRET_ACCESS_KEY" },
      });
      expect(Object.keys(endpoints(vsDev))).to.deep.equal(["postgres"]);
      expect(ofType(vsDev, RELEASE).map((r) => r.inputs.chart)).to.not.include("redis-ha");
      const seaweedfs = releaseOf(vsDev, "seaweedfs");
      expect(values(seaweedfs, "master.replicas")).to.equal(1);
      expect(values(seaweedfs, "master.defaultReplication")).to.equal("000");
    });
  });
});
