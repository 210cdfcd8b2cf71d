/**
 * Observability (issue #12): pure builders, config errors, and the prod (vSphere) and dev (EKS)
 * stacks planned through the shared harness.
 */
import { expect } from "chai";
import { ConfigError } from "../../config/errors";
import { observabilityConfig } from "../../config/platform/observability";
import { parseConfig, type RawConfig } from "../../config/schema";
import { grafanaJwtAuth, htpasswdLine, listenerAdmits, OIDC_SECRET, oidcSpec, routeSpec } from "../../platform/observability/access";
import { join } from "node:path";
import { loadCrds } from "../../tools/verify/crds";
import { customResourceFindings } from "../../tools/verify/custom-resources";
import { gatewayListeners } from "../../cluster/gateway/values";
import { alertmanagerConfig } from "../../platform/observability/alertmanager";
import { resolveObservability } from "../../platform/observability/settings";
import { strataRuleGroups, type AlertRule } from "../../platform/observability/rules";
import { samplerValues, tailSamplingPolicies } from "../../platform/observability/traces-values";
import { BYTES_PER_SPAN, samplerSizing } from "../../platform/observability/sampler-sizing";
import { lokiReplicasProblem, lokiValues } from "../../platform/observability/logs-values";
import { telemetryIdentities } from "../../platform/observability/store-identity";
import { observabilityPolicies } from "../../platform/observability/network-policies";
import { ALERTMANAGER_POD_LABELS, OPERATOR_POD_LABELS, PROMETHEUS_POD_LABELS, prometheusStackValues, STRATA_NAMESPACE_LABEL } from "../../platform/observability/prometheus-values";
import { tenantNamespaceLabels } from "../../apps/tenants/values";
import { TenantConfig } from "../../config/apps/tenants";
import { namespaceLabels } from "../../cluster/namespaces";
import { LOKI_POD_LABELS } from "../../platform/observability/logs-values";
import { TEMPO_POD_LABELS } from "../../platform/observability/traces-values";
import { clusterAddresses } from "../../cluster/network-policies/addresses";
import { mayReach, type Endpoint, type NetworkPolicyObject } from "../../tools/netpol/evaluate";
import type { EksExtras } from "../../lib/contracts";
import * as pulumi from "@pulumi/pulumi";
import { at } from "../harness";
import { validRaw } from "../config/valid-config";
import { problemsOf } from "../config/problems";

