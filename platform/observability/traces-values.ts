/**
 * Pure: traces in two OpenTelemetry Collector tiers and Grafana Tempo.
 *
 * Apps send OTLP to the router tier (a Deployment behind a normal Service). The router's
 * `loadbalancing` exporter hashes each span's trace ID over the sampler pods (found through a
 * headless Service), so every span of a trace reaches the same sampler, whose `tail_sampling`
 * processor keeps all error traces, all slow traces and a baseline share of the rest, and
 * exports them to Tempo. Both tiers run the `otelcol-k8s` distribution: `tail_sampling` and
 * `loadbalancing` are not in the core distribution.
 *
 * OTLP metrics the apps push go from the router straight to Prometheus' OTLP receiver
 * (`/api/v1/otlp/v1/metrics`, prometheus.io/docs/guides/opentelemetry); they are not sampled.
 * Tempo's metrics-generator turns the kept traces into service-graph and span metrics and
 * remote-writes them to Prometheus, which Grafana's service map reads. Both write to every
 * Prometheus replica by its own address (prometheus-replicas.ts), each replica through its own
 * queue, so every replica holds every pushed series. They are computed after
 * tail sampling, so they describe the kept traces (every error and slow trace, a baseline share
 * of the rest): the map's edges and error rates are whole, its request rates are not; the
 * request rates of record are the HTTP metrics contract's.
 */
import { stringify } from "yaml";
import { IMAGES } from "../../lib/catalog";
import { type BucketTarget, credentialsEnvFrom, credentialsPodAnnotations, disruptionBudget, endpointParts, type Scheduling, spreadOverNodes } from "./settings";
import { MEMORY_LIMITER, samplerSizing, type SamplerLoad } from "./sampler-sizing";
import { serviceAccountValues } from "./store-identity";

export const ROUTER_RELEASE = "otel-router";
export const SAMPLER_RELEASE = "otel-sampler";
export const TRACES_RELEASE = "tempo";
export const OTLP_GRPC_PORT = 4317;
export const OTLP_HTTP_PORT = 4318;
/** Tempo's HTTP API (Grafana queries it). */
export const TEMPO_HTTP_PORT = 3200;
/** Labels of the Tempo pods (tempo chart 2.2.4: `tempo.selectorLabels`, templates/statefulset.yaml). */
export const TEMPO_POD_LABELS = { "app.kubernetes.io/name": "tempo", "app.kubernetes.io/instance": TRACES_RELEASE } as const;

export interface SamplingPolicy {
  readonly baselinePercent: number;
  readonly slowTraceMs: number;
}

/** The seed's tail-sampling policies: every error, every slow trace, a baseline share of the rest. */
export function tailSamplingPolicies(policy: SamplingPolicy) {
  return [
    { name: "errors", type: "status_code", status_code: { status_codes: ["ERROR"] } },
    { name: "slow", type: "latency", latency: { threshold_ms: policy.slowTraceMs } },
    { name: "baseline", type: "probabilistic", probabilistic: { sampling_percentage: policy.baselinePercent } },
  ];
}

/**
 * PodDisruptionBudget `spec` of a collector tier with `replicas` pods, or undefined below two.
 * strata writes it: the chart renders `podDisruptionBudget.maxUnavailable` (0.170.0,
 * templates/pdb.yaml) but its values.yaml documents the key only in a comment, so the value check
 * could not vouch for it.
 */
export function collectorDisruptionBudget(release: string, replicas: number) {
  if (!disruptionBudget(replicas).enabled) return undefined;
  return { maxUnavailable: 1, selector: { matchLabels: collectorLabels(release) } };
}

/** Labels of an OpenTelemetry Collector release's pods in `deployment` mode (see workloads.ts for their source). */
export function collectorLabels(release: string): Record<string, string> {
  return { "app.kubernetes.io/name": "opentelemetry-collector", "app.kubernetes.io/instance": release, component: "standalone-collector" };
}

const DISABLED_PORTS = { "jaeger-compact": { enabled: false }, "jaeger-thrift": { enabled: false }, "jaeger-grpc": { enabled: false }, zipkin: { enabled: false } };

