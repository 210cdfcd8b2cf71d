/**
 * Observability: kube-prometheus-stack (Prometheus, Alertmanager, Grafana, node-exporter,
 * kube-state-metrics), strata's PrometheusRules and dashboards, Loki + Alloy for logs, two
 * OpenTelemetry Collector tiers + Tempo for traces, their Gateway routes and NetworkPolicies.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { stringify } from "yaml";
import { type ObservabilityConfig, type UiName, uiHosts } from "../../config/platform/observability";
import type { Environment } from "../../config/schema";
import { ConfigError } from "../../config/errors";
import type { ClusterAddresses } from "../../cluster/network-policies/addresses";
import { declareConnection, declareWorkload, fromWorkload } from "../../lib/connections";
import type { Backend, ClusterOutputs, ObjectStore } from "../../lib/contracts";
import { helmRelease } from "../../lib/helm";
import { standardLabels } from "../../lib/labels";
import {
  BASIC_AUTH_SECRET,
  BASIC_AUTH_USER,
  basicAuthSpec,
  grafanaJwtAuth,
  htpasswdLine,
  needsBasicAuth,
  OIDC_SECRET,
  oidcSpec,
  routeSpec,
  uiRateLimitSpec,
  type Backend as RouteBackend,
} from "./access";
import { proxyLabels, proxyWorkload } from "../../cluster/gateway/workloads";
import { grafanaLabels } from "./workloads";
import { grafanaDatabaseConnection, type GrafanaDatabase } from "./grafana-values";
import { credentialsSecretDigest, declareObjectStoreClient, objectStoreCredentialsSecret } from "../object-store/credentials";
import { bucketGrant } from "../object-store/identity-actions";
import { alertmanagerConfig } from "./alertmanager";
import { DASHBOARDS, dashboardJson } from "./dashboards";
import { alloyValues, LOG_SHIPPER_RELEASE, LOGS_RELEASE, LOKI_PORT, LOKI_TENANT, lokiReplicasProblem, lokiValues } from "./logs-values";
import { CONTROL_PLANE_PORTS, observabilityPolicies } from "./network-policies";
import { prometheusReplicaUrls } from "./prometheus-replicas";
import {
  ALERTMANAGER_CONFIG_SECRET,
  DASHBOARD_LABEL,
  GRAFANA_ADMIN_SECRET,
  METRICS_RELEASE,
  PROMETHEUS_PORT,
  PROMETHEUS_QUERY_OUTPUT,
  PROMETHEUS_SERVICE,
  OTLP_HTTP_OUTPUT,
  RUNBOOK_BASE_OUTPUT,
  prometheusQueryUrl,
  prometheusStackValues,
  type Datasource,
} from "./prometheus-values";
import { withRunbookBase } from "../../lib/prometheus-rules";
import { strataRuleGroups } from "./rules";
import { monitorManifest, scrapeDestination } from "./scrape-targets";
import { alertmanagerWorkload, grafanaWorkload, lokiWorkload, prometheusWorkload, tempoWorkload } from "./chart-workloads";
import { type BucketTarget, resolveObservability, schedulingFor } from "./settings";
import type { TelemetryIdentity, TelemetryStore } from "./store-identity";
import { declareObservabilityConnections } from "./connections";
import { observabilityConnections, observabilityWorkloads } from "./workloads";
import {
  collectorDisruptionBudget,
  OTLP_GRPC_PORT,
  OTLP_HTTP_PORT,
  ROUTER_RELEASE,
  routerValues,
  SAMPLER_RELEASE,
  samplerValues,
  TEMPO_HEADLESS_SERVICE,
  TEMPO_HTTP_PORT,
  TRACES_RELEASE,
  tempoDisruptionBudget,
  tempoHeadlessService,
  tempoReplicasProblem,
  tempoValues,
} from "./traces-values";


export interface ObservabilityArgs {
  readonly provider: k8s.Provider;
  /** The validated `strata:platform.observability` slice. */
  readonly config: ObservabilityConfig;
  readonly environment: Environment;
  readonly backend: Backend;
  readonly cluster: ClusterOutputs;
  /** Object store for logs and traces; without it (or without their buckets) Loki and Tempo keep data on volumes. @default - none */
  readonly objectStore?: ObjectStore;
  /** Cloud roles (EKS IRSA) Loki and Tempo reach their buckets with, by store; the store's static keys otherwise. @default - none */
  readonly identities?: Readonly<Partial<Record<TelemetryStore, TelemetryIdentity>>>;
  /** The cluster's ranges (`clusterAddresses`): what is outside it, where the API server's webhook calls come from. */
  readonly addresses: Pick<ClusterAddresses, "internal" | "controlPlane">;
  /** Resources the log and trace stores wait for (the object store). @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
  /**
   * Grafana's role and database in the platform's PostgreSQL, and what makes them (Grafana waits
   * for its password's Secret). Present, Grafana runs its resolved replicas on it; absent, one Grafana on SQLite.
   * @default - no shared database
   */
  readonly grafanaDatabase?: { readonly connection: GrafanaDatabase; readonly ready: pulumi.Resource };
}

