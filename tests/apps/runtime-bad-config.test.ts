/**
 * Issue #13: bad run-time keys of `strata:apps.services.<name>` (KEDA scaling, awsAccess,
 * migration, egress, uses: objectStore) are rejected while config is parsed, with the key path,
 * the value and the fix. Each case asserts the exact text.
 */
import { expect } from "chai";
import { parseConfig, type RawConfig } from "../../config/schema";
import { PROD_ALERTING, validRaw } from "../config/valid-config";
import { problemsOf } from "../config/problems";

const BASE = {
  image: "ghcr.io/acme/api:1.4.2",
  port: 8080,
  metricsPort: 9090,
  resources: { cpuMillis: 250, memoryMi: 256, limitCpuMillis: 500, limitMemoryMi: 512 },
};
const RPS = { minReplicas: 2, maxReplicas: 10, requestsPerSecond: 1000 };
const PLATFORM = { keda: { enabled: true }, observability: { access: { enabled: false } }, objectStore: { enabled: true, buckets: { backups: "strata-backups", objects: "strata-objects" } } };

/** One service `api` on an existing cluster whose platform has KEDA, Prometheus and an object store with an `objects` bucket. */
function withApp(api: Record<string, unknown>, platform: Record<string, unknown> = {}, extra: Partial<RawConfig> = {}): RawConfig {
  return {
    ...validRaw(),
    cluster: { existing: { storageClasses: { default: "standard", database: "fast" } } },
    platform: { ...PLATFORM, ...platform },
    apps: { services: { api: { ...BASE, ...api } } },
    ...extra,
  };
}

const EKS = {
  infra: { backend: "eks", clusterName: "strata-test", eks: { endpoint: { deployerInVpc: true, privateAccessCidrs: ["10.50.0.0/24"] }, upgradePolicy: "STANDARD" } },
  awsRegion: "eu-central-1",
  cluster: {},
};

const K = "strata:apps.services.api";
const CASES: readonly [string, RawConfig, string][] = [
  [
    "requests per second with KEDA off",
    withApp({ autoscaling: RPS }, { keda: { enabled: false } }),
    `${K}.autoscaling.requestsPerSecond: needs KEDA, but strata:platform.keda.enabled is false (got 1000); set strata:platform.keda.enabled to true or remove ${K}.autoscaling.requestsPerSecond`,
  ],
  [
    "latency without Prometheus",
    withApp({ autoscaling: { minReplicas: 2, maxReplicas: 10, latencyMs: 250 } }, { observability: undefined }),
    `${K}.autoscaling.latencyMs: needs the platform's Prometheus, but strata:platform.observability is not set (got 250); configure strata:platform.observability or remove ${K}.autoscaling.latencyMs`,
  ],
  [
    "requests per second without a metrics port",
    withApp({ metricsPort: undefined, autoscaling: RPS }),
    `${K}.autoscaling.requestsPerSecond: needs the app's request metrics (got 1000 without a metricsPort); set ${K}.metricsPort to the port serving them`,
  ],
  [
    "requests per second with service monitors off",
    { ...withApp({ autoscaling: RPS }), apps: { serviceMonitors: false, services: { api: { ...BASE, autoscaling: RPS } } } },
    `${K}.autoscaling.requestsPerSecond: needs the app's metrics in Prometheus (got 1000 with strata:apps.serviceMonitors false); set strata:apps.serviceMonitors to true`,
  ],
  ["latency quantile of 1", withApp({ autoscaling: { ...RPS, latencyMs: 200, latencyQuantile: 1 } }), `${K}.autoscaling.latencyQuantile: must be below 1 (got 1)`],
  [
    "histogram that is not a metric name",
    withApp({ httpMetrics: { histogram: "http-requests" } }),
    `${K}.httpMetrics.histogram: must be a Prometheus metric name such as http_request_duration_seconds (got "http-requests")`,
  ],
  [
    "metrics of an unknown library",
    withApp({ httpMetrics: { convention: "prom-client" } }),
    `${K}.httpMetrics.convention: must be one of "opentelemetry", "prometheus-net" (got "prom-client")`,
  ],
  ["KEDA with six replicas", withApp({}, { keda: { enabled: true, replicas: 6 } }), "strata:platform.keda.replicas: must be 5 or less (got 6)"],
  ["KEDA on an unknown pool", withApp({}, { keda: { enabled: true, pool: "gpu" } }), 'strata:platform.keda.pool: names no node pool (got "gpu"); use one of general'],
  [
    "AWS access off EKS",
    withApp({ awsAccess: { policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] } }),
    `${K}.awsAccess: needs EKS Pod Identity, but strata:infra.backend is existing (got {"policyArns":["arn:aws:iam::aws:policy/ReadOnlyAccess"],"statements":[]}); remove ${K}.awsAccess on this backend`,
  ],
  ["AWS access granting nothing", withApp({ awsAccess: {} }, {}, EKS), `${K}.awsAccess: grants nothing (got {"policyArns":[],"statements":[]}); list policyArns and/or statements`],
  [
    "AWS access with a bare * action",
    withApp({ awsAccess: { statements: [{ actions: ["*"], resources: ["*"] }] } }, {}, EKS),
    `${K}.awsAccess.statements[0].actions[0]: must be an IAM action service:Action such as s3:GetObject (no bare *) (got "*")`,
  ],
  [
    "AWS access with a policy name instead of an ARN",
    withApp({ awsAccess: { policyArns: ["AmazonS3ReadOnlyAccess"] } }, {}, EKS),
    `${K}.awsAccess.policyArns[0]: must be an IAM policy ARN such as arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess (got "AmazonS3ReadOnlyAccess")`,
  ],
  [
    "AWS access on a resource that is not an ARN",
    withApp({ awsAccess: { statements: [{ actions: ["s3:GetObject"], resources: ["my-bucket"] }] } }, {}, EKS),
    `${K}.awsAccess.statements[0].resources[0]: must be an ARN such as arn:aws:s3:::bucket/* or "*" (got "my-bucket")`,
  ],
  [
    "migration on a moving tag",
    withApp({ migration: { command: ["./migrate"], image: "ghcr.io/acme/migrate:latest" } }),
    `${K}.migration.image: must not use the moving tag latest (got "ghcr.io/acme/migrate:latest"); pin a version tag such as app:1.4.2 or a digest, or leave it out to use image`,
  ],
  ["migration without a command", withApp({ migration: { command: [] } }), `${K}.migration.command: must name the program to run (got [])`],
  ["egress to every address", withApp({ egress: [{ host: "api.stripe.com", cidrs: ["0.0.0.0/0"], ports: [443] }] }), `${K}.egress[0].cidrs[0]: allows every address (got "0.0.0.0/0"); list the ranges of the hosts the app calls`],
  ["egress to a host name instead of a CIDR", withApp({ egress: [{ cidrs: ["api.stripe.com"], ports: [443] }] }), `${K}.egress[0].cidrs[0]: must be an IPv4 CIDR such as 10.244.0.0/16 (got "api.stripe.com")`],
  ["egress without ports", withApp({ egress: [{ cidrs: ["203.0.113.0/24"], ports: [] }] }), `${K}.egress[0].ports: must list at least one port (got [])`],
  [
    "object store not enabled",
    withApp({ uses: ["objectStore"] }, { objectStore: { enabled: false } }),
    `${K}.uses[0]: strata:platform.objectStore is not enabled (got "objectStore"); set strata:platform.objectStore.enabled to true or remove objectStore from ${K}.uses`,
  ],
  [
    "object store without the apps' bucket",
    withApp({ uses: ["objectStore"] }, { objectStore: { enabled: true } }),
    `${K}.uses[0]: the object store has no objects bucket (got "objectStore"); add objects: <bucket name> to strata:platform.objectStore.buckets`,
  ],
  [
    "EKS object store without the objects bucket",
    withApp({ uses: ["objectStore"] }, { objectStore: { enabled: true } }, { ...EKS, infra: { ...EKS.infra, eks: { endpoint: { deployerInVpc: true, privateAccessCidrs: ["10.50.0.0/24"] }, buckets: { objects: { enabled: false } } } } }),
    `${K}.uses[0]: the object store has no objects bucket (got "objectStore"); set strata:infra.eks.buckets.objects.enabled to true`,
  ],
  [
    "object-store field that does not exist",
    withApp({ uses: ["objectStore"], connectionEnv: { MinIO__Endpoint: "objectStore.url" } }),
    `${K}.connectionEnv.MinIO__Endpoint: must be <service>.<field> (got "objectStore.url"); fields: endpoint, hostPort, bucket, region, accessKey, secretKey`,
  ],
  [
    "static object-store keys on EKS",
    withApp({ uses: ["objectStore"], connectionEnv: { MinIO__AccessKey: "objectStore.accessKey" } }, { objectStore: { enabled: true } }, EKS),
    `${K}.connectionEnv.MinIO__AccessKey: the EKS object store has no static keys (got "objectStore.accessKey"); remove it: the app's ServiceAccount reaches the bucket through EKS Pod Identity`,
  ],
];

