/**
 * Pure: Loki 18.x (Monolithic, TSDB schema v13, retention by the compactor) and Alloy as a
 * DaemonSet that tails every pod's log files on its node and pushes them with Kubernetes labels.
 */
import { type BucketTarget, credentialsEnvFrom, credentialsPodAnnotations, disruptionBudget, endpointParts, type Scheduling, spreadOverNodes } from "./settings";
import { serviceAccountValues } from "./store-identity";

export const LOGS_RELEASE = "loki";
export const LOG_SHIPPER_RELEASE = "alloy";
/** Loki runs with authentication on (its default); everything strata ships goes to this tenant. */
export const LOKI_TENANT = "strata";
/** Loki's HTTP port (push and query). */
export const LOKI_PORT = 3100;
/**
 * Labels of the Monolithic Loki pods (loki chart 18.11.0: templates/_pod.tpl, the
 * `loki.selectorLabels` of templates/_helpers.tpl and the `single-binary` target of
 * templates/monolithic/workload.yaml).
 */
export const LOKI_POD_LABELS = { "app.kubernetes.io/name": "loki", "app.kubernetes.io/instance": LOGS_RELEASE, "app.kubernetes.io/component": "single-binary" } as const;
/** The date the TSDB/v13 schema applies from; never change it once data exists (add a new period instead). */
export const LOKI_SCHEMA_FROM = "2026-01-01";

export interface LokiValuesInput {
  readonly retentionDays: number;
  readonly storageGi: number;
  readonly scheduling: Scheduling;
  readonly storageClass?: string;
  /** Bucket for chunks, rules and deletes; Loki keeps everything on its volume without one. */
  readonly bucket?: BucketTarget;
  /** Loki pods; more than one only with a bucket. @default 1 */
  readonly replicas?: number;
  /** Service account bound to a cloud role that reaches the bucket (EKS IRSA). @default - the chart's, no role */
  readonly serviceAccount?: { readonly serviceAccount: string; readonly roleArn: string };
}

/** Why Loki cannot run `replicas` pods without a bucket of purpose `bucket`, if it cannot. */
export function lokiReplicasProblem(replicas: number, bucket: string, hasBucket: boolean): string | undefined {
  if (replicas <= 1 || hasBucket) return undefined;
  return `strata:platform.observability.logs.replicas: more than one Loki needs an object-store bucket, and the store has no ${bucket} bucket (got ${replicas}); use 1, or add the bucket (strata:platform.objectStore.buckets.${bucket}, or strata:infra.eks.buckets.logs on EKS)`;
}

/** Each stream on three ingesters once there are three; a single copy below that (the WAL is on a volume). */
export function lokiReplicationFactor(replicas: number): number {
  return replicas >= 3 ? 3 : 1;
}

export function lokiValues(input: LokiValuesInput) {
  const store = input.bucket === undefined ? "filesystem" : "s3";
  const s3 =
    input.bucket === undefined
      ? undefined
      : (() => {
          const { hostPort, insecure } = endpointParts(input.bucket.endpoint);
          return { endpoint: hostPort, region: input.bucket.region, s3ForcePathStyle: input.bucket.forcePathStyle, insecure };
        })();
  const retention = `${input.retentionDays * 24}h`;
  const replicas = input.replicas ?? 1;
  const scheduling = spreadOverNodes(input.scheduling, LOKI_POD_LABELS, replicas);
  // With replication factor 3, a write needs 2 of 3 ingesters: one pod away at a time.
  const budget = disruptionBudget(replicas);
  return {
    deploymentMode: "Monolithic",
    ...serviceAccountValues(input.serviceAccount),
    loki: {
      auth_enabled: true,
      commonConfig: { replication_factor: lokiReplicationFactor(replicas) },
      schemaConfig: { configs: [{ from: LOKI_SCHEMA_FROM, store: "tsdb", object_store: store, schema: "v13", index: { prefix: "index_", period: "24h" } }] },
      storage:
        input.bucket === undefined || s3 === undefined
          ? { type: "filesystem" }
          : { type: "s3", bucketNames: { chunks: input.bucket.bucket, ruler: input.bucket.bucket, admin: input.bucket.bucket }, s3 },
      limits_config: { retention_period: retention, reject_old_samples_max_age: "168h" },
      compactor: { retention_enabled: true, delete_request_store: store, working_directory: "/var/loki/compactor" },
      // No usage reports to Grafana Labs, and no seed object in the bucket that its expiry would remove.
      analytics: { reporting_enabled: false },
    },
    singleBinary: {
      replicas,
      persistence: { enabled: true, size: `${input.storageGi}Gi`, ...(input.storageClass === undefined ? {} : { storageClass: input.storageClass }) },
      extraEnvFrom: credentialsEnvFrom(input.bucket),
      podAnnotations: credentialsPodAnnotations(input.bucket),
      resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "2Gi" } },
      nodeSelector: scheduling.nodeSelector,
      tolerations: scheduling.tolerations,
      affinity: scheduling.affinity,
      podDisruptionBudget: budget.enabled ? { enabled: true, maxUnavailable: 1 } : { enabled: false },
    },
    write: { replicas: 0 },
    read: { replicas: 0 },
    backend: { replicas: 0 },
    // Alloy and Grafana talk to Loki directly, inside the namespace's NetworkPolicies.
    gateway: { enabled: false },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    lokiCanary: { enabled: false },
    test: { enabled: false },
    monitoring: { serviceMonitor: { enabled: true } },
  };
}

