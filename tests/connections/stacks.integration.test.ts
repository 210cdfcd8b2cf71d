/**
 * Issue #18: every stack and example has a green connection table, and removing one piece a
 * connection needs (a NetworkPolicy, a Secret copy, an IAM statement) breaks it with both ends
 * named.
 */
import { expect } from "chai";
import { brokenConnections, proveConnections, type ConnectionResult } from "../../tools/connections";
import type { PlanDocument, PlannedResource } from "../../tools/engine/plan-document";
import { REPO_ROOT, toPlanDocument, type RunOptions } from "../../tools/engine/run";
import { planStack } from "../harness";
import { exampleRun } from "../infra/vsphere/fixtures";

const SCENARIOS: readonly { readonly label: string; readonly run: RunOptions }[] = [
  { label: "dev", run: { stack: "dev" } },
  { label: "prod", run: { stack: "prod" } },
  { label: "eks-prod-infra", run: { stack: "prod", configFile: "examples/eks-prod-infra.yaml" } },
  { label: "eks-prod-cluster", run: { stack: "eks-prod-cluster", configFile: "examples/eks-prod-cluster.yaml" } },
  { label: "valueverse", run: { stack: "valueverse", configFile: "examples/valueverse.yaml" } },
  { label: "vsphere-dev", run: exampleRun("vsphere-dev.yaml") },
  { label: "local", run: { stack: "local", configFile: `${REPO_ROOT}/examples/local/Pulumi.local.yaml` } },
  { label: "tartware", run: { stack: "tartware", configFile: `${REPO_ROOT}/examples/tartware/Pulumi.tartware.yaml` } },
  { label: "multitenant", run: { stack: "multitenant", configFile: "examples/multitenant/Pulumi.multitenant.yaml" } },
  { label: "flask-next-node", run: { stack: "flask-next-node", configFile: "examples/flask-next-node/Pulumi.flask-next-node.yaml" } },
  { label: "external-db", run: { stack: "external-db", configFile: "examples/external-db.yaml" } },
];

const plans = new Map<string, Promise<PlanDocument>>();
function planOf(label: string): Promise<PlanDocument> {
  const scenario = SCENARIOS.find((s) => s.label === label);
  if (scenario === undefined) throw new Error(`no scenario ${label}`);
  let plan = plans.get(label);
  if (plan === undefined) {
    plan = planStack(scenario.run).then(toPlanDocument);
    plans.set(label, plan);
  }
  return plan;
}

const rows = (results: readonly ConnectionResult[]) => results.map((r) => `${r.source} → ${r.destination} (${r.purpose})`);
const named = (r: PlannedResource, name: string, namespace?: string): boolean => {
  const metadata = r.inputs["metadata"] as { name?: string; namespace?: string } | undefined;
  return metadata?.name === name && (namespace === undefined || metadata.namespace === namespace);
};
const withoutObject = (plan: PlanDocument, kind: string, namespace: string, name: string): PlanDocument => {
  const kept = plan.resources.filter((r) => !(r.inputs["kind"] === kind && named(r, name, namespace)));
  expect(kept.length, `${kind} ${namespace}/${name} is in the plan`).to.equal(plan.resources.length - 1);
  return { ...plan, resources: kept };
};

describe("connections: every stack and example", () => {
  for (const { label } of SCENARIOS) {
    it(`${label}: every connection is proven`, async () => {
      const results = await proveConnections(await planOf(label));
      // The infra-only stack runs no pods; every other stack has connections to prove.
      if (label !== "eks-prod-infra") expect(results.length, "connections found").to.be.greaterThan(0);
      expect(brokenConnections(results).map((b) => `${b.connection}: ${b.message}`)).to.deep.equal([]);
    });
  }

  it("prod: apps reach the data services they use and each callee; Prometheus reaches every monitor; routes attach", async () => {
    const results = rows(await proveConnections(await planOf("prod")));
    expect(results).to.include.members([
      "emis-services/{app.kubernetes.io/name=student-service} → data/mysql-haproxy:3306 (mysql client)",
      "emis-services/{app.kubernetes.io/name=student-service} → data/redis-haproxy:6379 (redis client)",
      "emis-services/{app.kubernetes.io/name=student-service} → data/rabbitmq:5672 (rabbitmq client)",
      "emis-infrastructure/{app.kubernetes.io/name=api-gateway} → emis-services/student-service:80 (calls)",
    ]);
    expect(results.filter((r) => r.endsWith("(route attachment)")).length).to.be.greaterThan(3);
  });
});