const defaults = observabilityConfig.parse({});
const CHARTS = join(__dirname, "..", "..", "..", "shared", "reference", "charts");

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
    const rules = Object.values(strataRuleGroups({ ...defaults.alerting.thresholds, requestsPerSecond: 30000, latencyP95Ms: 400, latencyP99Ms: 1000, errorRatePercent: 5 })).flatMap((g) => g.rules);
    const expr = (name: string) => (rules.find((r) => "alert" in r && r.alert === name) as AlertRule | undefined)?.expr;
    expect(expr("StrataRequestRateAboveCapacity")).to.contain("> 30000");
    expect(expr("StrataLatencyP95High")).to.contain("> 0.4");
    expect(expr("StrataLatencyP99High")).to.contain("> 1");
    expect(expr("StrataErrorRateHigh")).to.contain("> 0.05");
    for (const name of ["StrataNodeCpuHigh", "StrataNodeMemoryHigh", "StrataNodeDiskLow", "StrataTargetDown", "StrataPostgreSQLReplicationLag", "StrataMySQLReplicationLag",
      "StrataMongoDBReplicationLag", "StrataRabbitMQQueueDepth", "StrataKafkaConsumerLag", "StrataKafkaClusterCaExpiring", "StrataCertificateExpiring", "StrataVeleroBackupFailed", "StrataPostgreSQLBackupTooOld"]) {
      expect(expr(name), name).to.be.a("string");
    }
    expect(rules.filter((r) => "record" in r).map((r) => (r as { record: string }).record)).to.include.members(["strata:http_requests:rate5m", "strata:http_request_duration_seconds:p99"]);
  });

  it("tail-samples every error, every slow trace and the baseline share", () => {
    expect(tailSamplingPolicies({ baselinePercent: 10, slowTraceMs: 500 }).map((p) => p.type)).to.deep.equal(["status_code", "latency", "probabilistic"]);
  });

  it("issue #23: sizes the tail samplers from the declared RPS: Tartware's 25k RPS held 10 s over two samplers", () => {
    const load = { requestsPerSecond: 25000, decisionWaitSeconds: 10, spansPerTrace: 10, replicas: 2 };
    const size = samplerSizing(load);
    // Every trace that arrives while earlier ones wait must fit: 12,500/s × 10 s per sampler, with 1.5 head room.
    expect(size.numTraces).to.equal(187500);
    expect(size.numTraces).to.be.at.least((load.requestsPerSecond / load.replicas) * load.decisionWaitSeconds);
    // The buffer (traces × spans × 1 KiB) fits under the memory_limiter's soft limit (55 % of the limit).
    const bufferMi = (size.numTraces * load.spansPerTrace * BYTES_PER_SPAN) / 2 ** 20;
    expect(size.memoryLimitMi * 0.55).to.be.above(bufferMi);
    expect(size.memoryRequestMi).to.equal(size.memoryLimitMi);
    const values = samplerValues({ replicas: 2, policy: { baselinePercent: 10, slowTraceMs: 500 }, load, tempoOtlpHost: "tempo", scheduling: { nodeSelector: {}, tolerations: [], affinity: {} } });
    expect(values.config.processors.tail_sampling).to.deep.include({ decision_wait: "10s", num_traces: 187500, expected_new_traces_per_sec: 12500 });
    expect(values.resources.limits.memory).to.equal(`${size.memoryLimitMi}Mi`);
    // More samplers, less each; a small stack keeps a floor.
    expect(samplerSizing({ ...load, replicas: 4 }).numTraces).to.equal(93750);
    expect(samplerSizing({ ...load, requestsPerSecond: 10 }).numTraces).to.equal(1000);
  });

  it("issue #23: Prometheus loads the monitors and rules of tenant namespaces, which the apps layer creates later", () => {
    const values = prometheusStackValues({ settings: resolveObservability(defaults, "prod", "vsphere"), scheduling: { nodeSelector: {}, tolerations: [], affinity: {} }, urls: {}, datasources: [] });
    const spec = values.prometheus.prometheusSpec;
    const tenant = tenantNamespaceLabels("acme", TenantConfig.parse({}), "1.35");
    const platform = namespaceLabels({ name: "monitoring", purpose: "monitoring", podSecurity: "privileged" }, "1.35");
    for (const selector of [spec.serviceMonitorNamespaceSelector, spec.podMonitorNamespaceSelector, spec.ruleNamespaceSelector]) {
      expect(selector).to.deep.equal({ matchExpressions: [{ key: STRATA_NAMESPACE_LABEL, operator: "Exists" }] });
      for (const labels of [tenant, platform]) expect(labels[STRATA_NAMESPACE_LABEL]).to.be.a("string");
    }
  });

  it("issue #23: OIDC single sign-on on every UI route is a valid SecurityPolicy, and Grafana signs in the forwarded user", () => {
    const oidc = { issuer: "https://login.example.com/realms/ops", clientId: "strata-ui", jwksUrl: "https://login.example.com/realms/ops/protocol/openid-connect/certs" };
    const routes = ["observability-grafana", "observability-prometheus"];
    const policy = { apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "SecurityPolicy", metadata: { name: "observability-oidc", namespace: "monitoring" }, spec: oidcSpec(routes, oidc, "ops.example.com") };
    expect(customResourceFindings("SecurityPolicy monitoring/observability-oidc", policy, "gateway.envoyproxy.io", "v1alpha1", "SecurityPolicy", loadCrds(CHARTS))).to.deep.equal([]);
    expect(policy.spec.oidc).to.deep.include({ clientSecret: { group: "", kind: "Secret", name: OIDC_SECRET }, cookieDomain: "ops.example.com", forwardIDToken: { header: "X-Id-Token" } });
    const values = prometheusStackValues({ settings: resolveObservability(defaults, "dev", "eks"), scheduling: { nodeSelector: {}, tolerations: [], affinity: {} }, urls: {}, datasources: [], grafanaJwtAuth: grafanaJwtAuth(oidc) });
    expect(values.grafana["grafana.ini"]["auth.jwt"]).to.deep.include({ enabled: true, header_name: "X-Id-Token", jwk_set_url: oidc.jwksUrl, expect_claims: '{"iss":"https://login.example.com/realms/ops","aud":"strata-ui"}' });
  });

  it("writes htpasswd in Envoy Gateway's {SHA} form", () => {
    expect(htpasswdLine("strata", "password")).to.equal("strata:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=");
  });

  it("routes alerts to each receiver by severity; without a heartbeat the Watchdog is dropped", () => {
    const config = alertmanagerConfig({ ops: { type: "slack", url: "https://hooks.example/x", severities: ["critical"] } });
    expect(config.route.routes[0]).to.deep.equal({ matchers: ['alertname = "Watchdog"'], receiver: "null" });
    expect(config.route.routes[2]).to.deep.include({ matchers: ['severity = "critical"'], group_wait: "10s" });
    expect((config.route.routes[2] as { routes?: unknown }).routes).to.deep.equal([{ matchers: ['severity = "critical"'], receiver: "ops", continue: true }]);
    expect(config.route.routes).to.have.length(3);
    expect(config.receivers[1]).to.deep.equal({ name: "ops", slack_configs: [{ api_url: "https://hooks.example/x", send_resolved: true }] });
  });

  it("issue #23: sends the Watchdog to the heartbeat every minute; critical mutes the warning of the same alert and namespace", () => {
    const config = alertmanagerConfig({ ops: { type: "webhook", url: "https://hooks.example/x", severities: ["critical", "warning"] } }, { url: "https://hc-ping.example/uuid" });
    expect(config.route.routes[0]).to.deep.equal({ matchers: ['alertname = "Watchdog"'], receiver: "heartbeat", group_wait: "0s", group_interval: "1m", repeat_interval: "1m" });
    expect(config.receivers).to.deep.include({ name: "heartbeat", webhook_configs: [{ url: "https://hc-ping.example/uuid", send_resolved: false }] });
    expect(config.inhibit_rules[0]).to.deep.equal({ source_matchers: ['severity = "critical"'], target_matchers: ['severity =~ "warning|info"'], equal: ["namespace", "alertname"] });
  });
});