function collectorBase(release: string, replicas: number, input: Scheduling) {
  const scheduling = spreadOverNodes(input, collectorLabels(release), replicas);
  return {
    mode: "deployment",
    image: { repository: IMAGES.otelCollector.repository, tag: IMAGES.otelCollector.tag },
    command: { name: IMAGES.otelCollector.command },
    replicaCount: replicas,
    ports: { ...DISABLED_PORTS, metrics: { enabled: true } },
    serviceMonitor: { enabled: true },
    resources: { requests: { cpu: "200m", memory: "256Mi" }, limits: { memory: "1Gi" } },
    nodeSelector: scheduling.nodeSelector,
    tolerations: scheduling.tolerations,
    affinity: scheduling.affinity,
  };
}

const health = { health_check: { endpoint: "${env:MY_POD_IP}:13133" } };
// The chart's default receivers other than OTLP are removed (null deletes a Helm default).
const otlpReceiver = {
  jaeger: null,
  zipkin: null,
  prometheus: null,
  otlp: { protocols: { grpc: { endpoint: `\${env:MY_POD_IP}:${OTLP_GRPC_PORT}` }, http: { endpoint: `\${env:MY_POD_IP}:${OTLP_HTTP_PORT}` } } },
};

/** Prometheus' OTLP metrics endpoint under its in-cluster URL (`enableOTLPReceiver`). */
export function prometheusOtlpMetricsUrl(prometheusUrl: string): string {
  return `${prometheusUrl}/api/v1/otlp/v1/metrics`;
}

/** Prometheus' remote-write endpoint under its in-cluster URL (`enableRemoteWriteReceiver`). */
export function prometheusRemoteWriteUrl(prometheusUrl: string): string {
  return `${prometheusUrl}/api/v1/write`;
}

/** The router's exporter of OTLP metrics to the Prometheus replica of that ordinal. */
export function prometheusExporterId(ordinal: number): string {
  return `otlphttp/prometheus-${ordinal}`;
}

/**
 * One `otlphttp` exporter per Prometheus replica. The metrics pipeline hands each batch to every
 * exporter; each keeps its own in-memory sending queue and retries (exporterhelper, on by
 * default: opentelemetry-collector exporter/exporterhelper/README.md, `sending_queue`,
 * `retry_on_failure`), so a replica that is down or restarting delays only its own copy, for up
 * to `max_elapsed_time` (300 s) per batch, and the other replica keeps receiving.
 */
function prometheusExporters(prometheusUrls: readonly string[]) {
  return Object.fromEntries(
    prometheusUrls.map((url, ordinal) => [
      prometheusExporterId(ordinal),
      { metrics_endpoint: prometheusOtlpMetricsUrl(url), tls: { insecure: true }, sending_queue: { enabled: true }, retry_on_failure: { enabled: true } },
    ]),
  );
}

export interface RouterValuesInput {
  readonly replicas: number;
  /** The samplers' headless Service, which resolves every sampler pod. */
  readonly samplerHeadlessHost: string;
  /** Every Prometheus replica's URL (`prometheusReplicaUrls`); the apps' OTLP metrics go to each. */
  readonly prometheusUrls: readonly string[];
  readonly scheduling: Scheduling;
}

/** First tier: receive OTLP from apps, route each trace ID to one sampler pod, pass metrics to every Prometheus replica. */
export function routerValues(input: RouterValuesInput) {
  if (input.prometheusUrls.length === 0) throw new Error("routerValues: no Prometheus replica to export the apps' OTLP metrics to");
  const exporters = prometheusExporters(input.prometheusUrls);
  return {
    ...collectorBase(ROUTER_RELEASE, input.replicas, input.scheduling),
    config: {
      extensions: health,
      receivers: otlpReceiver,
      processors: { memory_limiter: { check_interval: "5s", limit_percentage: 80, spike_limit_percentage: 25 }, batch: {} },
      exporters: {
        loadbalancing: {
          routing_key: "traceID",
          protocol: { otlp: { tls: { insecure: true } } },
          resolver: { dns: { hostname: input.samplerHeadlessHost, port: OTLP_GRPC_PORT } },
        },
        ...exporters,
      },
      service: {
        extensions: ["health_check"],
        pipelines: {
          traces: { receivers: ["otlp"], processors: ["memory_limiter"], exporters: ["loadbalancing"] },
          metrics: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: Object.keys(exporters) },
          // Logs go through Alloy from the pods' output; OTLP logs are refused (no pipeline).
          logs: null,
        },
      },
    },
  };
}

