/**
 * The connection check (tools/connections) on small hand-made plans: each check passes when its
 * piece is there and fails, naming both ends and the missing piece, when it is taken away.
 */
import { expect } from "chai";
import type { PlanDocument, PlannedConnections, PlannedResource } from "../../tools/engine/plan-document";
import { brokenConnections, formatConnectionTable, proveConnections, type ConnectionResult } from "../../tools/connections";
import { hostnamesIntersect } from "../../tools/connections/attachments";
import { serviceOfHost } from "../../lib/connections";
import { podIdentityTrust, type PodIdentitySubject } from "../../lib/aws-calls";
import { mockKmsKeyId, mockRoleName } from "../../tools/engine/mock-state/aws-names";
import { toPlanDocument, type RunResult } from "../../tools/engine/run";

let counter = 0;
function k8s(type: string, inputs: Record<string, unknown>): PlannedResource {
  counter++;
  return { urn: `urn:${counter}`, type, name: `r${counter}`, parent: "", dependencies: [], provider: "", protect: false, custom: true, version: "", inputs };
}
const namespace = (name: string) => k8s("kubernetes:core/v1:Namespace", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
const deployment = (ns: string, name: string, labels: Record<string, string>, ports: Record<string, number> = {}) =>
  k8s("kubernetes:apps/v1:Deployment", {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: ns },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name, ports: Object.entries(ports).map(([n, p]) => ({ name: n, containerPort: p })) }] } } },
  });
const service = (ns: string, name: string, selector: Record<string, string>, ports: { name?: string; port: number; targetPort?: number | string }[], labels: Record<string, string> = {}) =>
  k8s("kubernetes:core/v1:Service", { apiVersion: "v1", kind: "Service", metadata: { name, namespace: ns, labels }, spec: { selector, ports } });
const secret = (ns: string, name: string, keys: string[]) =>
  k8s("kubernetes:core/v1:Secret", { apiVersion: "v1", kind: "Secret", metadata: { name, namespace: ns }, stringData: Object.fromEntries(keys.map((k) => [k, "[secret]"])) });
const policy = (ns: string, name: string, spec: Record<string, unknown>) =>
  k8s("kubernetes:networking.k8s.io/v1:NetworkPolicy", { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace: ns }, spec });
const denyAll = (ns: string) => policy(ns, "default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
const byName = (ns: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } });

const OUTPUTS = { infra: { backend: "vsphere", network: { podCidr: "10.244.0.0/16", serviceCidr: "10.96.0.0/12", nodeCidr: "10.20.0.0/23", apiServerPort: 6443 }, nodePools: [{ role: "control-plane", addresses: ["10.20.0.11"] }] } };

function plan(resources: PlannedResource[], connections: PlannedConnections): PlanDocument {
  return { project: "strata", stack: "test", resources, outputs: OUTPUTS, connections };
}

/** shop/web → data/db:5432 with the app's Secret, both ends isolated and opened. */
function shopToDb(): { resources: PlannedResource[]; connections: PlannedConnections } {
  return {
    resources: [
      namespace("shop"),
      namespace("data"),
      deployment("shop", "web", { app: "web" }),
      deployment("data", "db", { app: "db" }, { postgres: 5432 }),
      service("data", "db-rw", { app: "db" }, [{ name: "postgres", port: 5432, targetPort: "postgres" }]),
      secret("shop", "web-env", ["DATABASE_URL"]),
      denyAll("shop"),
      denyAll("data"),
      policy("shop", "web-out", { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Egress"], egress: [{ to: [byName("data")], ports: [{ protocol: "TCP", port: 5432 }] }] }),
      policy("data", "db-in", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ ...byName("shop"), podSelector: { matchLabels: { app: "web" } } }], ports: [{ protocol: "TCP", port: 5432 }] }] }),
    ],
    connections: {
      workloads: [],
      connections: [{ purpose: "postgres client", from: { kind: "pods", pods: { namespace: "shop", labels: { app: "web" } } }, to: { kind: "service", namespace: "data", name: "db-rw", port: 5432 }, secrets: [{ name: "web-env", keys: ["DATABASE_URL"] }] }],
    },
  };
}

