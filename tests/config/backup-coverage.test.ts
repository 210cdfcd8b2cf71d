/**
 * issue #19: which backup covers each stateful service, from the resolved platform config (the
 * plan prints it; prod refuses `none`). Configs go through the real parser, so the resolution
 * rules (backups off without an object store, Velero needing it) are the ones stacks get.
 */
import { expect } from "chai";
import { backupCoverage, type ServiceCoverage, STATEFUL_SERVICES, veleroCopiesVolumeData } from "../../config/platform/backup-coverage";
import type { PlatformConfig } from "../../config/platform";
import { parseConfig } from "../../config/schema";
import { validRaw } from "./valid-config";

const BUCKETS = { backups: "strata-backups", objects: "emis-objects", logs: "strata-logs", traces: "strata-traces" };

/** Every stateful service on, Velero on with volume data, on an existing cluster with the classes they ask for. */
function platform(overrides: Record<string, unknown> = {}): PlatformConfig {
  const raw = validRaw();
  return parseConfig({
    ...raw,
    infra: { ...raw.infra, existing: { context: "kind-strata", nodePools: { general: { role: "worker", count: 3, cpuCores: 8, memoryGi: 32 } } } },
    cluster: { existing: { storageClasses: { default: "standard", database: "fast", object: "standard" } } },
    platform: {
      objectStore: { enabled: true, buckets: BUCKETS },
      postgres: { enabled: true },
      mysql: { enabled: true },
      mongodb: { enabled: true },
      redis: { enabled: true, hardAntiAffinity: false },
      rabbitmq: { enabled: true },
      kafka: { enabled: true },
      backups: { enabled: true },
      ...overrides,
    },
  }).platform;
}

const methods = (coverage: readonly ServiceCoverage[]) => Object.fromEntries(coverage.map((c) => [c.service, c.method]));
const of = (coverage: readonly ServiceCoverage[], service: string) => coverage.find((c) => c.service === service);

describe("backupCoverage", () => {
  it("issue #19: databases through their operators, Redis, RabbitMQ and Kafka through Velero's file-system backup, in a fixed order", () => {
    const coverage = backupCoverage(platform());
    expect(coverage.map((c) => c.service)).to.deep.equal([...STATEFUL_SERVICES]);
    expect(methods(coverage)).to.deep.equal({ postgres: "operator", mysql: "operator", mongodb: "operator", redis: "velero-fs", rabbitmq: "velero-fs", kafka: "velero-fs", objectStore: "none" });
    expect(coverage.filter((c) => c.method === "operator").map((c) => (c.method === "operator" ? c.tool : ""))).to.deep.equal(["barman-cloud", "xtrabackup", "pbm"]);
    expect(of(coverage, "redis")?.detail).to.contain("fresh RDB snapshot");
  });

  it("reports none for Redis, RabbitMQ and Kafka when Velero copies objects only, or does not run", () => {
    const objectsOnly = backupCoverage(platform({ backups: { enabled: true, volumeData: false } }));
    expect(methods(objectsOnly)).to.deep.include({ redis: "none", rabbitmq: "none", kafka: "none" });
    expect(of(objectsOnly, "kafka")?.detail).to.equal("no operator backup, and Velero copies objects only (strata:platform.backups.volumeData: false)");
    const off = backupCoverage(platform({ backups: { enabled: false } }));
    expect(methods(off)).to.deep.include({ redis: "none", rabbitmq: "none", kafka: "none", postgres: "operator" });
    expect(of(off, "redis")?.detail).to.equal("no operator backup, and Velero is off (strata:platform.backups.enabled)");
  });

  it("never reports a database as covered by Velero: without its operator's backup it is none", () => {
    const coverage = backupCoverage(platform({ mysql: { enabled: true, backup: { enabled: false } } }));
    expect(veleroCopiesVolumeData(platform())).to.equal(true);
    expect(of(coverage, "mysql")).to.deep.include({ method: "none" });
    expect(of(coverage, "mysql")?.detail).to.contain("Velero does not copy database volumes");
  });

  it("reports none everywhere once the object store is off (no backup has a place to go)", () => {
    const coverage = backupCoverage(platform({ objectStore: { enabled: false }, backups: { enabled: false } }));
    expect(new Set(coverage.map((c) => c.method))).to.deep.equal(new Set(["none"]));
    expect(coverage.map((c) => c.service)).to.not.include("objectStore");
  });

  it("lists only the enabled services", () => {
    const coverage = backupCoverage(platform({ mysql: { enabled: false }, kafka: { enabled: false } }));
    expect(coverage.map((c) => c.service)).to.deep.equal(["postgres", "mongodb", "redis", "rabbitmq", "objectStore"]);
  });

  describe("the object store's app buckets", () => {
    it("are none by default, bucket-copy only when the caller says the copy is wired", () => {
      expect(of(backupCoverage(platform()), "objectStore")).to.deep.equal({ service: "objectStore", method: "none", detail: "app buckets copied nowhere: strata-logs, emis-objects, strata-traces" });
      expect(of(backupCoverage(platform(), { appBucketsCopied: true }), "objectStore")).to.deep.include({ method: "bucket-copy", buckets: ["strata-logs", "emis-objects", "strata-traces"] });
    });
    it("leave out the backups bucket and the buckets Loki and Tempo keep telemetry in", () => {
      const coverage = backupCoverage(platform({ observability: { access: { enabled: false } } }), { appBucketsCopied: true });
      expect(of(coverage, "objectStore")).to.deep.include({ buckets: ["emis-objects"] });
    });
    it("are not listed when the store holds only backups", () => {
      const coverage = backupCoverage(platform({ objectStore: { enabled: true, buckets: { backups: "strata-backups" } } }));
      expect(coverage.map((c) => c.service)).to.not.include("objectStore");
    });
  });

  it("is pure: the same config gives the same answer and is left as it was", () => {
    const config = platform();
    const before = JSON.stringify(config);
    expect(backupCoverage(config)).to.deep.equal(backupCoverage(config));
    expect(JSON.stringify(config)).to.equal(before);
  });
});
