/**
 * issue #18 ("Connections proven end to end"): the apps reach every port their data services
 * publish, and the in-cluster object store, through the whole offline plan's NetworkPolicies
 * (tools/netpol) at both ends: the app's (or tenant's) egress and the data namespace's ingress.
 *
 * - vSphere prod: the EMIS student and teacher services use MySQL (HAProxy: 3306 read-write, 3307
 *   read-only), RabbitMQ with TLS (5672 and AMQPS 5671) and SeaweedFS's S3 gateway (8333); the
 *   identity service uses MySQL and Redis only.
 * - multitenant (EKS): the tenants use MySQL through their namespace's policy.
 */
import { expect } from "chai";
import type { RunResult } from "../../tools/engine/run";
import { policiesFrom, type Endpoint, type NetworkPolicyObject } from "../../tools/netpol/evaluate";
import { allowedPairs, formatMatrix, type Source, type Target } from "../../tools/netpol/matrix";
import { planStack } from "../harness";

/** A pod of an app, labelled as `AppService` labels its Deployment's pods. */
const appPod = (namespace: string, name: string): Endpoint => ({ kind: "pod", namespace, labels: { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": name } });

/**
 * The data services' pods, labelled as their operators and charts label them:
 * percona-server-mysql-operator v1.1.0 (pkg/haproxy, pkg/naming), rabbitmq cluster-operator
 * v2.22.3 (internal/metadata/label.go), the seaweedfs 4.44 chart (templates/s3/s3-deployment.yaml).
 */
const dataPods = (data: string) => ({
  haproxy: { kind: "pod", namespace: data, labels: { "app.kubernetes.io/name": "haproxy", "app.kubernetes.io/instance": "mysql", "app.kubernetes.io/component": "proxy", "app.kubernetes.io/part-of": "percona-server" } },
  rabbitmq: { kind: "pod", namespace: data, labels: { "app.kubernetes.io/name": "rabbitmq", "app.kubernetes.io/component": "rabbitmq", "app.kubernetes.io/part-of": "rabbitmq" } },
  s3: { kind: "pod", namespace: data, labels: { "app.kubernetes.io/name": "seaweedfs", "app.kubernetes.io/instance": "seaweedfs", "app.kubernetes.io/component": "s3" } },
}) satisfies Record<string, Endpoint>;

describe("issue #18: apps reach every published port of their data services (vSphere prod)", () => {
  let plan: RunResult;
  let policies: NetworkPolicyObject[];
  let targets: Target[];
  before(async () => {
    plan = await planStack({ stack: "prod" });
    policies = policiesFrom(plan.resources);
    const pods = dataPods("data");
    targets = [
      { name: "mysql:3306", endpoint: pods.haproxy, port: 3306 },
      { name: "mysql:3307", endpoint: pods.haproxy, port: 3307 },
      { name: "mysql:3309", endpoint: pods.haproxy, port: 3309 },
      { name: "rabbitmq:5672", endpoint: pods.rabbitmq, port: 5672 },
      { name: "rabbitmq:5671", endpoint: pods.rabbitmq, port: 5671 },
      { name: "s3:8333", endpoint: pods.s3, port: 8333 },
    ];
  });
  const sources = (): Source[] => [
    { name: "api-gateway", endpoint: appPod("emis-infrastructure", "api-gateway") },
    { name: "identity-service", endpoint: appPod("emis-services", "identity-service") },
    { name: "student-service", endpoint: appPod("emis-services", "student-service") },
    { name: "teacher-service", endpoint: appPod("emis-services", "teacher-service") },
    { name: "emis-services", endpoint: { kind: "pod", namespace: "emis-services", labels: { app: "probe" } } },
  ];

  it("the platform publishes MySQL's read-only port and RabbitMQ's AMQPS port with their endpoints", () => {
    const endpoints = (plan.outputs as { platform: { endpoints: Record<string, { ports: number[] }> } }).platform.endpoints;
    expect(endpoints["mysql"]?.ports).to.deep.equal([3306, 3307]);
    expect(endpoints["rabbitmq"]?.ports).to.deep.equal([5672, 5671]);
    expect(endpoints["redis"]?.ports).to.deep.equal([6379]);
  });

  it("each app reaches exactly the ports of the services it uses, the object store's S3 port included", () => {
    const pairs = allowedPairs(policies, sources(), targets);
    const uses = ["mysql:3306", "mysql:3307", "rabbitmq:5672", "rabbitmq:5671", "s3:8333"];
    const expected = [...["mysql:3306", "mysql:3307"].map((t) => `identity-service → ${t}`), ...uses.map((t) => `student-service → ${t}`), ...uses.map((t) => `teacher-service → ${t}`)];
    expect(pairs, formatMatrix(policies, sources(), targets)).to.have.members(expected);
    expect(pairs).to.have.length(expected.length);
  });

  it("declares each app's connections to those ports, and the pods and Services they lead to", () => {
    const { workloads } = plan.connections;
    const connections = plan.connections.connections.filter((c) => c.from.kind === "pods" && c.from.pods.labels["app.kubernetes.io/name"] === "student-service");
    const declared = connections.map((c) => (c.to.kind === "service" ? `${c.to.namespace}/${c.to.name}:${c.to.port}` : c.to.kind));
    expect(declared).to.include.members(["data/mysql-haproxy:3306", "data/mysql-haproxy:3307", "data/rabbitmq:5672", "data/rabbitmq:5671", "data/seaweedfs-s3:8333"]);
    const rabbitmq = connections.find((c) => c.to.kind === "service" && c.to.name === "rabbitmq");
    expect(rabbitmq?.secrets).to.deep.equal([{ name: "student-service-env", keys: ["RabbitMQ__Username", "RabbitMQ__Password"] }]);
    const store = connections.find((c) => c.to.kind === "service" && c.to.name === "seaweedfs-s3");
    expect(store?.secrets).to.deep.equal([{ name: "student-service-env", keys: ["MinIO__AccessKey", "MinIO__SecretKey"] }]);
    const services = workloads.flatMap((w) => (w.services ?? []).flatMap((svc) => Object.values(svc.ports).map((port) => `${w.pods.namespace}/${svc.name}:${port}`)));
    expect(services).to.include.members(["data/mysql-haproxy:3306", "data/mysql-haproxy:3307", "data/rabbitmq:5672", "data/rabbitmq:5671", "data/seaweedfs-s3:8333"]);
  });

  it("the object store admits exactly the apps that use it, in its own namespace and on its S3 port", () => {
    const policy = policies.find((p) => p.metadata.name === "allow-objectstore-clients");
    expect(policy?.metadata.namespace).to.equal("data");
    expect(policy?.spec.ingress).to.deep.equal([
      {
        from: ["student-service", "teacher-service"].map((app) => ({
          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "emis-services" } },
          podSelector: { matchLabels: { "app.kubernetes.io/name": app } },
        })),
        ports: [{ protocol: "TCP", port: 8333 }],
      },
    ]);
  });
});

describe("issue #18: tenants reach every published port of the data services they use (multitenant)", () => {
  it("a tenant pod reaches MySQL's read-write and read-only ports, and nothing else there", async () => {
    const plan = await planStack({ stack: "multitenant", configFile: "examples/multitenant/Pulumi.multitenant.yaml" });
    const policies = policiesFrom(plan.resources);
    const haproxy = dataPods("data").haproxy;
    const targets: Target[] = [3306, 3307, 3309, 33062].map((port) => ({ name: `mysql:${port}`, endpoint: haproxy, port }));
    const tenant: Source[] = [{ name: "tenant-acme", endpoint: { kind: "pod", namespace: "tenant-acme", labels: { app: "probe" } } }];
    expect(allowedPairs(policies, tenant, targets), formatMatrix(policies, tenant, targets)).to.deep.equal(["tenant-acme → mysql:3306", "tenant-acme → mysql:3307"]);
  });
});
