/**
 * Pure: kube-prometheus-stack values. Prometheus selects every ServiceMonitor, PodMonitor, Probe,
 * ScrapeConfig and PrometheusRule in strata's namespaces whatever its labels (the chart would
 * otherwise pick only its own release's); CRDs are upgraded by the chart's pre-upgrade job.
 */
import { nodeTextfileValues } from "./node-textfile";
import { IMAGES } from "../../lib/catalog";
import { backupStateMetricsValues } from "./backup-state-metrics";
import type { ObservabilitySettings, Scheduling } from "./settings";

/** Names of objects strata creates beside the release and the chart reads by name. */
export const GRAFANA_ADMIN_SECRET = "grafana-admin";
export const ALERTMANAGER_CONFIG_SECRET = "alertmanager-strata";
/** Label and value the Grafana sidecar loads dashboards and datasources by. */
export const DASHBOARD_LABEL = { key: "grafana_dashboard", value: "1" } as const;
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
  /** Namespaces whose monitors and rules Prometheus loads. */
  readonly watchNamespaces: readonly string[];
  /** Storage class of the Prometheus, Alertmanager and Grafana volumes; the cluster default when absent. */
  readonly storageClass?: string;
  /** Public URLs of the UIs (links in alerts and Grafana), when they are exposed. */
  readonly urls: { readonly grafana?: string; readonly prometheus?: string; readonly alertmanager?: string };
  /** Datasources beside Prometheus and Alertmanager (logs, traces). */
  readonly datasources: readonly Datasource[];
  /** Read the nodes' textfile metrics (vSphere: strata's maintenance timers). @default false */
  readonly nodeTextfiles?: boolean;
}

const inNamespaces = (names: readonly string[]) => ({ matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: [...names].sort() }] });

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

export function prometheusStackValues(input: PrometheusValuesInput) {
  const { settings, scheduling } = input;
  const cp = settings.metrics.controlPlane;
  const place = { nodeSelector: scheduling.nodeSelector, tolerations: scheduling.tolerations, affinity: scheduling.affinity };
  const namespaces = inNamespaces(input.watchNamespaces);
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
    "kube-state-metrics": { ...place, ...backupStateMetricsValues() },
    // node-exporter runs on every node, database and control-plane nodes included.
    "prometheus-node-exporter": { tolerations: [{ operator: "Exists" }], ...(input.nodeTextfiles === true ? nodeTextfileValues() : {}) },
    prometheus: {
      prometheusSpec: {
        replicas: settings.metrics.replicas,
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
        storageSpec: { volumeClaimTemplate: volume(input.storageClass, settings.metrics.storageGi) },
        resources: prometheusResources(settings.metrics.storageGi),
        ...place,
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        replicas: settings.metrics.replicas > 1 ? 2 : 1,
        configSecret: ALERTMANAGER_CONFIG_SECRET,
        ...(input.urls.alertmanager === undefined ? {} : { externalUrl: input.urls.alertmanager }),
        storage: { volumeClaimTemplate: volume(input.storageClass, 2) },
        resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } },
        ...place,
      },
    },
    grafana: {
      admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: "admin-user", passwordKey: "admin-password" },
      persistence: {
        enabled: true,
        type: "sts",
        ...(input.storageClass === undefined ? {} : { storageClassName: input.storageClass }),
        accessModes: ["ReadWriteOnce"],
        size: `${settings.grafanaStorageGi}Gi`,
      },
      "grafana.ini": {
        ...(input.urls.grafana === undefined ? {} : { server: { root_url: input.urls.grafana } }),
        auth: { disable_login_form: false },
        "auth.anonymous": { enabled: false },
        users: { allow_sign_up: false },
        analytics: { reporting_enabled: false, check_for_updates: false },
      },
      sidecar: {
        dashboards: {
          enabled: true,
          label: DASHBOARD_LABEL.key,
          labelValue: DASHBOARD_LABEL.value,
          searchNamespace: "ALL",
          folderAnnotation: "grafana_folder",
          provider: { allowUiUpdates: false, foldersFromFilesStructure: true },
        },
        datasources: { enabled: true, defaultDatasourceEnabled: true, isDefaultDatasource: true, alertmanager: { enabled: true } },
      },
      additionalDataSources: input.datasources.map((d) => ({ access: "proxy", editable: false, ...d })),
      resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
      ...place,
    },
  };
}
