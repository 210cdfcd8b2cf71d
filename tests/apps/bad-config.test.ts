/**
 * Bad `strata:apps` input is rejected while config is parsed, with the key path, the value and
 * what is allowed; `uses` and route hosts are checked against the platform and gateway slices of
 * the same stack. Each case asserts the exact text.
 */
import { expect } from "chai";
import { imagePinProblem } from "../../config/apps/checks";
import { parseConfig, type RawConfig } from "../../config/schema";
import { validRaw } from "../config/valid-config";
import { problemsOf } from "../config/problems";

const BASE = {
  image: "ghcr.io/acme/api:1.4.2",
  port: 8080,
  resources: { cpuMillis: 250, memoryMi: 256, limitCpuMillis: 500, limitMemoryMi: 512 },
};

/** One service `api` (plus any others), a Redis-only platform and a gateway with an ACME and an internal domain. */
function withApp(api: Record<string, unknown>, others: Record<string, unknown> = {}): RawConfig {
  return {
    ...validRaw(),
    platform: { redis: { enabled: true, hardAntiAffinity: false } },
    cluster: {
      existing: { storageClasses: { default: "standard", database: "fast" } },
      gateway: { domains: { "example.com": { issuer: "letsencrypt", hosts: ["@", "api"] }, "corp.local": { issuer: "internal" } } },
      certificates: { acmeEmail: "ops@example.com" },
    },
    apps: { services: { api: { ...BASE, ...api }, ...others } },
  };
}

const K = "strata:apps.services.api";
const CASES: readonly [string, RawConfig, string][] = [
  ["image on latest", withApp({ image: "nginx:latest" }), `${K}.image: must not use the moving tag latest (got "nginx:latest"); pin a version tag such as app:1.4.2 or a digest app@sha256:…`],
  ["untagged image", withApp({ image: "ghcr.io/acme/api" }), `${K}.image: is not pinned: it has no tag or digest (got "ghcr.io/acme/api"); pin a version tag such as app:1.4.2 or a digest app@sha256:…`],
  [
    "registry port is not a tag",
    withApp({ image: "registry.local:5000/api" }),
    `${K}.image: is not pinned: it has no tag or digest (got "registry.local:5000/api"); pin a version tag such as app:1.4.2 or a digest app@sha256:…`,
  ],
  [
    "min above max replicas",
    withApp({ autoscaling: { minReplicas: 5, maxReplicas: 3, cpuPercent: 70 } }),
    `${K}.autoscaling.minReplicas: must not exceed maxReplicas (got 5); use 3 or less, or raise maxReplicas`,
  ],
  [
    "autoscaling without a target",
    withApp({ autoscaling: { minReplicas: 2, maxReplicas: 4 } }),
    `${K}.autoscaling: needs a target (got neither cpuPercent nor memoryPercent); set cpuPercent (e.g. 70) and/or memoryPercent (e.g. 80)`,
  ],
  [
    "scaling policy without a rate",
    withApp({ autoscaling: { minReplicas: 2, maxReplicas: 4, cpuPercent: 70, scaleUp: { periodSeconds: 15 } } }),
    `${K}.autoscaling.scaleUp: needs a rate (got neither percent nor pods); set percent (e.g. 100) and/or pods (e.g. 4)`,
  ],
  ["probe on another port", withApp({ metricsPort: 9090, probes: { liveness: { path: "/health", port: 8081 } } }), `${K}.probes.liveness.port: is not a container port (got 8081); use 8080 or 9090 (port, metricsPort)`],
  ["probe path not absolute", withApp({ probes: { readiness: { path: "health" } } }), `${K}.probes.readiness.path: must be an absolute HTTP path such as /health (got "health")`],
  ["metrics on the HTTP port", withApp({ metricsPort: 8080 }), `${K}.metricsPort: must differ from port (got 8080); serve metrics on their own port or leave metricsPort out`],
  [
    "unknown platform service",
    withApp({ uses: ["postgresql"] }),
    `${K}.uses[0]: must be one of "postgres", "mysql", "mongodb", "redis", "rabbitmq", "kafka", "objectStore" (got "postgresql")`,
  ],
  [
    "platform service disabled",
    withApp({ uses: ["redis", "postgres"] }),
    `${K}.uses[1]: strata:platform.postgres is not enabled (got "postgres"); set strata:platform.postgres.enabled to true or remove postgres from ${K}.uses`,
  ],
  [
    "platform service of a later part",
    withApp({ uses: ["mysql"] }),
    `${K}.uses[0]: strata:platform.mysql is not enabled (got "mysql"); set strata:platform.mysql.enabled to true or remove mysql from ${K}.uses`,
  ],
  [
    "connection variable from a service not used",
    withApp({ uses: ["redis"], connectionEnv: { DATABASE_URL: "postgres.url" } }),
    `${K}.connectionEnv.DATABASE_URL: postgres is not in uses (got "postgres.url"); add postgres to ${K}.uses`,
  ],
  [
    "connection variable with an unknown field",
    withApp({ uses: ["redis"], connectionEnv: { REDIS_URL: "redis.uri" } }),
    `${K}.connectionEnv.REDIS_URL: must be <service>.<field> (got "redis.uri"); fields: url, host, port, database, username, password, dotnet`,
  ],
  [
    "host outside the gateway domains",
    withApp({ route: { host: "api.other.org" } }),
    `${K}.route.host: is outside the gateway's domains (got "api.other.org"); use one of example.com, corp.local or a single label under it`,
  ],
  [
    "host two labels under the domain",
    withApp({ route: { host: "v1.api.corp.local" } }),
    `${K}.route.host: is outside the gateway's domains (got "v1.api.corp.local"); use one of example.com, corp.local or a single label under it`,
  ],
  [
    "host without an ACME certificate",
    withApp({ route: { host: "shop.example.com" } }),
    `${K}.route.host: has no certificate (got "shop.example.com"); add "shop" to strata:cluster.gateway.domains.example.com.hosts`,
  ],
  ["PDB as large as the replicas", withApp({ replicas: 2, minAvailable: 2 }), `${K}.minAvailable: must be below the fewest replicas (got 2); use 1 or less so a node can be drained`],
  ["rolling update that cannot move", withApp({ maxSurge: 0, maxUnavailable: 0 }), `${K}.maxUnavailable: a rolling update cannot progress with maxSurge 0 (got 0); allow maxSurge 1 or maxUnavailable 1`],
  [
    "memory limit below the request",
    withApp({ resources: { cpuMillis: 250, memoryMi: 512, limitMemoryMi: 256 } }),
    `${K}.resources.limitMemoryMi: must not be below memoryMi (got 256); use 512 or more`,
  ],
  ["unknown caller", withApp({ callers: ["web"] }), `${K}.callers[0]: is not another service of strata:apps.services (got "web"); use one of worker`],
  ["namespace the cluster does not have", withApp({ namespace: "shop" }), `${K}.namespace: is not an app namespace (got "shop"); use one of strata:cluster.appNamespaces: apps`],
  [
    "variable set twice",
    withApp({ env: { JWT_SECRET: "x" }, generatedSecrets: { JWT_SECRET: 64 } }),
    `${K}: sets environment variable JWT_SECRET twice (got "JWT_SECRET"); keep it in one of env, connectionEnv, generatedSecrets, sharedSecretEnv and secretEnv`,
  ],
  [
    "shared secret not declared",
    withApp({ sharedSecretEnv: { JWT__SecretKey: "jwt-key" } }),
    `${K}.sharedSecretEnv.JWT__SecretKey: no such shared secret (got "jwt-key"); use a name declared in strata:apps.sharedSecrets`,
  ],
  ["generated secret too short", withApp({ generatedSecrets: { JWT_SECRET: 8 } }), `${K}.generatedSecrets.JWT_SECRET: must be 16 or more (got 8)`],
  ["unknown service key", withApp({ replica: 3 }), `${K}.replica: unknown key; allowed keys: args, automountServiceAccountToken, autoscaling, awsAccess, callers, command, connectionEnv, egress, env, generatedSecrets, httpMetrics, image, imagePullSecrets, maxSurge, maxUnavailable, metricsPath, metricsPort, migration, minAvailable, namespace, pool, port, priorityClassName, probes, release, replicas, resilience, resources, role, route, secretEnv, secretFiles, security, servicePort, sharedSecretEnv, slo, uses, writablePaths (got "replica")`],
];