/**
 * Alloy pipeline: discover this node's pods, map each container to its log files under
 * /var/log/pods, attach namespace/pod/container/app labels and push to Loki's tenant.
 */
const relabel = (source: string, target: string) => ["  rule {", `    source_labels = ["${source}"]`, `    target_label  = "${target}"`, "  }"];

export function alloyPipeline(lokiUrl: string): string {
  return [
    'discovery.kubernetes "pods" {',
    '  role = "pod"',
    "  selectors {",
    '    role  = "pod"',
    '    field = "spec.nodeName=" + sys.env("HOSTNAME")',
    "  }",
    "}",
    "",
    'discovery.relabel "pods" {',
    "  targets = discovery.kubernetes.pods.targets",
    ...relabel("__meta_kubernetes_namespace", "namespace"),
    ...relabel("__meta_kubernetes_pod_name", "pod"),
    ...relabel("__meta_kubernetes_pod_container_name", "container"),
    ...relabel("__meta_kubernetes_pod_node_name", "node"),
    ...relabel("__meta_kubernetes_pod_label_app_kubernetes_io_name", "app"),
    ...relabel("__meta_kubernetes_pod_label_app_kubernetes_io_component", "component"),
    "  rule {",
    '    source_labels = ["__meta_kubernetes_pod_uid", "__meta_kubernetes_pod_container_name"]',
    '    separator     = "/"',
    '    target_label  = "__path__"',
    '    replacement   = "/var/log/pods/*$1/*.log"',
    "  }",
    "}",
    "",
    'local.file_match "pods" {',
    "  path_targets = discovery.relabel.pods.output",
    "}",
    "",
    'loki.source.file "pods" {',
    "  targets    = local.file_match.pods.targets",
    "  forward_to = [loki.process.pods.receiver]",
    "}",
    "",
    'loki.process "pods" {',
    "  stage.cri {}",
    "  forward_to = [loki.write.default.receiver]",
    "}",
    "",
    'loki.write "default" {',
    "  endpoint {",
    `    url       = "${lokiUrl}/loki/api/v1/push"`,
    `    tenant_id = "${LOKI_TENANT}"`,
    "  }",
    "}",
    "",
  ].join("\n");
}

/**
 * Where Alloy keeps its state on each node: `loki.source.file` writes the read offset of every log
 * file (its positions file) under its component directory in `--storage.path`. The chart's
 * default (`alloy.storagePath: /tmp/alloy`, "data is lost between reboots") would lose them with
 * the pod, so a restarted shipper would send every file on the node again; a hostPath keeps them
 * on the node, where the log files are.
 */
export const ALLOY_STATE = { hostPath: "/var/lib/strata-alloy", mountPath: "/var/lib/alloy/data", volume: "alloy-state" } as const;

export function alloyValues(input: { readonly lokiUrl: string }) {
  return {
    crds: { create: false },
    alloy: {
      configMap: { create: true, content: alloyPipeline(input.lokiUrl) },
      storagePath: ALLOY_STATE.mountPath,
      mounts: { varlog: true, extra: [{ name: ALLOY_STATE.volume, mountPath: ALLOY_STATE.mountPath }] },
      extraEnv: [{ name: "HOSTNAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }],
      resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "512Mi" } },
    },
    controller: {
      type: "daemonset",
      // Logs of every node, database and control-plane nodes included.
      tolerations: [{ operator: "Exists" }],
      volumes: { extra: [{ name: ALLOY_STATE.volume, hostPath: { path: ALLOY_STATE.hostPath, type: "DirectoryOrCreate" } }] },
    },
    serviceMonitor: { enabled: true },
  };
}