/** Secrets with Loki's and Tempo's own object-store keys. */
const CREDENTIALS_SECRETS: Readonly<Record<TelemetryStore, string>> = { logs: "loki-object-store", traces: "tempo-object-store" };

export class Observability extends pulumi.ComponentResource {
  /** UI URLs and in-cluster endpoints (OTLP) by name; never a secret. */
  public readonly outputs: Readonly<Record<string, pulumi.Output<string>>>;
  /** The kube-prometheus-stack release: it installs the Prometheus Operator CRDs every monitor needs. */
  public readonly metricsRelease: k8s.helm.v3.Release;

  constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:platform:Observability", name, {}, opts);
    const { cluster, provider } = args;
    const childOpts = { parent: this, provider };
    const namespace = cluster.namespaces.monitoring;
    const svc = (service: string) => `${service}.${namespace}.svc.cluster.local`;
    const settings = resolveObservability(args.config, args.environment, args.backend, {
      hasLogsBucket: args.objectStore?.buckets[args.config.logs.bucket] !== undefined,
      hasTracesBucket: args.objectStore?.buckets[args.config.traces.bucket] !== undefined,
      hasPostgres: args.grafanaDatabase !== undefined,
    });
    const scheduling = schedulingFor(cluster.placementFor("system"));
    const storageClass = cluster.storageClasses.default;
    const labels = (component: string) => standardLabels({ name: component, component: "observability" });

    // Access: the UIs under the access domain, when the Gateway serves it.
    const gateway = cluster.gateway;
    const domain = args.config.access.enabled && gateway !== undefined ? (args.config.access.domain ?? gateway.domain) : undefined;
    const hosts = uiHosts(args.config);
    // Single sign-on only where the UIs are served.
    const oidc = domain === undefined ? undefined : args.config.access.oidc;
    const urlOf = (ui: UiName): string | undefined => (domain === undefined || hosts[ui] === undefined ? undefined : `https://${hosts[ui]}.${domain}`);

    const datasources: Datasource[] = [];
    if (settings.logs.enabled) {
      datasources.push({ name: "Loki", uid: "loki", type: "loki", url: `http://${svc(LOGS_RELEASE)}:${LOKI_PORT}`, jsonData: { httpHeaderName1: "X-Scope-OrgID" } });
    }
    if (settings.traces.enabled) {
      datasources.push({
        name: "Tempo",
        uid: "tempo",
        type: "tempo",
        url: `http://${svc(TRACES_RELEASE)}:${TEMPO_HTTP_PORT}`,
        jsonData: { tracesToLogsV2: { datasourceUid: "loki" }, serviceMap: { datasourceUid: "prometheus" }, nodeGraph: { enabled: true } },
      });
    }

    const adminPassword = new random.RandomPassword(`${name}-grafana-admin`, { length: 32, special: false }, { parent: this });
    const grafanaAdmin = new k8s.core.v1.Secret(
      `${name}-grafana-admin`,
      {
        metadata: { name: GRAFANA_ADMIN_SECRET, namespace, labels: labels("grafana") },
        stringData: { "admin-user": "admin", "admin-password": pulumi.secret(adminPassword.result) },
      },
      childOpts,
    );
    const alertmanagerSecret = new k8s.core.v1.Secret(
      `${name}-alertmanager-config`,
      {
        metadata: { name: ALERTMANAGER_CONFIG_SECRET, namespace, labels: labels("alertmanager") },
        stringData: { "alertmanager.yaml": pulumi.secret(stringify(alertmanagerConfig(settings.receivers, settings.heartbeat))) },
      },
      childOpts,
    );
    // Loki's datasource needs the tenant header's value, which Grafana keeps in secureJsonData.
    const lokiHeader = settings.logs.enabled ? [{ name: "Loki", secureJsonData: { httpHeaderValue1: LOKI_TENANT } }] : [];

