/**
 * The traffic keys of a service's route (`strata:apps.services.<name>.route.*`) and its release
 * (`strata:apps.services.<name>.release`): what the Envoy Gateway policies on the route are built
 * from (`apps/service/traffic.ts`, `apps/service/release.ts`), and the checks that need the
 * route's other keys.
 */
import { z } from "zod";
import { count, dnsSubdomain, strictObject } from "../common";
import { describeValue } from "../errors";

/** Longest request timeout a route may ask for: the stream idle timeout the route's policy sets and the load-balancer nodes' 1 h client/server timeouts. */
export const MAX_ROUTE_TIMEOUT_SECONDS = 3600;
/** How long an open WebSocket may stay silent before the gateway closes it. */
export const WEBSOCKET_IDLE_SECONDS = 3600;

export const RATE_LIMIT_UNITS = ["Second", "Minute", "Hour"] as const;
export const REFERRER_POLICIES = [
  "no-referrer",
  "no-referrer-when-downgrade",
  "origin",
  "origin-when-cross-origin",
  "same-origin",
  "strict-origin",
  "strict-origin-when-cross-origin",
  "unsafe-url",
] as const;

const path = z.string().regex(/^\/\S*$/, { error: "must be an absolute path prefix such as /ws" });
/** What Envoy Gateway's CORS filter accepts: `*`, or scheme://host[:port] with an optional `*.` label. */
const ORIGIN = /^(\*|[A-Za-z][A-Za-z0-9+.-]*:\/\/(\*|(\*\.)?(([\w-]+\.?)+)?[\w-]+)(:\d{1,5})?)$/;
const COOKIE_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/;

export const routeTimeoutSeconds = count(1).default(15).describe(`Seconds the gateway waits for the whole response (HTTPRoute timeouts.request; Envoy's default 15). At most ${MAX_ROUTE_TIMEOUT_SECONDS}.`);

export const routeRateLimit = strictObject({
  requests: count(1).describe("Requests one client IP may make per unit."),
  unit: z.enum(RATE_LIMIT_UNITS).default("Minute").describe("Period the requests are counted over."),
}).describe("Per-client-IP request limit on this route, counted by each Envoy replica (replaces the gateway-wide limit for this route). Default: the gateway-wide limit.");
export type RouteRateLimit = z.infer<typeof routeRateLimit>;

export const routeCors = strictObject({
  allowOrigins: z.array(z.string().regex(ORIGIN, { error: "must be an origin such as https://app.example.com, https://*.example.com or *" })).min(1).describe("Origins allowed to call the route."),
  allowMethods: z.array(z.enum(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])).default(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]).describe("Methods cross-origin requests may use."),
  allowHeaders: z.array(z.string().min(1)).default(["Authorization", "Content-Type"]).describe("Request headers cross-origin requests may send."),
  exposeHeaders: z.array(z.string().min(1)).default([]).describe("Response headers scripts may read."),
  maxAgeSeconds: count(0).default(600).describe("Seconds browsers may cache a preflight answer."),
  allowCredentials: z.boolean().default(false).describe("Let browsers send cookies and credentials cross-origin (not with the origin `*`)."),
}).describe("CORS on this route (a SecurityPolicy; replaces the gateway-wide CORS for this route). Default: the gateway-wide CORS.");
export type RouteCors = z.infer<typeof routeCors>;

export const routeSecurityHeaders = strictObject({
  enabled: z.boolean().default(true).describe("Set the headers below on every response of the route."),
  strictTransportSecurity: z.string().min(1).default("max-age=31536000; includeSubDomains").describe("Strict-Transport-Security (HSTS)."),
  frameOptions: z.enum(["DENY", "SAMEORIGIN"]).default("DENY").describe("X-Frame-Options."),
  noSniff: z.boolean().default(true).describe("X-Content-Type-Options: nosniff."),
  referrerPolicy: z.enum(REFERRER_POLICIES).default("strict-origin-when-cross-origin").describe("Referrer-Policy."),
  permissionsPolicy: z.string().min(1).default("geolocation=(), microphone=(), camera=()").describe("Permissions-Policy."),
  contentSecurityPolicy: z.string().min(1).optional().describe("Content-Security-Policy. Default: none (the app's own, if any)."),
  xssProtection: z.string().min(1).optional().describe("X-XSS-Protection for old browsers, e.g. `1; mode=block`. Default: none."),
}).describe("Security response headers set by the route (they take precedence over the gateway-wide ones).");
export type RouteSecurityHeaders = z.infer<typeof routeSecurityHeaders>;

export const routeSessionAffinity = strictObject({
  cookieName: z.string().regex(COOKIE_NAME, { error: "must be a cookie name: up to 128 letters, digits and !#$%&'*+.^_`|~-" }).default("strata-affinity").describe("Cookie that pins a client to one pod."),
  ttlSeconds: count(1).optional().describe("Lifetime of the cookie in seconds. Default: a session cookie (until the browser closes)."),
}).describe("Cookie session affinity (HTTPRoute sessionPersistence). Default: none.");
export type RouteSessionAffinity = z.infer<typeof routeSessionAffinity>;

export const routeWebsocket = z
  .union([z.boolean(), z.array(path).min(1)])
  .default(false)
  .describe(`WebSocket paths: true for the whole route, or path prefixes under the route's paths; they get no request timeout and close after ${WEBSOCKET_IDLE_SECONDS} s of silence.`);

