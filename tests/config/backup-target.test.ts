/**
 * `strata:platform.backups.target`: where every backup writer goes, and what prod refuses —
 * backups in the cluster they protect, data services without backups — unless the config says
 * why. Each refusal names the key, the value and what is allowed.
 */
import { expect } from "chai";
import { parseConfig, type RawConfig } from "../../config/schema";
import { problemsOf } from "./problems";
import { validRaw } from "./valid-config";

const SECRET = "EXAMPLE-SECRET-KEY-9f8e7d";

/** An existing cluster with storage and database nodes, in `environment`, with `platform`. */
function stack(environment: string, platform: Record<string, unknown>, extra: Partial<RawConfig> = {}): RawConfig {
  const raw = validRaw();
  return {
    ...raw,
    environment,
    infra: {
      ...raw.infra,
      existing: {
        context: "kind-strata",
        nodePools: {
          general: { role: "worker", count: 3, cpuCores: 4, memoryGi: 8 },
          storage: { role: "storage", count: 3, cpuCores: 4, memoryGi: 8 },
          db: { role: "database", count: 3, cpuCores: 4, memoryGi: 8 },
        },
      },
    },
    cluster: { existing: { storageClasses: { default: "standard", database: "fast", local: "local-path" } } },
    platform,
    ...extra,
  };
}

const postgres = { postgres: { enabled: true } };
const objectStore = { objectStore: { enabled: true } };
const s3 = (extra: Record<string, unknown> = {}) => ({
  type: "s3",
  region: "eu-central-1",
  bucket: "acme-backups",
  credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: SECRET },
  ...extra,
});

