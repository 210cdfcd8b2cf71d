/** Pure builders of the platform layer, tested without the engine. */
import { expect } from "chai";
import { parse } from "yaml";
import { cronProblem, retentionHours, storageClassFor } from "../../config/platform/common";
import type { PostgresSettings } from "../../config/platform/postgres";
import { irsaTrust, prefixBackupPolicy } from "../../infra/eks/irsa-roles";
import { networkPolicies } from "../../cluster/network-policies/values";
import { locationSpec, scheduleSpec, ttlOf } from "../../platform/backups/values";
import { seaweedfsValues } from "../../platform/object-store/values";
import { clientConnectionsPerPooler, maxConnections, objectStoreSpec, scheduledBackupSpec } from "../../platform/postgres/values";
import { clusterAddresses } from "../../cluster/network-policies/addresses";

const PG: PostgresSettings = {
  enabled: true,
  instances: 3,
  database: "app",
  owner: "app",
  storage: { sizeGi: 100, purpose: "database" },
  resources: { cpuMillis: 1000, memoryMi: 4096, limitCpuMillis: 2000, limitMemoryMi: 4096 },
  pooler: { instances: 3, maxClientConnections: 10000, defaultPoolSize: 50 },
  backup: { enabled: true, schedule: "0 1 * * *", retention: "30d" },
  monitoring: true,
};

