/** `strata:apps.services.<name>`: one application service, as the user writes it. */
import { z } from "zod";
import { POOL_ROLES } from "../../lib/contracts";
import { count, dnsLabel, dnsSubdomain, port, strictObject } from "../common";
import { routeHost } from "./route-host";
import { servicePort } from "./service-port";
import { sharedSecretEnv } from "./shared-secrets";
import { PullSecretSource, SecretSource } from "./secret-sources";
import { routeHosts, routeRedirects, routeRewrite } from "./route-hosts";
import { routeCors, routeRateLimit, routeSecurityHeaders, routeSessionAffinity, routeTimeoutSeconds, routeWebsocket, serviceRelease } from "./route";
import { ResilienceConfig } from "./resilience";
import { AppSloConfig } from "./slo";
import { HttpMetricsConfig } from "./metrics";
import { AwsAccessConfig, customMetricScaling, EgressConfig, MigrationConfig, OBJECT_STORE_FIELDS, OBJECT_STORE_USE } from "./runtime";
import { JobRunConfig, queueScaling, ScheduleConfig, workloadKind } from "./workload-kind";

/** Platform data services an app may `use`; each publishes an `Endpoint` in `PlatformOutputs.endpoints`. */
export const PLATFORM_SERVICES = ["postgres", "mysql", "mongodb", "redis", "rabbitmq", "kafka"] as const;
export type PlatformService = (typeof PLATFORM_SERVICES)[number];
/** A `uses` entry naming a platform service (not the object store, not an external service). */
export const isPlatformService = (use: string): use is PlatformService => (PLATFORM_SERVICES as readonly string[]).includes(use);

/**
 * What of an endpoint an environment variable receives. `dotnet` is the key=value connection
 * string .NET clients read (`Server=…;Port=…;Database=…;User=…;Password=…` for SQL databases,
 * `host:port,password=…` for Redis).
 */
export const CONNECTION_FIELDS = ["url", "host", "port", "database", "username", "password", "dotnet"] as const;
/**
 * Fields of a Kafka endpoint only, named after the client properties they fill:
 * `bootstrapServers` (`bootstrap.servers`, `host:port[,host:port]`), `securityProtocol`
 * (`security.protocol`), `saslMechanism` (`sasl.mechanism`) and `caFile`, the path of the
 * cluster CA certificate (PEM) mounted into the pods (`ssl.ca.location`).
 */
export const KAFKA_CONNECTION_FIELDS = ["bootstrapServers", "securityProtocol", "saslMechanism", "caFile"] as const;
export type KafkaConnectionField = (typeof KAFKA_CONNECTION_FIELDS)[number];
/** A field every endpoint has. */
export type EndpointField = (typeof CONNECTION_FIELDS)[number];
export type ConnectionField = EndpointField | KafkaConnectionField;
/** Variables named like a bootstrap server list (`KAFKA_BOOTSTRAP_SERVERS`, `Kafka__BootstrapServers`, `spring.kafka.bootstrap-servers`). */
export const BOOTSTRAP_VARIABLE = /bootstrap[-_.]?servers$/i;

/** Environment variable names Kubernetes accepts (.NET's `Section__Key` included). */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
export const envName = z.string().regex(ENV_NAME, { error: "must be an environment variable name: letters, digits, '_', '-', '.', not starting with a digit" });

const seconds = (min: number) => count(min);
/** An absolute file path, not a directory: `/etc/orders/key.pem`. */
const SECRET_FILE_PATH = /^(\/[^/\s]+)+$/;

const probe = strictObject({
  path: z.string().regex(/^\/\S*$/, { error: "must be an absolute HTTP path such as /health" }).describe("HTTP path probed."),
  port: port.optional().describe("Container port probed. Default: the service's `port`."),
  initialDelaySeconds: seconds(0).default(0).describe("Seconds after start before the first probe."),
  periodSeconds: seconds(1).default(10).describe("Seconds between probes."),
  timeoutSeconds: seconds(1).default(1).describe("Seconds a probe may take."),
  failureThreshold: seconds(1).default(3).describe("Failed probes in a row before the container counts as failed."),
});
export type ProbeSpec = z.infer<typeof probe>;

const scalingPolicy = strictObject({
  percent: count(1).optional().describe("Pods added/removed per period as a percentage of the current count."),
  pods: count(1).optional().describe("Pods added/removed per period; with `percent`, a cap on it."),
  periodSeconds: count(1).max(1800, { error: "must be 1800 or less" }).default(60).describe("Length of one policy period in seconds."),
  stabilizationSeconds: count(0).max(3600, { error: "must be 3600 or less" }).optional().describe("Window of past recommendations the HPA smooths over. Default: 0 up, 300 down (Kubernetes)."),
});
export type ScalingPolicySpec = z.infer<typeof scalingPolicy>;

