/**
 * `strata:platform.observability`: metrics (kube-prometheus-stack), alerts, logs (Loki + Alloy),
 * traces (OpenTelemetry Collector → Tempo), dashboards and their access on the shared Gateway.
 * Sizes left unset take the environment's defaults (`OBSERVABILITY_ENVIRONMENT_DEFAULTS`).
 */
import { z } from "zod";
import { DEFAULT_RUNBOOK_BASE_URL } from "../../lib/prometheus-rules";
import { count, dnsLabel, dnsSubdomain, namedMap, strictObject } from "../common";

/** Control-plane components kube-prometheus-stack can scrape beside the API server and kubelets. */
export const CONTROL_PLANE_SCRAPES = ["etcd", "scheduler", "controllerManager", "kubeProxy"] as const;
export type ControlPlaneScrape = (typeof CONTROL_PLANE_SCRAPES)[number];

export const RECEIVER_TYPES = ["slack", "webhook", "pagerduty"] as const;
export type ReceiverType = (typeof RECEIVER_TYPES)[number];

/** Severities strata's alerts carry, most urgent first; `critical` must reach someone in prod. */
export const SEVERITIES = ["critical", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Hosts the observability UIs are served under, below the access domain. */
export const UI_NAMES = ["grafana", "prometheus", "alertmanager", "traces"] as const;
export type UiName = (typeof UI_NAMES)[number];

const percent = z.number().gt(0, { error: "must be above 0" }).max(100, { error: "must be 100 or less" });

const receiver = strictObject({
  type: z.enum(RECEIVER_TYPES).describe("How Alertmanager notifies: Slack incoming webhook, generic webhook or PagerDuty Events v2."),
  url: z
    .string()
    .min(1)
    .optional()
    .describe("Slack or webhook URL. A secret: set it with `pulumi config set --secret --path 'strata:platform.observability.alerting.receivers.<name>.url' <url>`."),
  routingKey: z
    .string()
    .min(1)
    .optional()
    .describe("PagerDuty integration (routing) key. A secret: set it with `pulumi config set --secret --path ...routingKey <key>`."),
  channel: z.string().min(1).optional().describe("Slack channel, e.g. `#alerts`; the webhook's own channel when absent."),
  severities: z.array(z.enum(SEVERITIES)).min(1).default(["critical", "warning"]).describe("Alert severities routed to this receiver."),
});
export type ReceiverConfig = z.infer<typeof receiver>;

const heartbeat = strictObject({
  url: z
    .string()
    .min(1)
    .describe(
      "Dead man's switch webhook (healthchecks.io, Dead Man's Snitch, a PagerDuty or Opsgenie heartbeat) that Alertmanager calls with the always-firing Watchdog alert every minute; the switch pages when the calls stop. A secret: set it with `pulumi config set --secret --path 'strata:platform.observability.alerting.heartbeat.url' <url>`.",
    ),
});
export type HeartbeatConfig = z.infer<typeof heartbeat>;

const thresholds = strictObject({
  // One stack's targets are not every stack's: these cluster-wide alerts exist only where set;
  // per-service objectives belong in strata:apps.services.<name>.slo (burn-rate alerts).
  requestsPerSecond: count(1).optional().describe("Cluster-wide request rate above which the capacity target is exceeded (Tartware: 25k RPS). Default: no such alert."),
  latencyP95Ms: count(1).optional().describe("P95 latency of any service (5-minute window) that raises an alert, in milliseconds. Default: no such alert; prefer a service's slo.latencyMs."),
  latencyP99Ms: count(1).optional().describe("P99 latency of any service (5-minute window) that raises an alert, in milliseconds. Default: no such alert; prefer a service's slo.latencyMs."),
  errorRatePercent: percent.optional().describe("Share of 5xx responses of any service (5-minute window) that raises an alert. Default: no such alert; prefer a service's slo.availabilityPercent."),
  cpuPercent: percent.default(90).describe("Node CPU use that raises an alert."),
  memoryPercent: percent.default(90).describe("Node memory use that raises an alert."),
  diskFreePercent: percent.default(10).describe("Free space on a node filesystem or volume below which an alert fires."),
  replicationLagSeconds: count(1).default(30).describe("Database replication lag that raises an alert."),
  queueDepthMessages: count(1).default(10000).describe("RabbitMQ messages ready in one queue that raise an alert."),
  kafkaConsumerLagMessages: count(1).default(10000).describe("Kafka consumer-group lag (messages) that raises an alert."),
  certificateExpiryDays: count(1).default(14).describe("Days before a certificate expires at which an alert fires."),
  backupMaxAgeHours: count(1).default(26).describe("Hours since the last successful backup after which an alert fires."),
});
export type AlertThresholds = z.infer<typeof thresholds>;

export const observabilityConfig = strictObject({
  metrics: strictObject({
    retentionDays: count(1).optional().describe("Prometheus retention in days. @default - 30 in prod (EMIS seed), 7 otherwise."),
    storageGi: count(1).optional().describe("Prometheus volume size in GiB. @default - 100 in prod (EMIS seed), 20 otherwise."),
    replicas: count(1)
      .optional()
      .describe("Prometheus replicas, one per node; each scrapes every target, receives every pushed series (Tempo's, the apps' OTLP metrics) and keeps a full copy of the data (external label `prometheus_replica` tells them apart). @default - 2 in prod, 1 otherwise."),
    scrapeIntervalSeconds: count(5).default(30).describe("Default scrape interval in seconds."),
    controlPlane: z
      .partialRecord(z.enum(CONTROL_PLANE_SCRAPES), z.boolean())
      .default({})
      .describe(
        "Scrape etcd, the scheduler, the controller manager and kube-proxy. Default: off on vSphere (kubeadm binds them to 127.0.0.1) and on EKS (managed control plane), kube-proxy on on EKS. Turning one on without making it reachable fires target-down alerts.",
      ),
  }).default({ scrapeIntervalSeconds: 30, controlPlane: {} }),
  grafana: strictObject({
    replicas: count(1)
      .optional()
      .describe(
        "Grafana pods, one per node. More than one share a database, strata:platform.postgres (a role and database of their own), and keep no volume. @default - 2 in prod where strata:platform.postgres is enabled, 1 otherwise (SQLite on a volume).",
      ),
    storageGi: count(1).default(10).describe("Grafana's volume (SQLite: users, preferences, UI-made dashboards) in GiB, with one replica; with more, that state is in PostgreSQL and there is no volume."),
  }).default({ storageGi: 10 }),
  alerting: strictObject({
    receivers: namedMap(receiver).default({}).describe("Alertmanager receivers by name; their URLs and keys must be stored as secrets. Prod requires at least one for `critical`."),
    heartbeat: heartbeat.optional().describe("Where the Watchdog alert goes, proving the alerting pipeline is alive. Required in prod."),
    replicas: count(1)
      .optional()
      .describe("Alertmanager replicas, one per node, clustered (they share silences and send each notification once). @default - 3 in prod, 1 otherwise."),
    thresholds: thresholds.default(thresholds.parse({})).describe("Alert thresholds (seed values by default)."),
  }).default({ receivers: {}, thresholds: thresholds.parse({}) }),
  runbookBaseUrl: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://git.example.com/strata/blob/main/docs/runbooks" })
    .default(DEFAULT_RUNBOOK_BASE_URL)
    .describe("Where `docs/runbooks/` is served; every alert's `runbook_url` is `<this>/<AlertName>.md`. Point it at your copy of the repository (or an internal docs site) so on-call links open."),
  logs: strictObject({
    enabled: z.boolean().default(true).describe("Install Loki (Monolithic) and the Alloy log-shipping DaemonSet."),
    retentionDays: count(1).optional().describe("Log retention in days. @default - 30 in prod, 7 otherwise (ValueVerse seed)."),
    storageGi: count(1).optional().describe("Loki's local volume (WAL, index cache; all data when no object store) in GiB. @default - 50 in prod, 20 otherwise."),
    bucket: dnsLabel().default("logs").describe("Object-store bucket purpose Loki keeps chunks in; without such a bucket Loki keeps them on its volume. On EKS it must be `logs` (the bucket Loki's role reaches)."),
    replicas: count(1)
      .optional()
      .describe("Loki pods (Monolithic), one per node; more than one needs the object-store bucket, and from three each stream is kept on three of them (replication factor 3). @default - 3 in prod when the store has the logs bucket, 1 otherwise."),
  }).default({ enabled: true, bucket: "logs" }),
  traces: strictObject({
    enabled: z.boolean().default(true).describe("Install the two-tier OpenTelemetry Collector and Tempo."),
    retentionDays: count(1).optional().describe("Trace retention in days. @default - 14 in prod, 3 otherwise."),
    storageGi: count(1).default(10).describe("Tempo's local volume (WAL; all data when no object store) in GiB."),
    bucket: dnsLabel().default("traces").describe("Object-store bucket purpose Tempo keeps blocks in; without such a bucket Tempo keeps them on its volume. On EKS it must be `traces` (the bucket Tempo's role reaches)."),
    baselinePercent: percent.default(10).describe("Share of ordinary traces kept (Tartware: 10 %); every error trace is kept."),
    slowTraceMs: count(1).default(500).describe("Traces longer than this are always kept."),
    replicas: count(1)
      .optional()
      .describe(
        "Tempo pods, one per node; from two each runs every component (`-target=scalable-single-binary`) with the rings on memberlist, which needs the object-store bucket, and from three each trace is written to three of them (replication factor 3). @default - 3 in prod when the store has the traces bucket, 1 otherwise.",
      ),
    routerReplicas: count(1).optional().describe("First-tier collectors (route spans by trace ID). @default - 2 in prod, 1 otherwise."),
    samplerReplicas: count(1).optional().describe("Second-tier collectors (tail sampling). @default - 2 in prod, 1 otherwise."),
    requestsPerSecond: count(1)
      .optional()
      .describe(
        "Traces per second the samplers are sized for: each holds RPS × decisionWaitSeconds ÷ samplers × 1.5 traces (`num_traces`) and that many × spansPerTrace × 1 KiB ÷ 0.8 of memory. @default - strata:platform.observability.alerting.thresholds.requestsPerSecond if set, else 1000",
      ),
    decisionWaitSeconds: count(1).default(10).describe("Seconds a sampler waits after a trace's first span before deciding to keep it (`decision_wait`)."),
    spansPerTrace: count(1).default(10).describe("Spans in an ordinary trace, for the samplers' memory."),
  }).default({ enabled: true, storageGi: 10, bucket: "traces", baselinePercent: 10, slowTraceMs: 500, decisionWaitSeconds: 10, spansPerTrace: 10 }),
  access: strictObject({
    enabled: z.boolean().default(true).describe("Serve Grafana, Prometheus, Alertmanager and the trace UI on the shared Gateway."),
    domain: dnsSubdomain().optional().describe("Gateway domain the UIs live under. @default - the first domain on the internal issuer, else the first domain."),
    hosts: z
      .partialRecord(z.enum(UI_NAMES), dnsLabel())
      .default({})
      .describe("Host label per UI under the domain. Defaults: grafana, prometheus, alertmanager, traces."),
    oidc: strictObject({
      issuer: z
        .url({ protocol: /^https$/, error: "must be an https:// URL" })
        .describe("The identity provider's issuer URL (OpenID Connect discovery), e.g. `https://login.example.com/realms/ops`."),
      clientId: z.string().min(1).describe("The client registered at the provider for the UIs; its redirect URIs are `https://<ui host>/oauth2/callback`."),
      clientSecret: z
        .string()
        .min(1)
        .describe("That client's secret. A secret: set it with `pulumi config set --secret --path 'strata:platform.observability.access.oidc.clientSecret' <secret>`."),
      jwksUrl: z
        .url({ protocol: /^https$/, error: "must be an https:// URL" })
        .describe("The provider's signing keys (`jwks_uri` of its discovery document), with which Grafana verifies the ID token the gateway forwards."),
    })
      .optional()
      .describe("Single sign-on for every UI through the gateway (Envoy Gateway SecurityPolicy `oidc`) in place of the shared basic-auth user; Grafana signs the user in from the same login. Absent: basic auth (labs)."),
    rateLimitPerMinute: count(1)
      .default(3000)
      .describe("Per-client-IP request limit of the UI routes, in place of the gateway-wide strata:cluster.gateway.rateLimitPerMinute (a dashboard load sends dozens of queries)."),
  }).default({ enabled: true, hosts: {}, rateLimitPerMinute: 3000 }),
});
export type ObservabilityConfig = z.infer<typeof observabilityConfig>;

/** Sizes that depend on the environment when config leaves them unset. */
export const OBSERVABILITY_ENVIRONMENT_DEFAULTS = {
  prod: { metricsRetentionDays: 30, metricsStorageGi: 100, logsRetentionDays: 30, logsStorageGi: 50, tracesRetentionDays: 14, collectorReplicas: 2, prometheusReplicas: 2, alertmanagerReplicas: 3, lokiReplicas: 3, tempoReplicas: 3, grafanaReplicas: 2 },
  other: { metricsRetentionDays: 7, metricsStorageGi: 20, logsRetentionDays: 7, logsStorageGi: 20, tracesRetentionDays: 3, collectorReplicas: 1, prometheusReplicas: 1, alertmanagerReplicas: 1, lokiReplicas: 1, tempoReplicas: 1, grafanaReplicas: 1 },
} as const;

/** Names of the receivers strata adds itself (the Watchdog's heartbeat, the receiver that drops). */
export const RESERVED_RECEIVERS: readonly string[] = ["heartbeat", "null"];

/** Receiver problems zod cannot see: the secret each type needs. Paths are relative to `observability`. */
export function receiverIssues(config: ObservabilityConfig, ctx: z.RefinementCtx): void {
  for (const [name, entry] of Object.entries(config.alerting.receivers)) {
    const path = ["alerting", "receivers", name];
    if (RESERVED_RECEIVERS.includes(name)) {
      ctx.addIssue({ code: "custom", path, message: `is a name strata's own receivers use; pick another (reserved: ${RESERVED_RECEIVERS.join(", ")})` });
    }
    if (entry.type === "pagerduty" && entry.routingKey === undefined) {
      ctx.addIssue({ code: "custom", path: [...path, "routingKey"], message: "is required for a pagerduty receiver; set it with `pulumi config set --secret --path`" });
    }
    if (entry.type !== "pagerduty" && entry.url === undefined) {
      ctx.addIssue({ code: "custom", path: [...path, "url"], message: `is required for a ${entry.type} receiver; set it with \`pulumi config set --secret --path\`` });
    }
  }
}

export const ObservabilityConfig = observabilityConfig.superRefine(receiverIssues);

/** Default host label of each UI under the access domain. */
export const DEFAULT_UI_HOSTS: Readonly<Record<UiName, string>> = { grafana: "grafana", prometheus: "prometheus", alertmanager: "alertmanager", traces: "traces" };

/** Gateway domains as the cluster slice declares them (only what the access check needs). */
export type GatewayDomains = Readonly<Record<string, { readonly issuer: string; readonly hosts: readonly string[] }>>;

/** The domain the UIs live under: configured, else the first internal-issuer domain, else the first. */
export function accessDomain(config: ObservabilityConfig, domains: GatewayDomains): string | undefined {
  if (config.access.domain !== undefined) return config.access.domain;
  const names = Object.keys(domains);
  return names.find((name) => domains[name]?.issuer === "internal") ?? names[0];
}

/** UIs served, with their host labels (the trace UI only with traces on). */
export function uiHosts(config: ObservabilityConfig): Partial<Record<UiName, string>> {
  const wanted = UI_NAMES.filter((ui) => ui !== "traces" || config.traces.enabled);
  return Object.fromEntries(wanted.map((ui) => [ui, config.access.hosts[ui] ?? DEFAULT_UI_HOSTS[ui]]));
}

/**
 * Cross-slice checks of UI access against `strata:cluster.gateway`: the domain must be served
 * by the Gateway, and an ACME domain's certificate must name every UI host (HTTP-01 cannot
 * issue wildcards).
 */
export function accessProblems(config: ObservabilityConfig, gateway: { readonly enabled: boolean; readonly domains: GatewayDomains }): string[] {
  if (!config.access.enabled) return [];
  const at = "strata:platform.observability.access";
  const domain = accessDomain(config, gateway.domains);
  if (!gateway.enabled || domain === undefined) {
    return [`${at}.enabled: needs the shared Gateway with at least one domain (got true); add a domain under strata:cluster.gateway.domains or set ${at}.enabled to false`];
  }
  const entry = gateway.domains[domain];
  if (entry === undefined) {
    return [`${at}.domain: is not a Gateway domain (got ${JSON.stringify(domain)}); use one of ${Object.keys(gateway.domains).map((d) => JSON.stringify(d)).join(", ")}`];
  }
  if (entry.issuer === "internal") return [];
  const missing = Object.values(uiHosts(config)).filter((host) => !entry.hosts.includes(host));
  return missing.length === 0
    ? []
    : [
        `${at}.hosts: ${missing.join(", ")} not on the certificate of ACME domain ${domain} (got hosts ${JSON.stringify(entry.hosts)}); add them to strata:cluster.gateway.domains.${domain}.hosts or use an internal-issuer domain`,
      ];
}

/**
 * Receiver URLs and keys are secrets: once any is set, `strata:platform` must be stored
 * encrypted (`pulumi config set --secret --path ...`), so they never sit in clear in the stack file.
 */
export function receiverSecretProblems(config: ObservabilityConfig, platformIsSecret: boolean): string[] {
  const at = (name: string, key: string) => `strata:platform.observability.alerting.receivers.${name}.${key}`;
  // The values are secrets: messages never repeat them (their format is checked by Alertmanager).
  if (platformIsSecret) return [];
  const inClear = (key: string) => `${key}: must be stored as a secret (got a value in clear, not shown); set it with \`pulumi config set --secret --path '${key}' <value>\``;
  return [
    ...Object.entries(config.alerting.receivers)
      .filter(([, entry]) => entry.url !== undefined || entry.routingKey !== undefined)
      .map(([name, entry]) => inClear(at(name, entry.url === undefined ? "routingKey" : "url"))),
    ...(config.alerting.heartbeat === undefined ? [] : [inClear("strata:platform.observability.alerting.heartbeat.url")]),
    ...(config.access.oidc === undefined ? [] : [inClear("strata:platform.observability.access.oidc.clientSecret")]),
  ];
}

/**
 * Prod alerts must reach a human: at least one receiver takes `critical`, and the Watchdog goes to
 * a dead man's switch, which pages when Alertmanager (or Prometheus, or the path out) goes silent.
 */
export function prodAlertingProblems(config: ObservabilityConfig, environment: string): string[] {
  if (environment !== "prod") return [];
  const at = "strata:platform.observability.alerting";
  const problems: string[] = [];
  const critical = Object.keys(config.alerting.receivers).filter((name) => config.alerting.receivers[name]?.severities.includes("critical"));
  if (critical.length === 0) {
    const got = Object.keys(config.alerting.receivers).length === 0 ? "no receivers" : `receivers ${Object.keys(config.alerting.receivers).sort().join(", ")} without critical`;
    problems.push(
      `${at}.receivers: prod needs at least one receiver for critical alerts (got ${got}); add one, e.g. \`pulumi config set --path '${at}.receivers.oncall.type' pagerduty\` and \`pulumi config set --secret --path '${at}.receivers.oncall.routingKey' <key>\` (severities default to [critical, warning])`,
    );
  }
  if (config.alerting.heartbeat === undefined) {
    problems.push(
      `${at}.heartbeat.url: prod needs a dead man's switch for the Watchdog alert (got nothing); create a heartbeat check (healthchecks.io, Dead Man's Snitch, PagerDuty/Opsgenie heartbeat) expecting a call every minute, then \`pulumi config set --secret --path '${at}.heartbeat.url' <webhook-url>\``,
    );
  }
  return problems;
}

/**
 * Grafana's replicas and where it keeps its state. Several Grafana servers need one shared SQL
 * database (Grafana docs, "Set up Grafana for high availability": the embedded SQLite cannot be
 * shared; MySQL or PostgreSQL can): strata's is the platform's PostgreSQL. Without it, prod runs
 * one Grafana on SQLite and the plan says so (`grafanaSingleReplicaNote`) rather than refusing:
 * Grafana only shows what Prometheus, Loki and Tempo keep, alerts go through Alertmanager without
 * it, and a rescheduled pod is back with its volume in minutes.
 *
 * The platform's MySQL is no substitute (`GRAFANA_ON_MYSQL_PROBLEM`): it runs group replication.
 */
export function resolveGrafana(config: ObservabilityConfig, environment: string, hasPostgres: boolean): { readonly replicas: number; readonly sharedDatabase: boolean } {
  const env = environment === "prod" ? OBSERVABILITY_ENVIRONMENT_DEFAULTS.prod : OBSERVABILITY_ENVIRONMENT_DEFAULTS.other;
  const replicas = config.grafana.replicas ?? (hasPostgres ? env.grafanaReplicas : 1);
  return { replicas, sharedDatabase: replicas > 1 };
}

/**
 * Why Grafana does not keep its state in the platform's MySQL. strata's MySQL is a group-replication
 * cluster (platform/mysql/values.ts `clusterType`), and group replication refuses writes to a table
 * without a primary key (MySQL manual, "Group Replication Requirements"; error 3098). Grafana's
 * schema migrations create such tables and copy out of them (`alert_rule_tag` v1 → v2 and
 * `annotation_tag`, pkg/services/sqlstore/migrations): a first start on a group-replication
 * primary stops at "copy alert_rule_tag v1 to v2" with error 3098 (grafana/grafana#45639, open;
 * #63104). MySQL's generated invisible primary keys (`sql_generate_invisible_primary_key`) would
 * give those tables an auto-increment column of their own, and MySQL allows one per table, which
 * the later migration adding Grafana's own `id` key to `seed_assignment` then breaks on (error 1075,
 * grafana/grafana#72910).
 */
export const GRAFANA_ON_MYSQL_PROBLEM =
  "strata:platform.mysql is group replication, which refuses Grafana's schema migrations (tables without a primary key, grafana/grafana#45639)";

/** More than one Grafana without the platform's PostgreSQL cannot share its state. */
export function grafanaReplicasProblems(config: ObservabilityConfig, hasPostgres: boolean): string[] {
  const replicas = config.grafana.replicas;
  if (replicas === undefined || replicas < 2 || hasPostgres) return [];
  return [
    `strata:platform.observability.grafana.replicas: more than one Grafana needs a shared database, and strata:platform.postgres is not enabled (got ${replicas}); enable strata:platform.postgres (Grafana gets a role and database of its own there), or use 1 (${GRAFANA_ON_MYSQL_PROBLEM})`,
  ];
}

/** The plan's warning for a prod stack whose Grafana runs alone because it has no PostgreSQL; undefined otherwise. */
export function grafanaSingleReplicaNote(config: ObservabilityConfig | undefined, environment: string, hasPostgres: boolean): string | undefined {
  if (config === undefined || environment !== "prod" || hasPostgres || config.grafana.replicas !== undefined) return undefined;
  return (
    "strata:platform.observability.grafana.replicas: prod runs one Grafana, on SQLite on its volume, because strata:platform.postgres is not enabled; " +
    "while its node drains or fails the dashboards are down (Prometheus, Loki, Tempo and alert delivery are not affected); " +
    `enable strata:platform.postgres for two Grafana pods on a shared database, or set grafana.replicas: 1 to accept one (${GRAFANA_ON_MYSQL_PROBLEM})`
  );
}

/**
 * Hosts that cannot be where a team serves its runbooks: the names RFC 2606 reserves for examples
 * (`example.com/net/org`, the `.example` and `.invalid` top-level domains).
 */
const PLACEHOLDER_HOST = /(^|\.)(example\.(com|net|org)|example|invalid)$/;

/**
 * The plan's warning for a prod stack whose alerts would link runbooks nobody on call can open:
 * `runbookBaseUrl` left at strata's own repository (not the team's copy, which may differ or be
 * private) or at a reserved example host (a placeholder such as `Pulumi.prod.yaml`'s). A warning,
 * not a refusal, as for the other placeholders of `Pulumi.prod.yaml` (infra/vsphere/README.md):
 * the committed stack must plan offline, and an alert with a wrong link still pages.
 */
export function runbookBaseUrlNote(config: ObservabilityConfig | undefined, environment: string): string | undefined {
  if (config === undefined || environment !== "prod") return undefined;
  const url = config.runbookBaseUrl;
  const host = new URL(url).hostname;
  const why = url === DEFAULT_RUNBOOK_BASE_URL ? "strata's own repository, not your copy of it" : PLACEHOLDER_HOST.test(host) ? "a placeholder host" : undefined;
  if (why === undefined) return undefined;
  return (
    `strata:platform.observability.runbookBaseUrl: every prod alert's runbook_url points at ${why} (got ${JSON.stringify(url)}); ` +
    "set it to where your team serves docs/runbooks/ (your Git server's blob URL or an internal docs site): " +
    "`pulumi config set --path 'strata:platform.observability.runbookBaseUrl' https://<host>/<path>/docs/runbooks`"
  );
}

/**
 * The plan's warning for a prod stack whose Loki runs alone because the store has no logs bucket
 * (`lokiReplicasProblem`: more than one Loki needs it); undefined otherwise, and when whether the
 * bucket exists is not known here (`hasLogsBucket` undefined: the EKS buckets in another stack).
 */
export function lokiSingleReplicaNote(config: ObservabilityConfig | undefined, environment: string, hasLogsBucket: boolean | undefined): string | undefined {
  if (config === undefined || !config.logs.enabled || config.logs.replicas !== undefined) return undefined;
  return singleStoreNote(environment, hasLogsBucket, {
    key: "logs",
    component: "Loki",
    bucket: config.logs.bucket,
    loss: "no logs are stored or queried (Alloy retries from its kept positions, so lines still on the nodes are shipped when Loki is back)",
  });
}

/** The same warning for Tempo (`tempoReplicasProblem`): several Tempo pods share their blocks through the traces bucket. */
export function tempoSingleReplicaNote(config: ObservabilityConfig | undefined, environment: string, hasTracesBucket: boolean | undefined): string | undefined {
  if (config === undefined || !config.traces.enabled || config.traces.replicas !== undefined) return undefined;
  return singleStoreNote(environment, hasTracesBucket, {
    key: "traces",
    component: "Tempo",
    bucket: config.traces.bucket,
    loss: "no traces are stored or searched (the samplers retry their exports for up to five minutes, then drop)",
  });
}

function singleStoreNote(environment: string, hasBucket: boolean | undefined, store: { key: "logs" | "traces"; component: string; bucket: string; loss: string }): string | undefined {
  if (environment !== "prod" || hasBucket !== false) return undefined;
  return (
    `strata:platform.observability.${store.key}.replicas: prod runs one ${store.component}, on its volume, because the object store has no ${store.bucket} bucket; ` +
    `while its node drains or fails ${store.loss}; ` +
    `add the bucket (strata:platform.objectStore.enabled with buckets.${store.bucket}, or strata:infra.eks.buckets.${store.key} on EKS) for three ${store.component} pods with replication factor 3, or set ${store.key}.replicas: 1 to accept one`
  );
}