    const metricsValues = prometheusStackValues({
      settings,
      scheduling,
      ...(storageClass === undefined ? {} : { storageClass }),
      urls: {
        ...(urlOf("grafana") === undefined ? {} : { grafana: urlOf("grafana") }),
        ...(urlOf("prometheus") === undefined ? {} : { prometheus: urlOf("prometheus") }),
        ...(urlOf("alertmanager") === undefined ? {} : { alertmanager: urlOf("alertmanager") }),
      },
      datasources: datasources.map((d) => ({ ...d, ...(lokiHeader.find((h) => h.name === d.name) ?? {}) })),
      ...(oidc === undefined ? {} : { grafanaJwtAuth: grafanaJwtAuth(oidc) }),
      nodeTextfiles: args.backend === "vsphere",
      ...(args.grafanaDatabase === undefined ? {} : { grafanaDatabase: args.grafanaDatabase.connection }),
    });
    const metrics = helmRelease(
      `${name}-metrics`,
      { chart: "kube-prometheus-stack", releaseName: METRICS_RELEASE, namespace, values: metricsValues, timeoutSeconds: 900 },
      { ...childOpts, dependsOn: [grafanaAdmin, alertmanagerSecret, ...(args.grafanaDatabase === undefined ? [] : [args.grafanaDatabase.ready])] },
    );
    if (args.grafanaDatabase !== undefined) declareConnection(grafanaDatabaseConnection(grafanaWorkload(namespace), args.grafanaDatabase.connection));
    this.metricsRelease = metrics;
    const afterCrds = { ...childOpts, dependsOn: [metrics] };
    const prometheus = prometheusWorkload(namespace);
    // What the chart runs that connections start from (Prometheus) or lead to (the UIs' routes).
    for (const workload of [prometheus, alertmanagerWorkload(namespace), grafanaWorkload(namespace), ...(settings.logs.enabled ? [lokiWorkload(namespace)] : []), ...(settings.traces.enabled ? [tempoWorkload(namespace)] : [])]) declareWorkload(workload);

    // The cluster layer's add-ons (cert-manager, the Envoy proxies and their controller) came
    // before these CRDs; their monitors come now.
    for (const target of cluster.scrapeTargets ?? []) {
      const monitor = monitorManifest(target, labels("metrics"));
      new k8s.apiextensions.CustomResource(`${name}-monitor-${target.name}`, monitor, afterCrds);
      declareConnection({ purpose: `metrics of ${target.name} (${monitor.kind})`, from: fromWorkload(prometheus), to: scrapeDestination(target) });
    }

    for (const [ruleName, group] of Object.entries(strataRuleGroups(settings.thresholds))) {
      new k8s.apiextensions.CustomResource(
        `${name}-${ruleName}`,
        { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: { name: ruleName, namespace, labels: labels("prometheus-rules") }, spec: { groups: [withRunbookBase(group, settings.runbookBaseUrl)] } },
        afterCrds,
      );
    }
    for (const [file, spec] of Object.entries(DASHBOARDS)) {
      new k8s.core.v1.ConfigMap(
        `${name}-dashboard-${spec.uid}`,
        {
          metadata: { name: `dashboard-${spec.uid}`, namespace, labels: { ...labels("grafana-dashboards"), [DASHBOARD_LABEL.key]: DASHBOARD_LABEL.value }, annotations: { grafana_folder: "strata" } },
          data: { [file]: JSON.stringify(dashboardJson(spec)) },
        },
        childOpts,
      );
    }