const autoscaling = strictObject({
  minReplicas: count(1).describe("Fewest pods."),
  maxReplicas: count(1).describe("Most pods."),
  cpuPercent: count(1).optional().describe("Average CPU utilisation (of requests) the HPA keeps."),
  memoryPercent: count(1).optional().describe("Average memory utilisation (of requests) the HPA keeps."),
  scaleUp: scalingPolicy.optional().describe("How fast the HPA adds pods. Default: Kubernetes' (100 % or 4 pods per 15 s)."),
  scaleDown: scalingPolicy.optional().describe("How fast the HPA removes pods. Default: Kubernetes' (100 % per 15 s after 300 s)."),
  ...customMetricScaling,
  ...queueScaling,
});
export type AutoscalingSpec = z.infer<typeof autoscaling>;

const resources = strictObject({
  cpuMillis: count(1).describe("CPU request in millicores."),
  memoryMi: count(1).describe("Memory request in MiB."),
  limitCpuMillis: count(1).optional().describe("CPU limit in millicores. Default: none (no throttling)."),
  limitMemoryMi: count(1).describe("Memory limit in MiB."),
});
export type ResourcesSpec = z.infer<typeof resources>;

const security = strictObject({
  runAsUser: count(1).default(1000).describe("UID the containers run as (never 0)."),
  runAsGroup: count(1).optional().describe("GID the containers run as. Default: `runAsUser`."),
  fsGroup: count(1).optional().describe("Group that owns mounted volumes. Default: `runAsGroup`."),
  readOnlyRootFilesystem: z.boolean().default(true).describe("Mount the image read-only; write only to `writablePaths`."),
});

const route = strictObject({
  host: routeHost().describe("Public host name on the shared Gateway; the gateway domain or one label under it."),
  paths: z.array(z.string().regex(/^\/\S*$/, { error: "must be an absolute path prefix such as /api" })).min(1).default(["/"]).describe("Path prefixes routed to the service."),
  hosts: routeHosts,
  rewrite: routeRewrite.optional(),
  redirects: routeRedirects,
  timeoutSeconds: routeTimeoutSeconds,
  rateLimit: routeRateLimit.optional(),
  cors: routeCors.optional(),
  securityHeaders: routeSecurityHeaders.prefault({}),
  sessionAffinity: routeSessionAffinity.optional(),
  websocket: routeWebsocket,
});

