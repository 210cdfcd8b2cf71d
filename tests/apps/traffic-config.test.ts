/**
 * Bad traffic and release keys of a service (`route.*`, `release`) are rejected while config is
 * parsed, with the key path, the value and the fix. Each case asserts the exact text.
 */
import { expect } from "chai";
import { releaseProblems } from "../../config/apps/route";
import { parseConfig, type RawConfig } from "../../config/schema";
import { validRaw } from "../config/valid-config";
import { problemsOf } from "../config/problems";

const BASE = {
  image: "ghcr.io/acme/api:1.4.2",
  port: 8080,
  resources: { cpuMillis: 250, memoryMi: 256, limitCpuMillis: 500, limitMemoryMi: 512 },
};
const ROUTE = { host: "api.example.com", paths: ["/api", "/socket"] };

/** One service `api` on a gateway with an ACME domain (its certificate names api only: every certificate host must be routed) and an internal one. */
function withApi(api: Record<string, unknown>): RawConfig {
  return {
    ...validRaw(),
    cluster: {
      existing: { storageClasses: { default: "standard", database: "fast" } },
      gateway: { domains: { "example.com": { issuer: "letsencrypt", hosts: ["api"] }, "corp.local": { issuer: "internal" } } },
      certificates: { acmeEmail: "ops@example.com" },
    },
    apps: { services: { api: { ...BASE, ...api } } },
  };
}
const routed = (route: Record<string, unknown>, extra: Record<string, unknown> = {}) => withApi({ route: { ...ROUTE, ...route }, ...extra });

const K = "strata:apps.services.api";
const CASES: readonly [string, RawConfig, string][] = [
  ["a rate limit of 0", routed({ rateLimit: { requests: 0 } }), `${K}.route.rateLimit.requests: must be 1 or more (got 0)`],
  ["an unknown rate-limit unit", routed({ rateLimit: { requests: 100, unit: "Day" } }), `${K}.route.rateLimit.unit: must be one of "Second", "Minute", "Hour" (got "Day")`],
  [
    "a timeout over the gateway's maximum",
    routed({ timeoutSeconds: 7200 }),
    `${K}.route.timeoutSeconds: is over the gateway's maximum (got 7200); use 3600 or less (the gateway closes streams idle for longer), or serve long work asynchronously`,
  ],
  [
    "a wildcard CORS origin with credentials",
    routed({ cors: { allowOrigins: ["https://app.example.com", "*"], allowCredentials: true } }),
    `${K}.route.cors.allowOrigins[1]: a wildcard origin cannot be combined with allowCredentials (got "*"); list the origins, e.g. https://app.example.com, or set allowCredentials to false`,
  ],
  [
    "a CORS origin with a path",
    routed({ cors: { allowOrigins: ["https://app.example.com/login"] } }),
    `${K}.route.cors.allowOrigins[0]: must be an origin such as https://app.example.com, https://*.example.com or * (got "https://app.example.com/login")`,
  ],
  [
    "a WebSocket path outside the route's paths",
    routed({ websocket: ["/socket/live", "/ws"] }),
    `${K}.route.websocket[1]: is not under the route's paths (got "/ws"); use a prefix under /api, /socket or add it to ${K}.route.paths`,
  ],
  [
    "a WebSocket path that only shares a prefix string",
    routed({ websocket: ["/apiws"] }),
    `${K}.route.websocket[0]: is not under the route's paths (got "/apiws"); use a prefix under /api, /socket or add it to ${K}.route.paths`,
  ],
  [
    "an affinity cookie name with a space",
    routed({ sessionAffinity: { cookieName: "my session" } }),
    `${K}.route.sessionAffinity.cookieName: must be a cookie name: up to 128 letters, digits and !#$%&'*+.^_\`|~- (got "my session")`,
  ],
  ["an unknown X-Frame-Options value", routed({ securityHeaders: { frameOptions: "ALLOW" } }), `${K}.route.securityHeaders.frameOptions: must be one of "DENY", "SAMEORIGIN" (got "ALLOW")`],
  [
    "a canary weight of 0",
    routed({}, { release: { strategy: "canary", image: "ghcr.io/acme/api:1.5.0", weightPercent: 0 } }),
    `${K}.release.weightPercent: must be between 1 and 99 (got 0); a canary takes part of the traffic: to finish, set ${K}.image to the canary's image and remove ${K}.release`,
  ],
  [
    "a canary weight of 100",
    routed({}, { release: { strategy: "canary", image: "ghcr.io/acme/api:1.5.0", weightPercent: 100 } }),
    `${K}.release.weightPercent: must be between 1 and 99 (got 100); a canary takes part of the traffic: to finish, set ${K}.image to the canary's image and remove ${K}.release`,
  ],
  [
    "a canary without a route",
    withApi({ release: { strategy: "canary", image: "ghcr.io/acme/api:1.5.0", weightPercent: 10 } }),
    `${K}.release: a canary is weighted on the gateway and needs a route (got nothing at ${K}.route); add ${K}.route or use strategy blueGreen`,
  ],
  [
    "a release of the same image",
    routed({}, { release: { strategy: "canary", image: BASE.image, weightPercent: 10 } }),
    `${K}.release.image: is the service's image (got "ghcr.io/acme/api:1.4.2"); give the canary release the new version, or remove ${K}.release`,
  ],
  [
    "a release on latest",
    routed({}, { release: { strategy: "blueGreen", image: "ghcr.io/acme/api:latest", active: "blue" } }),
    `${K}.release.image: must not use the moving tag latest (got "ghcr.io/acme/api:latest"); pin a version tag such as app:1.4.2 or a digest app@sha256:…`,
  ],
  [
    "a blue-green release with no active track",
    routed({}, { release: { strategy: "blueGreen", image: "ghcr.io/acme/api:1.5.0" } }),
    `${K}.release.active: is required (got nothing); use one of "blue", "green"`,
  ],
  [
    "an unknown release strategy",
    routed({}, { release: { strategy: "shadow", image: "ghcr.io/acme/api:1.5.0" } }),
    `${K}.release.strategy: must be one of "canary", "blueGreen" (got "shadow")`,
  ],
  [
    "a preview host outside the gateway's domains",
    routed({}, { release: { strategy: "blueGreen", image: "ghcr.io/acme/api:1.5.0", active: "blue", previewHost: "preview.other.org" } }),
    `${K}.release.previewHost: is outside the gateway's domains (got "preview.other.org"); use one of example.com, corp.local or a single label under it`,
  ],
  [
    "a preview host without a certificate",
    routed({}, { release: { strategy: "blueGreen", image: "ghcr.io/acme/api:1.5.0", active: "blue", previewHost: "next.example.com" } }),
    `${K}.release.previewHost: has no certificate (got "next.example.com"); add "next" to strata:cluster.gateway.domains.example.com.hosts`,
  ],
  [
    "a preview host equal to the route's host",
    routed({}, { release: { strategy: "blueGreen", image: "ghcr.io/acme/api:1.5.0", active: "green", previewHost: "api.example.com" } }),
    `${K}.release.previewHost: is the route's host (got "api.example.com"); use another host such as preview-api.example.com`,
  ],
  [
    "a preview host without a route",
    withApi({ release: { strategy: "blueGreen", image: "ghcr.io/acme/api:1.5.0", active: "green", previewHost: "preview.example.com" } }),
    `${K}.release.previewHost: needs a route to preview beside (got "preview.example.com"); add ${K}.route or remove previewHost`,
  ],
  [
    "a canary named like another service",
    {
      ...routed({}, { release: { strategy: "canary", image: "ghcr.io/acme/api:1.5.0", weightPercent: 10 } }),
      apps: { services: { api: { ...BASE, route: ROUTE, release: { strategy: "canary", image: "ghcr.io/acme/api:1.5.0", weightPercent: 10 } }, "api-canary": BASE } },
    },
    `${K}.release: names api-canary, which is another service of strata:apps.services (got "canary"); rename one of them`,
  ],
];