describe("observability: UI routes on the Gateway", () => {
  const domains = { "example.com": { issuer: "internal" as const, hosts: [] } };
  const gateway = { name: "strata", namespace: "gateway", domain: "example.com", address: pulumi.output(""), listeners: { "example.com": ["https-example-com", "https-wildcard-example-com"] } };

  it("matches listener hostnames as the Gateway API states it", () => {
    // The HTTPRoute `hostnames` documentation's own examples.
    expect(listenerAdmits("*.example.com", "test.example.com")).to.equal(true);
    expect(listenerAdmits("*.example.com", "foo.test.example.com")).to.equal(true);
    expect(listenerAdmits("*.example.com", "example.com")).to.equal(false);
    expect(listenerAdmits("example.com", "example.com")).to.equal(true);
    expect(listenerAdmits("example.com", "grafana.example.com")).to.equal(false);
    expect(listenerAdmits("*.example.com", "grafana.example.net")).to.equal(false);
  });

  it("issue #18: a UI route names only listeners whose hostname admits it (the apex listener would leave its parentRef not accepted)", () => {
    // The listeners exactly as the cluster layer declares them on the shared Gateway.
    const listeners = gatewayListeners({ domains, routeNamespaces: ["monitoring"] }) as { name: string; hostname?: string }[];
    const spec = routeSpec(gateway, "example.com", "grafana", { service: "kube-prometheus-stack-grafana", port: 80 });
    expect(spec.parentRefs.length).to.be.greaterThan(0);
    for (const parent of spec.parentRefs) {
      const listener = listeners.find((l) => l.name === parent.sectionName);
      expect(listener, parent.sectionName).to.not.equal(undefined);
      expect(spec.hostnames.some((h) => listenerAdmits(listener?.hostname ?? "", h)), `${parent.sectionName} (${listener?.hostname}) serves none of ${spec.hostnames.join(", ")}`).to.equal(true);
    }
    expect(spec.parentRefs.map((p) => p.sectionName)).to.deep.equal(["https-wildcard-example-com"]);
  });
});

