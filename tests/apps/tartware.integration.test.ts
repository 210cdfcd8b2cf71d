/**
 * Tartware as `examples/tartware/Pulumi.tartware.yaml` plans it (vSphere): the seed's replica
 * ranges and scaling rates on CPU, memory, requests per second and latency (KEDA), priority classes, the services pool sized for the seed's ~600 cores at the
 * HPA maxima, and the wiring to PostgreSQL, Redis and Kafka.
 */
import { expect } from "chai";
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { brokenConnections, proveConnections } from "../../tools/connections";
import type { RunResult } from "../../tools/engine/run";
import { REPO_ROOT, toPlanDocument } from "../../tools/engine/run";
import { evaluate, policiesFrom, type PodEndpoint } from "../../tools/netpol/evaluate";
import { planStack } from "../harness";
import { at, ofType } from "../harness";
import { container, DEPLOYMENT, envOf, input, NETWORK_POLICY, podSpec, quantity } from "./seed-plans";

const SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const SECRET = "kubernetes:core/v1:Secret";
/** The Secret named `name` in `namespace`. */
const secretAt = (plan: RunResult, namespace: string, name: string) => {
  const found = ofType(plan, SECRET).find((r) => at(r.inputs, "metadata.name") === name && at(r.inputs, "metadata.namespace") === namespace);
  if (found === undefined) throw new Error(`no Secret ${namespace}/${name}`);
  return found;
};
const PROMETHEUS_RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";

export const TARTWARE_FILE = `${REPO_ROOT}/examples/tartware/Pulumi.tartware.yaml`;
const RANGES: Record<string, [number, number]> = {
  "api-gateway": [10, 100],
  "core-service": [8, 80],
  "reservations-service": [8, 70],
  "billing-service": [2, 40],
  "housekeeping-service": [2, 40],
  "notification-service": [2, 40],
};

/** The services, and the worker consuming Kafka (issue #25). */
const KAFKA_CLIENTS = [...Object.keys(RANGES), "reservation-events-consumer"];

