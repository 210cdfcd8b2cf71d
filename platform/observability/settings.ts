/**
 * Pure: the observability config with every environment- and backend-dependent default filled
 * in, plus the scheduling and storage every values builder shares.
 */
import type { Environment } from "../../config/schema";
import {
  CONTROL_PLANE_SCRAPES,
  OBSERVABILITY_ENVIRONMENT_DEFAULTS,
  resolveGrafana,
  type AlertThresholds,
  type ControlPlaneScrape,
  type HeartbeatConfig,
  type ObservabilityConfig,
  type ReceiverConfig,
} from "../../config/platform/observability";
import type { Backend, Placement } from "../../lib/contracts";
import { POOL_ROLE_LABEL } from "../../lib/placement";
import { CREDENTIALS_DIGEST_ANNOTATION } from "../../lib/digest-annotations";

export interface ObservabilitySettings {
  readonly metrics: {
    readonly retentionDays: number;
    readonly storageGi: number;
    readonly replicas: number;
    readonly scrapeIntervalSeconds: number;
    readonly controlPlane: Readonly<Record<ControlPlaneScrape, boolean>>;
  };
  readonly grafana: {
    readonly replicas: number;
    /** Its volume, with one replica (SQLite). */
    readonly storageGi: number;
    /** Whether Grafana keeps its state in the platform's PostgreSQL (more than one replica) instead of SQLite on a volume. */
    readonly sharedDatabase: boolean;
  };
  readonly thresholds: AlertThresholds;
  readonly alertmanagerReplicas: number;
  readonly receivers: Readonly<Record<string, ReceiverConfig>>;
  /** The Watchdog's dead man's switch; absent, the Watchdog is dropped. */
  readonly heartbeat?: HeartbeatConfig;
  /** Base URL of the runbooks every alert links (`runbook_url`). */
  readonly runbookBaseUrl: string;
  readonly logs: { readonly enabled: boolean; readonly retentionDays: number; readonly storageGi: number; readonly bucket: string; readonly replicas: number };
  readonly traces: {
    readonly enabled: boolean;
    readonly retentionDays: number;
    readonly storageGi: number;
    readonly bucket: string;
    /** Tempo pods (`tempoCluster`). */
    readonly replicas: number;
    readonly baselinePercent: number;
    readonly slowTraceMs: number;
    readonly routerReplicas: number;
    readonly samplerReplicas: number;
    /** What the samplers are sized from (`samplerSizing`). */
    readonly load: { readonly requestsPerSecond: number; readonly decisionWaitSeconds: number; readonly spansPerTrace: number };
  };
}

/**
 * Control-plane scrapes that work out of the box per backend. kubeadm (vSphere) binds etcd
 * metrics, the scheduler, the controller manager and kube-proxy's metrics to 127.0.0.1, so
 * Prometheus cannot reach them; EKS runs the control plane out of reach but kube-proxy's
 * metrics listen on every address; an existing cluster is unknown, so nothing is assumed.
 */
export const CONTROL_PLANE_DEFAULTS: Readonly<Record<Backend, Readonly<Record<ControlPlaneScrape, boolean>>>> = {
  vsphere: { etcd: false, scheduler: false, controllerManager: false, kubeProxy: false },
  eks: { etcd: false, scheduler: false, controllerManager: false, kubeProxy: true },
  existing: { etcd: false, scheduler: false, controllerManager: false, kubeProxy: false },
};

/** What the platform around observability has, which decides its defaults. */
export interface ObservabilityFacts {
  /** The object store has Loki's bucket: prod's three Loki pods need it (without it Loki keeps its data on one volume, so it runs alone). @default false */
  readonly hasLogsBucket?: boolean;
  /** The object store has Tempo's bucket: prod's three Tempo pods need it, as Loki's need theirs. @default false */
  readonly hasTracesBucket?: boolean;
  /** The platform's PostgreSQL is there for Grafana's shared database: prod's two Grafana pods need it (`resolveGrafana`). @default false */
  readonly hasPostgres?: boolean;
}

