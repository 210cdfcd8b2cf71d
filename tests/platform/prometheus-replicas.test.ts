/**
 * issue #23: pushed series reach every Prometheus replica. Through the `kube-prometheus-stack-prometheus`
 * Service (ClientIP affinity) each pusher's writes landed on one replica, so the two replicas held
 * different halves of the service map and of the apps' OTLP metrics. Tempo and the router now write
 * to each replica by its own DNS name, as many as the resolved `metrics.replicas`.
 */
import { expect } from "chai";
import { observabilityConfig } from "../../config/platform/observability";
import { serviceOfHost } from "../../lib/connections";
import { prometheusReplicaPods, prometheusReplicaUrls } from "../../platform/observability/prometheus-replicas";
import { resolveObservability } from "../../platform/observability/settings";
import { routerValues, tempoConfig } from "../../platform/observability/traces-values";
import { observabilityConnections, observabilityWorkloads } from "../../platform/observability/workloads";

const scheduling = { nodeSelector: {}, tolerations: [], affinity: {} };
const NAMESPACE = "monitoring";

/** The endpoints each pusher writes to, for the stack's resolved Prometheus replica count. */
function pushEndpoints(replicas: number) {
  const urls = prometheusReplicaUrls(NAMESPACE, replicas);
  const tempo = tempoConfig({ replicas: 1, namespace: NAMESPACE, retentionDays: 3, prometheusUrls: urls }).metrics_generator.storage.remote_write;
  const router = routerValues({ replicas: 2, samplerHeadlessHost: "otel-sampler.monitoring.svc.cluster.local", prometheusUrls: urls, scheduling }).config;
  const exporters = router.exporters as Record<string, { metrics_endpoint?: string; sending_queue?: { enabled: boolean }; retry_on_failure?: { enabled: boolean } }>;
  const routerIds = router.service.pipelines.metrics.exporters;
  return {
    tempo: tempo.map((w) => w.url),
    tempoNames: tempo.map((w) => w.name),
    router: routerIds.map((id) => exporters[id]?.metrics_endpoint),
    routerQueues: routerIds.map((id) => [exporters[id]?.sending_queue?.enabled, exporters[id]?.retry_on_failure?.enabled]),
  };
}

const hostOf = (url: string | undefined) => new URL(url ?? "http://missing").hostname;
const distinct = (values: readonly unknown[]) => new Set(values).size;

describe("issue #23: every pushed series reaches every Prometheus replica", () => {
  const defaults = observabilityConfig.parse({});

  it("prod (2 replicas): Tempo and the router each write to 2 distinct endpoints, one per replica pod, never the load-balanced Service", () => {
    const replicas = resolveObservability(defaults, "prod", "vsphere").metrics.replicas;
    expect(replicas).to.equal(2);
    const push = pushEndpoints(replicas);
    const pods = ["prometheus-kube-prometheus-stack-prometheus-0", "prometheus-kube-prometheus-stack-prometheus-1"];
    expect(push.tempo.map(hostOf)).to.deep.equal(pods.map((pod) => `${pod}.prometheus-operated.monitoring.svc.cluster.local`));
    expect(push.router.map(hostOf)).to.deep.equal(pods.map((pod) => `${pod}.prometheus-operated.monitoring.svc.cluster.local`));
    expect([distinct(push.tempo), distinct(push.router)]).to.deep.equal([2, 2]);
    expect(push.tempo.every((u) => u.endsWith(":9090/api/v1/write"))).to.equal(true);
    expect(push.router.every((u) => u?.endsWith(":9090/api/v1/otlp/v1/metrics"))).to.equal(true);
    for (const url of [...push.tempo, ...push.router]) expect(hostOf(url)).to.not.match(/^kube-prometheus-stack-prometheus\./);
    // Tempo's remote_write names must be unique (Prometheus' remote_write config), and each router exporter queues and retries on its own.
    expect(distinct(push.tempoNames)).to.equal(2);
    expect(push.routerQueues).to.deep.equal([[true, true], [true, true]]);
  });

  it("dev (1 replica): one endpoint each; a third replica in config adds a third endpoint", () => {
    const dev = pushEndpoints(resolveObservability(defaults, "dev", "eks").metrics.replicas);
    expect([dev.tempo.length, dev.router.length]).to.deep.equal([1, 1]);
    expect(hostOf(dev.tempo[0])).to.equal("prometheus-kube-prometheus-stack-prometheus-0.prometheus-operated.monitoring.svc.cluster.local");
    const three = observabilityConfig.parse({ metrics: { replicas: 3 } });
    const scaled = pushEndpoints(resolveObservability(three, "prod", "vsphere").metrics.replicas);
    expect([distinct(scaled.tempo), distinct(scaled.router)]).to.deep.equal([3, 3]);
  });

  it("names the pods as prometheus-operator v0.93 does: StatefulSet `prometheus-<Prometheus name>`, ordinals from 0", () => {
    expect(prometheusReplicaPods(2)).to.deep.equal(["prometheus-kube-prometheus-stack-prometheus-0", "prometheus-kube-prometheus-stack-prometheus-1"]);
    for (const pod of prometheusReplicaPods(2)) expect(pod.length, "a DNS label").to.be.at.most(63);
  });

  it("declares one connection per replica and pusher, to the governing Service the replica's name resolves through", () => {
    for (const replicas of [1, 2]) {
      const parts = { namespace: NAMESPACE, logs: false, traces: true, prometheusReplicas: replicas, tempoReplicas: 1 };
      const pushes = observabilityConnections(parts, observabilityWorkloads(parts)).filter((c) => c.to.kind === "service" && c.to.name === "prometheus-operated");
      const from = (workload: string) => pushes.filter((c) => c.from.kind === "pods" && c.from.workload === workload);
      expect([from("monitoring/otel-router").length, from("monitoring/tempo").length], `${replicas} replica(s)`).to.deep.equal([replicas, replicas]);
      expect(distinct(pushes.map((c) => c.purpose))).to.equal(2 * replicas);
      for (const url of prometheusReplicaUrls(NAMESPACE, replicas)) expect(serviceOfHost(hostOf(url))).to.deep.equal({ name: "prometheus-operated", namespace: NAMESPACE });
    }
  });
});