/** Second tier: tail sampling per trace, sized from the declared load, then export to Tempo. */
export function samplerValues(input: {
  readonly replicas: number;
  readonly policy: SamplingPolicy;
  readonly load: Omit<SamplerLoad, "replicas">;
  readonly tempoOtlpHost: string;
  readonly scheduling: Scheduling;
}) {
  const size = samplerSizing({ ...input.load, replicas: input.replicas });
  return {
    ...collectorBase(SAMPLER_RELEASE, input.replicas, input.scheduling),
    resources: { requests: { cpu: "500m", memory: `${size.memoryRequestMi}Mi` }, limits: { memory: `${size.memoryLimitMi}Mi` } },
    // Headless: the routers resolve every sampler pod's address, not a virtual IP.
    service: { clusterIP: "None" },
    config: {
      extensions: health,
      receivers: otlpReceiver,
      processors: {
        memory_limiter: { check_interval: "5s", ...MEMORY_LIMITER },
        tail_sampling: {
          decision_wait: `${input.load.decisionWaitSeconds}s`,
          num_traces: size.numTraces,
          expected_new_traces_per_sec: size.expectedNewTracesPerSecond,
          policies: tailSamplingPolicies(input.policy),
        },
        batch: {},
      },
      exporters: { "otlp/tempo": { endpoint: `${input.tempoOtlpHost}:${OTLP_GRPC_PORT}`, tls: { insecure: true } } },
      service: {
        extensions: ["health_check"],
        pipelines: {
          traces: { receivers: ["otlp"], processors: ["memory_limiter", "tail_sampling", "batch"], exporters: ["otlp/tempo"] },
          metrics: null,
          logs: null,
        },
      },
    },
  };
}

/** The metrics-generator processors Tempo runs for every tenant (Grafana's service map and RED panels). */
export const TEMPO_GENERATOR_PROCESSORS = ["service-graphs", "span-metrics"] as const;

export interface TempoValuesInput {
  /** Tempo pods: one runs monolithic; from two on each runs every component with the rings on memberlist (`tempoCluster`). */
  readonly replicas: number;
  /** The monitoring namespace: the pods find each other through the headless Service's name in it. */
  readonly namespace: string;
  readonly retentionDays: number;
  /** Every Prometheus replica's URL (`prometheusReplicaUrls`); the metrics-generator remote-writes to each. */
  readonly prometheusUrls: readonly string[];
  readonly storageGi: number;
  readonly scheduling: Scheduling;
  readonly storageClass?: string;
  /** Bucket for trace blocks; Tempo keeps them on its volume without one. */
  readonly bucket?: BucketTarget;
  /** Service account bound to a cloud role that reaches the bucket (EKS IRSA). @default - the chart's, no role */
  readonly serviceAccount?: { readonly serviceAccount: string; readonly roleArn: string };
}

/** memberlist's port (Tempo's `memberlist.bind_port` default, cmd/tempo/app/config.go). */
export const TEMPO_GOSSIP_PORT = 7946;
/** Tempo's gRPC server (`server.grpc_listen_port` default): distributors push to ingesters, queriers pull from the frontends and ask the ingesters. */
export const TEMPO_GRPC_PORT = 9095;
/**
 * The Service the chart's StatefulSet names as its governing Service (`serviceName: <fullname>-headless`,
 * templates/statefulset.yaml; the fullname is the release, which contains the chart's name) and
 * no template of the chart renders: strata renders it (`tempoHeadlessService`).
 */
export const TEMPO_HEADLESS_SERVICE = `${TRACES_RELEASE}-headless`;

/** How `replicas` Tempo pods work together, or undefined for one (monolithic, the chart's default `-target=all`). */
export interface TempoCluster {
  /** `-target`: every component in each process, the rings shared over memberlist (Tempo 2.10 docs, "Scaling monolithic mode"). */
  readonly target: "scalable-single-binary";
  /**
   * Ingester copies of each trace (`ingester.lifecycler.ring.replication_factor`): three from three
   * pods (a write needs two); two with two pods, which Tempo runs eventually consistent, a write
   * needing one (`EventuallyConsistentStrategy`, pkg/ring/ring.go, v2.10.8).
   */
  readonly replicationFactor: number;
}