export function resolveObservability(config: ObservabilityConfig, environment: Environment, backend: Backend, facts: ObservabilityFacts = {}): ObservabilitySettings {
  const env = environment === "prod" ? OBSERVABILITY_ENVIRONMENT_DEFAULTS.prod : OBSERVABILITY_ENVIRONMENT_DEFAULTS.other;
  const controlPlane = Object.fromEntries(
    CONTROL_PLANE_SCRAPES.map((scrape) => [scrape, config.metrics.controlPlane[scrape] ?? CONTROL_PLANE_DEFAULTS[backend][scrape]]),
  ) as Record<ControlPlaneScrape, boolean>;
  return {
    metrics: {
      retentionDays: config.metrics.retentionDays ?? env.metricsRetentionDays,
      storageGi: config.metrics.storageGi ?? env.metricsStorageGi,
      replicas: config.metrics.replicas ?? env.prometheusReplicas,
      scrapeIntervalSeconds: config.metrics.scrapeIntervalSeconds,
      controlPlane,
    },
    grafana: { ...resolveGrafana(config, environment, facts.hasPostgres === true), storageGi: config.grafana.storageGi },
    thresholds: config.alerting.thresholds,
    alertmanagerReplicas: config.alerting.replicas ?? env.alertmanagerReplicas,
    receivers: config.alerting.receivers,
    ...(config.alerting.heartbeat === undefined ? {} : { heartbeat: config.alerting.heartbeat }),

    runbookBaseUrl: config.runbookBaseUrl,
    logs: {
      enabled: config.logs.enabled,
      retentionDays: config.logs.retentionDays ?? env.logsRetentionDays,
      storageGi: config.logs.storageGi ?? env.logsStorageGi,
      bucket: config.logs.bucket,
      replicas: config.logs.replicas ?? (facts.hasLogsBucket === true ? env.lokiReplicas : 1),
    },
    traces: {
      enabled: config.traces.enabled,
      retentionDays: config.traces.retentionDays ?? env.tracesRetentionDays,
      storageGi: config.traces.storageGi,
      bucket: config.traces.bucket,
      replicas: config.traces.replicas ?? (facts.hasTracesBucket === true ? env.tempoReplicas : 1),
      baselinePercent: config.traces.baselinePercent,
      slowTraceMs: config.traces.slowTraceMs,
      routerReplicas: config.traces.routerReplicas ?? env.collectorReplicas,
      samplerReplicas: config.traces.samplerReplicas ?? env.collectorReplicas,
      load: {
        requestsPerSecond: config.traces.requestsPerSecond ?? config.alerting.thresholds.requestsPerSecond ?? DEFAULT_TRACED_REQUESTS_PER_SECOND,
        decisionWaitSeconds: config.traces.decisionWaitSeconds,
        spansPerTrace: config.traces.spansPerTrace,
      },
    },
  };
}

/** The request rate the samplers are sized for when a stack declares none (neither traces.requestsPerSecond nor the RPS alert). */
export const DEFAULT_TRACED_REQUESTS_PER_SECOND = 1000;

/** Where and how a monitoring pod runs: the pool placement, never a database node. */
export interface Scheduling {
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: Placement["tolerations"];
  readonly affinity: Record<string, unknown>;
}

/** Keeps monitoring off the database pools even where those carry no taint. */
export function schedulingFor(placement: Placement): Scheduling {
  return {
    nodeSelector: { ...placement.nodeSelector },
    tolerations: placement.tolerations.map((t) => ({ ...t })),
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: POOL_ROLE_LABEL, operator: "NotIn", values: ["database"] }] }],
        },
      },
    },
  };
}

/**
 * The scheduling of a component running `replicas` pods: from two on, no two of them on one node
 * (required, not preferred: a drained or lost node then takes one replica, never all), so a
 * PodDisruptionBudget can always let one go.
 */
export function spreadOverNodes(scheduling: Scheduling, podLabels: Readonly<Record<string, string>>, replicas: number): Scheduling {
  if (replicas < 2) return scheduling;
  return {
    ...scheduling,
    affinity: {
      ...scheduling.affinity,
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { ...podLabels } }, topologyKey: "kubernetes.io/hostname" }] },
    },
  };
}

/** The PodDisruptionBudget values the charts share: on with two replicas or more, letting one pod go at a time. */
export function disruptionBudget(replicas: number): { enabled: boolean; minAvailable: number } {
  return { enabled: replicas > 1, minAvailable: Math.max(1, replicas - 1) };
}

/** An S3 bucket a store writes to; credentials arrive as AWS_* variables from `credentialsSecret`. */
export interface BucketTarget {
  readonly endpoint: string;
  readonly region: string;
  readonly forcePathStyle: boolean;
  readonly bucket: string;
  /** Secret in the monitoring namespace with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; absent with a cloud identity. */
  readonly credentialsSecret?: string;
  /** Digest of that Secret's keys (`secretDigest`); present with it. */
  readonly credentialsDigest?: string;
}

/** `https://s3.example:8333` → host:port without scheme, and whether the endpoint is plain HTTP. */
export function endpointParts(endpoint: string): { readonly hostPort: string; readonly insecure: boolean } {
  const url = new URL(endpoint);
  return { hostPort: url.host, insecure: url.protocol === "http:" };
}

/**
 * Pod annotations with the digest of the bucket credentials Secret, if there is one: its keys
 * reach the pods as environment variables, read only when a container starts, and neither Loki's
 * nor Tempo's chart checksums a Secret it does not render (their `checksum/config` covers their
 * own config only: loki 18.11.0 templates/_pod.tpl, tempo 2.2.4 templates/statefulset.yaml).
 */
export function credentialsPodAnnotations(target: BucketTarget | undefined): Record<string, string> {
  return target?.credentialsDigest === undefined ? {} : { [CREDENTIALS_DIGEST_ANNOTATION]: target.credentialsDigest };
}

/** Container env that reads the bucket credentials Secret, if there is one. */
export function credentialsEnvFrom(target: BucketTarget | undefined): { secretRef: { name: string } }[] {
  return target?.credentialsSecret === undefined ? [] : [{ secretRef: { name: target.credentialsSecret } }];
}