async function prove(resources: PlannedResource[], connections: PlannedConnections): Promise<ConnectionResult[]> {
  return proveConnections(plan(resources, connections));
}
const without = (resources: PlannedResource[], name: string) => resources.filter((r) => (r.inputs["metadata"] as { name?: string } | undefined)?.name !== name);

describe("connection check", () => {
  it("proves a path whose every piece is there", async () => {
    const { resources, connections } = shopToDb();
    const [result] = await prove(resources, connections);
    expect(result?.source).to.equal("shop/{app=web}");
    expect(result?.destination).to.equal("data/db-rw:5432");
    expect(result?.checks).to.deep.equal({ route: { ok: true }, egress: { ok: true }, ingress: { ok: true }, mesh: { na: true }, secrets: { ok: true }, identity: { na: true } });
    expect(brokenConnections([result as ConnectionResult])).to.deep.equal([]);
  });

  it("fails the egress check, naming both ends, without the source's egress policy", async () => {
    const { resources, connections } = shopToDb();
    const broken = brokenConnections(await prove(without(resources, "web-out"), connections));
    expect(broken).to.have.length(1);
    expect(broken[0]?.connection).to.equal("shop/{app=web} → data/db-rw:5432");
    expect(broken[0]?.message).to.match(/^egress: no NetworkPolicy of shop lets shop\/\{app=web\} out to data\/db on 5432\/TCP \(isolated by shop\/default-deny\)/);
  });

  it("fails the ingress check without the destination's ingress policy", async () => {
    const { resources, connections } = shopToDb();
    const broken = brokenConnections(await prove(without(resources, "db-in"), connections));
    expect(broken.map((b) => b.message.split(":")[0])).to.deep.equal(["ingress"]);
    expect(broken[0]?.message).to.contain("no NetworkPolicy of data admits shop/{app=web} to data/db on 5432/TCP");
  });

  it("fails the route check when the Service, its port or its pods are missing", async () => {
    const { resources, connections } = shopToDb();
    const noService = brokenConnections(await prove(without(resources, "db-rw"), connections));
    expect(noService[0]?.message).to.match(/^route: no Service data\/db-rw in the plan or among the declared workloads/);
    const wrongPort = brokenConnections(await prove([...without(resources, "db-rw"), service("data", "db-rw", { app: "db" }, [{ name: "postgres", port: 6432 }])], connections));
    expect(wrongPort[0]?.message).to.match(/^route: Service data\/db-rw has no port 5432 \(it has postgres=6432\)/);
    const noPods = brokenConnections(await prove(without(resources, "db"), connections));
    expect(noPods[0]?.message).to.match(/^route: Service data\/db-rw selects no pods the plan or a component declares \(selector app=db\)/);
  });

  it("fails the secrets check when the Secret is in another namespace or lacks a key", async () => {
    const { resources, connections } = shopToDb();
    const elsewhere = brokenConnections(await prove([...without(resources, "web-env"), secret("data", "web-env", ["DATABASE_URL"])], connections));
    expect(elsewhere.map((b) => b.message)).to.deep.equal(["secrets: Secret web-env is not in the client's namespace shop (postgres client; from declared connection #1)"]);
    const keyless = brokenConnections(await prove([...without(resources, "web-env"), secret("shop", "web-env", ["OTHER"])], connections));
    expect(keyless[0]?.message).to.match(/^secrets: Secret shop\/web-env lacks key\(s\) DATABASE_URL/);
  });

  it("fails the route check when no pods carry the source's labels", async () => {
    const { resources, connections } = shopToDb();
    const broken = brokenConnections(await prove(without(resources, "web"), connections));
    expect(broken.map((b) => b.message.split(" (")[0])).to.deep.equal(["route: no pods labelled app=web in shop"]);
  });

  it("lands on declared workloads and their Services (what charts and operators create)", async () => {
    const { resources } = shopToDb();
    const connections: PlannedConnections = {
      workloads: [{ id: "data/cache", pods: { namespace: "data", labels: { app: "cache" } }, containerPorts: { redis: 6379 }, services: [{ name: "cache", ports: { redis: 6379 } }] }],
      connections: [{ purpose: "redis client", from: { kind: "pods", pods: { namespace: "shop", labels: { app: "web" } } }, to: { kind: "service", namespace: "data", name: "cache", port: 6379 } }],
    };
    const broken = brokenConnections(await prove(resources, connections));
    expect(broken.map((b) => b.message.split(":")[0])).to.deep.equal(["egress", "ingress"]);
  });

  it("a declared Service port leads to the workload's container port of the same name", async () => {
    const connections: PlannedConnections = {
      workloads: [{ id: "ops/operator", pods: { namespace: "ops", labels: { app: "operator" } }, containerPorts: { https: 10250 }, services: [{ name: "operator", ports: { https: 443 } }] }],
      connections: [{ purpose: "admission webhook", from: { kind: "api-server" }, to: { kind: "service", namespace: "ops", name: "operator", port: 443 } }],
    };
    const webhookPort = (port: number) => policy("ops", "webhook", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "10.20.0.0/23" } }], ports: [{ port }] }] });
    expect(brokenConnections(await prove([namespace("ops"), denyAll("ops"), webhookPort(10250)], connections))).to.deep.equal([]);
    const wrong = brokenConnections(await prove([namespace("ops"), denyAll("ops"), webhookPort(443)], connections));
    expect(wrong[0]?.message).to.contain("admits api-server to ops/operator on 10250/TCP");
  });

  it("checks webhooks from the control plane, and the API server at its Service and the control plane", async () => {
    const resources = [
      namespace("ops"),
      deployment("ops", "hook", { app: "hook" }, { https: 10250 }),
      service("ops", "hook", { app: "hook" }, [{ port: 443, targetPort: "https" }]),
      denyAll("ops"),
    ];
    const connections: PlannedConnections = {
      workloads: [],
      connections: [
        { purpose: "admission webhook", from: { kind: "api-server" }, to: { kind: "service", namespace: "ops", name: "hook", port: 443 } },
        { purpose: "watch", from: { kind: "pods", pods: { namespace: "ops", labels: { app: "hook" } } }, to: { kind: "api-server" } },
      ],
    };
    const closed = brokenConnections(await prove(resources, connections));
    expect(closed.map((b) => `${b.connection} ${b.message.split(":")[0]}`)).to.deep.equal(["api-server → ops/hook:443 ingress", "ops/{app=hook} → api-server egress"]);
    const open = [
      ...resources,
      policy("ops", "from-control-plane", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "10.20.0.11/32" } }], ports: [{ port: 10250 }] }] }),
      // Only the Service address: the control plane (where kube-proxy sends it) stays closed.
      policy("ops", "to-api-service", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "10.96.0.1/32" } }], ports: [{ port: 443 }] }] }),
    ];
    const broken = brokenConnections(await prove(open, connections));
    expect(broken.map((b) => b.message)).to.deep.equal(["egress: no NetworkPolicy of ops lets ops/{app=hook} out to control plane on 6443/TCP (isolated by ops/default-deny, ops/to-api-service) (watch; from declared connection #2)"]);
  });

  it("derives Prometheus → each ServiceMonitor target and fails a monitor outside the namespaces Prometheus watches", async () => {
    const monitor = (ns: string) =>
      k8s("kubernetes:apiextensions.k8s.io:CustomResource", { apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", metadata: { name: "web", namespace: ns }, spec: { selector: { matchLabels: { app: "web" } }, endpoints: [{ port: "metrics" }] } });
    const release = k8s("kubernetes:helm.sh/v3:Release", { chart: "kube-prometheus-stack", namespace: "monitoring", values: { prometheus: { prometheusSpec: { serviceMonitorNamespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["monitoring", "shop"] }] } } } } });
    const resources = [namespace("shop"), namespace("monitoring"), deployment("shop", "web", { app: "web" }, { metrics: 9464 }), service("shop", "web", { app: "web" }, [{ name: "metrics", port: 9464, targetPort: "metrics" }], { app: "web" }), release, monitor("shop")];
    const connections: PlannedConnections = { workloads: [{ id: "monitoring/prometheus", pods: { namespace: "monitoring", labels: { app: "prometheus" } } }], connections: [] };
    const results = await prove(resources, connections);
    expect(results.map((r) => `${r.source} → ${r.destination}`)).to.deep.equal(["monitoring/prometheus → shop/web:metrics"]);
    expect(brokenConnections(results)).to.deep.equal([]);
    const unwatched = await prove([...resources.slice(0, -1), namespace("other"), monitor("other")], connections);
    expect(brokenConnections(unwatched)[0]?.message).to.match(/^route: Prometheus does not watch namespace other for ServiceMonitors/);
  });

  it("fails a PrometheusRule outside the namespaces Prometheus evaluates rules in", async () => {
    const release = k8s("kubernetes:helm.sh/v3:Release", { chart: "kube-prometheus-stack", namespace: "monitoring", values: { prometheus: { prometheusSpec: { ruleNamespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["monitoring", "shop"] }] } } } } });
    const rule = (ns: string) => k8s("kubernetes:monitoring.coreos.com/v1:PrometheusRule", { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: { name: "web-http-metrics", namespace: ns }, spec: { groups: [] } });
    const watched = await prove([release, rule("shop")], { workloads: [], connections: [] });
    expect(watched.map((r) => `${r.destination}: ${brokenConnections([r]).length}`)).to.deep.equal(["PrometheusRule shop/web-http-metrics: 0"]);
    const elsewhere = brokenConnections(await prove([release, rule("other")], { workloads: [], connections: [] }));
    expect(elsewhere.map((b) => b.message.split(" (")[0])).to.deep.equal(["route: Prometheus does not watch namespace other for PrometheusRules"]);
  });

  it("fails a route parentRef whose listener hostname cannot match the route's hostnames", async () => {
    const gateway = k8s("kubernetes:gateway.networking.k8s.io/v1:Gateway", {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "Gateway",
      metadata: { name: "edge", namespace: "gateway" },
      spec: { listeners: [{ name: "apex", hostname: "example.com" }, { name: "wildcard", hostname: "*.example.com" }] },
    });
    const route = (section: string) =>
      k8s("kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "grafana", namespace: "monitoring" }, spec: { hostnames: ["grafana.example.com"], parentRefs: [{ name: "edge", namespace: "gateway", sectionName: section }] } });
    const ok = await prove([gateway, route("wildcard")], { workloads: [], connections: [] });
    expect(brokenConnections(ok)).to.deep.equal([]);
    const apex = brokenConnections(await prove([gateway, route("apex")], { workloads: [], connections: [] }));
    expect(apex[0]?.connection).to.equal("gateway/edge:apex → HTTPRoute monitoring/grafana");
    expect(apex[0]?.message).to.contain('listener "apex" of gateway/edge serves example.com, which matches none of the route\'s hostnames grafana.example.com');
  });

  it("Gateway API hostname intersection", () => {
    expect(hostnamesIntersect("*.example.com", "a.example.com")).to.equal(true);
    expect(hostnamesIntersect("*.example.com", "a.b.example.com")).to.equal(true);
    expect(hostnamesIntersect("*.example.com", "example.com")).to.equal(false);
    expect(hostnamesIntersect("example.com", "a.example.com")).to.equal(false);
    expect(hostnamesIntersect(undefined, "anything.test")).to.equal(true);
    expect(hostnamesIntersect("a.example.com", "*.example.com")).to.equal(true);
  });

  it("keeps a Secret's key names in the plan document, beside inputs the provider marks wholly secret", () => {
    const record = { ...secret("shop", "web-env", []), rawInputs: { stringData: { DATABASE_URL: "postgres://u:p@db/app", API_KEY: "k" } }, ignoreChanges: [] };
    const result = { project: "strata", stack: "t", resources: [{ ...record, inputs: { ...record.inputs, stringData: "[secret]" } }], invokes: [], outputs: {}, snapshot: { outputs: {}, secretOutputNames: [] }, secrets: [], connections: { workloads: [], connections: [] } } as unknown as RunResult;
    const [planned] = toPlanDocument(result).resources;
    expect(planned?.dataKeys).to.deep.equal(["API_KEY", "DATABASE_URL"]);
    expect(JSON.stringify(planned)).not.to.contain("postgres://");
  });

  it("finds the Service behind in-cluster host names, and none outside", () => {
    expect(serviceOfHost("redis-haproxy.data.svc")).to.deep.equal({ name: "redis-haproxy", namespace: "data" });
    expect(serviceOfHost("mongodb-rs0-0.mongodb-rs0.data.svc.cluster.local")).to.deep.equal({ name: "mongodb-rs0", namespace: "data" });
    expect(serviceOfHost("seaweedfs-s3.data.svc:8333")).to.deep.equal({ name: "seaweedfs-s3", namespace: "data" });
    expect(serviceOfHost("s3.eu-central-1.amazonaws.com")).to.equal(undefined);
  });

  it("prints one row per connection with ✓, ✗ and - per check, and the count of broken ones", async () => {
    const { resources, connections } = shopToDb();
    const table = formatConnectionTable(await prove(without(resources, "db-in"), connections));
    expect(table.split("\n")).to.deep.equal([
      "source          destination      purpose          route  egress  ingress  mesh  secrets  identity",
      "shop/{app=web}  data/db-rw:5432  postgres client  ✓      ✓       ✗        -     ✓        -",
      "1 connection(s), 1 broken",
    ]);
  });

  describe("AWS identity (IAM simulator)", () => {
    const BUCKET = "arn:aws:s3:::shop-backups";
    const role = k8s("aws:iam/role:Role", {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-central-1.amazonaws.com/id/X" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "oidc.eks.eu-central-1.amazonaws.com/id/X:sub": "system:serviceaccount:data:db", "oidc.eks.eu-central-1.amazonaws.com/id/X:aud": "sts.amazonaws.com" } } }],
      }),
    });
    const roleName = mockRoleName(role.name, role.inputs);
    const roleArn = `arn:aws:iam::123456789012:role/${roleName}`;
    const inline = (statements: unknown[]) => k8s("aws:iam/rolePolicy:RolePolicy", { role: roleName, policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) });
    const db = deployment("data", "db", { app: "db" });
    const objects = { Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: `${BUCKET}/db/*` };
    const connections = (serviceAccount = { namespace: "data", name: "db" }): PlannedConnections => ({
      workloads: [],
      connections: [
        {
          purpose: "backups",
          from: { kind: "pods", pods: { namespace: "data", labels: { app: "db" } } },
          to: { kind: "external", name: "s3", port: 443 },
          aws: {
            roleArn,
            serviceAccount,
            calls: [
              { why: "HeadBucket before the first upload", action: "s3:ListBucket", resource: BUCKET },
              { why: "upload a WAL segment", action: "s3:PutObject", resource: `${BUCKET}/db/wals/0001` },
            ],
          },
        },
      ],
    });

    it("allows the sequence when every call is granted and the trust names the service account", async () => {
      const [result] = await prove([db, role, inline([{ Effect: "Allow", Action: "s3:ListBucket", Resource: BUCKET }, objects])], connections());
      expect(result?.checks.identity).to.deep.equal({ ok: true, note: "2 call(s) allowed" });
    });

    it("issue #18: refuses a HeadBucket that a prefix-conditioned ListBucket does not grant", async () => {
      const prefixOnly = { Effect: "Allow", Action: "s3:ListBucket", Resource: BUCKET, Condition: { StringLike: { "s3:prefix": ["db/*"] } } };
      const broken = brokenConnections(await prove([db, role, inline([prefixOnly, objects])], connections()));
      expect(broken.map((b) => b.message)).to.deep.equal([`identity: role ${roleName} does not allow s3:ListBucket on ${BUCKET} (HeadBucket before the first upload) (backups; from declared connection #1)`]);
    });

    it("issue #18: decides a KMS call S3 makes for the client with the key's policy in the plan, and refuses it without the key", async () => {
      const key = k8s("aws:kms/key:Key", {
        policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }] }),
      });
      const keyArn = `arn:aws:kms:eu-central-1:123456789012:key/${mockKmsKeyId(key.name)}`;
      const bucketKey = { Effect: "Allow", Action: ["kms:GenerateDataKey"], Resource: keyArn, Condition: { StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" } } };
      const base = connections().connections[0];
      if (base?.aws === undefined) throw new Error("no AWS connection");
      const dataKey = { why: "data key for SSE-KMS", action: "kms:GenerateDataKey", resource: keyArn, context: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" } };
      const withKms: PlannedConnections = { workloads: [], connections: [{ ...base, aws: { ...base.aws, calls: [...base.aws.calls, dataKey] } }] };
      const granted = [db, role, inline([{ Effect: "Allow", Action: "s3:ListBucket", Resource: BUCKET }, objects, bucketKey])];
      const [result] = await prove([...granted, key], withKms);
      expect(result?.checks.identity).to.deep.equal({ ok: true, note: "3 call(s) allowed" });
      const broken = brokenConnections(await prove(granted, withKms));
      expect(broken[0]?.message).to.contain(`no KMS key ${keyArn} with a readable key policy in the plan`);
    });

    it("refuses a service account the trust does not name, and a role missing from the plan", async () => {
      const other = brokenConnections(await prove([db, role, inline([objects])], connections({ namespace: "data", name: "other" })));
      expect(other[0]?.message).to.contain(`admits neither system:serviceaccount:data:other (IRSA) nor EKS Pod Identity`);
      const missing = brokenConnections(await prove([db, inline([objects])], connections()));
      expect(missing[0]?.message).to.contain(`identity: no IAM role ${roleArn} in the plan or the upstream stacks planned with it`);
    });
  });

  describe("issue #20: EKS Pod Identity trust (IAM simulator)", () => {
    const BUCKET = "arn:aws:s3:::shop-backups";
    const ACCOUNT = "123456789012";
    const subject: PodIdentitySubject = { clusterName: "shop", namespace: "data", serviceAccount: "db", accountId: ACCOUNT, clusterArn: `arn:aws:eks:eu-central-1:${ACCOUNT}:cluster/shop` };
    const provider = k8s("pulumi:providers:aws", { region: "eu-central-1" });
    const db = deployment("data", "db", { app: "db" });
    /** A Pod Identity role trusted for `trusted`, its object policy, and the association of data/db on cluster `shop` in the plan. */
    const planFor = (trusted: PodIdentitySubject) => {
      const role = k8s("aws:iam/role:Role", { assumeRolePolicy: JSON.stringify(podIdentityTrust(trusted)) });
      const roleName = mockRoleName(role.name, role.inputs);
      const roleArn = `arn:aws:iam::${ACCOUNT}:role/${roleName}`;
      const policy = k8s("aws:iam/rolePolicy:RolePolicy", { role: roleName, policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: `${BUCKET}/db/*` }] }) });
      const association = k8s("aws:eks/podIdentityAssociation:PodIdentityAssociation", { clusterName: "shop", namespace: "data", serviceAccount: "db", roleArn });
      const connections: PlannedConnections = {
        workloads: [],
        connections: [
          {
            purpose: "backups",
            from: { kind: "pods", pods: { namespace: "data", labels: { app: "db" } } },
            to: { kind: "external", name: "s3", port: 443 },
            aws: { roleArn, serviceAccount: { namespace: "data", name: "db" }, calls: [{ why: "upload a WAL segment", action: "s3:PutObject", resource: `${BUCKET}/db/wals/0001` }] },
          },
        ],
      };
      return { resources: [provider, db, role, policy, association], connections, roleArn };
    };

    it("proves the trust for the association's service account on this cluster in this account", async () => {
      const { resources, connections } = planFor(subject);
      const [result] = await prove(resources, connections);
      expect(result?.checks.identity).to.deep.equal({ ok: true, note: "1 call(s) allowed" });
    });

    it("refuses a role trusted for another account's or another cluster's associations", async () => {
      const elsewhere: PodIdentitySubject[] = [
        { ...subject, accountId: "210987654321", clusterArn: "arn:aws:eks:eu-central-1:210987654321:cluster/shop" },
        { ...subject, clusterName: "shop-staging", clusterArn: `arn:aws:eks:eu-central-1:${ACCOUNT}:cluster/shop-staging` },
        { ...subject, clusterArn: `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/shop` },
      ];
      for (const trusted of elsewhere) {
        const { resources, connections, roleArn } = planFor(trusted);
        const broken = brokenConnections(await prove(resources, connections));
        expect(broken.map((b) => b.message), trusted.clusterArn).to.deep.equal([
          `identity: the trust policy of role ${roleArn} refuses sts:AssumeRole by EKS Pod Identity for data/db on arn:aws:eks:eu-central-1:${ACCOUNT}:cluster/shop (backups; from declared connection #1)`,
        ]);
      }
    });
  });
});