    // Object storage for logs and traces, when the store has their buckets.
    const store = args.objectStore;
    // Each store's own static keys as AWS_* variables, on its bucket only (none with a cloud identity).
    const storeSecrets: k8s.core.v1.Secret[] = [];
    const bucketTarget = (telemetry: TelemetryStore, purpose: string): pulumi.Output<BucketTarget | undefined> => {
      const bucket = store?.buckets[purpose];
      if (store === undefined || bucket === undefined) return pulumi.output(undefined);
      const secretName = CREDENTIALS_SECRETS[telemetry];
      const identity = { name: `${telemetry === "logs" ? LOGS_RELEASE : TRACES_RELEASE}-store`, grants: [bucketGrant(purpose)] };
      const credentials = objectStoreCredentialsSecret(`${name}-${telemetry}-object-store`, { store, namespace, secretName, identity, provider, parent: this });
      if (credentials !== undefined) storeSecrets.push(credentials);
      const digest = credentials === undefined ? undefined : credentialsSecretDigest(credentials);
      return pulumi.all([store.endpoint, bucket, digest]).apply(([endpoint, bucketName, credentialsDigest]) => ({
        endpoint,
        region: store.region,
        forcePathStyle: store.forcePathStyle,
        bucket: bucketName,
        ...(credentials === undefined ? {} : { credentialsSecret: secretName }),
        ...(credentialsDigest === undefined ? {} : { credentialsDigest }),
      }));
    };
    // The service account a store runs as, with the role that reaches its bucket (EKS), if any.
    const identity = (store: TelemetryStore): pulumi.Output<{ serviceAccount: string; roleArn: string } | undefined> => {
      const binding = args.identities?.[store];
      return binding === undefined ? pulumi.output(undefined) : binding.roleArn.apply((roleArn) => ({ serviceAccount: binding.serviceAccount, roleArn }));
    };
    const replicasProblem = settings.logs.enabled ? lokiReplicasProblem(settings.logs.replicas, settings.logs.bucket, store?.buckets[settings.logs.bucket] !== undefined) : undefined;
    const tracesProblem = settings.traces.enabled ? tempoReplicasProblem(settings.traces.replicas, settings.traces.bucket, store?.buckets[settings.traces.bucket] !== undefined) : undefined;
    const problems = [replicasProblem, tracesProblem].filter((problem) => problem !== undefined);
    if (problems.length > 0) throw new ConfigError(problems);

    const backends: Partial<Record<UiName, RouteBackend>> = {
      grafana: { service: `${METRICS_RELEASE}-grafana`, port: 80 },
      prometheus: { service: PROMETHEUS_SERVICE, port: PROMETHEUS_PORT },
      alertmanager: { service: `${METRICS_RELEASE}-alertmanager`, port: 9093 },
    };
    if (settings.logs.enabled) {
      const logStore = bucketTarget("logs", settings.logs.bucket);
      if (store?.buckets[settings.logs.bucket] !== undefined) declareObjectStoreClient("loki keeps its data in the object store", fromWorkload(lokiWorkload(namespace)), store, CREDENTIALS_SECRETS.logs);
      helmRelease(
        `${name}-logs`,
        {
          chart: "loki",
          releaseName: LOGS_RELEASE,
          namespace,
          values: pulumi.all([logStore, identity("logs")]).apply(([bucket, serviceAccount]) =>
            lokiValues({
              retentionDays: settings.logs.retentionDays,
              storageGi: settings.logs.storageGi,
              replicas: settings.logs.replicas,
              scheduling,
              ...(storageClass === undefined ? {} : { storageClass }),
              ...(bucket === undefined ? {} : { bucket }),
              ...(serviceAccount === undefined ? {} : { serviceAccount }),
            }),
          ),
        },
        { ...childOpts, dependsOn: [metrics, ...storeSecrets, ...(args.dependsOn ?? [])] },
      );
      helmRelease(`${name}-log-shipper`, { chart: "alloy", releaseName: LOG_SHIPPER_RELEASE, namespace, values: alloyValues({ lokiUrl: `http://${svc(LOGS_RELEASE)}:${LOKI_PORT}` }) }, afterCrds);
    }
    if (settings.traces.enabled) {
      // Pushed series reach every Prometheus replica, not the one the Service would pick.
      const prometheusWriteUrls = prometheusReplicaUrls(namespace, settings.metrics.replicas);
      const traceStore = bucketTarget("traces", settings.traces.bucket);
      if (store?.buckets[settings.traces.bucket] !== undefined) declareObjectStoreClient("tempo keeps its data in the object store", fromWorkload(tempoWorkload(namespace)), store, CREDENTIALS_SECRETS.traces);
      helmRelease(
        `${name}-traces`,
        {
          chart: "tempo",
          releaseName: TRACES_RELEASE,
          namespace,
          values: pulumi.all([traceStore, identity("traces")]).apply(([bucket, serviceAccount]) =>
            tempoValues({
              replicas: settings.traces.replicas,
              namespace,
              retentionDays: settings.traces.retentionDays,
              prometheusUrls: prometheusWriteUrls,
              storageGi: settings.traces.storageGi,
              scheduling,
              ...(storageClass === undefined ? {} : { storageClass }),
              ...(bucket === undefined ? {} : { bucket }),
              ...(serviceAccount === undefined ? {} : { serviceAccount }),
            }),
          ),
        },
        { ...childOpts, dependsOn: [metrics, ...storeSecrets, ...(args.dependsOn ?? [])] },
      );
      const policy = { baselinePercent: settings.traces.baselinePercent, slowTraceMs: settings.traces.slowTraceMs };
      helmRelease(
        `${name}-trace-sampler`,
        {
          chart: "opentelemetry-collector",
          releaseName: SAMPLER_RELEASE,
          namespace,
          values: { fullnameOverride: SAMPLER_RELEASE, ...samplerValues({ replicas: settings.traces.samplerReplicas, policy, load: settings.traces.load, tempoOtlpHost: svc(TRACES_RELEASE), scheduling }) },
        },
        afterCrds,
      );
      helmRelease(
        `${name}-trace-router`,
        {
          chart: "opentelemetry-collector",
          releaseName: ROUTER_RELEASE,
          namespace,
          values: { fullnameOverride: ROUTER_RELEASE, ...routerValues({ replicas: settings.traces.routerReplicas, samplerHeadlessHost: svc(SAMPLER_RELEASE), prometheusUrls: prometheusWriteUrls, scheduling }) },
        },
        afterCrds,
      );
      for (const [release, replicas] of [[ROUTER_RELEASE, settings.traces.routerReplicas], [SAMPLER_RELEASE, settings.traces.samplerReplicas]] as const) {
        const spec = collectorDisruptionBudget(release, replicas);
        if (spec !== undefined) new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb-${release}`, { metadata: { name: release, namespace, labels: labels(release) }, spec }, childOpts);
      }
      const tempoHeadless = tempoHeadlessService(settings.traces.replicas);
      if (tempoHeadless !== undefined) new k8s.core.v1.Service(`${name}-tempo-headless`, { metadata: { name: TEMPO_HEADLESS_SERVICE, namespace, labels: labels(TRACES_RELEASE) }, spec: tempoHeadless }, childOpts);
      const tempoBudget = tempoDisruptionBudget(settings.traces.replicas);
      if (tempoBudget !== undefined) new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb-${TRACES_RELEASE}`, { metadata: { name: TRACES_RELEASE, namespace, labels: labels(TRACES_RELEASE) }, spec: tempoBudget }, childOpts);
      backends.traces = { service: TRACES_RELEASE, port: TEMPO_HTTP_PORT };
    }

