/**
 * `strata:apps.services.<name>.resilience`: retries, a request timeout and a circuit breaker for
 * calls to the service. Where the ambient mesh is on they apply to east-west calls through the
 * namespace's waypoint; for a routed service they also apply at the edge (Envoy Gateway).
 */
import { z } from "zod";
import { count, strictObject } from "../common";

/**
 * Retry conditions, named as Envoy names them (Envoy Gateway BackendTrafficPolicy
 * `retry.retryOn.triggers`, v1.9): `5xx` any 5xx answer, `gateway-error` 502/503/504, `reset` a
 * reset stream, `connect-failure` no connection, `retriable-4xx` 409.
 */
export const RETRY_CONDITIONS = ["5xx", "gateway-error", "reset", "connect-failure", "retriable-4xx"] as const;
export type RetryCondition = (typeof RETRY_CONDITIONS)[number];

const retries = strictObject({
  attempts: count(1).max(10, { error: "must be 10 or less" }).describe("Retries after the first attempt."),
  perTryTimeoutSeconds: count(1).optional().describe("Seconds each attempt may take. Default: the request timeout."),
  on: z.array(z.enum(RETRY_CONDITIONS)).min(1).default(["connect-failure", "gateway-error"]).describe(`Conditions that retry: ${RETRY_CONDITIONS.join(", ")}.`),
});

const circuitBreaker = strictObject({
  maxConnections: count(1).default(1024).describe("Connections to the service's pods at once (from each proxy)."),
  maxPendingRequests: count(1).default(1024).describe("Requests waiting for a connection; beyond it callers get 503 at once."),
  consecutive5xx: count(1).default(5).describe("5xx answers in a row that eject a pod from the load-balancing pool."),
  baseEjectionSeconds: count(1).default(30).describe("Seconds a pod stays ejected (longer after repeated ejections)."),
});

export const ResilienceConfig = strictObject({
  retries: retries.optional().describe("Retries of failed requests. Default: none beyond the proxies' own."),
  timeoutSeconds: count(1).optional().describe("Seconds a whole request (retries included) may take. Default: none in the mesh; the route's timeoutSeconds at the edge."),
  circuitBreaker: circuitBreaker.optional().describe("Connection and request limits, and ejection of pods that answer 5xx in a row. Default: none."),
})
  .refine((r) => r.retries?.perTryTimeoutSeconds === undefined || r.timeoutSeconds === undefined || r.retries.perTryTimeoutSeconds <= r.timeoutSeconds, {
    error: "retries.perTryTimeoutSeconds must not exceed timeoutSeconds; lower it or raise timeoutSeconds",
    path: ["retries", "perTryTimeoutSeconds"],
  })
  .describe(
    "Retries, timeout and circuit breaker for calls to the service: with the mesh on, through a waypoint in its namespace (DestinationRule, HTTPRoute on the Service); for a routed service, at the edge (BackendTrafficPolicy). Default: none.",
  );
export type ResilienceSpec = z.infer<typeof ResilienceConfig>;
