/**
 * Pure: kube-prometheus-stack values. Prometheus selects every ServiceMonitor, PodMonitor, Probe,
 * ScrapeConfig and PrometheusRule in strata's namespaces (tenants' included) whatever its labels (the chart would
 * otherwise pick only its own release's); CRDs are upgraded by the chart's pre-upgrade job.
 */
import { nodeTextfileValues } from "./node-textfile";
import { IMAGES } from "../../lib/catalog";
import { backupStateMetricsValues } from "./backup-state-metrics";
import { withVpaStateMetrics } from "./vpa-state-metrics";
import { type GrafanaDatabase, grafanaValues } from "./grafana-values";
import { disruptionBudget, type ObservabilitySettings, type Scheduling, spreadOverNodes } from "./settings";

/** Names of objects strata creates beside the release and the chart reads by name. */
export const ALERTMANAGER_CONFIG_SECRET = "alertmanager-strata";
export { DASHBOARD_LABEL, GRAFANA_ADMIN_SECRET } from "./grafana-values";
/** Release name; services are `<release>-prometheus`, `<release>-alertmanager`, `<release>-grafana`. */
export const METRICS_RELEASE = "kube-prometheus-stack";
/** Port of Prometheus' HTTP API (its Service and pods). */
export const PROMETHEUS_PORT = 9090;
/** Labels of the Prometheus pods the operator runs. */
export const PROMETHEUS_POD_LABELS = { "app.kubernetes.io/name": "prometheus" } as const;
/**
 * Labels of the Alertmanager pods: the selector of the chart's `<release>-alertmanager` Service
 * (kube-prometheus-stack 88.5.3, templates/alertmanager/service.yaml), which the operator sets on
 * the pods of the Alertmanager named `<release>-alertmanager` (prometheus-operator v0.93,
 * pkg/alertmanager/operator.go `makeSelectorLabels`).
 */
export const ALERTMANAGER_POD_LABELS = { "app.kubernetes.io/name": "alertmanager", alertmanager: `${METRICS_RELEASE}-alertmanager` } as const;
/** Alertmanager's web port (container `http-web`, Service port of the same name). */
export const ALERTMANAGER_PORT = 9093;
/**
 * The Prometheus Operator's pods: the selector of its `<release>-operator` Service
 * (templates/prometheus-operator/service.yaml).
 */
export const OPERATOR_POD_LABELS = { app: `${METRICS_RELEASE}-operator`, release: METRICS_RELEASE } as const;
/**
 * The operator serves its admission webhooks (PrometheusRule, AlertmanagerConfig validation and
 * mutation) itself: the chart's webhook configurations call the `<release>-operator` Service on
 * 443 (`https`), which targets the container port `https`, `prometheusOperator.tls.internalPort`
 * (templates/prometheus-operator/admission-webhooks/*WebhookConfiguration.yaml, service.yaml,
 * deployment.yaml). strata sets that port explicitly, so the NetworkPolicy admitting the API
 * server and the chart agree.
 */
export const OPERATOR_WEBHOOK = { servicePort: 443, containerPort: 10250 } as const;
/** Key of `PlatformOutputs.observability` holding Prometheus' in-cluster query URL. */
export const PROMETHEUS_QUERY_OUTPUT = "prometheusQuery";
/** Key of `PlatformOutputs.observability` holding the trace collectors' OTLP/HTTP URL, which apps export to. */
export const OTLP_HTTP_OUTPUT = "otlpHttp";
/** Key of `PlatformOutputs.observability` holding the runbooks' base URL (`runbookBaseUrl`). */
export const RUNBOOK_BASE_OUTPUT = "runbookBaseUrl";
/** The Prometheus Service (the chart's `prometheus/service.yaml`: `<fullname>-prometheus`). */
export const PROMETHEUS_SERVICE = `${METRICS_RELEASE}-prometheus`;
/** Name of the Prometheus Service's and container's port (`prometheus.prometheusSpec.portName`). */
export const PROMETHEUS_PORT_NAME = "http-web";

/** Prometheus' in-cluster query URL (`PlatformOutputs.observability.prometheusQuery`, KEDA's `serverAddress`). */
export function prometheusQueryUrl(namespace: string): string {
  return `http://${PROMETHEUS_SERVICE}.${namespace}.svc.cluster.local:${PROMETHEUS_PORT}`;
}

