/**
 * Routes with several hosts, a path rewrite and redirects (issue #25): the config checks across
 * services and against the gateway's certificates, and the HTTPRoutes, validated against the
 * gateway-helm v1.9.0 CRDs of the chart reference data.
 */
import { expect } from "chai";
import { routeBackends } from "../../apps/service/release";
import { redirectRouteManifest, trafficRouteManifest, urlRewriteFilter } from "../../apps/service/traffic";
import { AppServiceConfig } from "../../config/apps/service";
import type { RawConfig } from "../../config/schema";
import { parseConfig } from "../../config/schema";
import { loadCrds, type CrdIndex } from "../../tools/verify/crds";
import { customResourceFindings } from "../../tools/verify/custom-resources";
import { chartReference } from "../cluster/reference";
import { problemsOf } from "../config/problems";
import { validRaw } from "../config/valid-config";

const BASE = { image: "ghcr.io/acme/web:1.4.2", port: 3000, resources: { cpuMillis: 50, memoryMi: 128, limitMemoryMi: 256 } };

/** The multi-tenant seed's domain: its certificate names the apex, www and api. */
function platform(services: Record<string, Record<string, unknown>>, gateway: Record<string, unknown> = {}): RawConfig {
  return {
    ...validRaw(),
    cluster: {
      existing: { storageClasses: { default: "standard", database: "fast" } },
      gateway: { domains: { "platform.com": { issuer: "letsencrypt", hosts: ["@", "www", "api"] } }, ...gateway },
      certificates: { acmeEmail: "ops@platform.com" },
    },
    apps: { services: Object.fromEntries(Object.entries(services).map(([name, extra]) => [name, { ...BASE, ...extra }])) },
  };
}
const api = { route: { host: "api.platform.com" } };

let crds: CrdIndex | undefined;
function findings(object: { apiVersion: string; kind: string }): string[] {
  crds ??= loadCrds(chartReference());
  const [group = "", version = ""] = object.apiVersion.split("/");
  return customResourceFindings(object.kind, object, group, version, object.kind, crds).map((f) => `${f.severity} ${f.path}: ${f.message}`);
}

