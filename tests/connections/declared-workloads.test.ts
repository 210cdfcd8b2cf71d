/**
 * The workloads platform components declare for what their charts and operators create (labels,
 * named container ports, Services, Secrets), built by pure functions and checked here without the
 * engine. Each fact is the upstream one cited beside its builder; the selectors strata's own
 * objects use (PodMonitors, NetworkPolicies, PDBs) must select the declared pods, with the
 * evaluator's label-selector semantics (tools/netpol).
 */
import { expect } from "chai";
import type { WorkloadDeclaration } from "../../lib/connections";
import { controllerWorkload, GATEWAY_PROXIES_ID, proxyWorkload, webhookConnection, xdsConnection } from "../../cluster/gateway/workloads";
import { storeService, veleroStoreConnections, veleroWorkloads } from "../../platform/backups/workloads";
import { kedaPolicies } from "../../platform/keda/network-policies";
import { KEDA_APPS } from "../../platform/keda/values";
import { kedaConnections, kedaWorkloads } from "../../platform/keda/workloads";
import { mongodbWorkload, MONGODB_SYSTEM_USER_KEYS } from "../../platform/mongodb/workloads";
import { mysqldPodMonitor } from "../../platform/mysql/values";
import { appUserConnection, mysqlWorkloads } from "../../platform/mysql/workloads";
import { seaweedfsWorkloads } from "../../platform/object-store/workloads";
import { PROMETHEUS_POD_LABELS } from "../../platform/observability/prometheus-values";
import { observabilityConnections, observabilityWorkloads, PROMETHEUS_ID } from "../../platform/observability/workloads";
import { poolerConnection, postgresWorkloads } from "../../platform/postgres/workloads";
import { rabbitmqPodLabels } from "../../platform/rabbitmq/values";
import { rabbitmqWorkload } from "../../platform/rabbitmq/workloads";
import { redisWorkloads } from "../../platform/redis/workloads";
import { GATEWAY_PROXIES, PROMETHEUS } from "../../tools/connections/derive";
import { selectorMatches } from "../../tools/netpol/evaluate";

const service = (w: WorkloadDeclaration, name: string) => {
  const found = (w.services ?? []).find((s) => s.name === name);
  if (found === undefined) throw new Error(`${w.id} declares no Service ${name} (it has ${(w.services ?? []).map((s) => s.name as string).join(", ")})`);
  return found;
};
const selects = (matchLabels: Readonly<Record<string, string>>, w: WorkloadDeclaration) => selectorMatches({ matchLabels }, w.pods.labels);

