/**
 * Pure: the pods observability's charts and the Prometheus Operator create, as the connection
 * check sees them (lib/connections.ts), and the paths between them that must work on day 1.
 * Alertmanager, Loki, Tempo and the Prometheus Operator are declared elsewhere; here they are only
 * destinations, by Service name.
 *
 * - Prometheus (prometheus-operator v0.93.0, kube-prometheus-stack 88.5.3's appVersion v0.93.1):
 *   the CR is `<fullname>-prometheus` (templates/_helpers.tpl `prometheus.crname`; release
 *   `kube-prometheus-stack` contains the chart name, so fullname is the release); pod labels
 *   `makeSelectorLabels` + shard (pkg/prometheus/server/operator.go, statefulset.go); container
 *   port `prometheusSpec.portName` (`http-web`) 9090 (pkg/prometheus/common.go
 *   `MakeContainerPorts`) and the config reloader's `reloader-web` 8080
 *   (pkg/operator/config_reloader.go); Service `<fullname>-prometheus` with `http-web` 9090 and
 *   `reloader-web` 8080 (templates/prometheus/service.yaml); and the operator's headless
 *   governing Service `prometheus-operated`, through which each replica has its own DNS name
 *   (prometheus-replicas.ts).
 * - Grafana (grafana-community/helm-charts grafana-12.11.1, the subchart): fullname
 *   `kube-prometheus-stack-grafana`; pod labels `grafana.selectorLabels` (templates/_helpers.tpl);
 *   container port `grafana` 3000 (`podPortName`, `service.targetPort`; templates/_pod.tpl);
 *   Service port `http-web` (kube-prometheus-stack's `grafana.service.portName`) 80 → `grafana`
 *   (templates/service.yaml). Its Prometheus datasource is `http://<fullname>-prometheus.<ns>:9090/`
 *   (kube-prometheus-stack templates/grafana/configmaps-datasources.yaml).
 * - OpenTelemetry Collector (opentelemetry-collector chart 0.170.0): pod labels
 *   `selectorLabels` (name `opentelemetry-collector`, instance = the release) and the mode's
 *   `component` (`standalone-collector` for a Deployment; templates/_helpers.tpl, deployment.yaml);
 *   container and Service ports named after `ports` keys (templates/_config.tpl
 *   `podPortsConfig`, `servicePortsConfig`): `otlp` 4317, `otlp-http` 4318, `metrics` 8888.
 * - Alloy (grafana/alloy helm-chart/1.11.1): pod labels `alloy.selectorLabels`
 *   (templates/_helpers.tpl, controllers/_pod.yaml), container port `http-metrics`
 *   (`alloy.listenPort` 12345; templates/containers/_agent.yaml).
 */
import { type ConnectionDeclaration, type ConnectionTarget, fromWorkload, serviceOfHost, type WorkloadDeclaration } from "../../lib/connections";
import { LOG_SHIPPER_RELEASE, LOGS_RELEASE, LOKI_PORT } from "./logs-values";
import { METRICS_RELEASE, PROMETHEUS_PORT } from "./prometheus-values";
import { collectorLabels, OTLP_GRPC_PORT, OTLP_HTTP_PORT, ROUTER_RELEASE, SAMPLER_RELEASE, TEMPO_GOSSIP_PORT, TEMPO_GRPC_PORT, TEMPO_HEADLESS_SERVICE, TEMPO_HTTP_PORT, TRACES_RELEASE, tempoCluster } from "./traces-values";
import { tempoWorkload } from "./chart-workloads";
import { PROMETHEUS_GOVERNING_LABELS, PROMETHEUS_GOVERNING_PORTS, PROMETHEUS_GOVERNING_SERVICE, prometheusReplicaUrls } from "./prometheus-replicas";

/** The id the connection check derives scrapes from (tools/connections/derive.ts `PROMETHEUS`). */
export const PROMETHEUS_ID = "monitoring/prometheus";
/** The Prometheus custom resource the chart creates. */
export const PROMETHEUS_CR = `${METRICS_RELEASE}-prometheus`;
export const PROMETHEUS_SERVICE = `${METRICS_RELEASE}-prometheus`;
export const GRAFANA_SERVICE = `${METRICS_RELEASE}-grafana`;
const GRAFANA_PORT = 3000;
const RELOADER_PORT = 8080;
const COLLECTOR_METRICS_PORT = 8888;
const ALLOY_PORT = 12345;

