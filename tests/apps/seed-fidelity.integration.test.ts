/**
 * The README's "Seed fidelity" tables, checked against the plans. Each row there reads seed value →
 * strata value → why different; every row whose strata value is not a pointer to other work
 * ("see …") is listed below with the rendered value it stands for, read from that seed's stack
 * plan. The tables and this list must hold the same rows, so the README can neither claim a value
 * the plan does not render nor leave one out.
 */
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { REPO_ROOT } from "../../tools/engine/run";
import type { RunOptions, RunResult } from "../../tools/engine/run";
import { at, named, ofType, planStack } from "../harness";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass";
const POSTGRES = "kubernetes:postgresql.cnpg.io/v1:Cluster";
const POOLER = "kubernetes:postgresql.cnpg.io/v1:Pooler";
const MYSQL = "kubernetes:ps.percona.com/v1:PerconaServerMySQL";
const MONGODB = "kubernetes:psmdb.percona.com/v1:PerconaServerMongoDB";
const RABBITMQ = "kubernetes:rabbitmq.com/v1beta1:RabbitmqCluster";
const VPA = "kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler";

interface FidelityRow {
  /** The seed's value, as the README's first column writes it. */
  readonly seed: string;
  /** strata's value, as the README's second column writes it. */
  readonly strata: string;
  /** Reads from the plan what `strata` stands for. */
  readonly rendered: (plan: RunResult) => unknown;
  readonly expected: unknown;
  /** A finding of issue #25 that this row's value fixes (the row fails on the stack as it was before). */
  readonly fixed?: true;
}

interface SeedSystem {
  /** The README's `###` heading for this system under "Seed fidelity". */
  readonly heading: string;
  readonly stack: RunOptions;
  readonly rows: readonly FidelityRow[];
}

/** The only object of a type in the plan. */
function only(plan: RunResult, type: string): Record<string, unknown> {
  const found = ofType(plan, type);
  expect(found.map((r) => r.name), type).to.have.length(1);
  return found[0]?.inputs ?? {};
}
/** The one Helm release of a chart (by the chart's last path segment, so OCI references match too). */
function release(plan: RunResult, chart: string): Record<string, unknown> {
  const found = ofType(plan, RELEASE).filter((r) => String(r.inputs["chart"]).split("/").pop() === chart);
  expect(found.map((r) => r.name), chart).to.have.length(1);
  return found[0]?.inputs ?? {};
}
/** Major.minor of an image reference or tag: `percona/percona-server:8.4.8-8.1` → `8.4`. */
const minor = (image: unknown): string => (String(image).split(":").pop() ?? "").split(".").slice(0, 2).join(".");
const namespaceLabels = (plan: RunResult, name: string) => {
  const found = ofType(plan, NAMESPACE).find((r) => at(r.inputs, "metadata.name") === name);
  expect(found, `namespace ${name}`).to.not.equal(undefined);
  return at(found?.inputs, "metadata.labels") as Record<string, string>;
};
const storageClass = (plan: RunResult, name: string) => ofType(plan, STORAGE_CLASS).find((r) => at(r.inputs, "metadata.name") === name)?.inputs ?? {};
const prometheusTriggers = (plan: RunResult, app: string) =>
  (at(named(plan, SCALED_OBJECT, `${app}-scaled-object`).inputs, "spec.triggers") as { type: string; name?: string; metricType: string; metadata: Record<string, string> }[]).filter((t) => t.type === "prometheus");
/** Copies SeaweedFS keeps of each object under a replica placement such as `001` (1 + the digits). */
const copies = (replication: string) => 1 + [...replication].reduce((sum, digit) => sum + Number(digit), 0);