describe("strata:apps traffic and release config", () => {
  for (const [title, raw, message] of CASES) {
    it(`rejects ${title}`, () => {
      expect(problemsOf(raw)).to.deep.equal([message]);
    });
  }

  it("rejects a release whose track names would pass 63 characters", () => {
    const name = "a".repeat(60);
    const route = { host: "api.example.com", paths: ["/"], timeoutSeconds: 15, websocket: false };
    expect(releaseProblems(`strata:apps.services.${name}`, { strategy: "blueGreen", image: "x:2", active: "blue" }, route, "x:1")).to.deep.equal([
      `strata:apps.services.${name}.release: names ${name}-blue, longer than 63 characters (got "blueGreen"); shorten the service's name to 58 characters or less`,
      `strata:apps.services.${name}.release: names ${name}-green, longer than 63 characters (got "blueGreen"); shorten the service's name to 57 characters or less`,
    ]);
  });

  it("fills the defaults: 15 s timeout, security headers on, no WebSocket, the gateway-wide limit and CORS", () => {
    const route = parseConfig(routed({})).apps.services["api"]?.route;
    expect(route?.timeoutSeconds).to.equal(15);
    expect(route?.websocket).to.equal(false);
    expect(route?.rateLimit).to.equal(undefined);
    expect(route?.cors).to.equal(undefined);
    expect(route?.securityHeaders).to.deep.equal({
      enabled: true,
      strictTransportSecurity: "max-age=31536000; includeSubDomains",
      frameOptions: "DENY",
      noSniff: true,
      referrerPolicy: "strict-origin-when-cross-origin",
      permissionsPolicy: "geolocation=(), microphone=(), camera=()",
    });
  });

  it("accepts a full route and both release strategies", () => {
    const route = {
      timeoutSeconds: 60,
      rateLimit: { requests: 100 },
      cors: { allowOrigins: ["https://*.example.com"], allowCredentials: true },
      sessionAffinity: { ttlSeconds: 3600 },
      websocket: ["/socket"],
      securityHeaders: { contentSecurityPolicy: "default-src 'self'" },
    };
    const canary = parseConfig(routed(route, { release: { strategy: "canary", image: "ghcr.io/acme/api:1.5.0", weightPercent: 10 } })).apps.services["api"];
    expect(canary?.route?.rateLimit).to.deep.equal({ requests: 100, unit: "Minute" });
    expect(canary?.route?.sessionAffinity).to.deep.equal({ cookieName: "strata-affinity", ttlSeconds: 3600 });
    expect(canary?.release).to.deep.equal({ strategy: "canary", image: "ghcr.io/acme/api:1.5.0", weightPercent: 10 });
    const blueGreen = parseConfig(routed({}, { release: { strategy: "blueGreen", image: "ghcr.io/acme/api:1.5.0", active: "green", previewHost: "preview.corp.local" } })).apps.services["api"];
    expect(blueGreen?.release).to.deep.equal({ strategy: "blueGreen", image: "ghcr.io/acme/api:1.5.0", active: "green", previewHost: "preview.corp.local" });
  });
});