export function tempoCluster(replicas: number): TempoCluster | undefined {
  if (replicas < 2) return undefined;
  return { target: "scalable-single-binary", replicationFactor: Math.min(replicas, 3) };
}

/** Why Tempo cannot run `replicas` pods without a bucket of purpose `bucket`, if it cannot. */
export function tempoReplicasProblem(replicas: number, bucket: string, hasBucket: boolean): string | undefined {
  if (replicas < 2 || hasBucket) return undefined;
  return `strata:platform.observability.traces.replicas: more than one Tempo needs an object-store bucket, and the store has no ${bucket} bucket (got ${replicas}); use 1, or add the bucket (strata:platform.objectStore.buckets.${bucket}, or strata:infra.eks.buckets.traces on EKS)`;
}

/**
 * Tempo's whole configuration file. The chart renders `tempo.storage` into its own template, but
 * documents the S3 block only as a comment, so strata writes the file (the chart's `config`).
 */
export function tempoConfig(input: Pick<TempoValuesInput, "retentionDays" | "bucket" | "prometheusUrls" | "replicas" | "namespace">) {
  if (input.prometheusUrls.length === 0) throw new Error("tempoConfig: no Prometheus replica to remote-write the generated metrics to");
  const problem = tempoReplicasProblem(input.replicas, "traces", input.bucket !== undefined);
  if (problem !== undefined) throw new Error(`tempoConfig: ${problem}`);
  const wal = { path: "/var/tempo/wal" };
  const trace =
    input.bucket === undefined
      ? { backend: "local", local: { path: "/var/tempo/traces" }, wal }
      : (() => {
          const { hostPort, insecure } = endpointParts(input.bucket.endpoint);
          return { backend: "s3", s3: { bucket: input.bucket.bucket, endpoint: hostPort, region: input.bucket.region, forcepathstyle: input.bucket.forcePathStyle, insecure }, wal };
        })();
  const cluster = tempoCluster(input.replicas);
  const headless = `${TEMPO_HEADLESS_SERVICE}.${input.namespace}.svc.cluster.local`;
  return {
    stream_over_http_enabled: false,
    // Several pods: each joins the others through the headless Service's A records (`dns+`, as the
    // tempo-distributed chart joins its gossip-ring Service) and keeps starting while they are not up yet.
    memberlist: {
      cluster_label: `${TRACES_RELEASE}.strata`,
      ...(cluster === undefined ? {} : { bind_port: TEMPO_GOSSIP_PORT, join_members: [`dns+${headless}:${TEMPO_GOSSIP_PORT}`], abort_if_cluster_join_fails: false }),
    },
    multitenancy_enabled: false,
    usage_report: { reporting_enabled: false },
    // Sharded over memberlist in this mode, the compactor waits at start for its ring to be stable,
    // a minute by default (modules/compactor/compactor_ring.go); ten seconds keeps each pod's start,
    // and so a rollout one pod at a time, short.
    compactor: { compaction: { block_retention: `${input.retentionDays * 24}h` }, ...(cluster === undefined ? {} : { ring: { wait_stability_min_duration: "10s" } }) },
    // Only OTLP from the sampler tier.
    distributor: { receivers: { otlp: { protocols: { grpc: { endpoint: `0.0.0.0:${OTLP_GRPC_PORT}` } } } } },
    // A pod's readiness asks only for its own place in the ring, not every member healthy (dskit
    // lifecycler `readiness_check_ring_health`): the StatefulSet starts pods one at a time, so with
    // the check two pods lost at once would wait for each other forever.
    ingester: cluster === undefined ? {} : { lifecycler: { ring: { replication_factor: cluster.replicationFactor }, readiness_check_ring_health: false } },
    // Service graphs and span metrics for Grafana's service map (its `serviceMap` datasource is Prometheus).
    metrics_generator: {
      registry: { external_labels: { source: "tempo" } },
      // One remote-write queue per replica (`remote_write` is a list of Prometheus remote_write
      // configs: Tempo docs configuration/_index.md, modules/generator/storage/config.go); names
      // must be unique and label the queue's own metrics.
      storage: {
        path: "/var/tempo/generator/wal",
        remote_write: input.prometheusUrls.map((url, ordinal) => ({ name: `prometheus-${ordinal}`, url: prometheusRemoteWriteUrl(url), send_exemplars: true })),
      },
    },
    server: { http_listen_port: TEMPO_HTTP_PORT, ...(cluster === undefined ? {} : { grpc_listen_port: TEMPO_GRPC_PORT }) },
    storage: { trace },
    // Outside `-target=all` the queriers need the frontends' address or Tempo refuses to start
    // ("frontend worker address not specified", cmd/tempo/app/modules.go initQuerier, v2.10.8); each
    // querier resolves the name and works for every frontend it finds.
    querier: cluster === undefined ? {} : { frontend_worker: { frontend_address: `${headless}:${TEMPO_GRPC_PORT}` } },
    query_frontend: {},
    overrides: { defaults: { metrics_generator: { processors: [...TEMPO_GENERATOR_PROCESSORS] } }, per_tenant_override_config: "/conf/overrides.yaml" },
  };
}