describe("routes: hosts, rewrites and redirects", () => {
  it("issue #25: refuses a `www` certificate that no route serves (the multi-tenant frontend served only the apex)", () => {
    expect(problemsOf(platform({ api, frontend: { route: { host: "platform.com" } } }))).to.deep.equal([
      `strata:cluster.gateway.domains.platform.com.hosts[1]: no route serves www.platform.com (got "www"); add it to a service's route.host, route.hosts or route.redirects, or remove it from the certificate`,
    ]);
  });

  it("issue #25: serves www and redirects the apex to it, or serves both hosts from one route", () => {
    expect(() => parseConfig(platform({ api, frontend: { route: { host: "www.platform.com", redirects: [{ from: "platform.com" }] } } }))).to.not.throw();
    expect(() => parseConfig(platform({ api, frontend: { route: { host: "platform.com", hosts: ["www.platform.com"] } } }))).to.not.throw();
  });

  it("refuses a host of route.hosts or a redirect off the gateway's certificates", () => {
    expect(problemsOf(platform({ api, frontend: { route: { host: "www.platform.com", hosts: ["shop.platform.com"], redirects: [{ from: "platform.com" }, { from: "old.example.org" }] } } }))).to.deep.equal([
      `strata:apps.services.frontend.route.hosts[0]: has no certificate (got "shop.platform.com"); add "shop" to strata:cluster.gateway.domains.platform.com.hosts`,
      `strata:apps.services.frontend.route.redirects[1].from: is outside the gateway's domains (got "old.example.org"); use one of platform.com or a single label under it`,
    ]);
  });

  it("refuses two services claiming the same host and path prefix, before any resource", () => {
    expect(problemsOf(platform({ api, admin: { route: { host: "api.platform.com", paths: ["/admin", "/"] } }, frontend: { route: { host: "www.platform.com", redirects: [{ from: "platform.com" }] } } }))).to.deep.equal([
      `strata:apps.services.admin.route: claims host api.platform.com and path /, which strata:apps.services.api.route already routes (got "api.platform.com/"); give one of them another host or path prefix`,
    ]);
    // Another prefix on the same host is a different claim (the longest prefix wins at the gateway).
    expect(() => parseConfig(platform({ api, admin: { route: { host: "api.platform.com", paths: ["/admin"] } }, frontend: { route: { host: "www.platform.com", redirects: [{ from: "platform.com" }] } } }))).to.not.throw();
  });

  it("refuses a redirect of a host the route serves, or to itself", () => {
    expect(problemsOf(platform({ api, frontend: { route: { host: "www.platform.com", redirects: [{ from: "www.platform.com" }, { from: "platform.com", to: "platform.com" }] } } }))).to.deep.equal([
      `strata:apps.services.frontend.route.redirects[0].from: is a host the route serves (got "www.platform.com"); remove it from strata:apps.services.frontend.route.host/hosts or from the redirects`,
      `strata:apps.services.frontend.route.redirects[1].to: redirects platform.com to itself (got "platform.com"); send it to another host such as www.platform.com`,
    ]);
  });

  it("refuses gateway-wide CORS with the origin * and credentials", () => {
    const frontend = { route: { host: "www.platform.com", redirects: [{ from: "platform.com" }] } };
    expect(problemsOf(platform({ api, frontend }, { cors: { allowOrigins: ["https://platform.com", "*"], allowCredentials: true } }))).to.deep.equal([
      `strata:cluster.gateway.cors.allowOrigins[1]: a wildcard origin cannot be combined with allowCredentials on the whole gateway (browsers refuse it); list the origins, e.g. https://app.example.com, or set allowCredentials to false (got "*")`,
    ]);
  });

  describe("HTTPRoutes", () => {
    const gateway = { name: "strata", namespace: "gateway", sectionName: "https-wildcard-platform-com", moreSectionNames: ["https-platform-com"] };
    const labels = { "app.kubernetes.io/name": "web" };

    it("serves every host of one route, attached to the apex and the wildcard listener, with the rewrite as a URLRewrite filter", () => {
      const spec = AppServiceConfig.parse({ ...BASE, route: { host: "www.platform.com", hosts: ["platform.com"], paths: ["/app"], rewrite: { pathPrefix: "/" } } });
      const route = trafficRouteManifest({ name: "web", namespace: "apps", labels, host: "www.platform.com", moreHosts: spec.route!.hosts, route: spec.route!, backends: routeBackends("web", 80, undefined), gateway });
      expect(route.spec.hostnames).to.deep.equal(["www.platform.com", "platform.com"]);
      expect(route.spec.parentRefs.map((p) => p.sectionName)).to.deep.equal(["https-wildcard-platform-com", "https-platform-com"]);
      expect(route.spec.rules[0]?.filters).to.deep.include({ type: "URLRewrite", urlRewrite: { path: { type: "ReplacePrefixMatch", replacePrefixMatch: "/" } } });
      expect(findings(route)).to.deep.equal([]);
      expect(urlRewriteFilter({ hostname: "backend.internal" })).to.deep.equal({ type: "URLRewrite", urlRewrite: { hostname: "backend.internal" } });
    });

    it("answers a redirect host with RequestRedirect 301 to the route's host, with no backend", () => {
      const redirect = redirectRouteManifest({ name: "web-redirect-0", namespace: "apps", labels, redirect: { from: "platform.com", statusCode: 301 }, to: "www.platform.com", gateway: { ...gateway, sectionName: "https-platform-com", moreSectionNames: [] } });
      expect(redirect.spec).to.deep.equal({
        parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "strata", namespace: "gateway", sectionName: "https-platform-com" }],
        hostnames: ["platform.com"],
        rules: [{ name: "redirect", filters: [{ type: "RequestRedirect", requestRedirect: { hostname: "www.platform.com", statusCode: 301 } }] }],
      });
      expect(findings(redirect)).to.deep.equal([]);
    });
  });
});
