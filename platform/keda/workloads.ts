/**
 * Pure: the pods the keda chart (v2.20.2) renders for strata's values, as the connection check
 * sees them (lib/connections.ts), and the paths KEDA needs on day 1. From kedacore/charts v2.20.2:
 * - every pod carries `app`, `app.kubernetes.io/name` (the component's name) and `keda.labels`
 *   (templates/_helpers.tpl: component `operator`, part-of `keda-operator`, instance = the
 *   release); the operator and the webhooks also carry `name`
 *   (templates/manager/deployment.yaml, metrics-server/deployment.yaml, webhooks/deployment.yaml);
 * - operator: container port `metricsservice` 9666, Service `keda-operator`
 *   (templates/manager/service.yaml);
 * - metrics API server: container ports `https` 6443 (`service.portHttpsTarget`) and `metrics`
 *   8080; Service `keda-operator-metrics-apiserver` `https` 443 → 6443
 *   (templates/metrics-server/service.yaml), behind the `v1beta1.external.metrics.k8s.io`
 *   APIService;
 * - admission webhooks: container port `http` 9443, Service `keda-admission-webhooks` `https` 443
 *   → 9443 (templates/webhooks/service.yaml), called by the ValidatingWebhookConfiguration.
 */
import { type ConnectionDeclaration, fromWorkload, type WorkloadDeclaration } from "../../lib/connections";
import { PROMETHEUS_PORT } from "../observability/prometheus-values";
import { PROMETHEUS_SERVICE } from "../observability/workloads";
import { KEDA_APPS, KEDA_PORTS, KEDA_RELEASE } from "./values";

/** `keda.labels` (templates/_helpers.tpl) without the chart and app versions. */
function chartLabels(release: string): Record<string, string> {
  return { "app.kubernetes.io/component": "operator", "app.kubernetes.io/part-of": KEDA_APPS.operator, "app.kubernetes.io/managed-by": "Helm", "app.kubernetes.io/instance": release };
}

/** Labels of one component's pods. */
export function kedaLabels(app: (typeof KEDA_APPS)[keyof typeof KEDA_APPS], release = KEDA_RELEASE): Record<string, string> {
  return { app, ...(app === KEDA_APPS.metricsServer ? {} : { name: app }), "app.kubernetes.io/name": app, ...chartLabels(release) };
}

export type KedaWorkloads = Readonly<Record<"operator" | "metricsServer" | "webhooks", WorkloadDeclaration>>;

export function kedaWorkloads(namespace: string): KedaWorkloads {
  const workload = (app: (typeof KEDA_APPS)[keyof typeof KEDA_APPS], containerPorts: Record<string, number>, ports: Record<string, number>, targetPorts: Record<string, number> = {}): WorkloadDeclaration => ({
    id: `${namespace}/${app}`,
    pods: { namespace, labels: kedaLabels(app) },
    containerPorts,
    services: [{ name: app, ports, targetPorts, labels: { app, "app.kubernetes.io/name": app, ...chartLabels(KEDA_RELEASE) } }],
  });
  return {
    operator: workload(KEDA_APPS.operator, { metricsservice: KEDA_PORTS.operatorGrpc }, { metricsservice: KEDA_PORTS.operatorGrpc }),
    metricsServer: workload(KEDA_APPS.metricsServer, { https: KEDA_PORTS.metricsServer, metrics: 8080 }, { https: 443, metrics: 8080 }, { https: KEDA_PORTS.metricsServer }),
    webhooks: workload(KEDA_APPS.webhooks, { http: KEDA_PORTS.webhooks }, { https: 443 }, { https: KEDA_PORTS.webhooks }),
  };
}

/** The operator's Prometheus queries, the metrics API server's gRPC to the operator, and the API server's calls. */
export function kedaConnections(workloads: KedaWorkloads, monitoringNamespace: string): ConnectionDeclaration[] {
  const namespace = workloads.operator.pods.namespace;
  const service = (name: string, port: number) => ({ kind: "service" as const, namespace, name, port });
  return [
    { purpose: "Prometheus queries (ScaledObject triggers)", from: fromWorkload(workloads.operator), to: { kind: "service", namespace: monitoringNamespace, name: PROMETHEUS_SERVICE, port: PROMETHEUS_PORT } },
    { purpose: "metrics from the operator", from: fromWorkload(workloads.metricsServer), to: service(KEDA_APPS.operator, KEDA_PORTS.operatorGrpc) },
    { purpose: "external.metrics.k8s.io", from: { kind: "api-server" }, to: service(KEDA_APPS.metricsServer, 443) },
    { purpose: "ScaledObject admission webhook", from: { kind: "api-server" }, to: service(KEDA_APPS.webhooks, 443) },
  ];
}