export interface Datasource {
  readonly name: string;
  readonly uid: string;
  readonly type: string;
  readonly url: string;
  readonly jsonData?: Record<string, unknown>;
}

export interface PrometheusValuesInput {
  readonly settings: ObservabilitySettings;
  readonly scheduling: Scheduling;
  /** Storage class of the Prometheus, Alertmanager and (single) Grafana volumes; the cluster default when absent. */
  readonly storageClass?: string;
  /** Public URLs of the UIs (links in alerts and Grafana), when they are exposed. */
  readonly urls: { readonly grafana?: string; readonly prometheus?: string; readonly alertmanager?: string };
  /** Datasources beside Prometheus and Alertmanager (logs, traces). */
  readonly datasources: readonly Datasource[];
  /** Grafana's `auth.jwt` when the gateway signs users in (`grafanaJwtAuth`). @default - Grafana's own login form only */
  readonly grafanaJwtAuth?: Record<string, unknown>;
  /** Read the nodes' textfile metrics (vSphere: strata's maintenance timers). @default false */
  readonly nodeTextfiles?: boolean;
  /** Grafana's shared database, with more than one Grafana. @default - SQLite on a volume */
  readonly grafanaDatabase?: GrafanaDatabase;
}

/** The label every namespace strata creates carries: the cluster layer's (`namespaceLabels`) and the apps layer's tenants (`tenantNamespaceLabels`). */
export const STRATA_NAMESPACE_LABEL = "strata.io/purpose";
/**
 * The namespaces whose monitors and rules Prometheus loads: every namespace strata creates. By
 * label, not by name: the apps layer creates its tenants' namespaces after this release is
 * planned (and in another stack, when split), so a list of names left them out.
 */
export const STRATA_NAMESPACES = { matchExpressions: [{ key: STRATA_NAMESPACE_LABEL, operator: "Exists" }] } as const;

function volume(storageClass: string | undefined, sizeGi: number) {
  return {
    spec: {
      ...(storageClass === undefined ? {} : { storageClassName: storageClass }),
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: `${sizeGi}Gi` } },
    },
  };
}

/** Per-environment sizes: a larger Prometheus holds more series in memory. */
function prometheusResources(storageGi: number) {
  const large = storageGi >= 100;
  return large
    ? { requests: { cpu: "1", memory: "4Gi" }, limits: { memory: "8Gi" } }
    : { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "2Gi" } };
}

/** Labels of the Prometheus pods the operator runs for the chart's Prometheus (`prometheus: <release>-prometheus`). */
const PROMETHEUS_REPLICA_LABELS = { ...PROMETHEUS_POD_LABELS, prometheus: `${METRICS_RELEASE}-prometheus` } as const;

