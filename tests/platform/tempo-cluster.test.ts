/**
 * Issue #23: Tempo survives a node in prod. From two pods on, each runs Tempo's scalable
 * monolithic mode (every component, the rings on memberlist) over the shared traces bucket; one
 * pod keeps the chart's monolithic default.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { parse } from "yaml";
import { observabilityConfig } from "../../config/platform/observability";
import { resolveObservability } from "../../platform/observability/settings";
import {
  TEMPO_GOSSIP_PORT,
  TEMPO_GRPC_PORT,
  TEMPO_HEADLESS_SERVICE,
  TEMPO_POD_LABELS,
  tempoCluster,
  tempoDisruptionBudget,
  tempoHeadlessService,
  tempoReplicasProblem,
  tempoValues,
} from "../../platform/observability/traces-values";
import { defaultChartsDir } from "../../tools/verify/reference-dir";

const defaults = observabilityConfig.parse({});
const scheduling = { nodeSelector: { "strata.io/pool": "system" }, tolerations: [], affinity: {} };
const bucket = { endpoint: "http://seaweedfs-s3.data.svc.cluster.local:8333", region: "us-east-1", forcePathStyle: true, bucket: "traces" };
const PROMETHEUS = "http://prometheus-kube-prometheus-stack-prometheus-0.prometheus-operated.monitoring.svc.cluster.local:9090";
const values = (replicas: number, withBucket = true) =>
  tempoValues({ replicas, namespace: "monitoring", retentionDays: 14, prometheusUrls: [PROMETHEUS], storageGi: 10, scheduling, ...(withBucket ? { bucket } : {}) });
const configOf = (v: ReturnType<typeof values>) => parse(v.config) as Record<string, Record<string, unknown>>;

describe("issue #23: Tempo with more than one pod", () => {
  it("issue #23: prod runs three Tempo pods when the store has the traces bucket, one without it and outside prod; traces.replicas overrides", () => {
    expect(resolveObservability(defaults, "prod", "vsphere", { hasTracesBucket: true }).traces.replicas).to.equal(3);
    expect(resolveObservability(defaults, "prod", "vsphere", { hasTracesBucket: false }).traces.replicas).to.equal(1);
    expect(resolveObservability(defaults, "dev", "eks", { hasTracesBucket: true }).traces.replicas).to.equal(1);
    expect(resolveObservability(observabilityConfig.parse({ traces: { replicas: 2 } }), "dev", "eks", { hasTracesBucket: true }).traces.replicas).to.equal(2);
  });

  it("issue #23: renders three pods, each `-target=scalable-single-binary`, one per node (required anti-affinity on the hostname)", () => {
    const three = values(3);
    expect(three.replicas).to.equal(3);
    expect(three.tempo.extraArgs).to.deep.equal({ target: "scalable-single-binary" });
    const anti = (three.affinity as { podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { topologyKey: string; labelSelector: { matchLabels: Record<string, string> } }[] } }).podAntiAffinity;
    expect(anti?.requiredDuringSchedulingIgnoredDuringExecution?.[0]).to.deep.include({ topologyKey: "kubernetes.io/hostname" });
    expect(anti?.requiredDuringSchedulingIgnoredDuringExecution?.[0]?.labelSelector.matchLabels).to.deep.equal(TEMPO_POD_LABELS);
    expect(three.nodeSelector, "still on the monitoring pool").to.deep.equal(scheduling.nodeSelector);
  });

  it("issue #23: the pods join one memberlist through the headless Service, write each trace to three ingesters, and the queriers find every frontend", () => {
    const config = configOf(values(3));
    const headless = `${TEMPO_HEADLESS_SERVICE}.monitoring.svc.cluster.local`;
    expect(config["memberlist"]).to.deep.equal({
      cluster_label: "tempo.strata",
      bind_port: TEMPO_GOSSIP_PORT,
      join_members: [`dns+${headless}:${TEMPO_GOSSIP_PORT}`],
      abort_if_cluster_join_fails: false,
    });
    expect(config["ingester"]).to.deep.equal({ lifecycler: { ring: { replication_factor: 3 }, readiness_check_ring_health: false } });
    expect(config["compactor"]).to.deep.include({ ring: { wait_stability_min_duration: "10s" } });
    // Tempo 2.10.8 refuses to start a querier outside `-target=all` without it (initQuerier).
    expect(config["querier"]).to.deep.equal({ frontend_worker: { frontend_address: `${headless}:${TEMPO_GRPC_PORT}` } });
    expect(config["server"]).to.deep.include({ grpc_listen_port: TEMPO_GRPC_PORT });
    expect(config["storage"]?.["trace"]).to.deep.include({ backend: "s3" });
  });

  it("issue #23: two pods keep two copies of each trace (Tempo runs replication factor 2 eventually consistent: a write needs one)", () => {
    expect(tempoCluster(2)).to.deep.equal({ target: "scalable-single-binary", replicationFactor: 2 });
    expect(configOf(values(2))["ingester"]).to.deep.include({ lifecycler: { ring: { replication_factor: 2 }, readiness_check_ring_health: false } });
    expect(tempoCluster(5)?.replicationFactor).to.equal(3);
  });

  it("keeps one pod monolithic: no target, no join, the chart's own querier wiring", () => {
    const one = values(1, false);
    expect(one.replicas).to.equal(1);
    expect(one.tempo).to.not.have.property("extraArgs");
    const config = configOf(one);
    expect(config["memberlist"]).to.deep.equal({ cluster_label: "tempo.strata" });
    expect([config["ingester"], config["querier"]]).to.deep.equal([{}, {}]);
    expect(tempoHeadlessService(1)).to.equal(undefined);
    expect(tempoDisruptionBudget(1), "a budget over one pod would block every drain").to.equal(undefined);
  });

  it("issue #23: refuses several pods without the traces bucket (each would keep its blocks on its own volume), naming the key", () => {
    expect(tempoReplicasProblem(3, "traces", false)).to.equal(
      "strata:platform.observability.traces.replicas: more than one Tempo needs an object-store bucket, and the store has no traces bucket (got 3); use 1, or add the bucket (strata:platform.objectStore.buckets.traces, or strata:infra.eks.buckets.traces on EKS)",
    );
    expect([tempoReplicasProblem(3, "traces", true), tempoReplicasProblem(1, "traces", false)]).to.deep.equal([undefined, undefined]);
    expect(() => values(2, false)).to.throw("more than one Tempo needs an object-store bucket");
  });

  it("issue #23: the headless Service serves exactly the ports the configuration listens on, lists pods before they are ready, and selects the Tempo pods", () => {
    const service = tempoHeadlessService(3);
    const config = configOf(values(3));
    expect(service).to.deep.include({ clusterIP: "None", publishNotReadyAddresses: true, selector: TEMPO_POD_LABELS });
    const listened = [config["memberlist"]?.["bind_port"], config["server"]?.["grpc_listen_port"]];
    expect(service?.ports.map((p) => p.port)).to.deep.equal(listened);
    expect(service?.ports.map((p) => p.targetPort)).to.deep.equal(listened);
  });

  it("issue #23: liveness asks only that Tempo's HTTP server answers: the chart's `/ready` waits a minute for the sharded compactor's ring, past the probe's 50 s", () => {
    // The chart's probe as the reference data has it: `/ready`, restarting before Tempo's one-minute
    // compactor ring wait (compactor_ring.go, wait_stability_min_duration) could ever end.
    const chart = parse(readFileSync(join(defaultChartsDir(), "tempo", "values.yaml"), "utf8")) as { tempo: { livenessProbe: { httpGet: { path: string }; initialDelaySeconds: number; periodSeconds: number; failureThreshold: number } } };
    const probe = chart.tempo.livenessProbe;
    expect(probe.httpGet.path).to.equal("/ready");
    expect(probe.initialDelaySeconds + probe.periodSeconds * (probe.failureThreshold - 1)).to.be.below(60);
    for (const replicas of [1, 3]) {
      const v = values(replicas);
      expect(v.tempo.livenessProbe, `${replicas}`).to.deep.equal({ httpGet: { path: "/metrics" } });
      expect(v.tempo, `${replicas}`).to.not.have.property("readinessProbe");
    }
  });

  it("Tempo's Go runtime collects below its memory limit (GOMEMLIMIT at 90 %) instead of holding a ballast", () => {
    const v = values(3);
    expect(v.tempo.memBallastSizeMbs).to.equal(0);
    expect(v.tempo.extraEnv).to.deep.equal([{ name: "GOMEMLIMIT", value: "1843MiB" }]);
    expect(v.tempo.resources.limits.memory).to.equal("2048Mi");
  });

  it("issue #23: a PodDisruptionBudget lets one Tempo pod go at a time", () => {
    expect(tempoDisruptionBudget(3)).to.deep.equal({ maxUnavailable: 1, selector: { matchLabels: TEMPO_POD_LABELS } });
  });
});