describe("strata:apps bad config", () => {
  const worker = { worker: { ...BASE, port: 9000 } };
  for (const [title, raw, message] of CASES) {
    it(`rejects ${title}`, () => {
      const apps = raw.apps as { services: Record<string, unknown> };
      const withWorker = { ...raw, apps: { services: { ...apps.services, ...worker } } };
      expect(problemsOf(withWorker)).to.deep.equal([message]);
    });
  }

  it("rejects ServiceMonitors asked for without the platform's Prometheus, and leaves them off by default there", () => {
    const monitored = withApp({ metricsPort: 9090 });
    expect(problemsOf({ ...monitored, apps: { ...(monitored.apps as object), serviceMonitors: true } })).to.deep.equal([
      "strata:apps.serviceMonitors: needs the Prometheus Operator CRDs, but strata:platform.observability is not set (got true; services with a metricsPort: api); configure strata:platform.observability or leave strata:apps.serviceMonitors unset",
    ]);
    expect(parseConfig(monitored).apps.serviceMonitors).to.equal(undefined);
  });

  it("accepts a complete service: pinned image, probes on its ports, Redis in use, a certified host", () => {
    const raw = withApp({
      metricsPort: 9090,
      probes: { liveness: { path: "/health", port: 8080 }, readiness: { path: "/ready", port: 9090 } },
      autoscaling: { minReplicas: 3, maxReplicas: 10, cpuPercent: 70, scaleUp: { percent: 100, pods: 4, periodSeconds: 30 } },
      minAvailable: 2,
      uses: ["redis"],
      connectionEnv: { Redis__ConnectionString: "redis.dotnet" },
      route: { host: "api.example.com", paths: ["/api"] },
    });
    const config = parseConfig(raw);
    expect(config.apps.services["api"]?.autoscaling?.maxReplicas).to.equal(10);
    expect(config.apps.services["api"]?.security).to.deep.equal({ runAsUser: 1000, readOnlyRootFilesystem: true });
  });

  it("checks uses and hosts only against slices this stack owns (another stack's platform is checked by the layer)", () => {
    const raw = { ...withApp({ uses: ["postgres"], route: { host: "api.other.org" } }), layers: ["apps"], upstreamStack: "platform-prod", infra: undefined, cluster: undefined, platform: undefined };
    expect(parseConfig(raw).apps.services["api"]?.uses).to.deep.equal(["postgres"]);
  });

  it("accepts digests and version tags, including a registry with a port", () => {
    expect(imagePinProblem(`ghcr.io/acme/api@sha256:${"a".repeat(64)}`)).to.equal(undefined);
    expect(imagePinProblem("registry.local:5000/acme/api:2026.11.1")).to.equal(undefined);
    expect(imagePinProblem("api:v1.2.3-alpine")).to.equal(undefined);
  });
});
