/**
 * Route attachment: every HTTPRoute parentRef must name a Gateway in the plan and, when it has a
 * `sectionName`, a listener of it whose hostname can match at least one of the route's hostnames.
 * Gateway API: a route attaches to a listener only if their hostnames intersect; otherwise that
 * parent reports `Accepted: False` (reason `NoMatchingListenerHostname`) and serves nothing
 * (https://gateway-api.sigs.k8s.io/reference/spec/#httproutespec, `hostnames`).
 */
import type { ConnectionResult, Verdict } from "./check";
import { watchedNamespaces } from "./derive";
import type { World } from "./world";
import { arr, obj, str } from "./read";


/** Gateway API hostname intersection: exact, or a `*.` wildcard matching one or more labels on either side. */
export function hostnamesIntersect(listener: string | undefined, route: string): boolean {
  if (listener === undefined) return true;
  const wildcardMatches = (pattern: string, host: string) => pattern.startsWith("*.") && host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return listener === route || wildcardMatches(listener, route) || wildcardMatches(route, listener) || (listener.startsWith("*.") && route.startsWith("*.") && (route.endsWith(listener.slice(1)) || listener.endsWith(route.slice(1))));
}

const NA: Verdict = { na: true };

/** Whether a parentRef names a Gateway (its kind defaults to Gateway). */
export const isGatewayParent = (parent: Readonly<Record<string, unknown>>): boolean => (str(parent["kind"]) ?? "Gateway") === "Gateway";

export function attachmentResults(world: World): ConnectionResult[] {
  const results: ConnectionResult[] = [];
  for (const route of world.objects.filter((o) => o.kind === "HTTPRoute")) {
    const spec = obj(route.object["spec"]);
    const hostnames = arr(spec["hostnames"]).filter((h): h is string => typeof h === "string");
    // A parentRef of kind Service is a mesh route (Gateway API GAMMA), bound to the Service, not a Gateway.
    for (const parent of arr(spec["parentRefs"]).map(obj).filter(isGatewayParent)) {
      const name = str(parent["name"]) ?? "";
      const namespace = str(parent["namespace"]) ?? route.namespace;
      const section = str(parent["sectionName"]);
      const gateway = world.objects.find((o) => o.kind === "Gateway" && o.name === name && o.namespace === namespace);
      let route_: Verdict = { ok: true };
      if (gateway === undefined) {
        route_ = { ok: false, missing: `no Gateway ${namespace}/${name} in the plan` };
      } else {
        const listeners = arr(obj(gateway.object["spec"])["listeners"]).map(obj);
        const candidates = section === undefined ? listeners : listeners.filter((l) => l["name"] === section);
        if (candidates.length === 0) route_ = { ok: false, missing: `Gateway ${namespace}/${name} has no listener "${section ?? ""}"` };
        else if (hostnames.length > 0 && !candidates.some((l) => hostnames.some((h) => hostnamesIntersect(str(l["hostname"]), h)))) {
          const listenerHosts = candidates.map((l) => str(l["hostname"]) ?? "*").join(", ");
          route_ = { ok: false, missing: `listener "${section ?? "(any)"}" of ${namespace}/${name} serves ${listenerHosts}, which matches none of the route's hostnames ${hostnames.join(", ")}: the parentRef is not accepted` };
        }
      }
      results.push({
        source: `${namespace}/${name}${section === undefined ? "" : `:${section}`}`,
        destination: `HTTPRoute ${route.namespace}/${route.name}`,
        purpose: "route attachment",
        origin: route.resource,
        checks: { route: route_, egress: NA, ingress: NA, mesh: NA, secrets: NA, identity: NA },
      });
    }
  }
  return results;
}

/**
 * Rule pickup: Prometheus evaluates a PrometheusRule only in the namespaces its
 * `ruleNamespaceSelector` covers; a rule elsewhere (an app's recording rules, which KEDA and the
 * golden-signal alerts read) would be silently ignored.
 */
export function ruleResults(world: World): ConnectionResult[] {
  const watched = watchedNamespaces(world, "PrometheusRule");
  if (watched === undefined) return [];
  return world.objects
    .filter((o) => o.kind === "PrometheusRule")
    .map((rule) => ({
      source: "monitoring/prometheus",
      destination: `PrometheusRule ${rule.namespace}/${rule.name}`,
      purpose: "rule evaluation",
      origin: rule.resource,
      checks: {
        route: watched(rule.namespace) ? { ok: true } : { ok: false, missing: `Prometheus does not watch namespace ${rule.namespace} for PrometheusRules (kube-prometheus-stack ruleNamespaceSelector)` },
        egress: NA,
        ingress: NA,
        mesh: NA,
        secrets: NA,
        identity: NA,
      },
    }));
}