describe("connections: removing a piece breaks the connection, naming both ends", () => {
  it("issue #18: the data namespace's ingress for an app's MySQL port (NetworkPolicy)", async () => {
    const plan = await planOf("prod");
    const policy = plan.resources.find((r) => r.inputs["kind"] === "NetworkPolicy" && named(r, "allow-mysql-clients", "data"));
    expect(policy, "data/allow-mysql-clients").not.to.equal(undefined);
    const broken = brokenConnections(await proveConnections(withoutObject(plan, "NetworkPolicy", "data", "allow-mysql-clients")));
    expect(broken.map((b) => `${b.connection}: ${b.message.split(":")[0]}`)).to.include.members([
      "emis-services/{app.kubernetes.io/name=student-service} → data/mysql-haproxy:3306: ingress",
      "emis-services/{app.kubernetes.io/name=student-service} → data/mysql-haproxy:3307: ingress",
    ]);
  });

  it("issue #18: RabbitMQ's AMQPS port 5671 (the data namespace's ingress for its clients)", async () => {
    const broken = brokenConnections(await proveConnections(withoutObject(await planOf("prod"), "NetworkPolicy", "data", "allow-rabbitmq-clients")));
    expect(broken.map((b) => `${b.connection}: ${b.message.split(":")[0]}`)).to.include("emis-services/{app.kubernetes.io/name=student-service} → data/rabbitmq:5671: ingress");
  });

  it("issue #18: the callee's own policy (ingress from the apps that call it)", async () => {
    const plan = await planOf("prod");
    const broken = brokenConnections(await proveConnections(withoutObject(plan, "NetworkPolicy", "emis-services", "student-service")));
    expect(broken.map((b) => `${b.connection}: ${b.message.split(":")[0]}`)).to.include("emis-infrastructure/{app.kubernetes.io/name=api-gateway} → emis-services/student-service:80: ingress");
  });

  it("issue #18: the app's env Secret (a Secret in the client's namespace)", async () => {
    const plan = await planOf("prod");
    const broken = brokenConnections(await proveConnections(withoutObject(plan, "Secret", "emis-services", "student-service-env")));
    expect(broken.map((b) => b.message.split(" (")[0])).to.include("secrets: Secret student-service-env is not in the client's namespace emis-services");
  });

  const brokenBy = async (label: string, kind: string, namespace: string, name: string) =>
    brokenConnections(await proveConnections(withoutObject(await planOf(label), kind, namespace, name))).map((b) => `${b.connection}: ${b.message.split(":")[0]}`);

  it("issue #18: EMIS services → the object store: its namespace's ingress for the apps that use it", async () => {
    expect(await brokenBy("prod", "NetworkPolicy", "data", "allow-objectstore-clients")).to.include.members([
      "emis-services/{app.kubernetes.io/name=student-service} → data/seaweedfs-s3:8333: ingress",
      "emis-services/{app.kubernetes.io/name=teacher-service} → data/seaweedfs-s3:8333: ingress",
    ]);
  });

  const ETCD_UPLOAD = "etcd-backup/{app.kubernetes.io/name=etcd-snapshot-upload,app.kubernetes.io/instance=etcd-snapshot-upload} → backup-target:443 (outside)";

  it("issue #21: prod (vSphere, S3 target) copies the control planes' etcd snapshots to the backup target, proven", async () => {
    const results = await proveConnections(await planOf("prod"));
    expect(rows(results)).to.include(`${ETCD_UPLOAD} (etcd snapshots off the control planes to the backup target)`);
  });

  it("issue #21: the etcd snapshot upload's egress policy (its namespace denies everything else)", async () => {
    expect(await brokenBy("prod", "NetworkPolicy", "etcd-backup", "etcd-snapshot-upload-egress")).to.deep.equal([`${ETCD_UPLOAD}: egress`]);
  });

  it("issue #21: the etcd snapshot upload's keys (a Secret in its own namespace)", async () => {
    expect(await brokenBy("prod", "Secret", "etcd-backup", "etcd-snapshots-backup-s3")).to.deep.equal([`${ETCD_UPLOAD}: secrets`]);
  });

  it("issue #18: Alertmanager → its receivers: monitoring's egress to HTTPS outside", async () => {
    expect(await brokenBy("prod", "NetworkPolicy", "monitoring", "allow-alertmanager-receivers")).to.deep.equal(["monitoring/alertmanager → alert-receivers:443 (outside): egress"]);
  });

  it("issue #18: Loki → S3 and STS on EKS: monitoring's egress for the log store", async () => {
    expect(await brokenBy("dev", "NetworkPolicy", "monitoring", "allow-loki-object-store")).to.include.members(["monitoring/loki → s3:443 (outside): egress", "monitoring/loki → sts:443 (outside): egress"]);
  });

  // The cluster layer already lets monitoring reach every strata namespace (allow-scrape-all) and
  // the data namespace admit monitoring on any port (allow-monitoring-scrape): Grafana's database
  // path rides on those, so they are what removing turns it red; the Secret is Grafana's own.
  it("issue #23: Grafana → its PostgreSQL database is proven, and breaks without the data namespace's ingress, monitoring's egress or the password's Secret", async () => {
    const grafanaDb = "monitoring/grafana → data/postgres-rw:5432";
    expect(rows(await proveConnections(await planOf("eks-prod-cluster")))).to.include(`${grafanaDb} (Grafana's shared database (PostgreSQL))`);
    expect(await brokenBy("eks-prod-cluster", "NetworkPolicy", "data", "allow-monitoring-scrape")).to.include(`${grafanaDb}: ingress`);
    expect(await brokenBy("eks-prod-cluster", "NetworkPolicy", "monitoring", "allow-scrape-all")).to.include(`${grafanaDb}: egress`);
    const plan = await planOf("eks-prod-cluster");
    const broken = brokenConnections(await proveConnections(withoutObject(plan, "Secret", "monitoring", "grafana-database")));
    expect(broken.map((b) => `${b.connection}: ${b.message.split(" (")[0]}`)).to.include(`${grafanaDb}: secrets: Secret grafana-database is not in the client's namespace monitoring`);
  });

  it("issue #23: the router and Tempo write into each Prometheus replica: two in prod, one in dev, each proven", async () => {
    const pushes = (results: readonly ConnectionResult[]) => rows(results).filter((r) => /^monitoring\/(otel-router|tempo) → monitoring\/prometheus-operated:9090 /.test(r));
    const replica = (i: number) => `prometheus-kube-prometheus-stack-prometheus-${i}`;
    const expected = (replicas: number) =>
      Array.from({ length: replicas }, (_, i) => [
        `monitoring/otel-router → monitoring/prometheus-operated:9090 (apps' OTLP metrics to Prometheus replica ${replica(i)})`,
        `monitoring/tempo → monitoring/prometheus-operated:9090 (service graphs and span metrics (remote write) to Prometheus replica ${replica(i)})`,
      ]).flat();
    for (const [label, replicas] of [["prod", 2], ["dev", 1]] as const) {
      const results = await proveConnections(await planOf(label));
      expect(pushes(results), label).to.deep.equal(expected(replicas));
      expect(brokenConnections(results).filter((b) => b.connection.endsWith("prometheus-operated:9090")), label).to.deep.equal([]);
    }
  });

  it("issue #23: the writes into each Prometheus replica break without monitoring's ingress from its own namespace", async () => {
    // Two cluster-layer policies admit monitoring's pods into monitoring: allow-same-namespace
    // (ingress and egress; its egress half is kept) and allow-monitoring-scrape (ingress only).
    const plan = await planOf("prod");
    const ingressFromMonitoring = ["allow-same-namespace", "allow-monitoring-scrape"];
    let trimmed = 0;
    const resources = plan.resources.map((r) => {
      if (!(r.inputs["kind"] === "NetworkPolicy" && ingressFromMonitoring.some((name) => named(r, name, "monitoring")))) return r;
      trimmed += 1;
      const spec = r.inputs["spec"] as { policyTypes?: string[] };
      return { ...r, inputs: { ...r.inputs, spec: { ...spec, policyTypes: (spec.policyTypes ?? []).filter((t) => t !== "Ingress"), ingress: [] } } };
    });
    expect(trimmed).to.equal(2);
    const broken = brokenConnections(await proveConnections({ ...plan, resources })).filter((b) => /^monitoring\/(otel-router|tempo) → monitoring\/prometheus-operated:9090$/.test(b.connection));
    expect(broken.map((b) => b.message.split(":")[0])).to.deep.equal(["ingress", "ingress", "ingress", "ingress"]);
    for (const i of [0, 1]) expect(broken.filter((b) => b.message.includes(`prometheus-kube-prometheus-stack-prometheus-${i}`)).length, `router and Tempo into replica ${i}`).to.equal(2);
  });

  it("issue #18: apps → MySQL's read-only port 3307 is a connection of its own", async () => {
    const results = rows(await proveConnections(await planOf("prod")));
    expect(results).to.include("emis-services/{app.kubernetes.io/name=student-service} → data/mysql-haproxy:3307 (mysql client)");
  });

  it("issue #18: the API server → the Prometheus Operator's admission webhook: monitoring's ingress from the control plane", async () => {
    expect(await brokenBy("prod", "NetworkPolicy", "monitoring", "allow-operator-webhooks")).to.include("api-server → monitoring/kube-prometheus-stack-operator:443: ingress");
  });

  it("issue #21: prod proves machine-controller, OSM and cluster-autoscaler: API server, both webhooks, vCenter", async () => {
    const results = rows(await proveConnections(await planOf("prod")));
    expect(results).to.include.members([
      "kube-system/{app=machine-controller} → api-server (machine-controller watches and writes its objects)",
      "kube-system/{app=operating-system-manager} → api-server (operating-system-manager watches and writes its objects)",
      "kube-system/{app.kubernetes.io/instance=cluster-autoscaler,app.kubernetes.io/name=clusterapi-cluster-autoscaler} → api-server (cluster-autoscaler watches and writes its objects)",
      "api-server → kube-system/machine-controller-webhook:443 (MachineDeployment and Machine defaulting webhook)",
      "api-server → kube-system/operating-system-manager-webhook:443 (OperatingSystemProfile/Config validation and MachineDeployment webhook)",
      "kube-system/{app=machine-controller} → vcenter:443 (outside) (clones, configures and deletes the autoscaled pools' VMs)",
      "kube-system/{app=machine-controller-webhook} → vcenter:443 (outside) (validates each MachineDeployment and Machine against vCenter)",
    ]);
  });

  it("issue #21: machine-controller → vCenter: its own kube-system egress policy (the others isolate it)", async () => {
    expect(await brokenBy("prod", "NetworkPolicy", "kube-system", "machine-controller-allow-vcenter")).to.deep.equal(["kube-system/{app=machine-controller} → vcenter:443 (outside): egress"]);
  });

  it("issue #18: Tartware services → Kafka: the cluster CA copied into each client namespace", async () => {
    const plan = await planOf("tartware");
    const kafka = (await proveConnections(plan)).filter((r) => r.purpose === "kafka client");
    expect(kafka.length, "Tartware's Kafka clients").to.be.greaterThan(0);
    const clientNamespace = kafka[0]?.source.split("/")[0] ?? "";
    const caCopy = plan.resources.find((r) => r.inputs["kind"] === "Secret" && (r.inputs["metadata"] as { namespace?: string }).namespace === clientNamespace && /cluster-ca-cert$/.test((r.inputs["metadata"] as { name?: string }).name ?? ""));
    const caName = (caCopy?.inputs["metadata"] as { name?: string } | undefined)?.name ?? "";
    expect(caName, "the CA copy in the client namespace").to.match(/cluster-ca-cert$/);
    const broken = await brokenBy("tartware", "Secret", clientNamespace, caName);
    expect(broken.filter((b) => b.endsWith(": secrets")).length).to.equal(kafka.filter((r) => r.source.startsWith(`${clientNamespace}/`)).length);
  });

  it("issue #19: Tartware's Kafka Exporter: Prometheus scrapes it and it reads the brokers' replication listener", async () => {
    const results = await proveConnections(await planOf("tartware"));
    const exporter = results.filter((r) => r.purpose === "consumer-group lag (Kafka Exporter)" || (r.destination.includes("strimzi.io/kind=Kafka") && r.purpose.startsWith("metrics")));
    expect(rows(exporter).join("\n")).to.match(/kafka-exporter.* → .*-kafka-bootstrap:tcp-replication/);
    expect(brokenConnections(exporter)).to.deep.equal([]);
  });

  it("issue #18: observability UI routes attach only where a listener serves their hostname", async () => {
    const attachments = (await proveConnections(await planOf("prod"))).filter((r) => r.purpose === "route attachment" && r.destination.startsWith("HTTPRoute monitoring/"));
    expect(attachments.length).to.be.greaterThan(0);
    expect(attachments.map((r) => r.source).every((s) => s.includes("wildcard"))).to.equal(true);
  });

  it("issue #18: PostgreSQL's backups → S3 on EKS: the role's HeadBucket statement (IAM)", async () => {
    const plan = await planOf("dev");
    const withoutFindBucket = {
      ...plan,
      resources: plan.resources.map((r) => {
        if (r.type !== "aws:iam/rolePolicy:RolePolicy" || typeof r.inputs["policy"] !== "string" || !r.inputs["policy"].includes('"FindBucket"')) return r;
        const doc = JSON.parse(r.inputs["policy"]) as { Statement: { Sid?: string }[] };
        return { ...r, inputs: { ...r.inputs, policy: JSON.stringify({ ...doc, Statement: doc.Statement.filter((st) => st.Sid !== "FindBucket") }) } };
      }),
    };
    expect(JSON.stringify(withoutFindBucket.resources)).not.to.equal(JSON.stringify(plan.resources));
    const broken = brokenConnections(await proveConnections(withoutFindBucket));
    expect(broken.length).to.be.greaterThan(0);
    for (const b of broken) {
      expect(b.connection).to.match(/→ s3:443 \(outside\)$/);
      expect(b.message).to.match(/^identity: role \S+ does not allow s3:ListBucket on arn:aws:s3:::/);
    }
  });
  it("issue #19: MongoDB's backups → S3 on EKS: each PBM client's role, its prefix and its trust (IAM)", async () => {
    const plan = await planOf("dev");
    const green = (await proveConnections(plan)).filter((r) => /^MongoDB backup/.test(r.purpose));
    expect(green.map((r) => `${r.source} ${r.purpose}`)).to.deep.equal(["data/mongodb-rs0 MongoDB backups (PBM agents)", "data/mongodb-operator MongoDB backup retention (Percona operator)"]);
    expect(brokenConnections(green)).to.deep.equal([]);
    // The operator's role without the listing of its prefix: it cannot find an expired backup's files.
    const withoutListing = {
      ...plan,
      resources: plan.resources.map((r) => {
        if (r.type !== "aws:iam/rolePolicy:RolePolicy" || !r.name.endsWith("-mongodb-operator")) return r;
        const doc = JSON.parse(String(r.inputs["policy"])) as { Statement: { Sid?: string }[] };
        return { ...r, inputs: { ...r.inputs, policy: JSON.stringify({ ...doc, Statement: doc.Statement.filter((st) => st.Sid !== "ListPrefix") }) } };
      }),
    };
    const noListing = brokenConnections(await proveConnections(withoutListing));
    expect(noListing.map((b) => b.connection)).to.deep.equal(["data/mongodb-operator → s3:443 (outside)"]);
    expect(noListing[0]?.message).to.match(/^identity: role \S+ does not allow s3:ListBucket on arn:aws:s3:::/);
    // The agents' role trusting the pods' default service account instead of theirs.
    const trustingDefault = {
      ...plan,
      resources: plan.resources.map((r) =>
        r.type === "aws:iam/role:Role" && r.name.endsWith("-mongodb-backups")
          ? { ...r, inputs: { ...r.inputs, assumeRolePolicy: String(r.inputs["assumeRolePolicy"]).replace("system:serviceaccount:data:mongodb-backup", "system:serviceaccount:data:default") } }
          : r,
      ),
    };
    expect(JSON.stringify(trustingDefault.resources)).not.to.equal(JSON.stringify(plan.resources));
    const wrongTrust = brokenConnections(await proveConnections(trustingDefault));
    expect(wrongTrust.map((b) => b.connection)).to.deep.equal(["data/mongodb-rs0 → s3:443 (outside)"]);
    expect(wrongTrust[0]?.message).to.match(/^identity: /);
  });
});