const canary = strictObject({
  strategy: z.literal("canary"),
  image: z.string().min(1).describe("Image of the canary Deployment `<name>-canary` (pinned)."),
  weightPercent: count(0).max(100, { error: "must be 100 or less" }).describe("Percentage of the route's requests sent to the canary (1-99)."),
});
const blueGreen = strictObject({
  strategy: z.literal("blueGreen"),
  image: z.string().min(1).describe("Image of the green track `<name>-green` (pinned); the blue track `<name>-blue` runs `image`."),
  active: z.enum(["blue", "green"]).describe("Track the route and the Service `<name>` send all traffic to."),
  previewHost: dnsSubdomain().optional().describe("Host on the shared Gateway that reaches the idle track. Default: none."),
});
export const serviceRelease = z
  .discriminatedUnion("strategy", [canary, blueGreen])
  .describe(
    "A second track beside `image`: `{ strategy: canary, image, weightPercent }` runs `<name>-canary` and sends it weightPercent (1-99) % of the route's requests; `{ strategy: blueGreen, image, active: blue|green, previewHost? }` runs `<name>-blue` (`image`) and `<name>-green` (this image), sends everything to the active one and the preview host to the other. Default: one Deployment.",
  );
export type ReleaseSpec = z.infer<typeof serviceRelease>;

interface RouteLike {
  readonly host: string;
  readonly paths: readonly string[];
  readonly timeoutSeconds: number;
  readonly cors?: RouteCors;
  readonly websocket: boolean | readonly string[];
}

/** A path prefix is under another when it equals it or continues it at a `/` (Gateway API prefix semantics). */
export function isUnder(child: string, parent: string): boolean {
  if (parent === "/" || child === parent) return true;
  return child.startsWith(parent.endsWith("/") ? parent : `${parent}/`);
}

/** Problems of `<key>.route` that need its other keys. */
export function routeTrafficProblems(key: string, route: RouteLike): string[] {
  const problems: string[] = [];
  const at = `${key}.route`;
  if (route.timeoutSeconds > MAX_ROUTE_TIMEOUT_SECONDS) {
    problems.push(
      `${at}.timeoutSeconds: is over the gateway's maximum (got ${route.timeoutSeconds}); use ${MAX_ROUTE_TIMEOUT_SECONDS} or less (the gateway closes streams idle for longer), or serve long work asynchronously`,
    );
  }
  if (route.cors?.allowCredentials === true) {
    route.cors.allowOrigins.forEach((origin, i) => {
      if (origin === "*" || /:\/\/\*$/.test(origin)) {
        problems.push(`${at}.cors.allowOrigins[${i}]: a wildcard origin cannot be combined with allowCredentials (got ${describeValue(origin)}); list the origins, e.g. https://app.example.com, or set allowCredentials to false`);
      }
    });
  }
  if (Array.isArray(route.websocket)) {
    (route.websocket as readonly string[]).forEach((ws, i) => {
      if (!route.paths.some((p) => isUnder(ws, p))) {
        problems.push(`${at}.websocket[${i}]: is not under the route's paths (got ${describeValue(ws)}); use a prefix under ${route.paths.join(", ")} or add it to ${at}.paths`);
      }
    });
  }
  return problems;
}

/** Names a release adds beside `<name>` (tracks and the preview route). */
export function releaseNames(name: string, release: ReleaseSpec): string[] {
  if (release.strategy === "canary") return [`${name}-canary`];
  return [`${name}-blue`, `${name}-green`, ...(release.previewHost === undefined ? [] : [`${name}-preview`])];
}

/** Problems of `<key>.release` that need the service's other keys; `others` are the other services' names. */
export function releaseProblems(key: string, release: ReleaseSpec, route: RouteLike | undefined, image: string, others: readonly string[] = []): string[] {
  const problems: string[] = [];
  const at = `${key}.release`;
  const name = key.slice(key.lastIndexOf(".") + 1);
  for (const added of releaseNames(name, release)) {
    if (added.length > 63) problems.push(`${at}: names ${added}, longer than 63 characters (got ${describeValue(release.strategy)}); shorten the service's name to ${63 - (added.length - name.length)} characters or less`);
    else if (others.includes(added)) problems.push(`${at}: names ${added}, which is another service of strata:apps.services (got ${describeValue(release.strategy)}); rename one of them`);
  }
  if (release.image === image) {
    problems.push(`${at}.image: is the service's image (got ${describeValue(release.image)}); give the ${release.strategy} release the new version, or remove ${at}`);
  }
  if (release.strategy === "canary") {
    if (release.weightPercent < 1 || release.weightPercent > 99) {
      problems.push(
        `${at}.weightPercent: must be between 1 and 99 (got ${release.weightPercent}); a canary takes part of the traffic: to finish, set ${key}.image to the canary's image and remove ${at}`,
      );
    }
    if (route === undefined) problems.push(`${at}: a canary is weighted on the gateway and needs a route (got nothing at ${key}.route); add ${key}.route or use strategy blueGreen`);
  }
  if (release.strategy === "blueGreen" && release.previewHost !== undefined) {
    if (route === undefined) problems.push(`${at}.previewHost: needs a route to preview beside (got ${describeValue(release.previewHost)}); add ${key}.route or remove previewHost`);
    else if (release.previewHost === route.host) problems.push(`${at}.previewHost: is the route's host (got ${describeValue(release.previewHost)}); use another host such as preview-${route.host}`);
  }
  return problems;
}