const SYSTEMS: readonly SeedSystem[] = [
  {
    heading: "EMIS (`Pulumi.prod.yaml`, emis-onprem-deployment.md)",
    stack: { stack: "prod" },
    rows: [
      { seed: "MySQL 8.0 (`mysql:8.0`)", strata: "Percona Server for MySQL 8.4", rendered: (p) => minor(at(only(p, MYSQL), "spec.mysql.image")), expected: "8.4" },
      {
        seed: "MySQL primary + 2 replicas, 3 nodes",
        strata: "3 group-replication members, one per `mysql` node",
        rendered: (p) => [at(only(p, MYSQL), "spec.mysql.size"), at(only(p, MYSQL), "spec.mysql.clusterType")],
        expected: [3, "group-replication"],
      },
      { seed: "MongoDB 6.0 (`mongo:6.0`)", strata: "Percona Server for MongoDB 8.0", rendered: (p) => minor(at(only(p, MONGODB), "spec.image")), expected: "8.0" },
      { seed: "RabbitMQ 3.12 (`rabbitmq:3.12`)", strata: "RabbitMQ 4.2", rendered: (p) => minor(at(only(p, RABBITMQ), "spec.image")), expected: "4.2" },
      {
        seed: "MinIO, 4 × 1 TiB drives (EC:2: 2 TiB usable)",
        strata: "SeaweedFS, 3 × 1400 GiB, 2 copies: 2100 GiB usable",
        rendered: (p) => {
          const values = release(p, "seaweedfs")["values"];
          const servers = at(values, "volume.replicas") as number;
          const sizeGi = Number.parseInt(String(at(values, "volume.dataDirs.0.size")), 10);
          const kept = copies(String(at(values, "master.defaultReplication")));
          return { servers, sizeGi, copies: kept, usableGi: (servers * sizeGi) / kept };
        },
        expected: { servers: 3, sizeGi: 1400, copies: 2, usableGi: 2100 },
        fixed: true,
      },
      {
        seed: "Elasticsearch + Kibana + Filebeat",
        strata: "Loki + Grafana + Alloy",
        // Grafana is kube-prometheus-stack's (on by default), served on its own route.
        rendered: (p) => [release(p, "loki")["name"], release(p, "alloy")["name"], ofType(p, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute").some((r) => r.name.endsWith("-route-grafana"))],
        expected: ["loki", "alloy", true],
      },
      {
        seed: "No rate limit on the API",
        strata: "no rate limit on the gateway or any app route",
        rendered: (p) => ofType(p, "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy").filter((r) => !r.urn.includes("strata:platform:") && at(r.inputs, "spec.rateLimit") !== undefined).map((r) => r.name),
        expected: [],
        fixed: true,
      },
    ],
  },
  {
    heading: "ValueVerse (`examples/valueverse.yaml`, valueverse-eks-implementation.md)",
    stack: { stack: "valueverse", configFile: "examples/valueverse.yaml" },
    rows: [
      { seed: "Kubernetes 1.24", strata: "Kubernetes 1.35", rendered: (p) => namespaceLabels(p, "apps")["pod-security.kubernetes.io/enforce-version"], expected: "v1.35" },
      {
        seed: "`gp3-encrypted` (default): Reclaim Retain",
        strata: "`gp3-encrypted` (default): `Retain`",
        rendered: (p) => {
          const gp3 = storageClass(p, "gp3-encrypted");
          return [gp3["reclaimPolicy"], at(gp3, "metadata.annotations")];
        },
        expected: ["Retain", { "storageclass.kubernetes.io/is-default-class": "true" }],
        fixed: true,
      },
      {
        seed: "`io2-encrypted`: 10,000 IOPS, PostgreSQL 100 GB",
        strata: "`io2-encrypted`: 100 IOPS/GiB × 100 Gi = 10,000 IOPS",
        rendered: (p) => Number(at(storageClass(p, "io2-encrypted"), "parameters.iopsPerGB")) * Number.parseInt(String(at(only(p, POSTGRES), "spec.storage.size")), 10),
        // Already 10,000 before #25 (io2 sized per GiB since #22): a guard, not a regression test.
        expected: 10_000,
      },
      {
        seed: "PostgreSQL 1 primary + 2 replicas (pg_auto_failover)",
        strata: "CloudNativePG, 3 instances",
        rendered: (p) => at(only(p, POSTGRES), "spec.instances"),
        expected: 3,
      },
      {
        seed: "PostgreSQL replicas on gp3",
        strata: "every instance on `io2-encrypted`",
        rendered: (p) => at(only(p, POSTGRES), "spec.storage.storageClass"),
        expected: "io2-encrypted",
      },
      {
        seed: "PgBouncer: 10,000 max connections",
        strata: "3 PgBouncer pods × 5,000: any 2 take 10,000",
        rendered: (p) => {
          const rw = ofType(p, POOLER).find((r) => at(r.inputs, "metadata.name") === "postgres-pooler-rw")?.inputs;
          return [at(rw, "spec.instances"), at(rw, "spec.pgbouncer.parameters.max_client_conn")];
        },
        expected: [3, "5000"],
      },
      {
        seed: "HPA custom metric: 1000 requests/s per pod",
        strata: "KEDA `prometheus` trigger, `AverageValue` 1000",
        rendered: (p) => prometheusTriggers(p, "backend").map((t) => [t.name, t.metricType, t.metadata["threshold"]]),
        expected: [["requests-per-second", "AverageValue", "1000"]],
        fixed: true,
      },
      {
        seed: "Redis with Sentinel ×3",
        strata: "Valkey 9.0 with Sentinel ×3",
        rendered: (p) => {
          const values = release(p, "redis-ha")["values"];
          return [at(values, "image.repository"), minor(at(values, "image.tag")), at(values, "replicas")];
        },
        expected: ["docker.io/valkey/valkey", "9.0", 3],
      },
      {
        seed: "Velero (a to-do)",
        strata: "Velero daily (data, apps) + Barman WAL and base backups to S3",
        rendered: (p) => [
          ofType(p, "kubernetes:velero.io/v1:Schedule").map((r) => at(r.inputs, "metadata.name")).sort(),
          at(only(p, "kubernetes:barmancloud.cnpg.io/v1:ObjectStore"), "spec.configuration.destinationPath"),
        ],
        // Rendered before #25 too; #25 only made the example's header say so.
        expected: [["daily-apps", "daily-data"], "s3://valueverse-prod-backups-123456789012/postgres/"],
      },
      {
        seed: "100 requests/min per client IP",
        strata: "100/Minute per client IP on the gateway and each route, counted per Envoy replica (`Local`)",
        rendered: (p) =>
          ["valueverse-prod-gateway-rate-limit", "backend-traffic", "frontend-traffic"].map((name) => {
            const limit = at(named(p, "kubernetes:gateway.envoyproxy.io/v1alpha1:BackendTrafficPolicy", name).inputs, "spec.rateLimit") as { type: string; local: { rules: { limit: unknown }[] } };
            return [limit.type, limit.local.rules.map((r) => r.limit)];
          }),
        expected: [
          ["Local", [{ requests: 100, unit: "Minute" }]],
          ["Local", [{ requests: 100, unit: "Minute" }]],
          ["Local", [{ requests: 100, unit: "Minute" }]],
        ],
      },
    ],
  },
  {
    heading: "Multi-tenant platform (`examples/multitenant/`, multitenant-platform-deployment.md)",
    stack: { stack: "multitenant", configFile: "examples/multitenant/Pulumi.multitenant.yaml" },
    rows: [
      {
        seed: "Service CIDR `172.30.0.0/16`",
        strata: "`172.30.0.0/16`",
        rendered: (p) => at(only(p, "aws:eks/cluster:Cluster"), "kubernetesNetworkConfig.serviceIpv4Cidr"),
        expected: "172.30.0.0/16",
        fixed: true,
      },
      { seed: "Pod CIDR `10.128.0.0/14`", strata: "pods in the VPC, `10.50.0.0/16`", rendered: (p) => at(only(p, "aws:ec2/vpc:Vpc"), "cidrBlock"), expected: "10.50.0.0/16" },
      {
        seed: "Prometheus `scrape_interval: 15s`",
        strata: "`scrapeInterval: 15s`",
        rendered: (p) => at(release(p, "kube-prometheus-stack")["values"], "prometheus.prometheusSpec.scrapeInterval"),
        expected: "15s",
        fixed: true,
      },
      { seed: "MySQL 8.0 (`mysql:8.0`)", strata: "Percona Server for MySQL 8.4", rendered: (p) => minor(at(only(p, MYSQL), "spec.mysql.image")), expected: "8.4" },
      {
        seed: "MySQL primary + 1 secondary, 20Gi, 250m/512Mi → 500m/1Gi",
        strata: "3 members × 20Gi, 250m/512Mi → 500m/1Gi",
        rendered: (p) => {
          const mysql = at(only(p, MYSQL), "spec.mysql");
          return [at(mysql, "size"), at(mysql, "volumeSpec.persistentVolumeClaim.resources.requests.storage"), at(mysql, "resources")];
        },
        expected: [3, "20Gi", { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "500m", memory: "1024Mi" } }],
        fixed: true,
      },
      {
        seed: "Redis master + 2 replicas, 8Gi, 100m/128Mi → 500m/512Mi",
        strata: "Valkey ×3 with Sentinel, 8Gi, 100m/128Mi → 500m/512Mi",
        rendered: (p) => {
          const values = release(p, "redis-ha")["values"];
          return [at(values, "replicas"), at(values, "persistentVolume.size"), at(values, "redis.resources")];
        },
        expected: [3, "8Gi", { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } }],
        fixed: true,
      },
      {
        seed: "Tenant namespaces `tenant-<id>`, no Pod Security",
        strata: "`restricted`, pinned to `v1.35`",
        rendered: (p) => {
          const labels = namespaceLabels(p, "tenant-acme");
          return [labels["pod-security.kubernetes.io/enforce"], labels["pod-security.kubernetes.io/enforce-version"], labels["pod-security.kubernetes.io/audit-version"]];
        },
        expected: ["restricted", "v1.35", "v1.35"],
        fixed: true,
      },
      {
        seed: "Redis Cluster: 6 pods (3 shards × 2), 10Gi, 100m/256Mi → 500m/512Mi",
        strata: "Valkey ×3 with Sentinel (quorum 2), unsharded",
        rendered: (p) => {
          const values = release(p, "redis-ha")["values"];
          return [at(values, "replicas"), at(values, "sentinel.quorum")];
        },
        expected: [3, 2],
      },
      {
        seed: "`platform.com` and `www.platform.com`",
        strata: "`www.platform.com` served; `platform.com` redirects to it (301)",
        rendered: (p) => [at(named(p, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "frontend-route").inputs, "spec.hostnames"), at(named(p, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "frontend-redirect-0-route").inputs, "spec.hostnames"), (at(named(p, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", "frontend-redirect-0-route").inputs, "spec.rules") as { filters: unknown[] }[])[0]?.filters],
        expected: [["www.platform.com"], ["platform.com"], [{ type: "RequestRedirect", requestRedirect: { hostname: "www.platform.com", statusCode: 301 } }]],
        fixed: true,
      },
    ],
  },
  {
    heading: "Tartware (`examples/tartware/`, tartware-20k-ops-rancher.md)",
    stack: { stack: "tartware", configFile: `${REPO_ROOT}/examples/tartware/Pulumi.tartware.yaml` },
    rows: [
      {
        seed: "API Gateway 10–100 replicas",
        strata: "10–100 (KEDA)",
        rendered: (p) => {
          const spec = at(named(p, SCALED_OBJECT, "api-gateway-scaled-object").inputs, "spec");
          return [at(spec, "minReplicaCount"), at(spec, "maxReplicaCount")];
        },
        expected: [10, 100],
      },
      {
        seed: "Custom metrics: RPS, latency",
        strata: "KEDA: 250 requests/s per pod, p95 500 ms",
        rendered: (p) => prometheusTriggers(p, "core-service").map((t) => [t.name, t.metadata["threshold"]]),
        expected: [
          ["requests-per-second", "250"],
          ["latency", "500"],
        ],
      },
      { seed: "Jaeger on Elasticsearch", strata: "Tempo on the object store", rendered: (p) => release(p, "tempo")["name"], expected: "tempo" },
      {
        seed: "Kafka/RedPanda",
        strata: "Kafka 4.2 (Strimzi)",
        rendered: (p) => minor(at(ofType(p, "kubernetes:kafka.strimzi.io/v1:Kafka")[0]?.inputs ?? ofType(p, "kubernetes:kafka.strimzi.io/v1beta2:Kafka")[0]?.inputs, "spec.kafka.version")),
        expected: "4.2",
      },
      {
        seed: "Vertical Pod Autoscaler recommendations",
        strata: "a VerticalPodAutoscaler per Deployment, `updateMode: Off`; the recommender only",
        rendered: (p) => {
          const modes = [...new Set(ofType(p, VPA).map((r) => at(r.inputs, "spec.updatePolicy.updateMode")))];
          const values = release(p, "vertical-pod-autoscaler")["values"];
          return [ofType(p, VPA).length === ofType(p, "kubernetes:apps/v1:Deployment").filter((r) => at(r.inputs, "metadata.namespace") === "tartware").length, modes, at(values, "updater.enabled"), at(values, "admissionController.enabled")];
        },
        expected: [true, ["Off"], false, false],
        fixed: true,
      },
      {
        seed: "k6: 20k RPS, 5000 VUs",
        strata: "TestRun `peak` in ConfigMap `load-test-peak`: 10 runners × 500 VUs, 20,000 requests/s, on demand",
        rendered: (p) => {
          const data = at(ofType(p, "kubernetes:core/v1:ConfigMap").find((r) => at(r.inputs, "metadata.name") === "load-test-peak")?.inputs, "data") as Record<string, string>;
          const script = data["script.js"] ?? "";
          return [ofType(p, "kubernetes:k6.io/v1alpha1:TestRun").length, /parallelism: 10\b/.test(data["testrun.yaml"] ?? ""), /rate: 20000,/.test(script), /maxVUs: 5000,/.test(script)];
        },
        expected: [0, true, true, true],
        fixed: true,
      },
      {
        seed: "Redis Cluster",
        strata: "Valkey ×3 with Sentinel (quorum 2), unsharded",
        rendered: (p) => {
          const values = release(p, "redis-ha")["values"];
          return [at(values, "replicas"), at(values, "sentinel.quorum")];
        },
        expected: [3, 2],
      },
      {
        seed: "Istio 1.22 sidecars, mTLS",
        strata: "Istio 1.30.3 ambient (ztunnel per node, no sidecars), `STRICT` mTLS, AuthorizationPolicies from `callers`",
        rendered: (p) => {
          const peer = ofType(p, "kubernetes:security.istio.io/v1:PeerAuthentication").find((r) => at(r.inputs, "metadata.namespace") === "tartware" && at(r.inputs, "spec.selector") === undefined);
          const core = ofType(p, "kubernetes:security.istio.io/v1:AuthorizationPolicy").find((r) => at(r.inputs, "metadata.namespace") === "tartware" && r.name === "core-service-authorization");
          return [release(p, "ztunnel")["version"], at(release(p, "istiod")["values"], "profile"), at(peer?.inputs, "spec.mtls.mode"), JSON.stringify(at(core?.inputs, "spec.rules")).includes("/ns/tartware/sa/api-gateway")];
        },
        expected: ["1.30.3", "ambient", "STRICT", true],
        fixed: true,
      },
    ],
  },
  {
    heading: "Next.js + Flask + Node.js (`examples/flask-next-node/`, k8s-infrastructure-overview.md)",
    stack: { stack: "flask-next-node", configFile: "examples/flask-next-node/Pulumi.flask-next-node.yaml" },
    rows: [
      {
        seed: "Frontend Service: LoadBalancer, SSL termination",
        strata: "ClusterIP behind the shared Gateway, TLS there",
        rendered: (p) => [at(named(p, "kubernetes:core/v1:Service", "frontend-service").inputs, "spec.type"), ofType(p, "kubernetes:gateway.networking.k8s.io/v1:Gateway").length],
        expected: ["ClusterIP", 1],
      },
      { seed: "PostgreSQL StatefulSet", strata: "CloudNativePG cluster", rendered: (p) => ofType(p, POSTGRES).length, expected: 1 },
      {
        seed: "`logging` namespace: ELK stack",
        strata: "no log store in this dev example",
        rendered: (p) => ofType(p, RELEASE).filter((r) => ["loki", "alloy"].includes(String(r.inputs["chart"]).split("/").pop() ?? "")).length,
        expected: 0,
      },
    ],
  },
];

/** `### heading` → the rows of its table, each as its three cells. */
function readmeTables(): Map<string, string[][]> {
  const readme = readFileSync(`${REPO_ROOT}/README.md`, "utf8");
  const start = readme.indexOf("\n## Seed fidelity\n");
  expect(start, 'README.md has a "## Seed fidelity" section').to.be.greaterThan(-1);
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end === -1 ? undefined : end);
  const tables = new Map<string, string[][]>();
  for (const part of section.split("\n### ").slice(1)) {
    const [heading = "", ...lines] = part.split("\n");
    const rows = lines
      .filter((line) => line.startsWith("|") && !/^\|\s*-/.test(line))
      .map((line) => line.slice(1, -1).split(" | ").map((cell) => cell.trim()))
      .slice(1);
    tables.set(heading.trim(), rows);
  }
  return tables;
}

/** A row that points at work elsewhere instead of naming a rendered value. */
const isPointer = (strata: string) => strata.startsWith("see ");

describe("seed fidelity: the README's tables are what the plans render", () => {
  const tables = readmeTables();

  it("has one table per seed system, and no other", () => {
    expect([...tables.keys()]).to.deep.equal(SYSTEMS.map((s) => s.heading));
  });

  for (const system of SYSTEMS) {
    describe(system.heading, () => {
      let plan: RunResult;
      before(async function () {
        this.timeout(600_000);
        plan = await planStack(system.stack);
      });

      it("lists exactly these rows in the README (besides pointers to other work), each with a reason", () => {
        const rows = tables.get(system.heading) ?? [];
        for (const row of rows) expect(row, `README row ${row.join(" | ")}`).to.have.length(3);
        const asserted = rows.filter((row) => !isPointer(row[1] ?? ""));
        expect(asserted.map((row) => `${row[0]} → ${row[1]}`)).to.deep.equal(system.rows.map((row) => `${row.seed} → ${row.strata}`));
        for (const row of rows) expect(row[2], `why, for ${row[0]}`).to.match(/\w/);
      });

      for (const row of system.rows) {
        it(`${row.fixed ? "issue #25: " : ""}${row.seed} → ${row.strata}`, () => {
          expect(row.rendered(plan)).to.deep.equal(row.expected);
        });
      }
    });
  }
});
