/**
 * Pure: the pods and Services the observability charts create that strata's connections start
 * from or lead to (Prometheus scraping, KEDA querying, the Gateway routing to the UIs), as the
 * charts' templates label them. kube-prometheus-stack 88.5.3 (release `kube-prometheus-stack`):
 * `prometheus/service.yaml` and `alertmanager/service.yaml` select the pods the operator runs by
 * `app.kubernetes.io/name` and the custom resource's name (`<fullname>-prometheus`,
 * `<fullname>-alertmanager`; `cleanPrometheusOperatorObjectNames` is off) and serve the
 * `portName` (`http-web`) on 9090 / 9093. Its Grafana subchart (grafana-community 12.11.1) serves
 * `service.port` 80 (`http-web`, set by kube-prometheus-stack) to `targetPort` 3000, the
 * container port named `podPortName` (`grafana`), selecting `app.kubernetes.io/name: grafana` and
 * the release as instance. Tempo 2.2.4 (release `tempo`) serves `tempo-prom-metrics` 3200 (its
 * HTTP API) from container port `prom-metrics`, and for each OTLP receiver endpoint
 * `grpc-tempo-otlp` 4317 and `tempo-otlp-http` 4318 on the same container ports
 * (templates/_ports.tpl), selecting `app.kubernetes.io/name|instance: tempo`. Loki 18.11.0
 * (release `loki`, `deploymentMode: Monolithic`) serves the single binary's `http-metrics` 3100
 * on the Service `loki` (templates/single-binary/service.yaml, `loki.singleBinaryFullname`).
 *
 * A declared Service's port is the one clients dial; where the container listens elsewhere
 * (Grafana's 3000) the container port is declared beside it.
 */
import type { WorkloadDeclaration } from "../../lib/connections";
import { ALERTMANAGER_POD_LABELS, ALERTMANAGER_PORT, METRICS_RELEASE, PROMETHEUS_POD_LABELS, PROMETHEUS_PORT, PROMETHEUS_PORT_NAME, PROMETHEUS_SERVICE } from "./prometheus-values";
import { OTLP_GRPC_PORT, OTLP_HTTP_PORT, TEMPO_HTTP_PORT, TRACES_RELEASE } from "./traces-values";
import { LOGS_RELEASE, LOKI_PORT } from "./logs-values";
import { STORE_PODS } from "./network-policies";

/** The Prometheus pods and Service. */
export function prometheusWorkload(namespace: string): WorkloadDeclaration {
  return {
    id: "monitoring/prometheus",
    pods: { namespace, labels: { ...PROMETHEUS_POD_LABELS, "operator.prometheus.io/name": PROMETHEUS_SERVICE } },
    containerPorts: { [PROMETHEUS_PORT_NAME]: PROMETHEUS_PORT },
    services: [{ name: PROMETHEUS_SERVICE, ports: { [PROMETHEUS_PORT_NAME]: PROMETHEUS_PORT } }],
  };
}

/** The Alertmanager pods and Service. */
export function alertmanagerWorkload(namespace: string): WorkloadDeclaration {
  const name = `${METRICS_RELEASE}-alertmanager`;
  return {
    id: `${namespace}/alertmanager`,
    pods: { namespace, labels: { ...ALERTMANAGER_POD_LABELS } },
    containerPorts: { "http-web": ALERTMANAGER_PORT },
    services: [{ name, ports: { "http-web": ALERTMANAGER_PORT } }],
  };
}

/** The Grafana pods and Service. */
export function grafanaWorkload(namespace: string): WorkloadDeclaration {
  return {
    id: `${namespace}/grafana`,
    pods: { namespace, labels: { "app.kubernetes.io/name": "grafana", "app.kubernetes.io/instance": METRICS_RELEASE } },
    containerPorts: { grafana: 3000 },
    services: [{ name: `${METRICS_RELEASE}-grafana`, ports: { "http-web": 80 } }],
  };
}

/** The Tempo pods and Service (its HTTP API; the OTLP ports are the trace pipeline's). */
export function tempoWorkload(namespace: string): WorkloadDeclaration {
  return {
    id: `${namespace}/tempo`,
    pods: { namespace, labels: { "app.kubernetes.io/name": "tempo", "app.kubernetes.io/instance": TRACES_RELEASE } },
    containerPorts: { "prom-metrics": TEMPO_HTTP_PORT },
    services: [{ name: TRACES_RELEASE, ports: { "tempo-prom-metrics": TEMPO_HTTP_PORT, "grpc-tempo-otlp": OTLP_GRPC_PORT, "tempo-otlp-http": OTLP_HTTP_PORT }, targetPorts: { "tempo-prom-metrics": "prom-metrics" } }],
  };
}

/** The Loki single binary and its Service (pushes from Alloy, queries from Grafana). */
export function lokiWorkload(namespace: string): WorkloadDeclaration {
  return {
    id: `${namespace}/loki`,
    pods: { namespace, labels: { ...STORE_PODS.logs.labels } },
    containerPorts: { "http-metrics": LOKI_PORT },
    services: [{ name: LOGS_RELEASE, ports: { "http-metrics": LOKI_PORT } }],
  };
}