export function prometheusStackValues(input: PrometheusValuesInput) {
  const { settings, scheduling } = input;
  const cp = settings.metrics.controlPlane;
  const place = { nodeSelector: scheduling.nodeSelector, tolerations: scheduling.tolerations, affinity: scheduling.affinity };
  const prometheusReplicas = settings.metrics.replicas;
  const alertmanagerReplicas = settings.alertmanagerReplicas;
  // strata writes the anti-affinity itself (beside the pool's node affinity); "" turns the chart's off.
  const spread = (labels: Readonly<Record<string, string>>, replicas: number) => ({ ...place, affinity: spreadOverNodes(scheduling, labels, replicas).affinity, podAntiAffinity: "" });
  const namespaces = { matchExpressions: STRATA_NAMESPACES.matchExpressions.map((e) => ({ ...e })) };
  return {
    crds: {
      enabled: true,
      // Helm never upgrades CRDs; the chart's pre-upgrade job applies the new ones server-side.
      upgradeJob: { enabled: true, image: { busybox: { registry: "docker.io", repository: IMAGES.busybox.repository.replace(/^docker\.io\//, ""), tag: IMAGES.busybox.tag } } },
    },
    defaultRules: {
      create: true,
      rules: {
        // Rules for components Prometheus does not scrape would report them absent on a healthy cluster.
        etcd: cp.etcd,
        kubeSchedulerAlerting: cp.scheduler,
        kubeSchedulerRecording: cp.scheduler,
        kubeControllerManager: cp.controllerManager,
        kubeProxy: cp.kubeProxy,
        windows: false,
      },
    },
    windowsMonitoring: { enabled: false },
    kubeEtcd: { enabled: cp.etcd },
    kubeScheduler: { enabled: cp.scheduler },
    kubeControllerManager: { enabled: cp.controllerManager },
    kubeProxy: { enabled: cp.kubeProxy },
    prometheusOperator: {
      ...place,
      tls: { internalPort: OPERATOR_WEBHOOK.containerPort },
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
    },
    // Backup objects and VPA recommendations (nothing where their CRDs are absent).
    "kube-state-metrics": { ...place, ...withVpaStateMetrics(backupStateMetricsValues()) },
    // node-exporter runs on every node, database and control-plane nodes included.
    "prometheus-node-exporter": { tolerations: [{ operator: "Exists" }], ...(input.nodeTextfiles === true ? nodeTextfileValues() : {}) },
    prometheus: {
      podDisruptionBudget: disruptionBudget(prometheusReplicas),
      // Each replica scrapes everything on its own; the operator labels their series apart with the
      // external labels prometheus and prometheus_replica, and Alertmanager drops prometheus_replica,
      // so both replicas' alerts are one. Queries stick to one replica per client (Grafana), so a
      // graph never mixes two replicas' slightly different samples; the other takes over if it goes.
      service: { sessionAffinity: prometheusReplicas > 1 ? "ClientIP" : "None" },
      prometheusSpec: {
        replicas: prometheusReplicas,
        retention: `${settings.metrics.retentionDays}d`,
        // Size-based retention keeps the volume from filling before the time limit is reached.
        retentionSize: `${Math.floor(settings.metrics.storageGi * 0.9)}GB`,
        scrapeInterval: `${settings.metrics.scrapeIntervalSeconds}s`,
        ...(input.urls.prometheus === undefined ? {} : { externalUrl: input.urls.prometheus }),
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        probeSelectorNilUsesHelmValues: false,
        scrapeConfigSelectorNilUsesHelmValues: false,
        serviceMonitorSelector: {},
        podMonitorSelector: {},
        ruleSelector: {},
        serviceMonitorNamespaceSelector: namespaces,
        podMonitorNamespaceSelector: namespaces,
        ruleNamespaceSelector: namespaces,
        enableFeatures: ["exemplar-storage"],
        // With traces on: Tempo's metrics-generator remote-writes service graphs and span metrics,
        // and the router collectors pass the apps' OTLP metrics on, keeping their namespace and version.
        ...(settings.traces.enabled
          ? { enableRemoteWriteReceiver: true, enableOTLPReceiver: true, otlp: { promoteResourceAttributes: ["k8s.namespace.name", "service.version"] } }
          : {}),
        storageSpec: { volumeClaimTemplate: volume(input.storageClass, settings.metrics.storageGi) },
        resources: prometheusResources(settings.metrics.storageGi),
        ...spread(PROMETHEUS_REPLICA_LABELS, prometheusReplicas),
      },
    },
    alertmanager: {
      podDisruptionBudget: disruptionBudget(alertmanagerReplicas),
      alertmanagerSpec: {
        // The operator clusters the replicas (gossip): silences are shared and each notification goes out once.
        replicas: alertmanagerReplicas,
        configSecret: ALERTMANAGER_CONFIG_SECRET,
        ...(input.urls.alertmanager === undefined ? {} : { externalUrl: input.urls.alertmanager }),
        storage: { volumeClaimTemplate: volume(input.storageClass, 2) },
        resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
        ...spread(ALERTMANAGER_POD_LABELS, alertmanagerReplicas),
      },
    },
    grafana: grafanaValues({
      settings,
      scheduling,
      ...(input.storageClass === undefined ? {} : { storageClass: input.storageClass }),
      ...(input.urls.grafana === undefined ? {} : { url: input.urls.grafana }),
      additionalDataSources: input.datasources.map((d) => ({ access: "proxy", editable: false, ...d })),
      ...(input.grafanaJwtAuth === undefined ? {} : { jwtAuth: input.grafanaJwtAuth }),
      ...(input.grafanaDatabase === undefined ? {} : { database: input.grafanaDatabase }),
    }),
  };
}