describe("observability: logs and traces storage", () => {
  const scheduling = { nodeSelector: {}, tolerations: [], affinity: {} };
  const bucket = { endpoint: "https://s3.eu-central-1.amazonaws.com", region: "eu-central-1", forcePathStyle: false, bucket: "strata-dev-logs-123456789012" };

  it("without a bucket Loki keeps everything on its volume, one replica", () => {
    const values = lokiValues({ retentionDays: 7, storageGi: 20, scheduling });
    expect(at(values, "loki.storage")).to.deep.equal({ type: "filesystem" });
    expect(at(values, "loki.schemaConfig.configs")).to.have.nested.property("[0].object_store", "filesystem");
    expect(at(values, "singleBinary.persistence")).to.deep.include({ enabled: true, size: "20Gi" });
    expect([at(values, "singleBinary.replicas"), at(values, "loki.commonConfig.replication_factor")]).to.deep.equal([1, 1]);
    expect(values).to.not.have.property("serviceAccount");
  });

  it("with a bucket Loki runs the replicas asked for, each stream on three of them from three", () => {
    const three = lokiValues({ retentionDays: 7, storageGi: 20, scheduling, bucket, replicas: 3 });
    const two = lokiValues({ retentionDays: 7, storageGi: 20, scheduling, bucket, replicas: 2 });
    expect([at(three, "singleBinary.replicas"), at(three, "loki.commonConfig.replication_factor")]).to.deep.equal([3, 3]);
    expect([at(two, "singleBinary.replicas"), at(two, "loki.commonConfig.replication_factor")]).to.deep.equal([2, 1]);
  });

  it("rejects more than one Loki without a bucket, and accepts it with one", () => {
    expect(lokiReplicasProblem(2, "logs", false)).to.equal(
      "strata:platform.observability.logs.replicas: more than one Loki needs an object-store bucket, and the store has no logs bucket (got 2); use 1, or add the bucket (strata:platform.objectStore.buckets.logs, or strata:infra.eks.buckets.logs on EKS)",
    );
    expect(lokiReplicasProblem(2, "logs", true)).to.equal(undefined);
    expect(lokiReplicasProblem(1, "logs", false)).to.equal(undefined);
  });

  describe("EKS roles of the stores", () => {
    const role = (serviceAccount: string, namespace = "monitoring") => ({ namespace, serviceAccount, roleArn: pulumi.output(`arn:aws:iam::123456789012:role/${serviceAccount}`) });
    const ref = (name: string) => ({ name: pulumi.output(name), arn: pulumi.output(`arn:aws:s3:::${name}`) });
    const eks = (irsaRoles: Record<string, unknown>) => ({ buckets: { logs: ref("l"), traces: ref("t") }, irsaRoles }) as unknown as EksExtras;
    const errorOf = (fn: () => unknown): readonly string[] => {
      try {
        fn();
      } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
      }
      throw new Error("accepted");
    };

    it("binds Loki and Tempo to the infra layer's roles; nothing off EKS", () => {
      const found = telemetryIdentities(eks({ logs: role("loki"), traces: role("tempo") }), defaults, "monitoring");
      expect(Object.keys(found)).to.deep.equal(["logs", "traces"]);
      expect(found.logs?.serviceAccount).to.equal("loki");
      expect(telemetryIdentities(undefined, defaults, "monitoring")).to.deep.equal({});
    });

    it("rejects another bucket purpose for Loki on EKS", () => {
      const config = observabilityConfig.parse({ logs: { bucket: "objects" } });
      expect(errorOf(() => telemetryIdentities(eks({ logs: role("loki"), traces: role("tempo") }), config, "monitoring"))).to.deep.equal([
        'strata:platform.observability.logs.bucket: on EKS the Loki role reaches only the infra layer\'s logs bucket (got "objects"); remove the key or set it to logs',
      ]);
    });

    it("rejects a monitoring namespace the roles do not trust", () => {
      expect(errorOf(() => telemetryIdentities(eks({ logs: role("loki"), traces: role("tempo") }), defaults, "observability"))).to.deep.equal([
        'strata:cluster.namespaces.monitoring.name: the logs store\'s role trusts namespace monitoring (got "observability"); keep the monitoring namespace named monitoring',
        'strata:cluster.namespaces.monitoring.name: the traces store\'s role trusts namespace monitoring (got "observability"); keep the monitoring namespace named monitoring',
      ]);
    });

    it("rejects an infra stack with the buckets but not the roles", () => {
      expect(errorOf(() => telemetryIdentities(eks({ logs: role("loki") }), defaults, "monitoring"))).to.deep.equal([
        'strata:platform.observability.traces.bucket: the infra layer has a traces bucket but no role to reach it (got "traces"); run `pulumi up` on the stack that owns the infra layer first',
      ]);
    });
  });
});