/** Tempo's memory limit, in MiB. */
const TEMPO_MEMORY_LIMIT_MI = 2048;

export function tempoValues(input: TempoValuesInput) {
  const cluster = tempoCluster(input.replicas);
  const scheduling = spreadOverNodes(input.scheduling, TEMPO_POD_LABELS, input.replicas);
  return {
    replicas: input.replicas,
    ...serviceAccountValues(input.serviceAccount),
    config: stringify(tempoConfig(input), { lineWidth: 0 }),
    podAnnotations: credentialsPodAnnotations(input.bucket),
    tempo: {
      // The chart renders each as `-<key>=<value>` after `-config.file` (templates/statefulset.yaml).
      ...(cluster === undefined ? {} : { extraArgs: { target: cluster.target } }),
      extraEnvFrom: credentialsEnvFrom(input.bucket),
      // The Go runtime collects before the memory limit instead of a 1 GiB ballast under it.
      memBallastSizeMbs: 0,
      extraEnv: [{ name: "GOMEMLIMIT", value: `${Math.floor(TEMPO_MEMORY_LIMIT_MI * 0.9)}MiB` }],
      resources: { requests: { cpu: "200m", memory: "512Mi" }, limits: { memory: `${TEMPO_MEMORY_LIMIT_MI}Mi` } },
      // The chart's liveness probe asks `/ready`, which waits for every module: the sharded
      // compactor's ring, a long WAL replay. Alive is the HTTP server answering; ready stays `/ready`.
      livenessProbe: { httpGet: { path: "/metrics" } },
    },
    persistence: { enabled: true, size: `${input.storageGi}Gi`, ...(input.storageClass === undefined ? {} : { storageClassName: input.storageClass }) },
    serviceMonitor: { enabled: true },
    nodeSelector: scheduling.nodeSelector,
    tolerations: scheduling.tolerations,
    affinity: scheduling.affinity,
  };
}

/**
 * The headless Service of the Tempo pods (spec), for more than one: memberlist joins through it and
 * the queriers find every frontend with it. Not-ready pods are listed, or the first pods could never
 * gossip their way to ready (the tempo-distributed chart's gossip-ring Service does the same).
 */
export function tempoHeadlessService(replicas: number) {
  if (tempoCluster(replicas) === undefined) return undefined;
  return {
    clusterIP: "None",
    publishNotReadyAddresses: true,
    selector: { ...TEMPO_POD_LABELS },
    ports: [
      { name: "gossip-ring", port: TEMPO_GOSSIP_PORT, targetPort: TEMPO_GOSSIP_PORT, protocol: "TCP" },
      { name: "grpc", port: TEMPO_GRPC_PORT, targetPort: TEMPO_GRPC_PORT, protocol: "TCP" },
    ],
  };
}

/** The chart has no PodDisruptionBudget template (charts/tempo/templates/); strata writes one from two pods on. */
export function tempoDisruptionBudget(replicas: number) {
  if (!disruptionBudget(replicas).enabled) return undefined;
  return { maxUnavailable: 1, selector: { matchLabels: { ...TEMPO_POD_LABELS } } };
}