describe("declared workloads (what charts and operators create)", () => {
  it("uses the ids the connection check derives routes and scrapes from", () => {
    expect(PROMETHEUS_ID).to.equal(PROMETHEUS);
    expect(GATEWAY_PROXIES_ID).to.equal(GATEWAY_PROXIES);
    expect(observabilityWorkloads({ namespace: "telemetry", logs: false, traces: false, prometheusReplicas: 1, tempoReplicas: 1 }).prometheus.id, "whatever the namespace is called").to.equal(PROMETHEUS);
  });

  describe("PostgreSQL (CloudNativePG 1.30)", () => {
    const w = postgresWorkloads("data");

    it("splits the instances by role, as -rw and -ro select them", () => {
      expect(w.primary.pods.labels).to.deep.include({ "cnpg.io/cluster": "postgres", "cnpg.io/podRole": "instance", "cnpg.io/instanceRole": "primary", role: "primary" });
      expect(w.replicas.pods.labels).to.deep.include({ "cnpg.io/cluster": "postgres", "cnpg.io/instanceRole": "replica", role: "replica" });
      expect(service(w.primary, "postgres-rw").ports).to.deep.equal({ postgres: 5432 });
      expect(service(w.primary, "postgres-r").ports).to.deep.equal({ postgres: 5432 });
      expect(service(w.replicas, "postgres-ro").ports).to.deep.equal({ postgres: 5432 });
      expect(w.primary.containerPorts).to.deep.equal({ postgresql: 5432, metrics: 9187, status: 8000 });
    });

    it("declares the pooler's pods and Service under the Pooler's name, and its path to the primary with the operator's certificates", () => {
      expect(w.pooler.pods.labels).to.deep.include({ "cnpg.io/poolerName": "postgres-pooler-rw", "cnpg.io/podRole": "pooler" });
      expect(service(w.pooler, "postgres-pooler-rw").ports).to.deep.equal({ pgbouncer: 5432 });
      const pooler = poolerConnection(w.pooler, "data");
      expect(pooler.to).to.deep.equal({ kind: "service", namespace: "data", name: "postgres-rw", port: 5432 });
      const operatorSecrets = (w.primary.secrets ?? []).map((s) => s.name);
      for (const secret of pooler.secrets ?? []) expect(operatorSecrets).to.include(secret.name);
      // The instance PodMonitor (platform/postgres/index.ts) selects primary and replicas alike.
      for (const pods of [w.primary, w.replicas]) expect(selects({ "cnpg.io/cluster": "postgres", "cnpg.io/podRole": "instance" }, pods)).to.equal(true);
    });
  });

  describe("MySQL (Percona operator 1.1.0)", () => {
    const w = mysqlWorkloads("data", "mysql", { metrics: true, backups: false, systemUsersSecret: "mysql-secrets" });

    it("issue #18: the mysqld PodMonitor selects the pods the operator labels component=database (it asked for component=mysql)", () => {
      expect(w.mysqld.pods.labels).to.deep.include({ "app.kubernetes.io/name": "mysql", "app.kubernetes.io/component": "database", "app.kubernetes.io/instance": "mysql" });
      const monitor = mysqldPodMonitor("mysql", "data");
      expect(selectorMatches(monitor.spec.selector, w.mysqld.pods.labels)).to.equal(true);
      expect(w.mysqld.containerPorts).to.have.property(monitor.spec.podMetricsEndpoints[0]?.port ?? "", 9104);
      expect(selectorMatches(monitor.spec.selector, w.haproxy.pods.labels), "HAProxy is not scraped as mysqld").to.equal(false);
    });

    it("puts HAProxy's read-write, read-only and X ports on <cluster>-haproxy", () => {
      expect(service(w.haproxy, "mysql-haproxy").ports).to.deep.include({ mysql: 3306, "mysql-replicas": 3307, mysqlx: 33060, "mysql-admin": 33062 });
      expect(w.haproxy.pods.labels).to.deep.include({ "app.kubernetes.io/name": "haproxy", "app.kubernetes.io/component": "proxy" });
      expect(w.mysqld.secrets?.[0]?.keys).to.include.members(["root", "monitor"]);
      expect(mysqlWorkloads("data", "mysql", { metrics: false, backups: true, systemUsersSecret: "s" }).mysqld.containerPorts).to.include({ http: 6450 }).and.not.have.property("metrics");
    });

    it("lets the app-user Job reach the primary as the plan's Job, with root's password from the operator's Secret", () => {
      const job = appUserConnection({ namespace: "data", cluster: "mysql", job: { name: "mysql-app-user", labels: { a: "b" } }, systemUsersSecret: "mysql-secrets", appSecret: "mysql-app" });
      expect(job.from).to.deep.include({ workload: "data/mysql-app-user" });
      expect(job.to).to.deep.equal({ kind: "service", namespace: "data", name: "mysql-haproxy", port: 3306 });
      expect(job.secrets).to.deep.equal([
        { name: "mysql-secrets", keys: ["root"] },
        { name: "mysql-app", keys: ["password"] },
      ]);
    });
  });

  it("MongoDB: the replica set behind the headless <cluster>-rs0 on `mongodb` 27017, the PodMonitor's labels on its pods", () => {
    const w = mongodbWorkload("data", "mongodb", { metrics: true, systemUsersSecret: "mongodb-secrets" });
    const rs = service(w, "mongodb-rs0");
    expect(rs.ports).to.deep.equal({ mongodb: 27017 });
    expect(selects(rs.labels ?? {}, w), "the Service selects RSLabels").to.equal(true);
    expect(selects({ "app.kubernetes.io/instance": "mongodb", "app.kubernetes.io/component": "mongod" }, w)).to.equal(true);
    expect(w.containerPorts).to.deep.equal({ mongodb: 27017, metrics: 9216 });
    expect(w.secrets?.[0]?.keys).to.include.members(["MONGODB_CLUSTER_MONITOR_USER", "MONGODB_CLUSTER_MONITOR_PASSWORD"]);
    expect(MONGODB_SYSTEM_USER_KEYS).to.have.length(10);
  });

  it("Redis: redis-ha's HAProxy Service redis-haproxy on `tcp-haproxy` 6379, its pods and the servers' labels", () => {
    const w = redisWorkloads("data");
    expect(service(w.haproxy, "redis-haproxy").ports).to.deep.include({ "tcp-haproxy": 6379 });
    expect(w.haproxy.pods.labels).to.deep.equal({ app: "redis-ha-haproxy", release: "redis", component: "haproxy" });
    expect(w.servers.pods.labels).to.deep.equal({ release: "redis", app: "redis-ha", redis: "replica" });
    expect(service(w.servers, "redis").ports).to.deep.include({ "tcp-server": 6379, "tcp-sentinel": 26379 });
  });

  it("RabbitMQ: the client Service's ports follow TLS (prometheus 15692 or prometheus-tls 15691, never both), pods keep the PDB's labels", () => {
    const plain = rabbitmqWorkload("data", "rabbitmq", { tls: false });
    const tls = rabbitmqWorkload("data", "rabbitmq", { tls: true });
    expect(service(plain, "rabbitmq").ports).to.deep.equal({ amqp: 5672, management: 15672, prometheus: 15692 });
    expect(service(tls, "rabbitmq").ports).to.deep.equal({ amqp: 5672, management: 15672, amqps: 5671, "management-tls": 15671, "prometheus-tls": 15691 });
    expect(tls.containerPorts, "the pods keep `prometheus`, which the PodMonitor scrapes").to.include({ prometheus: 15692, amqps: 5671 });
    expect(selects(rabbitmqPodLabels("rabbitmq"), plain)).to.equal(true);
  });

  it("SeaweedFS: the S3 gateway behind seaweedfs-s3 on `swfs-s3` 8333, the master's metrics port only with monitoring", () => {
    const on = seaweedfsWorkloads("data", { monitoring: true });
    expect(service(on.s3, "seaweedfs-s3").ports).to.deep.equal({ "swfs-s3": 8333, metrics: 9327 });
    expect(on.s3.pods.labels).to.deep.equal({ "app.kubernetes.io/name": "seaweedfs", "app.kubernetes.io/instance": "seaweedfs", "app.kubernetes.io/component": "s3" });
    expect(on.master.containerPorts).to.have.property("metrics");
    expect(seaweedfsWorkloads("data", { monitoring: false }).master.containerPorts).to.not.have.property("metrics");
    expect(on.volume.pods.labels["app.kubernetes.io/component"]).to.equal("volume");
  });

  describe("observability", () => {
    const parts = { namespace: "monitoring", logs: true, traces: true, prometheusReplicas: 2, tempoReplicas: 1 };
    const w = observabilityWorkloads(parts);

    it("labels the Prometheus pods as the operator does (KEDA's policies select them), behind kube-prometheus-stack-prometheus on `http-web` 9090", () => {
      expect(selects(PROMETHEUS_POD_LABELS, w.prometheus)).to.equal(true);
      expect(w.prometheus.pods.labels).to.deep.include({ prometheus: "kube-prometheus-stack-prometheus", "operator.prometheus.io/name": "kube-prometheus-stack-prometheus" });
      expect(service(w.prometheus, "kube-prometheus-stack-prometheus").ports).to.deep.include({ "http-web": 9090 });
    });

    it("issue #23: declares the operator's headless `prometheus-operated` on `http-web` 9090, through which each replica has its own name", () => {
      const governing = service(w.prometheus, "prometheus-operated");
      expect(governing.ports).to.deep.equal({ "http-web": 9090 });
      expect(governing.labels).to.deep.include({ "operated-prometheus": "true" });
    });

    it("sends Grafana's Service port 80 to its `grafana` container port", () => {
      const grafana = service(w.grafana, "kube-prometheus-stack-grafana");
      expect([grafana.ports, grafana.targetPorts]).to.deep.equal([{ "http-web": 80 }, { "http-web": "grafana" }]);
      expect(w.grafana.containerPorts).to.deep.equal({ grafana: 3000 });
    });

    it("declares the day-1 paths of the parts that are on: datasources, log shipping, router → sampler → Tempo, the pushes into each Prometheus replica", () => {
      const paths = observabilityConnections(parts, w).map((c) => `${c.from.kind === "pods" ? c.from.workload : "?"} → ${c.to.kind === "service" ? `${c.to.name as string}:${c.to.port as number}` : c.to.kind}`);
      expect(paths).to.deep.equal([
        "monitoring/grafana → kube-prometheus-stack-prometheus:9090",
        "monitoring/grafana → loki:3100",
        "monitoring/alloy → loki:3100",
        "monitoring/grafana → tempo:3200",
        "monitoring/otel-router → otel-sampler:4317",
        "monitoring/otel-sampler → tempo:4317",
        "monitoring/otel-router → prometheus-operated:9090",
        "monitoring/tempo → prometheus-operated:9090",
        "monitoring/otel-router → prometheus-operated:9090",
        "monitoring/tempo → prometheus-operated:9090",
      ]);
      const metricsOnly = { namespace: "monitoring", logs: false, traces: false, prometheusReplicas: 2, tempoReplicas: 1 };
      expect(observabilityConnections(metricsOnly, observabilityWorkloads(metricsOnly))).to.have.length(1);
      expect(service(w.router ?? w.grafana, "otel-router").ports).to.deep.equal({ otlp: 4317, "otlp-http": 4318, metrics: 8888 });
    });

    it("issue #23: from two Tempo pods on, declares their gossip (7946) and gRPC (9095) paths to each other through tempo-headless; none for one pod", () => {
      const clustered = { ...parts, tempoReplicas: 3 };
      const among = (p: typeof parts) =>
        observabilityConnections(p, observabilityWorkloads(p))
          .filter((c) => c.to.kind === "service" && c.to.name === "tempo-headless")
          .map((c) => `${c.from.kind === "pods" ? c.from.workload : "?"} → ${c.to.kind === "service" ? `${c.to.name as string}:${c.to.port as number}` : c.to.kind}`);
      expect(among(clustered)).to.deep.equal(["monitoring/tempo → tempo-headless:7946", "monitoring/tempo → tempo-headless:9095"]);
      expect(among(parts)).to.deep.equal([]);
    });
  });

  it("KEDA: the API server's Services lead to the container ports its NetworkPolicy opens, on pods it selects", () => {
    const w = kedaWorkloads("operators");
    const apiServerPolicy = kedaPolicies({ namespace: "operators", controlPlane: ["10.0.0.0/24"], prometheus: { namespace: "monitoring", podLabels: PROMETHEUS_POD_LABELS, port: 9090 } })[0];
    const ingress = apiServerPolicy?.spec.ingress as readonly { readonly ports?: readonly { readonly port?: number }[] }[] | undefined;
    const opened = (ingress?.[0]?.ports ?? []).map((p) => p.port);
    for (const [pods, name] of [
      [w.metricsServer, KEDA_APPS.metricsServer],
      [w.webhooks, KEDA_APPS.webhooks],
    ] as const) {
      const svc = service(pods, name);
      expect(svc.ports.https).to.equal(443);
      expect(opened).to.include(svc.targetPorts?.["https"]);
      expect(selectorMatches(apiServerPolicy?.spec.podSelector as Parameters<typeof selectorMatches>[0], pods.pods.labels), name).to.equal(true);
    }
    const connections = kedaConnections(w, "monitoring");
    expect(connections[0]?.to).to.deep.equal({ kind: "service", namespace: "monitoring", name: "kube-prometheus-stack-prometheus", port: 9090 });
    expect(connections.filter((c) => c.from.kind === "api-server")).to.have.length(2);
  });

  it("Envoy Gateway: the proxies of the shared Gateway run in the controller's namespace and fetch xDS from envoy-gateway:18000", () => {
    const proxies = proxyWorkload("gateway", "strata");
    expect(proxies.pods).to.deep.equal({
      namespace: "gateway",
      labels: {
        "app.kubernetes.io/name": "envoy",
        "app.kubernetes.io/component": "proxy",
        "app.kubernetes.io/managed-by": "envoy-gateway",
        "gateway.envoyproxy.io/owning-gateway-namespace": "gateway",
        "gateway.envoyproxy.io/owning-gateway-name": "strata",
      },
    });
    const controller = controllerWorkload("gateway");
    expect(service(controller, "envoy-gateway").ports).to.include({ grpc: 18000, webhook: 9443 });
    expect(xdsConnection(proxies).to).to.deep.equal({ kind: "service", namespace: "gateway", name: "envoy-gateway", port: 18000 });
    expect((controller.secrets ?? []).map((s) => s.name)).to.include(xdsConnection(proxies).secrets?.[0]?.name);
    expect(webhookConnection("gateway").from).to.deep.equal({ kind: "api-server" });
  });

  it("Velero: server and node agent reach the in-cluster S3 Service with the `cloud` key of its credentials Secret", () => {
    expect(storeService("http://seaweedfs-s3.data.svc:8333")).to.deep.equal({ name: "seaweedfs-s3", namespace: "data", port: 8333 });
    expect(storeService("https://s3.eu-west-1.amazonaws.com")).to.equal(undefined);
    const w = veleroWorkloads("velero", { nodeAgent: true, metrics: true });
    const connections = veleroStoreConnections(w, { kind: "service", namespace: "data", name: "seaweedfs-s3", port: 8333 }, "velero-object-store");
    expect(connections.map((c) => (c.from.kind === "pods" ? c.from.workload : ""))).to.deep.equal(["velero/velero", "velero/node-agent"]);
    expect(connections.every((c) => c.secrets?.[0]?.keys[0] === "cloud")).to.equal(true);
    expect(veleroWorkloads("velero", { nodeAgent: false, metrics: true }).nodeAgent).to.equal(undefined);
  });
});
