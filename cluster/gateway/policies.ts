/**
 * Pure building blocks for Envoy Gateway traffic policies (gateway.envoyproxy.io/v1alpha1). The
 * cluster layer attaches them to the shared Gateway; the apps layer reuses them on its own
 * HTTPRoutes (a route-level policy overrides the Gateway-level one).
 */

/** A Gateway API policy target (`targetRefs[*]`). */
export interface PolicyTarget {
  readonly group: "gateway.networking.k8s.io";
  readonly kind: "Gateway" | "HTTPRoute" | "GRPCRoute";
  readonly name: string;
  readonly sectionName?: string;
}

/** Response headers the seeds set on every response (HSTS, framing, sniffing, referrer, permissions). */
export const SECURITY_HEADERS: readonly { readonly name: string; readonly value: string }[] = [
  { name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" },
  { name: "X-Frame-Options", value: "DENY" },
  { name: "X-Content-Type-Options", value: "nosniff" },
  { name: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { name: "Permissions-Policy", value: "geolocation=(), microphone=(), camera=()" },
];

/** ClientTrafficPolicy `spec`: TLS 1.2+ and, optionally, the security response headers. */
export function clientTrafficSpec(targets: readonly PolicyTarget[], options: { readonly securityHeaders: boolean; readonly proxyProtocol?: boolean }) {
  return {
    targetRefs: targets.map((t) => ({ ...t })),
    tls: { minVersion: "1.2" },
    // Behind the HAProxy load-balancer nodes the client address arrives in a PROXY header;
    // required, so no direct client can forge one.
    ...(options.proxyProtocol === true ? { proxyProtocol: { optional: false } } : {}),
    // addIfAbsent, not set: late headers run after the route's ResponseHeaderModifier, so `set`
    // would overwrite the values an app's route chose (e.g. X-Frame-Options SAMEORIGIN).
    ...(options.securityHeaders ? { headers: { lateResponseHeaders: { addIfAbsent: SECURITY_HEADERS.map((h) => ({ ...h })) } } } : {}),
  };
}

/**
 * BackendTrafficPolicy `spec`: a per-client-IP request limit, only where the config sets one.
 * Local limits are counted per Envoy replica, so the effective ceiling is `requests × replicas`.
 */
export function rateLimitSpec(targets: readonly PolicyTarget[], requestsPerMinute: number, type: RateLimitType = "Local") {
  return { targetRefs: targets.map((t) => ({ ...t })), rateLimit: perClientRateLimit({ requests: requestsPerMinute, unit: "Minute" }, type) };
}

/** Local: a bucket in each Envoy replica; Global: one count in the rate-limit service (its Redis). */
export type RateLimitType = "Local" | "Global";

/** BackendTrafficPolicy `rateLimit`: one rule with a bucket per client address (`sourceCIDR` Distinct). */
export function perClientRateLimit(limit: { readonly requests: number; readonly unit: string }, type: RateLimitType) {
  const rules = [{ clientSelectors: [{ sourceCIDR: { type: "Distinct", value: "0.0.0.0/0" } }], limit: { requests: limit.requests, unit: limit.unit } }];
  return type === "Global" ? { type, global: { rules } } : { type, local: { rules } };
}

export interface CorsOptions {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly maxAgeSeconds: number;
  readonly allowCredentials: boolean;
}

/** SecurityPolicy `spec` answering CORS preflights for the given origins. */
export function corsSpec(targets: readonly PolicyTarget[], cors: CorsOptions) {
  return {
    targetRefs: targets.map((t) => ({ ...t })),
    cors: {
      allowOrigins: [...cors.allowOrigins],
      allowMethods: [...cors.allowMethods],
      allowHeaders: [...cors.allowHeaders],
      maxAge: `${cors.maxAgeSeconds}s`,
      allowCredentials: cors.allowCredentials,
    },
  };
}
