/**
 * The platform's own requests: each contributor reads its service's resolved settings, so the
 * sizes follow the config (replicas, resources, enabled) and disabled services ask for nothing.
 */
import { expect } from "chai";
import { clusterDemand } from "../../apps/capacity/cluster-demand";
import { platformDemand, telemetryBucketPurposes } from "../../apps/capacity/platform-demand";
import { lokiValues } from "../../platform/observability/logs-values";
import { tempoValues } from "../../platform/observability/traces-values";
import { prometheusStackValues } from "../../platform/observability/prometheus-values";
import { resolveObservability, type Scheduling } from "../../platform/observability/settings";
import { parseConfig } from "../../config/schema";
import { validRaw } from "../config/valid-config";

function parsed(environment: string, platform: Record<string, unknown>, cluster: Record<string, unknown> = {}) {
  const raw = validRaw();
  return parseConfig({ ...raw, environment, platform, cluster: { ...raw.cluster, existing: { storageClasses: { default: "standard", database: "fast" } }, ...cluster } });
}

describe("capacity: platform requests registry", () => {
  it("asks for nothing when every data service is off and observability is absent", () => {
    const config = parsed("dev", { objectStore: { enabled: false }, postgres: { enabled: false }, redis: { enabled: false } });
    expect(platformDemand(config.platform, { environment: "dev", backend: "existing" })).to.deep.equal({ workloads: [], daemonSets: [] });
  });

  it("counts PostgreSQL instances with their resolved resources and Redis replicas with sentinel and HAProxy", () => {
    const config = parsed("dev", {
      objectStore: { enabled: false },
      postgres: { enabled: true, instances: 3, resources: { cpuMillis: 500, memoryMi: 1024 } },
      redis: { enabled: true, replicas: 3, hardAntiAffinity: false, resources: { cpuMillis: 200, memoryMi: 512 } },
    });
    const { workloads } = platformDemand(config.platform, { environment: "dev", backend: "existing" });
    expect(workloads.map((w) => [w.owner, w.target, w.pods, w.perPod])).to.deep.equal([
      ["postgres instances", { role: "database" }, 3, { cpuMillis: 500, memoryMi: 1024 }],
      ["postgres operator and backup plugin", { role: "system" }, 2, { cpuMillis: 100, memoryMi: 256 }],
      ["redis replicas with sentinel", { role: "database" }, 3, { cpuMillis: 250, memoryMi: 576 }],
      ["redis haproxy", { role: "database" }, 3, { cpuMillis: 50, memoryMi: 64 }],
    ]);
  });

  it("the gateway's controller and proxies follow gateway.replicas; no gateway, no requests for it", () => {
    const on = clusterDemand(parsed("dev", {}, { gateway: { replicas: 3 } }).cluster);
    expect(on.workloads.map((w) => [w.owner, w.pods])).to.deep.equal([["envoy gateway controller", 3], ["envoy proxies", 3], ["metrics-server", 2]]);
    const off = clusterDemand(parsed("dev", {}, { gateway: { enabled: false } }).cluster);
    expect(off.workloads.map((w) => w.owner)).to.deep.equal(["metrics-server"]);
  });

  it("issue #22: counts Karpenter's controller requests on the system pool where the cluster layer runs it", () => {
    const cluster = parsed("dev", {}, {}).cluster;
    const karpenter = clusterDemand(cluster, { karpenter: true }).workloads.find((w) => w.owner === "karpenter controller");
    // cluster/karpenter/values.ts: 2 replicas requesting 1 CPU / 1Gi each.
    expect(karpenter).to.deep.equal({ owner: "karpenter controller", target: { role: "system" }, pods: 2, perPod: { cpuMillis: 1000, memoryMi: 1024 } });
    expect(clusterDemand(cluster, { karpenter: false }).workloads.map((w) => w.owner)).to.not.include("karpenter controller");
  });

  it("issue #23: counts Loki, Alertmanager and Tempo with the replicas their values are rendered with, in prod and elsewhere", () => {
    const scheduling: Scheduling = { nodeSelector: {}, tolerations: [], affinity: {} };
    const platform = parsed("dev", { objectStore: { enabled: true, buckets: { backups: "backups", logs: "logs", traces: "traces" } }, postgres: { enabled: false }, observability: { access: { enabled: false } } }).platform;
    const pods = (environment: "prod" | "dev", owner: string) =>
      platformDemand(platform, { environment, backend: "vsphere", storeBuckets: telemetryBucketPurposes(platform, "vsphere") ?? [] }).workloads.find((w) => w.owner === owner)?.pods;
    for (const environment of ["prod", "dev"] as const) {
      // What platform/observability/index.ts renders: settings resolved with the store's logs and traces buckets present.
      const settings = resolveObservability(platform.observability!, environment, "vsphere", { hasLogsBucket: true, hasTracesBucket: true });
      expect(pods(environment, "loki"), `${environment} loki`).to.equal(lokiValues({ retentionDays: 1, storageGi: 1, scheduling, replicas: settings.logs.replicas }).singleBinary.replicas);
      expect(pods(environment, "alertmanager"), `${environment} alertmanager`).to.equal(prometheusStackValues({ settings, scheduling, urls: {}, datasources: [] }).alertmanager.alertmanagerSpec.replicas);
      expect(pods(environment, "tempo"), `${environment} tempo`).to.equal(tempoValues({ replicas: settings.traces.replicas, namespace: "monitoring", retentionDays: 1, prometheusUrls: ["http://prometheus:9090/api/v1/write"], storageGi: 1, scheduling, bucket: { endpoint: "http://store:8333", region: "us-east-1", forcePathStyle: true, bucket: "traces" } }).replicas);
    }
    // Prod's HA: three Loki pods and three Tempo pods on their buckets, an Alertmanager cluster of three.
    expect([pods("prod", "loki"), pods("prod", "alertmanager"), pods("prod", "tempo")]).to.deep.equal([3, 3, 3]);
    // Without the logs bucket Loki runs alone, and is counted alone.
    const noBucket = parsed("dev", { objectStore: { enabled: true, buckets: { backups: "backups" } }, postgres: { enabled: false }, observability: { access: { enabled: false } } }).platform;
    const alone = platformDemand(noBucket, { environment: "prod", backend: "vsphere", storeBuckets: telemetryBucketPurposes(noBucket, "vsphere") ?? [] }).workloads;
    expect(["loki", "tempo"].map((owner) => alone.find((w) => w.owner === owner)?.pods)).to.deep.equal([1, 1]);
  });
});