describe("observability NetworkPolicies, by behaviour", () => {
  const addresses = clusterAddresses("vsphere", { podCidr: "10.244.0.0/16", serviceCidr: "10.96.0.0/12", nodeCidr: "10.20.0.0/23", dnsDomain: "cluster.local", apiServerPort: 6443 });
  // Beside the cluster layer's default-deny of the namespace.
  const defaultDeny = { metadata: { name: "default-deny", namespace: "monitoring" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } } as NetworkPolicyObject;
  const policiesFor = (externalStores: readonly ("logs" | "traces")[] = []) => [
    defaultDeny,
    ...observabilityPolicies({ monitoring: "monitoring", apps: ["apps"], nodePorts: [], addresses, externalStores }).map((p) => ({ metadata: { name: p.name, namespace: p.namespace }, spec: p.spec }) as NetworkPolicyObject),
  ];
  const pod = (labels: Record<string, string>): Endpoint => ({ kind: "pod", namespace: "monitoring", labels, ip: "10.244.3.7" });
  const internet: Endpoint = { kind: "address", ip: "203.0.113.10" };
  const pods = {
    alertmanager: pod({ ...ALERTMANAGER_POD_LABELS }),
    loki: pod({ ...LOKI_POD_LABELS }),
    tempo: pod({ ...TEMPO_POD_LABELS }),
    prometheus: pod({ ...PROMETHEUS_POD_LABELS }),
    operator: pod({ ...OPERATOR_POD_LABELS }),
  };

  it("issue #18: Alertmanager reaches its receivers over HTTPS outside the cluster, never inside it", () => {
    const policies = policiesFor();
    expect(mayReach(policies, { from: pods.alertmanager, to: internet, port: 443 })).to.equal(true);
    expect(mayReach(policies, { from: pods.alertmanager, to: internet, port: 80 })).to.equal(false);
    expect(mayReach(policies, { from: pods.alertmanager, to: { kind: "address", ip: "10.20.0.9" }, port: 443 })).to.equal(false);
    expect(mayReach(policies, { from: pods.prometheus, to: internet, port: 443 })).to.equal(false);
  });

  it("issue #18: Loki and Tempo reach S3 and STS only where their bucket is outside the cluster", () => {
    for (const store of [pods.loki, pods.tempo]) expect(mayReach(policiesFor(), { from: store, to: internet, port: 443 })).to.equal(false);
    const eks = policiesFor(["logs", "traces"]);
    for (const store of [pods.loki, pods.tempo]) expect(mayReach(eks, { from: store, to: internet, port: 443 })).to.equal(true);
    expect(mayReach(policiesFor(["logs"]), { from: pods.tempo, to: internet, port: 443 })).to.equal(false);
  });

  it("issue #18: the control plane reaches the Prometheus Operator's webhook port, and nothing else in monitoring", () => {
    const policies = policiesFor();
    const controlPlane: Endpoint = { kind: "address", ip: "10.20.0.10" };
    expect(mayReach(policies, { from: controlPlane, to: pods.operator, port: 10250 })).to.equal(true);
    expect(mayReach(policies, { from: controlPlane, to: pods.prometheus, port: 10250 })).to.equal(false);
    expect(mayReach(policies, { from: internet, to: pods.operator, port: 10250 })).to.equal(false);
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

  it("issue #23: prod refuses alerting without a critical receiver and a heartbeat, naming the keys", () => {
    const raw = { ...withObservability({ access: { enabled: false }, alerting: { receivers: { chat: { type: "slack", url: "https://hooks.example/x", severities: ["warning"] } } } }), environment: "prod", platformIsSecret: true };
    const problems = problemsOf(raw).filter((p) => p.startsWith("strata:platform.observability.alerting"));
    expect(problems).to.have.length(2);
    expect(problems[0]).to.match(/^strata:platform\.observability\.alerting\.receivers: prod needs at least one receiver for critical alerts \(got receivers chat without critical\); add one, e\.g\. `pulumi config set/);
    expect(problems[1]).to.match(/^strata:platform\.observability\.alerting\.heartbeat\.url: prod needs a dead man's switch for the Watchdog alert \(got nothing\);/);
    const fixed = { ...raw, platform: { observability: { access: { enabled: false }, alerting: { receivers: { pager: { type: "pagerduty", routingKey: "k" } }, heartbeat: { url: "https://hc-ping.example/u" } } } } };
    expect(() => parseConfig(fixed)).to.not.throw();
  });

  it("rejects a heartbeat URL in clear and the receiver names strata uses itself", () => {
    expect(problemsOf(withObservability({ access: { enabled: false }, alerting: { heartbeat: { url: "https://hc-ping.example/u" } } }))).to.deep.equal([
      "strata:platform.observability.alerting.heartbeat.url: must be stored as a secret (got a value in clear, not shown); set it with `pulumi config set --secret --path 'strata:platform.observability.alerting.heartbeat.url' <value>`",
    ]);
    const reserved = problemsOf(withObservability({ access: { enabled: false }, alerting: { receivers: { heartbeat: { type: "webhook", url: "https://x.example" } } } }, { platformIsSecret: true }));
    expect(reserved.some((p) => p.startsWith("strata:platform.observability.alerting.receivers.heartbeat: is a name strata's own receivers use"))).to.equal(true);
  });

  it("rejects an OIDC client secret in clear and a provider that is not https", () => {
    const oidc = { issuer: "https://login.example.com", clientId: "ui", clientSecret: "s3cret", jwksUrl: "https://login.example.com/keys" };
    expect(problemsOf(withObservability({ access: { enabled: false, oidc } }))).to.deep.equal([
      "strata:platform.observability.access.oidc.clientSecret: must be stored as a secret (got a value in clear, not shown); set it with `pulumi config set --secret --path 'strata:platform.observability.access.oidc.clientSecret' <value>`",
    ]);
    const plain = problemsOf(withObservability({ access: { enabled: false, oidc: { ...oidc, issuer: "http://login.example.com" } } }, { platformIsSecret: true }));
    expect(plain.some((p) => p.startsWith("strata:platform.observability.access.oidc.issuer: must be an https:// URL"))).to.equal(true);
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
