/**
 * Issue #12: data-service monitors follow observability (an explicit monitor without it is a
 * parse-time error naming both keys, not a failed apply), and the EKS logs/traces buckets expire
 * after the stores' retention where one stack sees both.
 */
import { expect } from "chai";
import { parseConfig, type RawConfig } from "../../config/schema";
import { PROD_ALERTING, validRaw } from "./valid-config";
import { problemsOf } from "./problems";

const OBSERVABILITY = { access: { enabled: false } };

/** An existing cluster with database and storage pools and classes, and the given platform slice. */
function withPlatform(platform: Record<string, unknown>): RawConfig {
  const raw = validRaw();
  return {
    ...raw,
    infra: {
      ...raw.infra,
      existing: {
        context: "kind-strata",
        nodePools: {
          general: { role: "worker", count: 3, cpuCores: 4, memoryGi: 8 },
          db: { role: "database", count: 3, cpuCores: 4, memoryGi: 8 },
        },
      },
    },
    cluster: { existing: { storageClasses: { default: "standard", database: "fast", local: "local-path" } } },
    platform,
  };
}

/** An EKS stack owning every layer (endpoint reachable from the deployer). */
function eksWith(buckets: Record<string, unknown>, platform: Record<string, unknown>, environment = "dev"): RawConfig {
  return {
    ...validRaw(),
    environment,
    infra: { backend: "eks", clusterName: "strata-test", eks: { endpoint: { deployerInVpc: true, privateAccessCidrs: ["10.50.0.0/24"] }, upgradePolicy: "STANDARD", enableKarpenter: false, buckets } },
    awsRegion: "eu-central-1",
    platform,
  };
}

const monitorError = (key: string) =>
  `strata:platform.${key}: monitors need the Prometheus Operator CRDs, which strata:platform.observability installs, and strata:platform.observability is not set (got true); set strata:platform.observability (e.g. to {}) or remove strata:platform.${key}, which follows observability by default`;

describe("config: data-service monitors follow observability", () => {
  const services = {
    postgres: { enabled: true },
    mysql: { enabled: true },
    mongodb: { enabled: true },
    rabbitmq: { enabled: true },
    kafka: { enabled: true },
  };

  it("declares no monitors without observability and all of them with it", () => {
    const without = parseConfig(withPlatform(services)).platform;
    const withIt = parseConfig(withPlatform({ ...services, observability: OBSERVABILITY })).platform;
    expect([without.postgres.monitoring, without.mysql.metrics, without.mongodb.metrics, without.rabbitmq.metrics, without.kafka.metrics]).to.deep.equal([false, false, false, false, false]);
    expect([withIt.postgres.monitoring, withIt.mysql.metrics, withIt.mongodb.metrics, withIt.rabbitmq.metrics, withIt.kafka.metrics]).to.deep.equal([true, true, true, true, true]);
  });

  it("keeps a monitor turned off explicitly with observability on", () => {
    expect(parseConfig(withPlatform({ mysql: { enabled: true, metrics: false }, observability: OBSERVABILITY })).platform.mysql.metrics).to.equal(false);
  });

  for (const [service, key] of [["postgres", "monitoring"], ["mysql", "metrics"], ["mongodb", "metrics"], ["rabbitmq", "metrics"], ["kafka", "metrics"]] as const) {
    it(`rejects strata:platform.${service}.${key}: true without observability, naming both keys`, () => {
      expect(problemsOf(withPlatform({ [service]: { enabled: true, [key]: true } }))).to.deep.equal([monitorError(`${service}.${key}`)]);
    });
  }

  it("does not judge the monitor keys of a stack that does not build the platform layer", () => {
    const raw: RawConfig = { environment: "dev", layers: ["apps"], upstreamStack: "platform-dev", cluster: {}, hasKubeconfig: false, platform: { postgres: { enabled: true, monitoring: true } } };
    expect(() => parseConfig(raw)).to.not.throw();
  });
});

describe("config: EKS telemetry buckets expire after the stores' retention", () => {
  it("expires logs and traces one day after Loki's and Tempo's retention by default", () => {
    const dev = parseConfig(eksWith({}, { observability: OBSERVABILITY })).infra;
    const prod = parseConfig({ ...eksWith({}, { observability: { ...OBSERVABILITY, alerting: PROD_ALERTING, logs: { retentionDays: 7 } } }, "prod"), platformIsSecret: true }).infra;
    if (dev?.backend !== "eks" || prod?.backend !== "eks") throw new Error("not eks");
    expect([dev.eks.buckets.logs.expirationDays, dev.eks.buckets.traces.expirationDays]).to.deep.equal([8, 4]);
    expect([prod.eks.buckets.logs.expirationDays, prod.eks.buckets.traces.expirationDays]).to.deep.equal([8, 15]);
  });

  it("keeps the buckets without expiry when this stack has no observability", () => {
    const infra = parseConfig(eksWith({}, {})).infra;
    if (infra?.backend !== "eks") throw new Error("not eks");
    expect([infra.eks.buckets.logs.expirationDays, infra.eks.buckets.traces.expirationDays]).to.deep.equal([undefined, undefined]);
  });

  it("rejects an expiry that deletes logs before Loki's retention ends", () => {
    expect(problemsOf(eksWith({ logs: { expirationDays: 7 } }, { observability: { ...OBSERVABILITY, logs: { retentionDays: 7 } } }))).to.deep.equal([
      "strata:infra.eks.buckets.logs.expirationDays: deletes logs before Loki's retention ends (got 7); use more than 7 (strata:platform.observability.logs.retentionDays), or leave it unset for 8",
    ]);
  });

  it("rejects an expiry that deletes traces before Tempo's retention ends", () => {
    expect(problemsOf(eksWith({ traces: { expirationDays: 2 } }, { observability: OBSERVABILITY }))).to.deep.equal([
      "strata:infra.eks.buckets.traces.expirationDays: deletes traces before Tempo's retention ends (got 2); use more than 3 (strata:platform.observability.traces.retentionDays), or leave it unset for 4",
    ]);
  });
});