describe("config: the backup target", () => {
  it("issue #19: prod refuses backups on the in-cluster object store, which die with the cluster", () => {
    expect(problemsOf(stack("prod", { ...postgres, ...objectStore }))).to.deep.equal([
      "strata:platform.backups.target: prod backups on the in-cluster object store are lost with the cluster they protect (got in-cluster (the default with the object store enabled)); set type s3 with a bucket outside the cluster, or type in-cluster with acceptSameFailureDomain: true and a reason",
    ]);
    expect(problemsOf(stack("prod", { ...postgres, ...objectStore, backups: { target: { type: "in-cluster" } } }))).to.have.length(1);
  });

  it("accepts the in-cluster target in prod only with acceptSameFailureDomain and a reason, and keeps the reason for the plan", () => {
    const reason = "second copy is made by the storage team's tape job";
    const accepted = parseConfig(stack("prod", { ...postgres, ...objectStore, backups: { target: { type: "in-cluster", acceptSameFailureDomain: true, reason } } }));
    expect(accepted.platform.backups.target).to.deep.equal({ kind: "in-cluster", waiver: reason });
    expect(problemsOf(stack("prod", { ...postgres, ...objectStore, backups: { target: { type: "in-cluster", acceptSameFailureDomain: true } } }))).to.deep.equal([
      "strata:platform.backups.target.reason: is required with acceptSameFailureDomain (got nothing); say why losing the cluster may lose its backups",
    ]);
  });

  it("allows the in-cluster store outside prod, and defaults to it there", () => {
    expect(parseConfig(stack("dev", { ...postgres, ...objectStore })).platform.backups.target).to.deep.equal({ kind: "in-cluster" });
    expect(parseConfig(stack("dev", { ...postgres, ...objectStore })).platform.postgres.backup.enabled).to.equal(true);
  });

  it("issue #19: prod refuses a data service without backups instead of turning them off silently", () => {
    expect(problemsOf(stack("prod", postgres))).to.deep.equal([
      "strata:platform.postgres.backup: prod refuses a data service without backups (got no backup target); set strata:platform.backups.target, or strata:platform.postgres.backup.waiver to why this data may be lost",
    ]);
    expect(problemsOf(stack("prod", { ...postgres, postgres: { enabled: true, backup: { enabled: false } }, backups: { target: s3() } }, { platformIsSecret: true }))).to.deep.equal([
      "strata:platform.postgres.backup: prod refuses a data service without backups (got enabled: false); set strata:platform.backups.target, or strata:platform.postgres.backup.waiver to why this data may be lost",
    ]);
    const mysql = { mysql: { enabled: true } };
    expect(problemsOf(stack("prod", mysql))).to.include(
      "strata:platform.mysql.backup: prod refuses a data service without backups (got no backup target); set strata:platform.backups.target, or strata:platform.mysql.backup.waiver to why this data may be lost",
    );
  });

  it("takes a waiver for a service without backups, records it, and refuses one for a service that has them", () => {
    const waiver = "a cache of the orders API, rebuilt on start";
    const waived = parseConfig(stack("prod", { postgres: { enabled: true, backup: { enabled: false, waiver } } }));
    expect(waived.platform.postgres.backup).to.deep.include({ enabled: false, waiver });
    expect(problemsOf(stack("dev", { ...objectStore, postgres: { enabled: true, backup: { waiver } } }))).to.deep.equal([
      `strata:platform.postgres.backup.waiver: waives backups, which are on (got "${waiver}"); remove it, or set strata:platform.postgres.backup.enabled to false`,
    ]);
  });

  it("a dev stack with no store has no backups, without an error (the plan prints the coverage)", () => {
    const dev = parseConfig(stack("dev", postgres));
    expect(dev.platform.backups.target).to.deep.equal({ kind: "none" });
    expect(dev.platform.postgres.backup.enabled).to.equal(false);
  });

  it("resolves an S3 target: AWS's regional endpoint by default, path style for other endpoints", () => {
    const aws = parseConfig(stack("prod", { ...postgres, backups: { target: s3() } }, { platformIsSecret: true })).platform.backups.target;
    expect(aws).to.deep.include({ kind: "s3", endpoint: "https://s3.eu-central-1.amazonaws.com", aws: true, forcePathStyle: false, bucket: "acme-backups" });
    const minio = parseConfig(stack("prod", { ...postgres, backups: { target: s3({ endpoint: "https://minio.site-b.example:9000/" }) } }, { platformIsSecret: true })).platform.backups.target;
    expect(minio).to.deep.include({ kind: "s3", endpoint: "https://minio.site-b.example:9000", aws: false, forcePathStyle: true });
  });

  it("refuses a plain-http endpoint: backups leave the cluster over TLS only", () => {
    expect(problemsOf(stack("prod", { ...postgres, backups: { target: s3({ endpoint: "http://minio.site-b.example:9000" }) } }, { platformIsSecret: true }))).to.deep.equal([
      'strata:platform.backups.target.endpoint: must be an https://host[:port] URL (backups leave the cluster only over TLS) (got "http://minio.site-b.example:9000")',
    ]);
  });

  it("issue #19: refuses target keys stored in clear, without repeating them", () => {
    const problems = problemsOf(stack("prod", { ...postgres, backups: { target: s3() } }));
    expect(problems).to.deep.equal([
      "strata:platform.backups.target.credentials: must be stored as secrets (got keys in clear, not shown); set them with `pulumi config set --secret --path 'strata:platform.backups.target.credentials.secretAccessKey' <value>` (and accessKeyId)",
    ]);
    expect(problems.join("\n")).to.not.include(SECRET);
  });

  it("refuses a private CA where MySQL backs up: its operator's S3 storage cannot take one", () => {
    const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const problems = problemsOf(stack("prod", { mysql: { enabled: true }, backups: { target: s3({ endpoint: "https://minio.site-b.example:9000", caBundle: pem }) } }, { platformIsSecret: true }));
    expect(problems).to.deep.equal([
      "strata:platform.backups.target.caBundle: MySQL's backups (Percona Server for MySQL operator) cannot trust a private CA: the operator's S3 storage has no field for one (got a CA bundle with strata:platform.mysql backups on); use an endpoint with a publicly trusted certificate, or turn MySQL backups off with a waiver",
    ]);
    expect(() => parseConfig(stack("prod", { ...postgres, backups: { target: s3({ endpoint: "https://minio.site-b.example:9000", caBundle: pem }) } }, { platformIsSecret: true }))).to.not.throw();
  });

  it("on EKS backs up to the infra layer's bucket and refuses another target", () => {
    const eks = (platform: Record<string, unknown>): RawConfig => ({
      ...validRaw(),
      environment: "prod",
      awsRegion: "eu-central-1",
      infra: { backend: "eks", clusterName: "strata-test", eks: { endpoint: { deployerInVpc: true, privateAccessCidrs: ["10.50.0.0/24"] }, upgradePolicy: "STANDARD" } },
      cluster: { eks: { karpenter: { amiAlias: "al2023@v20260801" } } },
      platform,
    });
    expect(parseConfig(eks(postgres)).platform.backups.target).to.deep.equal({ kind: "infra-bucket" });
    expect(parseConfig(eks(postgres)).platform.postgres.backup.enabled).to.equal(true);
    expect(problemsOf(eks({ ...postgres, backups: { target: s3() } }))).to.include(
      "strata:platform.backups.target.type: the eks backend backs up to the infra layer's backups bucket, outside the cluster (got \"s3\"); remove strata:platform.backups.target",
    );
  });

  it("leaves the choice to the platform layer where the infra layer is another stack's", () => {
    const raw: RawConfig = { environment: "prod", layers: ["cluster", "platform", "apps"], upstreamStack: "infra", platform: postgres, hasKubeconfig: false };
    const config = parseConfig(raw);
    expect(config.platform.backups.target).to.deep.equal({ kind: "default" });
    expect(config.platform.postgres.backup.enabled).to.equal(true);
  });
});
