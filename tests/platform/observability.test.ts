/**
 * Observability (issue #12): pure builders, config errors, and the prod (vSphere) and dev (EKS)
 * stacks planned through the shared harness.
 */
import { expect } from "chai";
import { parse } from "yaml";
import { ConfigError } from "../../config/errors";
import { observabilityConfig } from "../../config/platform-observability";
import { parseConfig, type RawConfig } from "../../config/schema";
import { htpasswdLine } from "../../platform/observability/access";
import { alertmanagerConfig } from "../../platform/observability/alertmanager";
import { resolveObservability } from "../../platform/observability/settings";
import { strataRuleGroups, type AlertRule } from "../../platform/observability/rules";
import { tailSamplingPolicies } from "../../platform/observability/traces-values";
import type { CapturedRecord } from "../../tools/engine/capture";
import type { RunResult } from "../../tools/engine/run";
import { at, FIXTURES, planStack } from "../harness";
import { validRaw } from "../config/valid-config";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const defaults = observabilityConfig.parse({});

function release(result: RunResult, name: string): CapturedRecord {
  const found = result.resources.find((r) => r.type === RELEASE && r.inputs.name === name);
  if (found === undefined) throw new Error(`no release ${name}`);
  return found;
}

function problemsOf(raw: RawConfig): readonly string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("config was accepted");
}

describe("observability builders", () => {
  it("sizes by environment: prod keeps the EMIS 30 days on 100 GiB, dev is smaller", () => {
    const prod = resolveObservability(defaults, "prod", "vsphere");
    const dev = resolveObservability(defaults, "dev", "eks");
    expect([prod.metrics.retentionDays, prod.metrics.storageGi]).to.deep.equal([30, 100]);
    expect([dev.metrics.retentionDays, dev.metrics.storageGi, dev.logs.retentionDays]).to.deep.equal([7, 20, 7]);
  });

  it("does not scrape what kubeadm binds to 127.0.0.1 or EKS hides; kube-proxy only on EKS", () => {
    expect(resolveObservability(defaults, "prod", "vsphere").metrics.controlPlane).to.deep.equal({ etcd: false, scheduler: false, controllerManager: false, kubeProxy: false });
    expect(resolveObservability(defaults, "dev", "eks").metrics.controlPlane).to.deep.equal({ etcd: false, scheduler: false, controllerManager: false, kubeProxy: true });
    const on = observabilityConfig.parse({ metrics: { controlPlane: { etcd: true } } });
    expect(resolveObservability(on, "prod", "vsphere").metrics.controlPlane.etcd).to.equal(true);
  });

  it("carries every seed alert with its configured threshold", () => {
    const rules = Object.values(strataRuleGroups({ ...defaults.alerting.thresholds, requestsPerSecond: 30000, latencyP95Ms: 400 })).flatMap((g) => g.rules);
    const expr = (name: string) => (rules.find((r) => "alert" in r && r.alert === name) as AlertRule | undefined)?.expr;
    expect(expr("StrataRequestRateAboveCapacity")).to.contain("> 30000");
    expect(expr("StrataLatencyP95High")).to.contain("> 0.4");
    expect(expr("StrataLatencyP99High")).to.contain("> 1");
    expect(expr("StrataErrorRateHigh")).to.contain("> 0.05");
    for (const name of ["StrataNodeCpuHigh", "StrataNodeMemoryHigh", "StrataNodeDiskLow", "StrataTargetDown", "StrataPostgreSQLReplicationLag", "StrataMySQLReplicationLag",
      "StrataMongoDBReplicationLag", "StrataRabbitMQQueueDepth", "StrataKafkaConsumerLag", "StrataCertificateExpiring", "StrataVeleroBackupFailed", "StrataPostgreSQLBackupTooOld"]) {
      expect(expr(name), name).to.be.a("string");
    }
    expect(rules.filter((r) => "record" in r).map((r) => (r as { record: string }).record)).to.include.members(["strata:http_requests:rate5m", "strata:http_request_duration_seconds:p99"]);
  });

  it("tail-samples every error, every slow trace and the baseline share", () => {
    expect(tailSamplingPolicies({ baselinePercent: 10, slowTraceMs: 500 }).map((p) => p.type)).to.deep.equal(["status_code", "latency", "probabilistic"]);
  });

  it("writes htpasswd in Envoy Gateway's {SHA} form", () => {
    expect(htpasswdLine("strata", "password")).to.equal("strata:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=");
  });

  it("routes alerts to each receiver by severity and silences the Watchdog", () => {
    const config = alertmanagerConfig({ ops: { type: "slack", url: "https://hooks.example/x", severities: ["critical"] } });
    expect(config.route.routes[0]).to.deep.equal({ matchers: ['alertname =~ "Watchdog|InfoInhibitor"'], receiver: "null" });
    expect(config.route.routes[1]).to.deep.include({ matchers: ['severity =~ "critical"'], receiver: "ops" });
    expect(config.receivers[1]).to.deep.equal({ name: "ops", slack_configs: [{ api_url: "https://hooks.example/x", send_resolved: true }] });
  });
});

