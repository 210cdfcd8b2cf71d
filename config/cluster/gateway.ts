/** `strata:cluster.gateway` and `strata:cluster.certificates`: ingress domains and their issuers. */
import { z } from "zod";
import { count, dnsLabel, dnsSubdomain, strictObject } from "../common";

export const ISSUER_CHOICES = ["letsencrypt", "letsencrypt-staging", "internal"] as const;
export type IssuerChoice = (typeof ISSUER_CHOICES)[number];

/** Top-level domains no public CA can issue for; they must use the internal CA. */
export const PRIVATE_SUFFIXES = ["local", "internal", "lan", "home.arpa", "localhost"] as const;

export function isPrivateDomain(domain: string): boolean {
  return PRIVATE_SUFFIXES.some((suffix) => domain === suffix || domain.endsWith(`.${suffix}`));
}

export function isAcme(issuer: IssuerChoice): boolean {
  return issuer !== "internal";
}

/** `@` (the domain itself) or one DNS label under it. */
const host = z.union([z.literal("@"), dnsLabel()]);

const domain = strictObject({
  issuer: z.enum(ISSUER_CHOICES).default("letsencrypt").describe("ClusterIssuer that signs this domain's certificate."),
  hosts: z.array(host).default([]).describe("Host names under the domain the certificate covers (`@` = the domain itself). ACME issues over HTTP-01, which cannot sign wildcards, so ACME domains list their hosts; internal domains get `<domain>` + `*.<domain>`."),
});
export type DomainConfig = z.infer<typeof domain>;

const cors = strictObject({
  allowOrigins: z.array(z.string().min(1)).min(1).describe("Origins allowed to call the APIs, e.g. `https://app.example.com`."),
  allowMethods: z.array(z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])).default(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]).describe("Methods cross-origin requests may use."),
  allowHeaders: z.array(z.string().min(1)).default(["Authorization", "Content-Type"]).describe("Request headers cross-origin requests may send."),
  maxAgeSeconds: count(0).default(600).describe("Seconds browsers may cache a preflight answer."),
  allowCredentials: z.boolean().default(false).describe("Let browsers send cookies and credentials cross-origin."),
});

export const gatewayConfig = strictObject({
  enabled: z.boolean().default(true).describe("Install Envoy Gateway and the shared Gateway."),
  replicas: count(1).default(2).describe("Envoy proxy replicas behind the Gateway's load balancer."),
  domains: z.record(dnsSubdomain(), domain).default({}).describe("HTTPS domains served by the shared Gateway, keyed by domain name (the first is the base domain)."),
  loadBalancerScheme: z.enum(["internet-facing", "internal"]).default("internet-facing").describe("EKS: whether the gateway's NLB is reachable from the Internet."),
  rateLimitPerMinute: count(0)
    .default(0)
    .describe(
      "Per-client-IP request limit on every route without its own. A local limit is counted by each Envoy replica, so a client whose connections spread over all of them reaches `limit × replicas` (`npm run plan` prints it). 0 (the default): no gateway-wide limit.",
    ),
  globalRateLimit: strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe(
        "Count every rate limit once across the Envoy replicas (type Global): Envoy Gateway's rate-limit service, with a Redis (Valkey) in the gateway namespace for its counters. Use it where an exact per-client limit matters; each limited request then costs a call to that service.",
      ),
  })
    .prefault({})
    .describe("Global rate limiting instead of per-replica (Local) limits. Default: off."),
  securityHeaders: z.boolean().default(true).describe("Add HSTS, X-Frame-Options, nosniff, Referrer-Policy and Permissions-Policy to every response that lacks them (an app route's own `securityHeaders` win)."),
  cors: cors.optional().describe("Gateway-wide CORS policy; absent means no CORS headers are added."),
});
export type GatewayConfig = z.infer<typeof gatewayConfig>;

export const certificatesConfig = strictObject({
  acmeEmail: z.email({ error: "must be an e-mail address such as ops@example.com" }).optional().describe("Address ACME sends expiry notices to; required when a domain uses a letsencrypt issuer."),
  internalCaCommonName: z.string().min(1).default("strata internal CA").describe("Common name of strata's internal root CA."),
  internalCaValidityDays: count(30).default(3650).describe("Validity of the internal root CA in days."),
});
export type CertificatesConfig = z.infer<typeof certificatesConfig>;

/** Cross-field checks of gateway domains against the certificate settings. */
export function gatewayIssues(gateway: GatewayConfig, certificates: CertificatesConfig, ctx: z.RefinementCtx): void {
  let usesAcme = false;
  for (const [name, entry] of Object.entries(gateway.domains)) {
    if (!isAcme(entry.issuer)) continue;
    usesAcme = true;
    if (isPrivateDomain(name)) {
      ctx.addIssue({
        code: "custom",
        path: ["gateway", "domains", name, "issuer"],
        message: `ACME cannot issue certificates for private domains (${PRIVATE_SUFFIXES.map((s) => `.${s}`).join(", ")}); use issuer "internal"`,
      });
    } else if (gateway.loadBalancerScheme === "internal") {
      ctx.addIssue({
        code: "custom",
        path: ["gateway", "domains", name, "issuer"],
        message: 'ACME HTTP-01 must reach the gateway from the Internet, but gateway.loadBalancerScheme is "internal"; use issuer "internal" or loadBalancerScheme "internet-facing"',
      });
    } else if (entry.hosts.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["gateway", "domains", name, "hosts"],
        message: `must list at least one host for an ACME domain (HTTP-01 cannot issue wildcards); add "@" for ${name} itself or names such as "www"`,
      });
    }
  }
  // Browsers refuse `Access-Control-Allow-Origin: *` with credentials; the route-level check is config/apps/route.ts.
  if (gateway.cors?.allowCredentials === true) {
    gateway.cors.allowOrigins.forEach((origin, i) => {
      if (origin === "*" || /:\/\/\*$/.test(origin)) {
        ctx.addIssue({
          code: "custom",
          path: ["gateway", "cors", "allowOrigins", i],
          message: "a wildcard origin cannot be combined with allowCredentials on the whole gateway (browsers refuse it); list the origins, e.g. https://app.example.com, or set allowCredentials to false",
        });
      }
    });
  }
  if (usesAcme && certificates.acmeEmail === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["certificates", "acmeEmail"],
      message: "is required when a gateway domain uses a letsencrypt issuer; set the address ACME sends expiry notices to",
    });
  }
}
