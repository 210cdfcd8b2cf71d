/**
 * issue #23: traces, metrics and logs that reach their stores. Alloy keeps its file positions on
 * the node (not in /tmp), Tempo's metrics-generator feeds the service map Grafana points at
 * Prometheus for, the router passes the apps' OTLP metrics to Prometheus' OTLP receiver, and every
 * app gets the OpenTelemetry SDK variables pointing at the router.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { imageVersion, telemetryEnv } from "../../apps/service/telemetry";
import { ALLOY_STATE, alloyValues } from "../../platform/observability/logs-values";
import { routerValues, tempoConfig } from "../../platform/observability/traces-values";
import { defaultChartsDir } from "../../tools/verify/reference-dir";

const PROMETHEUS = "http://prometheus-kube-prometheus-stack-prometheus-0.prometheus-operated.monitoring.svc.cluster.local:9090";
const scheduling = { nodeSelector: {}, tolerations: [], affinity: {} };

describe("issue #23: telemetry paths", () => {
  it("Alloy keeps its positions on a hostPath, not in the chart's /tmp default", () => {
    const chart = parse(readFileSync(join(defaultChartsDir(), "alloy", "values.yaml"), "utf8")) as { alloy: { storagePath: string } };
    expect(chart.alloy.storagePath).to.equal("/tmp/alloy");
    const values = alloyValues({ lokiUrl: "http://loki.monitoring.svc:3100" });
    expect(values.alloy.storagePath).to.equal(ALLOY_STATE.mountPath);
    expect(values.alloy.mounts.extra).to.deep.equal([{ name: ALLOY_STATE.volume, mountPath: ALLOY_STATE.mountPath }]);
    expect(values.controller.volumes.extra).to.deep.equal([{ name: ALLOY_STATE.volume, hostPath: { path: "/var/lib/strata-alloy", type: "DirectoryOrCreate" } }]);
  });

  it("Tempo generates service graphs and span metrics and remote-writes them to Prometheus", () => {
    const config = tempoConfig({ replicas: 1, namespace: "monitoring", retentionDays: 3, prometheusUrls: [PROMETHEUS] });
    expect(config.metrics_generator.storage.remote_write).to.deep.equal([{ name: "prometheus-0", url: `${PROMETHEUS}/api/v1/write`, send_exemplars: true }]);
    expect(config.overrides.defaults.metrics_generator.processors).to.deep.equal(["service-graphs", "span-metrics"]);
  });

  it("the router accepts OTLP metrics and exports them to Prometheus' OTLP receiver; OTLP logs stay refused", () => {
    const config = routerValues({ replicas: 1, samplerHeadlessHost: "otel-sampler.monitoring.svc.cluster.local", prometheusUrls: [PROMETHEUS], scheduling }).config;
    expect(config.service.pipelines.metrics).to.deep.equal({ receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["otlphttp/prometheus-0"] });
    expect((config.exporters as Record<string, { metrics_endpoint?: string }>)["otlphttp/prometheus-0"]?.metrics_endpoint).to.equal(`${PROMETHEUS}/api/v1/otlp/v1/metrics`);
    expect(config.service.pipelines.logs).to.equal(null);
  });

  it("apps get the SDK variables, with their own settings left alone", () => {
    const env = telemetryEnv({ service: "orders", namespace: "shop", image: "registry:5000/shop/orders:2.4.0", endpoint: "http://otel-router.monitoring.svc.cluster.local:4318", own: {} });
    expect(env).to.deep.equal({
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://otel-router.monitoring.svc.cluster.local:4318",
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf",
      OTEL_SERVICE_NAME: "orders",
      OTEL_RESOURCE_ATTRIBUTES: "k8s.namespace.name=shop,service.version=2.4.0",
    });
    expect(Object.keys(telemetryEnv({ service: "orders", namespace: "shop", image: "orders:1", endpoint: "http://x:4318", own: { OTEL_SERVICE_NAME: "legacy" } }))).to.not.include("OTEL_SERVICE_NAME");
    expect(imageVersion("ghcr.io/acme/api@sha256:abc")).to.equal("sha256:abc");
  });
});