describe("observability config errors", () => {
  const withObservability = (observability: unknown, extra: Partial<RawConfig> = {}): RawConfig => ({ ...validRaw(), platform: { observability }, ...extra });

  it("rejects a receiver URL kept in clear, without repeating it", () => {
    const problems = problemsOf(withObservability({ access: { enabled: false }, alerting: { receivers: { ops: { type: "slack", url: "https://hooks.example/secret" } } } }));
    expect(problems).to.deep.equal([
      "strata:platform.observability.alerting.receivers.ops.url: must be stored as a secret (got a value in clear, not shown); set it with `pulumi config set --secret --path 'strata:platform.observability.alerting.receivers.ops.url' <value>`",
    ]);
  });

  it("rejects a pagerduty receiver without its key", () => {
    expect(problemsOf(withObservability({ access: { enabled: false }, alerting: { receivers: { pager: { type: "pagerduty" } } } }, { platformIsSecret: true }))).to.deep.equal([
      "strata:platform.observability.alerting.receivers.pager.routingKey: is required for a pagerduty receiver; set it with `pulumi config set --secret --path` (got nothing)",
    ]);
  });

  it("rejects UIs without a Gateway domain", () => {
    expect(problemsOf(withObservability({}))).to.deep.equal([
      "strata:platform.observability.access.enabled: needs the shared Gateway with at least one domain (got true); add a domain under strata:cluster.gateway.domains or set strata:platform.observability.access.enabled to false",
    ]);
  });

  it("rejects UI hosts an ACME certificate does not cover", () => {
    const raw = withObservability({}, { cluster: { gateway: { domains: { "example.com": { issuer: "letsencrypt", hosts: ["@", "grafana"] } } }, certificates: { acmeEmail: "ops@example.com" } } });
    expect(problemsOf(raw)).to.deep.equal([
      'strata:platform.observability.access.hosts: prometheus, alertmanager, traces not on the certificate of ACME domain example.com (got hosts ["@","grafana"]); add them to strata:cluster.gateway.domains.example.com.hosts or use an internal-issuer domain',
    ]);
  });
});

