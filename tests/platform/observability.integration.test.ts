/** Observability (issue #12) in the prod (vSphere) and dev (EKS) stacks planned through the shared harness. */
import { expect } from "chai";
import { parse } from "yaml";
import type { CapturedRecord } from "../../tools/engine/capture";
import type { RunResult } from "../../tools/engine/run";
import type { PolicyDocument } from "../../infra/eks/types";
import { decide } from "../infra/eks/iam/simulator";
import { evaluate, policiesFrom, type PodEndpoint } from "../../tools/netpol/evaluate";
import { at, FIXTURES, planStack } from "../harness";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const ACCOUNT = "123456789012";

function release(result: RunResult, name: string): CapturedRecord {
  const found = result.resources.find((r) => r.type === RELEASE && r.inputs.name === name);
  if (found === undefined) throw new Error(`no release ${name}`);
  return found;
}

describe("observability in the prod and dev stacks", () => {
  let prod: RunResult;
  let dev: RunResult;
  let eksCluster: RunResult;
  before(async () => {
    [prod, dev, eksCluster] = await Promise.all([
      planStack({ stack: "prod" }),
      planStack({ stack: "dev" }),
      planStack({ stack: "eks-prod-cluster", configFile: "examples/eks-prod-cluster.yaml" }),
    ]);
  });
  const tempoConfig = (result: RunResult) => parse(at(release(result, "tempo").inputs, "values.config") as string) as Record<string, unknown>;
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
      const namespaceLabels = (name: string) =>
        at(result.resources.find((r) => r.type === "kubernetes:core/v1:Namespace" && at(r.inputs, "metadata.name") === name)?.inputs, "metadata.labels") as Record<string, string> | undefined;
      // Only `Exists` is used: the namespace must carry the key.
      const selects = (key: string, namespace: string) =>
        (at(spec, `${key}.matchExpressions`) as { key: string; operator: string }[]).every((e) => e.operator === "Exists" && namespaceLabels(namespace)?.[e.key] !== undefined);
      const monitors = [...crs(result, "ServiceMonitor"), ...crs(result, "PodMonitor"), ...crs(result, "PrometheusRule")];
      // The six groups, strata-bucket-backup (the app-bucket copier's) and the vSphere control
      // planes' strata-control-plane and strata-etcd-backup (silent where none runs).
      expect(crs(result, "PrometheusRule").filter((r) => at(r.inputs, "metadata.namespace") === "monitoring")).to.have.length(9);
      for (const monitor of monitors) {
        const key = monitor.type.endsWith("PrometheusRule") ? "ruleNamespaceSelector" : monitor.type.endsWith("PodMonitor") ? "podMonitorNamespaceSelector" : "serviceMonitorNamespaceSelector";
        expect(selects(key, at(monitor.inputs, "metadata.namespace") as string), monitor.name).to.equal(true);
      }
    }
  });

  it("issue #18: Prometheus scrapes cert-manager, the Envoy proxies and their controller, and the NetworkPolicies admit it at both ends", () => {
    for (const [label, result] of [["prod", prod], ["dev", dev]] as const) {
      const namespaces = (result.outputs.cluster as { namespaces: { gateway: string; operators: string } }).namespaces;
      const monitor = (kind: string, name: string) => crs(result, kind).find((r) => at(r.inputs, "metadata.name") === name);
      const workload = (id: string) => {
        const found = result.connections.workloads.find((w) => w.id === id);
        if (found === undefined) throw new Error(`${label}: no workload ${id} declared`);
        return found;
      };
      const pod = (id: string): PodEndpoint => {
        const w = workload(id);
        return { kind: "pod", namespace: w.pods.namespace, labels: w.pods.labels, namedPorts: Object.fromEntries(Object.entries(w.containerPorts ?? {}).map(([n, p]) => [n, { port: p }])) };
      };
      const policies = policiesFrom(result.resources);
      const prometheus = pod("monitoring/prometheus");
      for (const [kind, name, id, namespace, port] of [
        ["ServiceMonitor", "cert-manager", `${namespaces.operators}/cert-manager`, namespaces.operators, 9402],
        ["PodMonitor", "envoy-proxies", "gateway/envoy-proxies", namespaces.gateway, 19001],
        ["ServiceMonitor", "envoy-gateway", `${namespaces.gateway}/envoy-gateway`, namespaces.gateway, 19001],
      ] as const) {
        const found = monitor(kind, name);
        expect(found, `${label}: ${kind} ${name}`).to.not.equal(undefined);
        expect(at(found?.inputs, "metadata.namespace"), `${label}: ${name}`).to.equal(namespace);
        // The monitor selects the pods (or their Service, labelled alike) the chart creates.
        const selector = at(found?.inputs, "spec.selector.matchLabels") as Record<string, string>;
        const target = pod(id);
        expect(Object.entries(selector).every(([k, v]) => target.labels?.[k] === v), `${label}: ${name} selects ${JSON.stringify(target.labels)}`).to.equal(true);
        const verdict = evaluate(policies, { from: prometheus, to: target, port });
        expect(verdict.allowed, `${label}: Prometheus → ${id}:${port} egress ${JSON.stringify(verdict.egress)} ingress ${JSON.stringify(verdict.ingress)}`).to.equal(true);
        expect([verdict.egress.isolated, verdict.ingress.isolated], `${label}: ${id} is behind default-deny at both ends`).to.deep.equal([true, true]);
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

  it("issue #23: Tempo and the router write to each Prometheus replica by its own name: two distinct endpoints in prod (2 replicas), one in dev", () => {
    for (const [result, replicas] of [[prod, 2], [dev, 1]] as const) {
      expect(at(release(result, "kube-prometheus-stack").inputs, "values.prometheus.prometheusSpec.replicas")).to.equal(replicas);
      const remoteWrites = at(tempoConfig(result), "metrics_generator.storage.remote_write") as { url: string }[];
      const router = at(release(result, "otel-router").inputs, "values.config") as { exporters: Record<string, { metrics_endpoint?: string }>; service: { pipelines: { metrics: { exporters: string[] } } } };
      const otlp = router.service.pipelines.metrics.exporters.map((id) => router.exporters[id]?.metrics_endpoint ?? "");
      for (const [pusher, urls] of [["tempo", remoteWrites.map((w) => w.url)], ["otel-router", otlp]] as const) {
        const hosts = urls.map((u) => new URL(u).hostname);
        expect(new Set(hosts).size, `${pusher}: distinct replicas`).to.equal(replicas);
        expect(hosts.every((h) => /^prometheus-kube-prometheus-stack-prometheus-\d+\.prometheus-operated\.monitoring\.svc\.cluster\.local$/.test(h)), `${pusher}: ${hosts.join(", ")}`).to.equal(true);
      }
    }
  });

  it("prod (vSphere) keeps logs and traces in SeaweedFS's buckets with its keys, and Loki's WAL on a volume", () => {
    const loki = release(prod, "loki").inputs.values as Record<string, unknown>;
    expect(at(loki, "loki.storage.bucketNames.chunks")).to.equal("strata-logs");
    expect(at(loki, "loki.storage.s3.s3ForcePathStyle")).to.equal(true);
    expect(at(loki, "loki.schemaConfig.configs")).to.have.nested.property("[0].object_store", "s3");
    expect(at(loki, "singleBinary.extraEnvFrom")).to.deep.equal([{ secretRef: { name: "loki-object-store" } }]);
    expect(at(loki, "singleBinary.persistence")).to.deep.include({ enabled: true, size: "50Gi" });
    expect(loki.serviceAccount, "no cloud role on vSphere").to.equal(undefined);
    expect(at(tempoConfig(prod), "storage.trace.s3.bucket")).to.equal("strata-traces");
    expect(at(tempoConfig(prod), "compactor.compaction.block_retention")).to.equal("336h");
  });

  it("dev (EKS) keeps logs and traces in the infra layer's S3 buckets through IRSA, with no static keys", () => {
    const loki = release(dev, "loki").inputs.values as Record<string, unknown>;
    // The mock names a role after its resource name plus a random suffix, as Pulumi does.
    const roleArn = (name: string) => new RegExp(`^arn:aws:iam::${ACCOUNT}:role/${name}-[0-9a-f]{7}$`);
    const annotation = (values: unknown) => String((at(values, "serviceAccount.annotations") as Record<string, string> | undefined)?.["eks.amazonaws.com/role-arn"]);
    expect(at(loki, "loki.storage")).to.deep.equal({
      type: "s3",
      bucketNames: { chunks: `strata-dev-logs-${ACCOUNT}`, ruler: `strata-dev-logs-${ACCOUNT}`, admin: `strata-dev-logs-${ACCOUNT}` },
      s3: { endpoint: "s3.eu-central-1.amazonaws.com", region: "eu-central-1", s3ForcePathStyle: false, insecure: false },
    });
    expect(at(loki, "loki.schemaConfig.configs")).to.have.nested.property("[0].object_store", "s3");
    expect(at(loki, "loki.compactor.delete_request_store")).to.equal("s3");
    expect(at(loki, "serviceAccount")).to.deep.include({ create: true, name: "loki" });
    expect(annotation(loki)).to.match(roleArn("strata-dev-loki"));
    expect(at(loki, "singleBinary.extraEnvFrom")).to.deep.equal([]);
    expect(at(tempoConfig(dev), "storage.trace.backend")).to.equal("s3");
    expect(at(tempoConfig(dev), "storage.trace.s3")).to.deep.include({ bucket: `strata-dev-traces-${ACCOUNT}`, endpoint: "s3.eu-central-1.amazonaws.com", region: "eu-central-1" });
    const tempo = release(dev, "tempo").inputs.values as Record<string, unknown>;
    expect(tempo.serviceAccount).to.deep.include({ create: true, name: "tempo" });
    expect(annotation(tempo)).to.match(roleArn("strata-dev-tempo"));
    expect(at(tempo, "tempo.extraEnvFrom")).to.deep.equal([]);
    const keys = dev.resources.filter((r) => r.type === "kubernetes:core/v1:Secret" && ["loki-object-store", "tempo-object-store"].includes(String(at(r.inputs, "metadata.name"))));
    expect(keys, "no static keys for the stores").to.deep.equal([]);
  });

  it("the split EKS stack reads the buckets and roles from the infra stack's contract", () => {
    const loki = release(eksCluster, "loki").inputs.values as Record<string, unknown>;
    expect(at(loki, "loki.storage.bucketNames.chunks")).to.equal(`valueverse-prod-logs-${ACCOUNT}`);
    expect(at(loki, "serviceAccount.annotations")).to.have.property("eks.amazonaws.com/role-arn").that.matches(/^arn:aws:iam::\d{12}:role\/valueverse-prod-loki/);
    expect(at(loki, "loki.limits_config.retention_period")).to.equal("168h");
    expect(at(tempoConfig(eksCluster), "storage.trace.s3.bucket")).to.equal(`valueverse-prod-traces-${ACCOUNT}`);
    expect(at(release(eksCluster, "tempo").inputs, "values.serviceAccount.annotations")).to.have.property("eks.amazonaws.com/role-arn").that.matches(/valueverse-prod-tempo/);
    expect(eksCluster.resources.filter((r) => r.type.startsWith("aws:")), "the platform stack creates no AWS resources").to.deep.equal([]);
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

  it("issue #23: the UI routes have their own generous rate limit, whatever the gateway-wide one (EMIS sets none, issue #25)", () => {
    const gatewayWide = crs(prod, "BackendTrafficPolicy").find((r) => at(r.inputs, "metadata.namespace") !== "monitoring" && at(r.inputs, "spec.targetRefs.0.kind") === "Gateway");
    expect(gatewayWide).to.equal(undefined);
    const ui = crs(prod, "BackendTrafficPolicy").find((r) => at(r.inputs, "metadata.namespace") === "monitoring");
    expect((at(ui?.inputs, "spec.targetRefs") as { name: string }[]).map((t) => t.name).sort()).to.deep.equal([
      "observability-alertmanager",
      "observability-grafana",
      "observability-prometheus",
      "observability-traces",
    ]);
    expect(at(ui?.inputs, "spec.mergeType")).to.equal("JSONMerge");
    expect(at(ui?.inputs, "spec.rateLimit.local.rules.0.limit")).to.deep.equal({ requests: 3000, unit: "Minute" });
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
      // issue #18: only the wildcard listener serves <ui>.emis.local; on the apex one the parentRef is not accepted.
      expect((at(route.inputs, "spec.parentRefs") as { sectionName: string }[]).map((p) => p.sectionName)).to.deep.equal(["https-wildcard-emis-local"]);
    }
    const policy = crs(prod, "SecurityPolicy").find((r) => at(r.inputs, "metadata.namespace") === "monitoring");
    expect((at(policy?.inputs, "spec.targetRefs") as { name: string }[]).map((t) => t.name).sort()).to.deep.equal([
      "observability-alertmanager",
      "observability-prometheus",
      "observability-traces",
    ]);
  });

  it("issue #18: every UI route leads to a Service of the pods the charts run, which the Envoy proxies may reach", () => {
    const routes = crs(prod, "HTTPRoute").filter((r) => at(r.inputs, "metadata.namespace") === "monitoring");
    const policies = policiesFrom(prod.resources);
    const workloads = prod.connections.workloads;
    const proxies = workloads.find((w) => w.id === "gateway/envoy-proxies");
    if (proxies === undefined) throw new Error("no Envoy proxies declared");
    for (const route of routes) {
      const backend = (at(route.inputs, "spec.rules") as { backendRefs: { name: string; port: number }[] }[])[0]?.backendRefs[0];
      const owner = workloads.find((w) => (w.services ?? []).some((svc) => svc.name === backend?.name && Object.values(svc.ports).includes(backend.port)));
      expect(owner, `${route.name}: ${backend?.name}:${backend?.port}`).to.not.equal(undefined);
      const pod = (w: NonNullable<typeof owner>): PodEndpoint => ({ kind: "pod", namespace: w.pods.namespace, labels: w.pods.labels });
      for (const port of Object.values(owner?.containerPorts ?? {})) {
        expect(evaluate(policies, { from: pod(proxies), to: pod(owner as NonNullable<typeof owner>), port }).allowed, `${route.name} → ${owner?.id}:${port}`).to.equal(true);
      }
    }
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

  it("issue #23: prod runs 2+ replicas of Prometheus, Alertmanager, Loki and both collector tiers, each with a PDB and one pod per node; dev stays at one", () => {
    const hostnameSpread = (affinity: unknown) => at(affinity, "podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.0.topologyKey");
    const stack = at(release(prod, "kube-prometheus-stack").inputs, "values") as Record<string, unknown>;
    for (const [component, spec, replicas] of [["prometheus", "prometheusSpec", 2], ["alertmanager", "alertmanagerSpec", 3]] as const) {
      expect(at(stack, `${component}.${spec}.replicas`), component).to.equal(replicas);
      expect(at(stack, `${component}.podDisruptionBudget`), component).to.deep.equal({ enabled: true, minAvailable: replicas - 1 });
      expect(hostnameSpread(at(stack, `${component}.${spec}.affinity`)), component).to.equal("kubernetes.io/hostname");
      expect(at(stack, `${component}.${spec}.podAntiAffinity`), component).to.equal("");
    }
    const loki = at(release(prod, "loki").inputs, "values") as Record<string, unknown>;
    expect([at(loki, "singleBinary.replicas"), at(loki, "loki.commonConfig.replication_factor")]).to.deep.equal([3, 3]);
    expect(at(loki, "singleBinary.podDisruptionBudget")).to.deep.equal({ enabled: true, maxUnavailable: 1 });
    expect(hostnameSpread(at(loki, "singleBinary.affinity"))).to.equal("kubernetes.io/hostname");
    for (const tier of ["otel-router", "otel-sampler"]) {
      const values = at(release(prod, tier).inputs, "values") as Record<string, unknown>;
      expect(values.replicaCount, tier).to.equal(2);
      const pdb = prod.resources.find((r) => r.type === "kubernetes:policy/v1:PodDisruptionBudget" && at(r.inputs, "metadata.name") === tier);
      expect(at(pdb?.inputs, "spec"), tier).to.deep.equal({ maxUnavailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "opentelemetry-collector", "app.kubernetes.io/instance": tier, component: "standalone-collector" } } });
      expect(hostnameSpread(values.affinity), tier).to.equal("kubernetes.io/hostname");
    }
    const devStack = at(release(dev, "kube-prometheus-stack").inputs, "values") as Record<string, unknown>;
    expect([at(devStack, "prometheus.prometheusSpec.replicas"), at(devStack, "alertmanager.alertmanagerSpec.replicas"), at(release(dev, "loki").inputs, "values.singleBinary.replicas")]).to.deep.equal([1, 1, 1]);
    expect(at(devStack, "prometheus.podDisruptionBudget.enabled")).to.equal(false);
  });

  it("issue #23: prod runs three Tempo pods on its traces bucket (scalable monolithic, replication factor 3) with a PDB, one per node, and their headless Service; dev runs one", () => {
    for (const result of [prod, eksCluster]) {
      const tempo = at(release(result, "tempo").inputs, "values") as Record<string, unknown>;
      expect([tempo.replicas, at(tempo, "tempo.extraArgs.target")], result.stack).to.deep.equal([3, "scalable-single-binary"]);
      expect(at(tempoConfig(result), "ingester.lifecycler.ring.replication_factor"), result.stack).to.equal(3);
      expect(at(tempo, "affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.0.topologyKey"), result.stack).to.equal("kubernetes.io/hostname");
      const pdb = result.resources.find((r) => r.type === "kubernetes:policy/v1:PodDisruptionBudget" && at(r.inputs, "metadata.name") === "tempo");
      expect(at(pdb?.inputs, "spec"), result.stack).to.deep.equal({ maxUnavailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "tempo", "app.kubernetes.io/instance": "tempo" } } });
      const headless = result.resources.find((r) => r.type === "kubernetes:core/v1:Service" && at(r.inputs, "metadata.name") === "tempo-headless");
      expect(at(headless?.inputs, "spec.clusterIP"), result.stack).to.equal("None");
      const grafana = at(release(result, "kube-prometheus-stack").inputs, "values.grafana") as Record<string, unknown>;
      expect([grafana.replicas, grafana.podDisruptionBudget], result.stack).to.deep.equal([2, { minAvailable: 1 }]);
    }
    expect(at(release(dev, "tempo").inputs, "values.replicas")).to.equal(1);
    expect(dev.resources.filter((r) => /tempo/.test(String(at(r.inputs, "metadata.name"))) && ["kubernetes:policy/v1:PodDisruptionBudget", "kubernetes:core/v1:Service"].includes(r.type))).to.deep.equal([]);
  });

  it("issue #23: Grafana: 2 pods with a PDB, one per node and its own PostgreSQL role and database, in EMIS prod (a PostgreSQL for Grafana alone beside its MySQL) and on EKS", () => {
    for (const result of [prod, eksCluster]) {
      const grafana = at(release(result, "kube-prometheus-stack").inputs, "values.grafana") as Record<string, unknown>;
      expect(grafana.replicas, result.stack).to.equal(2);
      expect(grafana.podDisruptionBudget).to.deep.equal({ minAvailable: 1 });
      expect(at(grafana, "affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.0.topologyKey")).to.equal("kubernetes.io/hostname");
      expect(grafana.persistence).to.deep.equal({ enabled: false });
      expect((grafana["grafana.ini"] as Record<string, unknown>).database).to.deep.equal({ type: "postgres", host: "postgres-rw.data.svc:5432", name: "grafana", user: "grafana", ssl_mode: "require" });
      expect(grafana.envValueFrom).to.deep.equal({ GF_DATABASE_PASSWORD: { secretKeyRef: { name: "grafana-database", key: "password" } } });
      const role = crs(result, "DatabaseRole").find((r) => at(r.inputs, "metadata.name") === "postgres-grafana");
      expect(at(role?.inputs, "spec")).to.deep.include({ name: "grafana", login: true, superuser: false, passwordSecret: { name: "postgres-grafana-credentials" } });
      const database = crs(result, "Database").find((r) => at(r.inputs, "metadata.name") === "postgres-grafana");
      expect(at(database?.inputs, "spec")).to.deep.equal({ cluster: { name: "postgres" }, name: "grafana", owner: "grafana", ensure: "present" });
      const secret = (namespace: string, name: string) => result.resources.find((r) => r.type === "kubernetes:core/v1:Secret" && at(r.inputs, "metadata.namespace") === namespace && at(r.inputs, "metadata.name") === name);
      for (const [namespace, name] of [["data", "postgres-grafana-credentials"], ["monitoring", "grafana-database"]] as const) {
        expect(secret(namespace, name), `${namespace}/${name}`).to.not.equal(undefined);
        expect(at(secret(namespace, name)?.inputs, "stringData"), `${namespace}/${name} keeps the password secret`).to.equal("[secret]");
      }
    }
    // EMIS prod's PostgreSQL: HA (a primary and a replica, one per node of the redis pool, on the
    // database storage class) and backed up to the stack's backup target like MySQL and MongoDB.
    const cluster = crs(prod, "Cluster").find((r) => at(r.inputs, "metadata.name") === "postgres");
    expect([at(cluster?.inputs, "spec.instances"), at(cluster?.inputs, "spec.affinity.podAntiAffinityType"), at(cluster?.inputs, "spec.storage")]).to.deep.equal([2, "required", { size: "10Gi", storageClass: "vsphere-database" }]);
    expect(at(cluster?.inputs, "spec.affinity.nodeSelector")).to.deep.include({ "node.strata.io/pool": "redis", "node.strata.io/role": "database" });
    expect(at(crs(prod, "ObjectStore")[0]?.inputs, "spec.configuration.destinationPath")).to.equal("s3://emis-backups/postgres/");
    expect(crs(prod, "ScheduledBackup")).to.have.length(1);
  });

  it("issue #23: prod Alertmanager sends critical alerts to a receiver and the Watchdog to the heartbeat", () => {
    expect(at(release(prod, "kube-prometheus-stack").inputs, "values.alertmanager.alertmanagerSpec.configSecret")).to.equal("alertmanager-strata");
    const secret = prod.resources.find((r) => r.type === "kubernetes:core/v1:Secret" && at(r.inputs, "metadata.name") === "alertmanager-strata");
    expect(at(secret?.inputs, "stringData"), "the receivers' URLs and keys stay secret").to.equal("[secret]");
    expect(prod.secrets.filter((s) => /^mock-secret-config-strata-platform-observability-alerting-(receivers-oncall-routingKey|heartbeat-url)/.test(s))).to.have.length(2);
  });

  it("provisions every dashboard through the Grafana sidecar", () => {
    const dashboards = prod.resources.filter((r) => r.type === "kubernetes:core/v1:ConfigMap" && at(r.inputs, "metadata.labels.grafana_dashboard") === "1");
    const files = dashboards.flatMap((d) => Object.keys(d.inputs.data as Record<string, string>)).sort();
    // The VPA dashboard ships everywhere and stays empty until strata:cluster.vpa runs (issue #25).
    expect(files).to.deep.equal(["apps-golden-signals.json", "apps-vpa-recommendations.json", "kafka.json", "mongodb.json", "mysql.json", "object-store.json", "postgresql.json", "rabbitmq.json", "redis.json", "slo.json"]);
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

  it("issue #18: declares Alertmanager's receivers, the API server's webhook calls and, on EKS, Loki's and Tempo's S3 and STS", () => {
    const paths = (result: RunResult) =>
      result.connections.connections
        .filter((c) => (c.from.kind === "api-server" ? c.to.kind === "service" && c.to.namespace === "monitoring" : c.from.workload?.startsWith("monitoring/")))
        .map((c) => `${c.from.kind === "pods" ? (c.from.workload ?? "") : "api-server"} → ${c.to.kind === "service" ? `${c.to.name}:${c.to.port}` : c.to.kind === "external" ? `${c.to.name}:${c.to.port}` : "api-server"}`);
    const common = ["monitoring/alertmanager → alert-receivers:443", "api-server → kube-prometheus-stack-operator:443"];
    const outside = (list: string[]) => list.filter((p) => /:443$/.test(p) && !p.includes("kube-prometheus-stack-prometheus"));
    expect(paths(prod)).to.include.members(common);
    expect(outside(paths(prod)), "paths on 443: receivers and the webhook only, on vSphere").to.have.members(common);
    expect(outside(paths(dev))).to.have.members([...common, "monitoring/loki → sts:443", "monitoring/loki → s3:443", "monitoring/tempo → sts:443", "monitoring/tempo → s3:443"]);
    const operator = dev.connections.workloads.find((w) => w.id === "monitoring/prometheus-operator");
    expect(operator).to.deep.include({ containerPorts: { https: 10250 }, services: [{ name: "kube-prometheus-stack-operator", ports: { https: 443 } }] });
    expect(at(release(dev, "kube-prometheus-stack").inputs, "values.prometheusOperator.tls.internalPort"), "the chart listens where the policy admits").to.equal(10250);
  });

  it("issue #18: Loki's and Tempo's declared S3 calls are what their roles allow (IAM simulator, EKS)", async function () {
    this.timeout(60_000);
    const policyOf = (roleArn: string) => {
      const role = dev.resources.find((r) => r.type === "aws:iam/role:Role" && roleArn.includes(`/${r.name}-`));
      const inline = dev.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === role?.name);
      return JSON.parse(String(inline?.inputs.policy)) as PolicyDocument;
    };
    // KMS asks the key's own policy too (the account delegates to IAM: infra/eks/kms.ts).
    const keyPolicy = JSON.parse(String(dev.resources.find((r) => r.type === "aws:kms/key:Key")?.inputs.policy)) as PolicyDocument;
    const stores = dev.connections.connections.filter((c) => c.to.kind === "external" && c.to.name === "s3" && c.from.kind === "pods" && c.from.workload?.startsWith("monitoring/"));
    expect(stores).to.have.length(2);
    for (const store of stores) {
      const aws = store.aws;
      if (aws === undefined) throw new Error(`${store.purpose}: no AWS identity`);
      const policy = policyOf(aws.roleArn);
      for (const call of aws.calls) {
        const request = { why: call.why, action: call.action, resource: call.resource, context: call.context ?? {}, principal: `${aws.roleArn.replace(":iam:", ":sts:").replace(":role/", ":assumed-role/")}/session` };
        expect(await decide(request, [policy], call.action.startsWith("kms:") ? keyPolicy : undefined), `${store.purpose}: ${call.why}`).to.equal("Allowed");
      }
    }
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

  it("issue #23: signs users in to every UI through the gateway's OIDC, Grafana from the forwarded ID token; the proxies and Grafana reach the provider", () => {
    const policies = result.resources.filter((r) => r.type.endsWith(":SecurityPolicy") && at(r.inputs, "metadata.namespace") === "monitoring");
    expect(policies.map((p) => at(p.inputs, "metadata.name"))).to.deep.equal(["observability-oidc"]);
    expect((at(policies[0]?.inputs, "spec.targetRefs") as { name: string }[]).map((t) => t.name).sort()).to.deep.equal([
      "observability-alertmanager",
      "observability-grafana",
      "observability-prometheus",
      "observability-traces",
    ]);
    const oidcSecret = result.resources.find((r) => r.type === "kubernetes:core/v1:Secret" && at(r.inputs, "metadata.name") === "observability-oidc");
    expect(at(oidcSecret?.inputs, "stringData"), "the client secret stays secret").to.equal("[secret]");
    const ini = (at(release(result, "kube-prometheus-stack").inputs, "values.grafana") as Record<string, Record<string, Record<string, unknown>>>)["grafana.ini"];
    expect(ini?.["auth.jwt"]).to.deep.include({ enabled: true, header_name: "X-Id-Token", jwk_set_url: "https://login.ops.internal/realms/ops/protocol/openid-connect/certs" });
    const policyNames = result.resources.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((r) => `${String(at(r.inputs, "metadata.namespace"))}/${String(at(r.inputs, "metadata.name"))}`);
    expect(policyNames).to.include.members(["gateway/allow-proxies-oidc-provider", "monitoring/allow-grafana-oidc-keys"]);
  });

  it("never shows a receiver URL or key in clear", () => {
    // The stand-ins of the two `secure:` leaves (the whole key's JSON and the rendered config are secret too, but are not leaves).
    const receiverSecrets = result.secrets.filter((s) => /^mock-secret-config-strata-platform-observability-alerting-receivers-/.test(s));
    expect(receiverSecrets).to.have.length(2);
    const text = JSON.stringify(result.resources.map((r) => r.inputs)) + JSON.stringify(result.outputs);
    for (const value of receiverSecrets) expect(text.includes(value), "receiver secret in clear").to.equal(false);
  });
});