describe("platform builders", () => {
  describe("schedules and retention", () => {
    it("accepts standard cron forms and names the field that is wrong", () => {
      for (const ok of ["0 1 * * *", "*/15 * * * *", "0 0-6/2 1,15 * 1-5", "30 2 * * 7"]) expect(cronProblem(ok), ok).to.equal(undefined);
      expect(cronProblem("0 24 * * *")).to.equal('hour field "24" is outside 0-23');
      expect(cronProblem("0 1 * * MON")).to.equal('day of week field "MON" is not a number, range, list or step');
      expect(cronProblem("0 5-1 * * *")).to.equal('hour field "5-1" has a range that ends before it starts');
      expect(cronProblem("*/0 * * * *")).to.equal('minute field "*/0" has a step of 0');
    });
    it("turns retention into Velero's TTL and CNPG's seconds-first cron", () => {
      expect(retentionHours("7d")).to.equal(168);
      expect(ttlOf("4w")).to.equal("672h0m0s");
      expect(scheduledBackupSpec("30 2 * * *")).to.deep.include({ schedule: "0 30 2 * * *", method: "plugin", pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" } });
    });
  });

  describe("storage classes", () => {
    it("falls back object-fast → object → local → default", () => {
      expect(storageClassFor({ default: "d", local: "l" }, "object-fast")).to.equal("l");
      expect(storageClassFor({ default: "d" }, "object")).to.equal("d");
      expect(storageClassFor({ object: "hdd", local: "l" }, "object")).to.equal("hdd");
      expect(storageClassFor({}, "database")).to.equal(undefined);
    });
  });

  describe("PgBouncer sizing", () => {
    it("lets the remaining poolers carry every client when one is lost, and gives PostgreSQL room for their pools", () => {
      expect(clientConnectionsPerPooler(PG)).to.equal(5000);
      expect(clientConnectionsPerPooler({ ...PG, pooler: { ...PG.pooler, instances: 1 } })).to.equal(10000);
      expect(maxConnections(PG)).to.equal(200);
      expect(maxConnections({ ...PG, pooler: { ...PG.pooler, defaultPoolSize: 100 } })).to.equal(350);
    });
  });

  describe("backup targets", () => {
    it("points Barman at SeaweedFS with keys, or at S3 through the IAM role", () => {
      const onPrem = objectStoreSpec({ bucket: "b", endpointURL: "http://seaweedfs-s3.data.svc:8333", region: "us-east-1", credentialsSecret: "k", retention: "30d" });
      expect(onPrem).to.deep.include({ retentionPolicy: "30d" });
      expect(onPrem).to.have.nested.property("configuration.s3Credentials.secretAccessKey.key", "AWS_SECRET_ACCESS_KEY");
      const aws = objectStoreSpec({ bucket: "b", region: "eu-central-1", retention: "7d" });
      expect(aws).to.have.nested.property("configuration.s3Credentials.inheritFromIAMRole", true);
      expect(aws).to.not.have.nested.property("configuration.endpointURL");
    });
    it("gives Velero a path-style location on SeaweedFS and a plain one on S3; databases get no file-system copy", () => {
      expect(locationSpec({ bucket: "b", region: "us-east-1", s3Url: "http://s", credentialsSecret: "c" })).to.deep.include({ credential: { name: "c", key: "cloud" }, config: { region: "us-east-1", s3Url: "http://s", s3ForcePathStyle: "true" } });
      expect(locationSpec({ bucket: "b", region: "eu-central-1" })).to.not.have.property("credential");
      const settings = { target: { kind: "in-cluster" as const }, enabled: true, schedule: "0 1 * * *", retention: "30d", extraNamespaces: [], volumeData: true, etcd: { enabled: true, schedule: "20 * * * *" }, waivers: {} };
      expect(scheduleSpec(settings, ["data"], false)).to.have.nested.property("template.defaultVolumesToFsBackup", false);
    });
  });

  describe("SeaweedFS", () => {
    const values = seaweedfsValues({
      settings: { enabled: true, masters: 3, volumeServers: 3, filers: 1, gateways: 2, replication: "001", storage: { sizeGi: 500, purpose: "object" }, resources: { cpuMillis: 500, memoryMi: 1024, limitCpuMillis: 2000, limitMemoryMi: 4096 }, buckets: { backups: "strata-backups" } },
      storageClass: "local-volumes",
      placement: { nodeSelector: { "node.strata.io/pool": "storage" }, tolerations: [{ key: "dedicated", operator: "Equal", value: "storage", effect: "NoSchedule" }] },
      configSecretName: "seaweedfs-s3-config",
      configDigest: "0123456789abcdef",
      monitoring: true,
    }) as Record<string, Record<string, unknown>>;
    it("writes scheduling as YAML strings the chart renders with tpl", () => {
      expect(parse(String(values.volume?.nodeSelector))).to.deep.equal({ "node.strata.io/pool": "storage" });
      expect(parse(String(values.master?.tolerations))).to.deep.equal([{ key: "dedicated", operator: "Equal", value: "storage", effect: "NoSchedule" }]);
    });
    it("issue #19: runs one filer and the S3 gateways apart, and leaves buckets to strata's own Job", () => {
      expect(values.filer?.replicas).to.equal(1);
      expect(values.s3?.replicas).to.equal(2);
      expect(values.s3, "the chart's bucket hook has no placement").to.not.have.property("createBuckets");
    });
    it("keeps the S3 keys out of the values: the gateway reads them from a Secret", () => {
      expect(values.s3).to.deep.include({ enableAuth: true, existingConfigSecret: "seaweedfs-s3-config" });
    });
  });

  describe("IRSA role for PostgreSQL backups", () => {
    const bucket = "arn:aws:s3:::strata-dev-backups-123456789012";
    it("trusts one service account of the cluster's OIDC issuer", () => {
      const trust = irsaTrust("arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/ABC", "https://oidc.eks.eu-central-1.amazonaws.com/id/ABC", "data", "postgres");
      expect(trust.Statement[0]?.Condition).to.deep.equal({
        StringEquals: { "oidc.eks.eu-central-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:data:postgres", "oidc.eks.eu-central-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com" },
      });
    });
    it("reaches objects under postgres/ only and lists only that prefix", () => {
      const policy = prefixBackupPolicy(bucket, "postgres/", "arn:aws:kms:eu-central-1:123456789012:key/k", "eu-central-1");
      const objects = policy.Statement.find((s) => s.Sid === "BackupObjects");
      expect(objects?.Resource).to.equal(`${bucket}/postgres/*`);
      expect(policy.Statement.find((s) => s.Sid === "ListPrefix")?.Condition).to.deep.equal({ StringLike: { "s3:prefix": ["postgres/*", "postgres/"] } });
      expect(policy.Statement.flatMap((s) => s.Action)).to.not.include.members(["s3:*", "*", "kms:*"]);
    });
  });

  describe("network paths the data services rely on (cluster layer policies)", () => {
    const policies = networkPolicies({
      namespaces: { gateway: "gateway", operators: "operators", data: "data", monitoring: "monitoring", backup: "velero" },
      apps: ["shop"],
      dataPorts: [5432, 6379, 8333],
      appsInternetEgress: false,
      addresses: clusterAddresses("vsphere", { podCidr: "10.244.0.0/16", serviceCidr: "10.96.0.0/12", nodeCidr: "10.20.0.0/23", dnsDomain: "cluster.local", apiServerPort: 6443 }),
    });
    const named = (namespace: string, name: string) => policies.find((p) => p.namespace === namespace && p.name === name);
    it("lets operators and Velero reach the data namespace; apps only through the apps layer's per-service policies", () => {
      expect(named("data", "allow-from-operators")?.ingress?.map((r) => r.ports)).to.deep.equal([undefined]);
      expect(JSON.stringify(named("data", "allow-from-operators")?.ingress?.[0])).to.contain("velero");
      expect(JSON.stringify(named("velero", "allow-backup-targets")?.egress)).to.contain('"data"');
    });
    it("lets the data namespace reach S3 over HTTPS and the API server, and monitoring scrape it", () => {
      expect(named("data", "allow-object-storage")?.egress?.[0]?.ports).to.deep.equal([{ protocol: "TCP", port: 443 }]);
      expect(named("data", "allow-api-server")).to.not.equal(undefined);
      expect(named("data", "allow-monitoring-scrape")?.ingress).to.have.length(1);
    });
  });
});