export const AppServiceConfig = strictObject({
  namespace: dnsLabel().default("apps").describe("App namespace (a key of strata:cluster.appNamespaces)."),
  image: z.string().min(1).describe("Container image pinned by tag or digest (`latest` and untagged images are rejected)."),
  command: z.array(z.string()).optional().describe("Container entrypoint. Default: the image's."),
  args: z.array(z.string()).optional().describe("Container arguments. Default: the image's."),
  kind: workloadKind,
  port: port.optional().describe("Container port serving HTTP (the Service's `http` port). Required for kind service; none for the other kinds."),
  servicePort,
  metricsPort: port.optional().describe("Container port serving Prometheus metrics (the Service's `metrics` port)."),
  metricsPath: z.string().regex(/^\/\S*$/, { error: "must be an absolute HTTP path such as /metrics" }).default("/metrics").describe("Path Prometheus scrapes."),
  slo: AppSloConfig.optional().describe("Service-level objectives (availability, p95/p99 latency) rendered as burn-rate alerts and an SLO dashboard. Default: none."),
  httpMetrics: HttpMetricsConfig.prefault({}).describe("The request-duration histogram served on `metricsPort`, which the service's golden signals and KEDA's request metrics are recorded from."),
  replicas: count(1).default(2).describe("Pods when `autoscaling` is absent."),
  autoscaling: autoscaling.optional().describe("HPA v2 bounds, targets and behaviour; the HPA then owns the replica count."),
  minAvailable: count(1).optional().describe("PodDisruptionBudget floor. Default: one less than the fewest replicas (none for a single pod)."),
  maxSurge: z.union([count(0), z.string().regex(/^\d+%$/)]).default(1).describe("Extra pods during a rolling update (count or percentage)."),
  maxUnavailable: z.union([count(0), z.string().regex(/^\d+%$/)]).default(0).describe("Pods that may be missing during a rolling update (count or percentage)."),
  resources: resources.describe("Container requests and limits."),
  probes: strictObject({
    liveness: probe.optional().describe("Restarts the container when it fails."),
    readiness: probe.optional().describe("Takes the pod out of the Service when it fails."),
    startup: probe.optional().describe("Holds the other probes until the app has started."),
  })
    .prefault({})
    .describe("HTTP probes."),
  security: security.prefault({}).describe("Restricted pod security (non-root, read-only root, no capabilities, RuntimeDefault seccomp)."),
  writablePaths: z.record(dnsLabel(), z.string().regex(/^\/\S*$/, { error: "must be an absolute path such as /tmp" })).default({ tmp: "/tmp" }).describe("Writable emptyDir volumes by name → mount path."),
  role: z.enum(POOL_ROLES).default("worker").describe("Pool role the pods are placed on (cluster contract)."),
  pool: dnsLabel().optional().describe("Node pool the pods are placed on, instead of `role`."),
  priorityClassName: dnsSubdomain().optional().describe("PriorityClass of the pods. Default: none."),
  imagePullSecrets: z
    .array(PullSecretSource)
    .default([])
    .describe("Registry credentials to pull the image with: sources whose value is a `.dockerconfigjson` (`{config: …}`, `{secret: <name>/.dockerconfigjson}`, `{external: <store>/<path>}`), or the name of a `kubernetes.io/dockerconfigjson` Secret in the app namespace."),
  automountServiceAccountToken: z.boolean().default(false).describe("Mount a Kubernetes API token into the pods."),
  route: route.optional().describe("HTTPRoute on the shared Gateway. Default: not exposed."),
  release: serviceRelease.optional(),
  resilience: ResilienceConfig.optional(),
  callers: z.array(dnsLabel()).default([]).describe("Other apps (keys of strata:apps.services) allowed to call this one."),
  uses: z.array(z.union([z.enum([...PLATFORM_SERVICES, OBJECT_STORE_USE]), dnsLabel()])).default([]).describe("Data services the app connects to (egress allowed, credentials in a Secret): platform services, objectStore, or names of strata:apps.external."),
  connectionEnv: z
    .record(envName, z.string())
    .default({})
    .describe(`Environment variables from the services in \`uses\`, name → \`<service>.<field>\` (fields: ${CONNECTION_FIELDS.join(", ")}; kafka also: ${KAFKA_CONNECTION_FIELDS.join(", ")}; objectStore: ${OBJECT_STORE_FIELDS.join(", ")}), e.g. DATABASE_URL: postgres.url, KAFKA_BOOTSTRAP_SERVERS: kafka.bootstrapServers.`),
  generatedSecrets: z.record(envName, count(16).max(256, { error: "must be 256 or less" })).default({}).describe("Environment variables holding a random secret of that many characters, e.g. JWT__SecretKey: 64."),
  sharedSecretEnv: sharedSecretEnv(envName),
  secretEnv: z
    .record(envName, SecretSource)
    .default({})
    .describe("Environment variables holding a secret, name → source: `{config: \"<ns>:<key>\"}` (a Pulumi secret), `{secret: \"<name>/<key>\"}` (a Secret in the app namespace) or `{external: \"<store>/<path>\", property?}` (synced by External Secrets Operator). See apps/README.md, Secrets."),
  secretFiles: z
    .record(z.string().regex(SECRET_FILE_PATH, { error: "must be an absolute file path such as /etc/orders/key.pem" }), SecretSource)
    .default({})
    .describe("Files holding a secret, absolute mount path → source (same sources as secretEnv); each is mounted read-only, mode 0400."),
  env: z.record(envName, z.string()).default({}).describe("Plain environment variables (never secrets: use secretEnv)."),
  awsAccess: AwsAccessConfig.optional().describe("EKS only: an IAM role for the app's ServiceAccount through EKS Pod Identity, with these managed policies and statements."),
  migration: MigrationConfig.optional().describe("Init container running the schema migration before the app starts (same env, security context and resources)."),
  schedule: ScheduleConfig.optional().describe("Kind cronjob only (required there): when it runs, concurrency, history and deadlines."),
  job: JobRunConfig.optional().describe("Kind job only: retries, deadline, parallelism and clean-up of the run. Default: Kubernetes' (6 retries, no deadline, kept)."),
  egress: EgressConfig.describe("External networks the app may reach: CIDRs and ports (`host` documents them)."),
});
export type AppServiceSpec = z.infer<typeof AppServiceConfig>;