describe("Tartware on vSphere (examples/tartware)", () => {
  let plan: RunResult;
  before(async function () {
    this.timeout(240_000);
    plan = await planStack({ stack: "tartware", configFile: TARTWARE_FILE });
  });

  it("scales the API gateway 10–100, core 8–80, reservations 8–70 and the others 2–40", () => {
    for (const [app, [min, max]] of Object.entries(RANGES)) {
      expect([input(plan, SCALED_OBJECT, `${app}-scaled-object`, "spec.minReplicaCount"), input(plan, SCALED_OBJECT, `${app}-scaled-object`, "spec.maxReplicaCount")], app).to.deep.equal([min, max]);
    }
  });

  it("issue #25: no gateway-wide 6000/min per IP caps the seed's own 20k-RPS k6 test (300 rps per client across 3 Envoys)", () => {
    // The observability UIs keep their own limit (monitoring namespace); the load test drives the API.
    const limits = ofType(plan, "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy").filter((r) => at(r.inputs, "spec.rateLimit") !== undefined && at(r.inputs, "metadata.namespace") !== "monitoring");
    expect(limits.map((r) => r.name)).to.deep.equal([]);
  });

  it("scales up 100 % every 15 s and down 10 % every 60 s", () => {
    for (const app of Object.keys(RANGES)) {
      expect(input(plan, SCALED_OBJECT, `${app}-scaled-object`, "spec.advanced.horizontalPodAutoscalerConfig.behavior"), app).to.deep.equal({
        scaleUp: { stabilizationWindowSeconds: 0, policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] },
        scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 10, periodSeconds: 60 }] },
      });
    }
  });

  it("scales on CPU 70 %, memory 75 %, 250 requests per second per pod and P95 latency 500 ms from the platform's Prometheus", () => {
    for (const app of Object.keys(RANGES)) {
      const triggers = input(plan, SCALED_OBJECT, `${app}-scaled-object`, "spec.triggers") as { type: string; name?: string; metricType: string; metadata: Record<string, string> }[];
      expect(triggers.map((t) => [t.type, t.name ?? t.type, t.metricType, t.metadata["value"] ?? t.metadata["threshold"]]), app).to.deep.equal([
        ["cpu", "cpu", "Utilization", "70"],
        ["memory", "memory", "Utilization", "75"],
        ["prometheus", "requests-per-second", "AverageValue", "250"],
        ["prometheus", "latency", "Value", "500"],
      ]);
      expect(triggers[3]?.metadata["query"], app).to.match(/^\(histogram_quantile\(0\.95, /);
      expect(triggers[2]?.metadata["serverAddress"], app).to.match(/^http:\/\/kube-prometheus-stack-prometheus\.monitoring\.svc/);
    }
  });

  it("issue #18: KEDA reads the series each service's PrometheusRule records, and a missing one is an error it falls back on", () => {
    for (const app of Object.keys(RANGES)) {
      expect(input(plan, SCALED_OBJECT, `${app}-scaled-object`, "spec.fallback"), app).to.deep.equal({ failureThreshold: 3, replicas: RANGES[app]?.[0], behavior: "currentReplicasIfHigher" });
      const triggers = (input(plan, SCALED_OBJECT, `${app}-scaled-object`, "spec.triggers") as { type: string; metadata: Record<string, string> }[]).filter((t) => t.type === "prometheus");
      const rule = plan.resources.find((r) => r.type === PROMETHEUS_RULE && r.name === `${app}-http-rules`);
      expect(rule, `${app}: PrometheusRule`).to.not.equal(undefined);
      const records = ((rule?.inputs["spec"] as { groups: { rules: { record?: string; expr: string }[] }[] }).groups ?? []).flatMap((g) => g.rules);
      for (const trigger of triggers) {
        expect(trigger.metadata["ignoreNullValues"], app).to.equal("false");
        for (const series of trigger.metadata["query"]?.match(/strata:[a-z_:0-9]+/g) ?? []) {
          const recorded = records.find((r) => r.record === series);
          expect(recorded, `${app}: ${series}`).to.not.equal(undefined);
          // Recorded from this service's own histogram, as its ServiceMonitor labels it.
          expect(recorded?.expr, `${app}: ${series}`).to.contain(`{namespace="tartware",service="${app}"`);
        }
      }
    }
  });

  it("issue #18: KEDA's queries are a declared connection to where the ScaledObjects point, and the NetworkPolicies admit it", () => {
    const operators = (plan.outputs.cluster as { namespaces: { operators: string } }).namespaces.operators;
    const declared = plan.connections.connections.find((c) => c.from.kind === "pods" && c.from.workload === `${operators}/keda-operator`);
    expect(declared?.to).to.deep.equal({ kind: "service", namespace: "monitoring", name: "kube-prometheus-stack-prometheus", port: 9090 });
    const address = new URL(input(plan, SCALED_OBJECT, "api-gateway-scaled-object", "spec.triggers.2.metadata.serverAddress") as string);
    expect([address.hostname, Number(address.port)]).to.deep.equal(["kube-prometheus-stack-prometheus.monitoring.svc.cluster.local", 9090]);
    const workload = (id: string) => plan.connections.workloads.find((w) => w.id === id);
    const prometheus = workload("monitoring/prometheus");
    expect(prometheus?.services?.find((svc) => svc.name === "kube-prometheus-stack-prometheus")?.ports).to.deep.equal({ "http-web": 9090 });
    const pod = (id: string): PodEndpoint => {
      const w = workload(id);
      if (w === undefined) throw new Error(`no workload ${id}`);
      return { kind: "pod", namespace: w.pods.namespace, labels: w.pods.labels };
    };
    const verdict = evaluate(policiesFrom(plan.resources), { from: pod(`${operators}/keda-operator`), to: pod("monitoring/prometheus"), port: 9090 });
    expect(verdict.allowed, JSON.stringify(verdict)).to.equal(true);
  });

  it("runs the request path at apps-high priority and the others at apps-default", () => {
    const priorities = Object.keys(RANGES).map((app) => [app, podSpec(plan, app)["priorityClassName"]]);
    expect(priorities).to.deep.equal([
      ["api-gateway", "apps-high"],
      ["core-service", "apps-high"],
      ["reservations-service", "apps-high"],
      ["billing-service", "apps-default"],
      ["housekeeping-service", "apps-default"],
      ["notification-service", "apps-default"],
    ]);
  });

  it("fits the requests at the HPA maxima (~520 cores, ~1 TiB) into the services pool at its maximum (the seed's 8-150, issue #21)", () => {
    let cpu = 0;
    let memory = 0;
    for (const app of Object.keys(RANGES)) {
      const requests = (container(plan, app)["resources"] as { requests: { cpu: string; memory: string } }).requests;
      const max = input(plan, SCALED_OBJECT, `${app}-scaled-object`, "spec.maxReplicaCount") as number;
      cpu += quantity(requests.cpu) * max;
      memory += quantity(requests.memory) * max;
      expect(podSpec(plan, app)["nodeSelector"], app).to.include({ "node.strata.io/pool": "services" });
    }
    type Pool = { count: number; cpus: number; memoryGi: number; autoscaling?: { min: number; max: number } };
    const pool = (parse(readFileSync(TARTWARE_FILE, "utf8")) as { config: { "strata:infra": { vsphere: { nodePools: Record<string, Pool> } } } }).config["strata:infra"].vsphere.nodePools["services"];
    // The pool autoscales 8-150 (the seed's range): the autoscaler adds nodes up to max as the HPAs scale out.
    expect(pool?.autoscaling).to.deep.equal({ min: 8, max: 150 });
    const nodes = pool?.autoscaling?.max ?? 0;
    expect(cpu / 1000).to.be.within(500, 600);
    expect(cpu / 1000).to.be.below(nodes * (pool?.cpus ?? 0) * 0.9);
    expect(memory / 1024).to.be.below(nodes * (pool?.memoryGi ?? 0) * 0.9);
  });

  it("wires PostgreSQL, Redis and Kafka and allows egress only to their ports", () => {
    const secretEnv = envOf(plan, "core-service").filter((e) => e.valueFrom !== undefined).map((e) => e.name);
    expect(secretEnv).to.deep.equal(["DATABASE_URL", "KAFKA_PASSWORD", "KAFKA_USERNAME", "REDIS_URL"]);
    const egress = input(plan, NETWORK_POLICY, "core-service-network-policy", "spec.egress") as { ports: { port: number }[] }[];
    expect(egress.map((rule) => rule.ports.map((p) => p.port))).to.deep.equal([[53, 53], [5432], [6379], [9093]]);
    expect(input(plan, DEPLOYMENT, "api-gateway-deployment", "spec.replicas"), "KEDA's HPA owns the count").to.equal(undefined);
  });

  it("issue #18: gives every service KAFKA_BOOTSTRAP_SERVERS as host:port, without the password, and SASL_SSL with SCRAM-SHA-512", () => {
    const password = at(secretAt(plan, "data", "kafka-app-credentials").rawInputs, "stringData.password");
    expect(password).to.be.a("string").with.length.above(16);
    for (const app of Object.keys(RANGES)) {
      const env = Object.fromEntries(envOf(plan, app).map((e) => [e.name, e.value]));
      const servers = env["KAFKA_BOOTSTRAP_SERVERS"];
      expect(servers, app).to.equal("kafka-kafka-bootstrap.data.svc:9093");
      expect(servers?.split(",").every((entry) => /^[a-z0-9.-]+:\d+$/.test(entry)), app).to.equal(true);
      expect(servers, app).not.to.contain(password);
      expect([env["KAFKA_SECURITY_PROTOCOL"], env["KAFKA_SASL_MECHANISM"], env["KAFKA_SSL_CA_LOCATION"]], app).to.deep.equal(["SASL_SSL", "SCRAM-SHA-512", "/etc/strata/kafka-ca/ca.crt"]);
    }
  });

  it("issue #18: places the cluster CA Strimzi trusts in the services' namespace, and every service mounts it", () => {
    const strimziCa = secretAt(plan, "data", "kafka-cluster-ca-cert");
    expect(at(strimziCa.inputs, "metadata")).to.deep.include({ name: "kafka-cluster-ca-cert", namespace: "data", annotations: { "strimzi.io/ca-cert-generation": "0" } });
    const copies = ofType(plan, SECRET).filter((r) => at(r.inputs, "metadata.name") === "kafka-cluster-ca-cert" && at(r.inputs, "metadata.namespace") !== "data");
    expect(copies.map((r) => at(r.inputs, "metadata.namespace"))).to.deep.equal(["tartware"]);
    const copy = copies[0];
    const pem = (r: typeof copy) => (at(r?.rawInputs, "stringData") as Record<string, string> | undefined)?.["ca.crt"];
    expect(pem(copy)).to.equal(pem(strimziCa)).and.to.match(/^-----BEGIN CERTIFICATE-----/);
    for (const app of Object.keys(RANGES)) {
      expect(podSpec(plan, app)["volumes"], app).to.deep.include({ name: "strata-kafka-ca", secret: { secretName: "kafka-cluster-ca-cert", items: [{ key: "ca.crt", path: "ca.crt" }] } });
      expect(container(plan, app)["volumeMounts"], app).to.deep.include({ name: "strata-kafka-ca", mountPath: "/etc/strata/kafka-ca", readOnly: true });
    }
  });

  it("declares each service's path to Kafka's bootstrap Service, whose broker pods Strimzi's labels name, with the Secrets in the services' namespace", () => {
    const { workloads, connections } = plan.connections;
    // The services' client port; the Kafka Exporter reads the brokers on the replication port.
    // KEDA's operator reads the consumer's lag there too (workloads.integration.test.ts).
    const kafka = connections.filter((c) => c.to.kind === "service" && c.to.name === "kafka-kafka-bootstrap" && c.to.port === 9093 && c.purpose === "kafka client");
    expect(kafka.map((c) => (c.from.kind === "pods" ? c.from.pods.labels["app.kubernetes.io/name"] : "")).sort()).to.deep.equal(KAFKA_CLIENTS.sort());
    for (const c of kafka) {
      expect(c.from.kind === "pods" ? c.from.pods.namespace : "").to.equal("tartware");
      expect(c.to).to.deep.equal({ kind: "service", namespace: "data", name: "kafka-kafka-bootstrap", port: 9093 });
      expect(c.secrets?.map((secret) => secret.name)).to.have.members(["kafka-cluster-ca-cert", `${c.from.kind === "pods" ? c.from.pods.labels["app.kubernetes.io/name"] : ""}-env`]);
    }
    const brokers = workloads.find((w) => w.id === "data/kafka-brokers");
    expect(brokers?.pods.labels).to.include({ "strimzi.io/cluster": "kafka", "strimzi.io/pool-name": "brokers", "strimzi.io/broker-role": "true" });
    expect(brokers?.services?.map((svc) => svc.name)).to.include("kafka-kafka-bootstrap");
  });

  it("issue #18: the connection check proves every service's path to Kafka: the bootstrap Service, both NetworkPolicies, the CA and credentials in the services' namespace", async () => {
    const results = (await proveConnections(toPlanDocument(plan))).filter((r) => r.destination === "data/kafka-kafka-bootstrap:9093" && r.purpose === "kafka client");
    expect(results).to.have.length(KAFKA_CLIENTS.length);
    expect(brokenConnections(results)).to.deep.equal([]);
  });

  it("issue #23: Loki survives a node: three pods with replication factor 3, a PDB and one per node, on the logs bucket of the object store the stack enables on its workers (the seed has none)", async () => {
    const loki = ofType(plan, "kubernetes:helm.sh/v3:Release").find((r) => at(r.inputs, "name") === "loki");
    const values = at(loki?.inputs, "values") as Record<string, unknown>;
    expect([at(values, "singleBinary.replicas"), at(values, "loki.commonConfig.replication_factor")]).to.deep.equal([3, 3]);
    expect(at(values, "singleBinary.podDisruptionBudget")).to.deep.equal({ enabled: true, maxUnavailable: 1 });
    expect(at(values, "singleBinary.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.0.topologyKey")).to.equal("kubernetes.io/hostname");
    expect([at(values, "loki.storage.type"), at(values, "loki.storage.bucketNames.chunks")]).to.deep.equal(["s3", "strata-logs"]);
    const store = ofType(plan, "kubernetes:helm.sh/v3:Release").find((r) => at(r.inputs, "chart") === "seaweedfs");
    expect(at(store?.inputs, "values.volume.replicas")).to.equal(3);
    const results = (await proveConnections(toPlanDocument(plan))).filter((r) => r.source === "monitoring/loki");
    expect(results.length, "Loki's paths to the store").to.be.greaterThan(0);
    expect(brokenConnections(results)).to.deep.equal([]);
  });
});