/** Labels of the Prometheus pods (one shard). */
export function prometheusLabels(cr = PROMETHEUS_CR): Record<string, string> {
  return {
    "app.kubernetes.io/managed-by": "prometheus-operator",
    "app.kubernetes.io/name": "prometheus",
    "app.kubernetes.io/instance": cr,
    "operator.prometheus.io/name": cr,
    "operator.prometheus.io/shard": "0",
    prometheus: cr,
  };
}

export function prometheusWorkload(namespace: string): WorkloadDeclaration {
  const ports = { "http-web": PROMETHEUS_PORT, "reloader-web": RELOADER_PORT };
  return {
    id: PROMETHEUS_ID,
    pods: { namespace, labels: prometheusLabels() },
    containerPorts: ports,
    services: [
      { name: PROMETHEUS_SERVICE, ports, labels: { app: `${METRICS_RELEASE}-prometheus`, release: METRICS_RELEASE, "app.kubernetes.io/instance": METRICS_RELEASE } },
      { name: PROMETHEUS_GOVERNING_SERVICE, ports: PROMETHEUS_GOVERNING_PORTS, labels: PROMETHEUS_GOVERNING_LABELS },
    ],
  };
}

/** Labels of the Grafana pods (the subchart under the release). */
export function grafanaLabels(release = METRICS_RELEASE): Record<string, string> {
  return { "app.kubernetes.io/name": "grafana", "app.kubernetes.io/instance": release };
}

export function grafanaWorkload(namespace: string): WorkloadDeclaration {
  return {
    id: `${namespace}/grafana`,
    pods: { namespace, labels: grafanaLabels() },
    containerPorts: { grafana: GRAFANA_PORT },
    services: [{ name: GRAFANA_SERVICE, ports: { "http-web": 80 }, targetPorts: { "http-web": "grafana" }, labels: grafanaLabels() }],
  };
}


/** A collector tier (router or sampler) and its Service (`fullnameOverride` = the release). */
export function collectorWorkload(namespace: string, release: string): WorkloadDeclaration {
  const ports = { otlp: OTLP_GRPC_PORT, "otlp-http": OTLP_HTTP_PORT, metrics: COLLECTOR_METRICS_PORT };
  return { id: `${namespace}/${release}`, pods: { namespace, labels: collectorLabels(release) }, containerPorts: ports, services: [{ name: release, ports, labels: collectorLabels(release) }] };
}

export function alloyWorkload(namespace: string, release = LOG_SHIPPER_RELEASE): WorkloadDeclaration {
  const labels = { "app.kubernetes.io/name": "alloy", "app.kubernetes.io/instance": release };
  return { id: `${namespace}/${release}`, pods: { namespace, labels }, containerPorts: { "http-metrics": ALLOY_PORT }, services: [{ name: release, ports: { "http-metrics": ALLOY_PORT }, labels }] };
}

const to = (namespace: string, name: string, port: number) => ({ kind: "service" as const, namespace, name, port });

/** What observability runs, by which parts are on. */
export interface ObservabilityParts {
  readonly namespace: string;
  readonly logs: boolean;
  readonly traces: boolean;
  /** Prometheus replicas (`metrics.replicas`, resolved); pushers write to each. */
  readonly prometheusReplicas: number;
  /** Tempo pods (`traces.replicas`, resolved); from two on they talk to each other (`tempoCluster`). */
  readonly tempoReplicas: number;
}

/**
 * The Service and port behind each Prometheus replica's URL, in the pushers' order: the
 * connections the check proves are derived from the very URLs Tempo and the routers write to.
 */