describe("observability in the prod and dev stacks", () => {
  let prod: RunResult;
  let dev: RunResult;
  before(async () => {
    [prod, dev] = await Promise.all([planStack({ stack: "prod" }), planStack({ stack: "dev" })]);
  });
  const crs = (result: RunResult, kind: string) => result.resources.filter((r) => r.type.endsWith(`:${kind}`) && r.type.startsWith("kubernetes:"));

  it("Prometheus keeps 30 days on 100 GiB in prod and 7 days on 20 GiB in dev", () => {
    for (const [result, days, size] of [[prod, "30d", "100Gi"], [dev, "7d", "20Gi"]] as const) {
      const spec = at(release(result, "kube-prometheus-stack").inputs, "values.prometheus.prometheusSpec") as Record<string, unknown>;
      expect(spec.retention).to.equal(days);
      expect(at(spec, "storageSpec.volumeClaimTemplate.spec.resources.requests.storage")).to.equal(size);
    }
  });

  it("turns off the control-plane scrapes and their rules that would fire on a healthy vSphere cluster", () => {
    const values = release(prod, "kube-prometheus-stack").inputs.values as Record<string, unknown>;
    for (const key of ["kubeEtcd", "kubeScheduler", "kubeControllerManager", "kubeProxy"]) expect(at(values, `${key}.enabled`), key).to.equal(false);
    expect(at(values, "defaultRules.rules.etcd")).to.equal(false);
    expect(at(values, "crds.upgradeJob.enabled")).to.equal(true);
  });

  it("selects every ServiceMonitor, PodMonitor and PrometheusRule strata declares", () => {
    for (const result of [prod, dev]) {
      const spec = at(release(result, "kube-prometheus-stack").inputs, "values.prometheus.prometheusSpec") as Record<string, unknown>;
      expect(spec.serviceMonitorSelectorNilUsesHelmValues).to.equal(false);
      expect(spec.ruleSelector).to.deep.equal({});
      const selected = (key: string) => (at(spec, `${key}.matchExpressions`) as { values: string[] }[])[0]?.values ?? [];
      const monitors = [...crs(result, "ServiceMonitor"), ...crs(result, "PodMonitor"), ...crs(result, "PrometheusRule")];
      expect(crs(result, "PrometheusRule")).to.have.length(5);
      for (const monitor of monitors) {
        const key = monitor.type.endsWith("PrometheusRule") ? "ruleNamespaceSelector" : monitor.type.endsWith("PodMonitor") ? "podMonitorNamespaceSelector" : "serviceMonitorNamespaceSelector";
        expect(selected(key), monitor.name).to.include(at(monitor.inputs, "metadata.namespace"));
      }
    }
  });

  it("wires Loki and Tempo into Grafana, whose admin password is a generated Secret", () => {
    const grafana = at(release(dev, "kube-prometheus-stack").inputs, "values.grafana") as Record<string, unknown>;
    expect((grafana.additionalDataSources as { uid: string }[]).map((d) => d.uid)).to.deep.equal(["loki", "tempo"]);
    expect(at(grafana, "admin.existingSecret")).to.equal("grafana-admin");
    const secret = dev.resources.find((r) => r.type === "kubernetes:core/v1:Secret" && at(r.inputs, "metadata.name") === "grafana-admin");
    expect(secret, "grafana-admin Secret").to.not.equal(undefined);
  });

  it("Loki is Monolithic with retention per environment; Alloy ships logs as a DaemonSet", () => {
    const loki = release(prod, "loki").inputs.values as Record<string, unknown>;
    expect(loki.deploymentMode).to.equal("Monolithic");
    expect(at(loki, "loki.limits_config.retention_period")).to.equal("720h");
    expect(at(loki, "loki.compactor.retention_enabled")).to.equal(true);
    expect(at(release(dev, "loki").inputs, "values.loki.limits_config.retention_period")).to.equal("168h");
    expect(at(release(prod, "alloy").inputs, "values.controller.type")).to.equal("daemonset");
  });

  it("prod keeps logs and traces in SeaweedFS's buckets with its keys; dev (no such buckets on EKS) on volumes", () => {
    const loki = release(prod, "loki").inputs.values as Record<string, unknown>;
    expect(at(loki, "loki.storage.bucketNames.chunks")).to.equal("strata-logs");
    expect(at(loki, "loki.storage.s3.s3ForcePathStyle")).to.equal(true);
    expect(at(loki, "loki.schemaConfig.configs")).to.have.nested.property("[0].object_store", "s3");
    expect(at(loki, "singleBinary.extraEnvFrom")).to.deep.equal([{ secretRef: { name: "observability-object-store" } }]);
    const tempoConfig = (result: RunResult) => parse(at(release(result, "tempo").inputs, "values.config") as string) as Record<string, unknown>;
    expect(at(tempoConfig(prod), "storage.trace.s3.bucket")).to.equal("strata-traces");
    expect(at(tempoConfig(prod), "compactor.compaction.block_retention")).to.equal("336h");
    expect(at(release(dev, "loki").inputs, "values.loki.storage.type")).to.equal("filesystem");
    expect(at(tempoConfig(dev), "storage.trace.backend")).to.equal("local");
  });

  it("traces pass a trace-ID router tier, then tail sampling in the k8s distribution, into Tempo", () => {
    const router = release(prod, "otel-router").inputs.values as Record<string, unknown>;
    const sampler = release(prod, "otel-sampler").inputs.values as Record<string, unknown>;
    expect(at(router, "config.exporters.loadbalancing.routing_key")).to.equal("traceID");
    expect(at(router, "image.repository")).to.equal("otel/opentelemetry-collector-k8s");
    const policies = at(sampler, "config.processors.tail_sampling.policies") as { name: string }[];
    expect(policies.map((p) => p.name)).to.deep.equal(["errors", "slow", "baseline"]);
    expect(at(sampler, "config.exporters.otlp/tempo.endpoint")).to.equal("tempo.monitoring.svc.cluster.local:4317");
    expect((prod.outputs.platform as { observability: Record<string, string> }).observability.otlpGrpc).to.equal("http://otel-router.monitoring.svc.cluster.local:4317");
  });

  it("serves the UIs over HTTPS on the Gateway; all but Grafana behind basic auth", () => {
    const routes = crs(prod, "HTTPRoute").filter((r) => at(r.inputs, "metadata.namespace") === "monitoring");
    expect(routes.map((r) => (at(r.inputs, "spec.hostnames") as string[])[0]).sort()).to.deep.equal([
      "alertmanager.emis.local",
      "grafana.emis.local",
      "prometheus.emis.local",
      "traces.emis.local",
    ]);
    for (const route of routes) {
      expect((at(route.inputs, "spec.parentRefs") as { sectionName: string }[]).map((p) => p.sectionName)).to.deep.equal(["https-emis-local", "https-wildcard-emis-local"]);
    }
    const policy = crs(prod, "SecurityPolicy").find((r) => at(r.inputs, "metadata.namespace") === "monitoring");
    expect((at(policy?.inputs, "spec.targetRefs") as { name: string }[]).map((t) => t.name).sort()).to.deep.equal([
      "observability-alertmanager",
      "observability-prometheus",
      "observability-traces",
    ]);
  });

  it("keeps monitoring off the database pools; node-level DaemonSets run on every node", () => {
    const values = release(prod, "kube-prometheus-stack").inputs.values as Record<string, unknown>;
    const notDatabase = [{ key: "node.strata.io/role", operator: "NotIn", values: ["database"] }];
    for (const path of ["prometheus.prometheusSpec", "alertmanager.alertmanagerSpec", "grafana"]) {
      expect(at(values, `${path}.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`), path).to.deep.equal([{ matchExpressions: notDatabase }]);
    }
    expect(at(release(prod, "loki").inputs, "values.singleBinary.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms")).to.deep.equal([{ matchExpressions: notDatabase }]);
    expect(at(values, "prometheus-node-exporter.tolerations")).to.deep.equal([{ operator: "Exists" }]);
    expect(at(release(prod, "alloy").inputs, "values.controller.tolerations")).to.deep.equal([{ operator: "Exists" }]);
  });

  it("provisions every dashboard through the Grafana sidecar", () => {
    const dashboards = prod.resources.filter((r) => r.type === "kubernetes:core/v1:ConfigMap" && at(r.inputs, "metadata.labels.grafana_dashboard") === "1");
    const files = dashboards.flatMap((d) => Object.keys(d.inputs.data as Record<string, string>)).sort();
    expect(files).to.deep.equal(["apps-golden-signals.json", "kafka.json", "mongodb.json", "mysql.json", "object-store.json", "postgresql.json", "rabbitmq.json", "redis.json"]);
  });

  it("lets apps push OTLP to the monitoring namespace and nothing more; EKS also scrapes kube-proxy on the nodes", () => {
    const policy = (result: RunResult, namespace: string, name: string) =>
      result.resources.find((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy" && at(r.inputs, "metadata.namespace") === namespace && at(r.inputs, "metadata.name") === name);
    expect(at(policy(prod, "monitoring", "allow-otlp-from-apps")?.inputs, "spec.ingress")).to.deep.equal([
      { from: [{ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["emis-infrastructure", "emis-services"] }] } }], ports: [{ protocol: "TCP", port: 4317 }, { protocol: "TCP", port: 4318 }] },
    ]);
    expect(at(policy(prod, "emis-services", "allow-otlp-to-monitoring")?.inputs, "spec.policyTypes")).to.deep.equal(["Egress"]);
    const nodePorts = (result: RunResult) => (at(policy(result, "monitoring", "allow-scrape-system")?.inputs, "spec.egress") as { ports: { port: number }[] }[]).flatMap((r) => r.ports.map((p) => p.port));
    expect(nodePorts(prod)).to.deep.equal([9153]);
    expect(nodePorts(dev)).to.deep.equal([9153, 10249]);
  });
});

describe("observability alert receivers from secret config", () => {
  let result: RunResult;
  before(async () => {
    result = await planStack({ stack: "receivers", configFile: `${FIXTURES}/stacks/observability-receivers.yaml` });
  });

  it("renders the receivers into the Alertmanager config Secret, marked secret", () => {
    const secret = result.resources.find((r) => r.type === "kubernetes:core/v1:Secret" && at(r.inputs, "metadata.name") === "alertmanager-strata");
    expect(at(secret?.inputs, "stringData")).to.equal("[secret]");
    expect(at(release(result, "kube-prometheus-stack").inputs, "values.alertmanager.alertmanagerSpec.configSecret")).to.equal("alertmanager-strata");
  });

  it("never shows a receiver URL or key in clear", () => {
    const receiverSecrets = result.secrets.filter((s) => s.includes("receivers"));
    expect(receiverSecrets).to.have.length(2);
    const text = JSON.stringify(result.resources.map((r) => r.inputs)) + JSON.stringify(result.outputs);
    for (const value of receiverSecrets) expect(text.includes(value), "receiver secret in clear").to.equal(false);
  });
});