describe("strata:apps run-time keys: bad config", () => {
  for (const [title, raw, message] of CASES) {
    it(`rejects ${title}`, () => {
      expect(problemsOf(raw)).to.deep.equal([message]);
    });
  }

  it("accepts KEDA scaling, a migration, egress and the object store together, with their defaults", () => {
    const config = parseConfig(
      withApp({
        autoscaling: { ...RPS, cpuPercent: 70, latencyMs: 300 },
        migration: { command: ["dotnet", "ef", "database", "update"] },
        egress: [{ host: "api.stripe.com", cidrs: ["203.0.113.0/24"], ports: [443] }],
        uses: ["objectStore"],
        connectionEnv: { MinIO__Endpoint: "objectStore.endpoint", MinIO__AccessKey: "objectStore.accessKey", MinIO__SecretKey: "objectStore.secretKey" },
      }),
    );
    const api = config.apps.services["api"];
    expect(api?.autoscaling).to.include({ latencyQuantile: 0.95 });
    expect(api?.httpMetrics).to.deep.equal({ convention: "opentelemetry" });
    expect(api?.egress[0]?.protocol).to.equal("TCP");
    expect(config.platform.keda).to.deep.equal({ enabled: true, replicas: 1 });
  });

  it("accepts AWS access on EKS and runs KEDA twice in prod", () => {
    const raw = withApp(
      { awsAccess: { statements: [{ actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:eu-central-1:123456789012:orders"] }] } },
      { observability: { ...PLATFORM.observability, alerting: PROD_ALERTING } },
      { ...EKS, environment: "prod", platformIsSecret: true, cluster: { eks: { karpenter: { amiAlias: "al2023@v20260801" } } } },
    );
    const config = parseConfig(raw);
    expect(config.apps.services["api"]?.awsAccess?.statements[0]?.effect).to.equal("Allow");
    expect(config.platform.keda.replicas).to.equal(2);
  });
});
