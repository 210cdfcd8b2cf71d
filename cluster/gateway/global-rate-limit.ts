/**
 * Pure: what Envoy Gateway's global rate limiting needs (`strata:cluster.gateway.globalRateLimit`).
 * A Local limit is a token bucket inside each Envoy replica; a Global one is counted once, by the
 * rate-limit service the controller deploys when its EnvoyGateway config names a Redis backend
 * (EnvoyGateway `rateLimit.backend.type: Redis`, `redis.url`; the chart passes `config.envoyGateway`
 * through as that config, gateway-helm values.yaml "Visit .../extension_types/#envoygateway").
 * Facts from envoyproxy/gateway v1.9 (internal/infrastructure/kubernetes/ratelimit/resource.go):
 * the service's pods are labelled `app.kubernetes.io/{name: envoy-ratelimit, component: ratelimit,
 * managed-by: envoy-gateway}` and run in the controller's namespace; its Service `envoy-ratelimit`
 * serves gRPC on 8081; it reads its rules over xDS from `envoy-gateway:18001` with the certificate
 * in the Secret `envoy-rate-limit`, and keeps its counters in the Redis of `REDIS_URL`.
 * strata runs that Redis (Valkey, BSD-3-Clause: `IMAGES.valkey`) beside it as a counter cache: no
 * persistence, since a restart only resets the current windows.
 */
import { IMAGES } from "../../lib/catalog";
import { type ConnectionDeclaration, fromWorkload, type WorkloadDeclaration } from "../../lib/connections";
import type { Placement } from "../../lib/contracts";
import { standardLabels } from "../../lib/labels";
import { CONTROLLER_PORTS, CONTROLLER_SERVICE } from "./workloads";
import { PROXY_PRIORITY_CLASS } from "./values";

export const RATE_LIMIT_SERVICE = "envoy-ratelimit";
export const RATE_LIMIT_GRPC_PORT = 8081;
export const RATE_LIMIT_LABELS = { "app.kubernetes.io/name": RATE_LIMIT_SERVICE, "app.kubernetes.io/component": "ratelimit", "app.kubernetes.io/managed-by": "envoy-gateway" } as const;
/** The Secret certgen writes for the rate-limit service's xDS and gRPC TLS. */
const RATE_LIMIT_CERTIFICATE = "envoy-rate-limit";
const TLS_KEYS = ["ca.crt", "tls.crt", "tls.key"];

export const RATE_LIMIT_REDIS = "strata-ratelimit-redis";
export const REDIS_PORT = 6379;
const REDIS_SELECTOR = { "app.kubernetes.io/name": RATE_LIMIT_REDIS } as const;

/** `config.envoyGateway` values that turn the rate-limit service on, backed by the Redis in `namespace`. */
export function globalRateLimitValues(namespace: string) {
  return { rateLimit: { backend: { type: "Redis", redis: { url: `${RATE_LIMIT_REDIS}.${namespace}.svc:${REDIS_PORT}` } } } };
}

/** The Redis Deployment: one pod, a counter cache kept in memory only. */
export function redisDeploymentManifest(namespace: string, placement: Placement) {
  const labels = { ...standardLabels({ name: RATE_LIMIT_REDIS, component: "rate-limit" }), ...REDIS_SELECTOR };
  return {
    metadata: { name: RATE_LIMIT_REDIS, namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: { ...REDIS_SELECTOR } },
      template: {
        metadata: { labels },
        spec: {
          priorityClassName: PROXY_PRIORITY_CLASS,
          automountServiceAccountToken: false,
          nodeSelector: { ...placement.nodeSelector },
          tolerations: placement.tolerations.map((t) => ({ ...t })),
          securityContext: { runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "redis",
              image: `${IMAGES.valkey.repository}:${IMAGES.valkey.tag}`,
              // Counters only: no snapshots, no append-only file, oldest keys evicted when full.
              args: ["--save", "", "--appendonly", "no", "--maxmemory", "200mb", "--maxmemory-policy", "allkeys-lru"],
              ports: [{ name: "redis", containerPort: REDIS_PORT, protocol: "TCP" }],
              readinessProbe: { tcpSocket: { port: REDIS_PORT }, periodSeconds: 5 },
              resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "256Mi" } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              volumeMounts: [{ name: "data", mountPath: "/data" }],
            },
          ],
          volumes: [{ name: "data", emptyDir: {} }],
        },
      },
    },
  };
}

export function redisServiceManifest(namespace: string) {
  return {
    metadata: { name: RATE_LIMIT_REDIS, namespace, labels: standardLabels({ name: RATE_LIMIT_REDIS, component: "rate-limit" }) },
    spec: { selector: { ...REDIS_SELECTOR }, ports: [{ name: "redis", port: REDIS_PORT, targetPort: REDIS_PORT, protocol: "TCP" }] },
  };
}

export function redisWorkload(namespace: string): WorkloadDeclaration {
  return {
    id: `${namespace}/${RATE_LIMIT_REDIS}`,
    pods: { namespace, labels: REDIS_SELECTOR },
    containerPorts: { redis: REDIS_PORT },
  };
}

/** The rate-limit service the controller creates once the backend is configured. */
export function rateLimitWorkload(namespace: string): WorkloadDeclaration {
  return {
    id: `${namespace}/${RATE_LIMIT_SERVICE}`,
    pods: { namespace, labels: RATE_LIMIT_LABELS },
    containerPorts: { grpc: RATE_LIMIT_GRPC_PORT },
    services: [{ name: RATE_LIMIT_SERVICE, ports: { grpc: RATE_LIMIT_GRPC_PORT }, labels: RATE_LIMIT_LABELS }],
    secrets: [{ name: RATE_LIMIT_CERTIFICATE, keys: TLS_KEYS }],
  };
}

/** The paths global limits need: proxies → rate-limit service → Redis, and its rules from the controller. */
export function globalRateLimitConnections(proxies: WorkloadDeclaration, rateLimit: WorkloadDeclaration, namespace: string): ConnectionDeclaration[] {
  return [
    { purpose: "global rate-limit decisions", from: fromWorkload(proxies), to: { kind: "service", namespace, name: RATE_LIMIT_SERVICE, port: RATE_LIMIT_GRPC_PORT } },
    { purpose: "rate-limit counters", from: fromWorkload(rateLimit), to: { kind: "service", namespace, name: RATE_LIMIT_REDIS, port: REDIS_PORT } },
    {
      purpose: "rate-limit rules over xDS",
      from: fromWorkload(rateLimit),
      to: { kind: "service", namespace, name: CONTROLLER_SERVICE, port: CONTROLLER_PORTS.ratelimit },
      secrets: [{ name: RATE_LIMIT_CERTIFICATE, keys: TLS_KEYS }],
    },
  ];
}