export function prometheusReplicaTargets(namespace: string, replicas: number): { readonly host: string; readonly target: ConnectionTarget }[] {
  return prometheusReplicaUrls(namespace, replicas).map((url) => {
    const { hostname, port } = new URL(url);
    const service = serviceOfHost(hostname);
    if (service === undefined) throw new Error(`prometheusReplicaTargets: ${hostname} is not an in-cluster Service name`);
    return { host: hostname.split(".")[0] as string, target: { kind: "service", namespace: service.namespace, name: service.name, port: Number(port) } };
  });
}

export interface ObservabilityWorkloads {
  readonly prometheus: WorkloadDeclaration;
  readonly grafana: WorkloadDeclaration;
  readonly alloy?: WorkloadDeclaration;
  readonly router?: WorkloadDeclaration;
  readonly sampler?: WorkloadDeclaration;
}

export function observabilityWorkloads(parts: ObservabilityParts): ObservabilityWorkloads {
  const { namespace } = parts;
  return {
    prometheus: prometheusWorkload(namespace),
    grafana: grafanaWorkload(namespace),
    ...(parts.logs ? { alloy: alloyWorkload(namespace) } : {}),
    ...(parts.traces ? { router: collectorWorkload(namespace, ROUTER_RELEASE), sampler: collectorWorkload(namespace, SAMPLER_RELEASE) } : {}),
  };
}

/**
 * Day-1 paths: Grafana's datasources (Prometheus, Loki, Tempo), Alloy's pushes to Loki, and the
 * traces pipeline router → sampler (its headless Service resolves every pod) → Tempo's OTLP port.
 */
export function observabilityConnections(parts: ObservabilityParts, workloads: ObservabilityWorkloads): ConnectionDeclaration[] {
  const { namespace } = parts;
  const grafana = fromWorkload(workloads.grafana);
  const connections: ConnectionDeclaration[] = [{ purpose: "Grafana datasource (Prometheus)", from: grafana, to: to(namespace, PROMETHEUS_SERVICE, PROMETHEUS_PORT) }];
  if (parts.logs) {
    connections.push({ purpose: "Grafana datasource (Loki)", from: grafana, to: to(namespace, LOGS_RELEASE, LOKI_PORT) });
    if (workloads.alloy !== undefined) connections.push({ purpose: "log shipping", from: fromWorkload(workloads.alloy), to: to(namespace, LOGS_RELEASE, LOKI_PORT) });
  }
  if (parts.traces) {
    connections.push({ purpose: "Grafana datasource (Tempo)", from: grafana, to: to(namespace, TRACES_RELEASE, TEMPO_HTTP_PORT) });
    if (workloads.router !== undefined) connections.push({ purpose: "traces to the samplers", from: fromWorkload(workloads.router), to: to(namespace, SAMPLER_RELEASE, OTLP_GRPC_PORT) });
    if (workloads.sampler !== undefined) connections.push({ purpose: "sampled traces to Tempo", from: fromWorkload(workloads.sampler), to: to(namespace, TRACES_RELEASE, OTLP_GRPC_PORT) });
    // Tempo pods among themselves through the headless Service strata renders (traces-values.ts).
    if (tempoCluster(parts.tempoReplicas) !== undefined) {
      const tempo = fromWorkload(tempoWorkload(namespace));
      connections.push({ purpose: "Tempo pods gossip their rings (memberlist)", from: tempo, to: to(namespace, TEMPO_HEADLESS_SERVICE, TEMPO_GOSSIP_PORT) });
      connections.push({ purpose: "Tempo distributors push to the ingesters, queriers pull from the frontends (gRPC)", from: tempo, to: to(namespace, TEMPO_HEADLESS_SERVICE, TEMPO_GRPC_PORT) });
    }
    // Into every Prometheus replica's receivers (traces-values.ts): the apps' OTLP metrics, Tempo's generated ones.
    for (const { host, target } of prometheusReplicaTargets(namespace, parts.prometheusReplicas)) {
      if (workloads.router !== undefined) connections.push({ purpose: `apps' OTLP metrics to Prometheus replica ${host}`, from: fromWorkload(workloads.router), to: target });
      connections.push({ purpose: `service graphs and span metrics (remote write) to Prometheus replica ${host}`, from: fromWorkload(tempoWorkload(namespace)), to: target });
    }
  }
  return connections;
}