    const parts = { namespace, logs: settings.logs.enabled, traces: settings.traces.enabled, prometheusReplicas: settings.metrics.replicas, tempoReplicas: settings.traces.replicas };
    const workloads = observabilityWorkloads(parts);
    for (const workload of [workloads.prometheus, workloads.grafana, workloads.alloy, workloads.router, workloads.sampler]) if (workload !== undefined) declareWorkload(workload);
    for (const connection of observabilityConnections(parts, workloads)) declareConnection(connection);

    // Only URLs and endpoints: a secret in this record would make every platform output secret.
    // The generated passwords stay in Kubernetes Secrets (README: "Observability").
    const outputs: Record<string, pulumi.Output<string>> = {
      // The in-cluster query API, for KEDA's Prometheus triggers (apps' custom-metric scaling).
      [PROMETHEUS_QUERY_OUTPUT]: pulumi.output(prometheusQueryUrl(namespace)),
      // The apps' alerts (HTTP metrics, SLOs) link the same runbooks as the platform's.
      [RUNBOOK_BASE_OUTPUT]: pulumi.output(settings.runbookBaseUrl),
      ...(settings.traces.enabled ? { otlpGrpc: pulumi.output(`http://${svc(ROUTER_RELEASE)}:${OTLP_GRPC_PORT}`), [OTLP_HTTP_OUTPUT]: pulumi.output(`http://${svc(ROUTER_RELEASE)}:${OTLP_HTTP_PORT}`) } : {}),
    };
    if (domain !== undefined && gateway !== undefined) {
      const protectedRoutes: string[] = [];
      const uiRoutes: string[] = [];
      for (const [ui, backend] of Object.entries(backends) as [UiName, RouteBackend][]) {
        const host = hosts[ui];
        if (host === undefined) continue;
        const routeName = `observability-${ui}`;
        new k8s.apiextensions.CustomResource(
          `${name}-route-${ui}`,
          { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: routeName, namespace, labels: labels(ui) }, spec: routeSpec(gateway, domain, host, backend) },
          childOpts,
        );
        uiRoutes.push(routeName);
        if (oidc === undefined && needsBasicAuth(ui)) protectedRoutes.push(routeName);
        outputs[ui] = pulumi.output(`https://${host}.${domain}`);
      }
      if (uiRoutes.length > 0) {
        new k8s.apiextensions.CustomResource(
          `${name}-rate-limit`,
          { apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "BackendTrafficPolicy", metadata: { name: "observability-rate-limit", namespace, labels: labels("rate-limit") }, spec: uiRateLimitSpec(uiRoutes, args.config.access.rateLimitPerMinute) },
          childOpts,
        );
      }
      if (oidc !== undefined && uiRoutes.length > 0) {
        const clientSecret = new k8s.core.v1.Secret(
          `${name}-oidc`,
          { metadata: { name: OIDC_SECRET, namespace, labels: labels("oidc") }, stringData: { "client-secret": pulumi.secret(oidc.clientSecret) } },
          childOpts,
        );
        new k8s.apiextensions.CustomResource(
          `${name}-oidc-policy`,
          { apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "SecurityPolicy", metadata: { name: "observability-oidc", namespace, labels: labels("oidc") }, spec: oidcSpec(uiRoutes, oidc, domain) },
          { ...childOpts, dependsOn: [clientSecret] },
        );
        const proxies = proxyWorkload(gateway.namespace, gateway.name);
        declareConnection({ purpose: "the gateway trades UI logins' codes for tokens at the OIDC provider", from: fromWorkload(proxies), to: { kind: "external", name: "oidc-provider", port: 443 } });
        declareConnection({ purpose: "Grafana reads the OIDC provider's signing keys (auth.jwt)", from: fromWorkload(grafanaWorkload(namespace)), to: { kind: "external", name: "oidc-provider", port: 443 } });
      }
      if (protectedRoutes.length > 0) {
        const password = new random.RandomPassword(`${name}-basic-auth`, { length: 32, special: false }, { parent: this });
        const users = new k8s.core.v1.Secret(
          `${name}-basic-auth`,
          {
            metadata: { name: BASIC_AUTH_SECRET, namespace, labels: labels("basic-auth") },
            stringData: {
              ".htpasswd": pulumi.secret(password.result.apply((p) => `${htpasswdLine(BASIC_AUTH_USER, p)}\n`)),
              // Envoy reads only the hash; operators read the password from here.
              username: BASIC_AUTH_USER,
              password: pulumi.secret(password.result),
            },
          },
          childOpts,
        );
        new k8s.apiextensions.CustomResource(
          `${name}-basic-auth-policy`,
          { apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "SecurityPolicy", metadata: { name: "observability-basic-auth", namespace, labels: labels("basic-auth") }, spec: basicAuthSpec(protectedRoutes) },
          { ...childOpts, dependsOn: [users] },
        );
      }
    }

    const cp = settings.metrics.controlPlane;
    const nodePorts = (Object.keys(CONTROL_PLANE_PORTS) as (keyof typeof CONTROL_PLANE_PORTS)[]).filter((c) => cp[c]).map((c) => CONTROL_PLANE_PORTS[c]);
    // Stores with a cloud identity (enabled ones only: `telemetryIdentities`) keep their data in S3, outside the cluster (EKS).
    const identities = args.identities ?? {};
    for (const policy of observabilityPolicies({
      monitoring: namespace,
      apps: cluster.namespaces.apps,
      nodePorts,
      addresses: args.addresses,
      externalStores: Object.keys(identities) as TelemetryStore[],
      ...(oidc === undefined || gateway === undefined
        ? {}
        : { sso: { gatewayNamespace: gateway.namespace, proxyLabels: proxyLabels(gateway), grafanaLabels: grafanaLabels() } }),
    })) {
      new k8s.networking.v1.NetworkPolicy(
        `${name}-netpol-${policy.namespace}-${policy.name}`,
        { metadata: { name: policy.name, namespace: policy.namespace, labels: labels("network-policy") }, spec: policy.spec },
        childOpts,
      );
    }

    declareObservabilityConnections({ namespace, identities, region: store?.region ?? "" });

    this.outputs = outputs;
    this.registerOutputs({ outputs });
  }
}
