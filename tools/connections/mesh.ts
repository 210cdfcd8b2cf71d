/**
 * The Istio ambient mesh as the connection check sees it. A pod is meshed when istio-cni's
 * enablement selectors pick it (cni chart values.yaml `ambient.enablementSelectors`, Istio
 * 1.30.3): the pod carries `istio.io/dataplane-mode: ambient`, or its namespace does and the pod
 * does not opt out with `none`. Between two meshed pods ztunnel carries the connection as HBONE
 * to port 15008 of the destination pod, and NetworkPolicy is enforced on those packets
 * (istio.io, "Ambient and Kubernetes NetworkPolicy"): both ends' policies must admit 15008 as
 * well as the application port the client dialled. ztunnel carries TCP only; UDP travels as is.
 *
 * At the destination ztunnel then applies the mesh's own policies (`meshVerdict`): STRICT mTLS
 * refuses a caller outside the mesh, and AuthorizationPolicies admit callers by identity.
 */
import { DATAPLANE_MODE_LABEL as MODE_LABEL, HBONE_PORT } from "../../lib/mesh";
import type { Endpoint, Labels } from "../netpol/evaluate";
import { arr, obj, type Obj, str } from "./read";
import type { KubeObject, Pods, ServiceObject, World } from "./world";

export function isMeshed(endpoint: Endpoint): boolean {
  if (endpoint.kind !== "pod") return false;
  const own = endpoint.labels?.[MODE_LABEL];
  if (own === "ambient") return true;
  return own !== "none" && endpoint.namespaceLabels?.[MODE_LABEL] === "ambient";
}

/**
 * A waypoint's pods: Istio labels them with their Gateway's name and `istio.io/dataplane-mode:
 * none` (ztunnel does not capture them: they terminate and originate HBONE themselves, with the
 * mTLS identity of their ServiceAccount).
 */
export function isWaypoint(endpoint: Endpoint): boolean {
  return endpoint.kind === "pod" && endpoint.labels?.[WAYPOINT_GATEWAY_LABEL] !== undefined && endpoint.labels[MODE_LABEL] === "none";
}

/** Whether the pod speaks HBONE with a mesh identity: captured by ztunnel, or a waypoint. */
const speaksHbone = (endpoint: Endpoint): boolean => isMeshed(endpoint) || isWaypoint(endpoint);

/** The ports a connection from `from` to `to` on `port` needs the NetworkPolicies to admit. */
export function portsOnTheWire(from: Endpoint, to: Endpoint, port: number, protocol: "TCP" | "UDP"): { readonly port: number; readonly hbone: boolean }[] {
  return protocol === "TCP" && speaksHbone(from) && speaksHbone(to) ? [{ port, hbone: false }, { port: HBONE_PORT, hbone: true }] : [{ port, hbone: false }];
}

/** The mesh's root namespace: its selector-less policies apply to every meshed pod (meshConfig.rootNamespace's default). */
const ROOT_NAMESPACE = "istio-system";
/** The label Istio puts on a Gateway's (and so a waypoint's) pods, naming the Gateway. */
const WAYPOINT_GATEWAY_LABEL = "gateway.networking.k8s.io/gateway-name";
const TRUST_DOMAIN = "cluster.local";

/** A source as ztunnel sees it: meshed or not, and its SPIFFE identity when meshed. */
export interface MeshSource {
  readonly endpoint: Endpoint;
  /** The pods' ServiceAccount; undefined when the plan does not say (a chart's pods declared without one). */
  readonly serviceAccount?: string;
}

type Mode = "STRICT" | "PERMISSIVE" | "DISABLE";

const matchesPod = (selector: unknown, labels: Labels): boolean => {
  const wanted = obj(obj(selector)["matchLabels"]);
  return Object.entries(wanted).every(([k, v]) => labels[k] === v);
};
const hasSelector = (spec: Obj): boolean => Object.keys(obj(obj(spec["selector"])["matchLabels"])).length > 0;

/**
 * The mTLS mode a meshed pod accepts on `port`: a workload PeerAuthentication selecting it (with
 * its port-level mode, which only workload policies may carry), else its namespace's, else the
 * root namespace's; UNSET inherits, nothing at all is PERMISSIVE (istio.io, PeerAuthentication
 * reference, "policy precedence").
 */
export function mtlsMode(world: World, to: Endpoint & { kind: "pod" }, port: number): { mode: Mode; by: string } {
  const policies = world.objects.filter((o) => o.kind === "PeerAuthentication");
  const modeOf = (o: KubeObject | undefined, withPort: boolean): Mode | undefined => {
    if (o === undefined) return undefined;
    const spec = obj(o.object["spec"]);
    const portMode = withPort ? str(obj(obj(spec["portLevelMtls"])[String(port)])["mode"]) : undefined;
    const mode = portMode ?? str(obj(spec["mtls"])["mode"]);
    return mode === "STRICT" || mode === "PERMISSIVE" || mode === "DISABLE" ? mode : undefined;
  };
  const workload = policies.find((o) => o.namespace === to.namespace && hasSelector(obj(o.object["spec"])) && matchesPod(obj(o.object["spec"])["selector"], to.labels ?? {}));
  const namespace = policies.find((o) => o.namespace === to.namespace && !hasSelector(obj(o.object["spec"])));
  const root = policies.find((o) => o.namespace === ROOT_NAMESPACE && !hasSelector(obj(o.object["spec"])));
  for (const [o, withPort] of [[workload, true], [namespace, false], [root, false]] as const) {
    const mode = modeOf(o, withPort);
    if (mode !== undefined && o !== undefined) return { mode, by: `PeerAuthentication ${o.namespace}/${o.name}` };
  }
  return { mode: "PERMISSIVE", by: "no PeerAuthentication" };
}

/** Istio string matching: exact, `prefix*`, `*suffix` or `*`. */
const matchString = (pattern: string, value: string | undefined): boolean => {
  if (value === undefined) return false;
  if (pattern === "*") return true;
  if (pattern.endsWith("*")) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith("*")) return value.endsWith(pattern.slice(1));
  return pattern === value;
};
const strings = (v: unknown): string[] => arr(v).flatMap((x) => str(x) ?? []);

/** Whether one `from.source` matches: its fields are ANDed; identities exist only over mTLS. */
function sourceMatches(source: Obj, principal: string | undefined, namespace: string | undefined): boolean {
  const checks: [string, (p: string) => boolean][] = [
    ["principals", (p) => matchString(p, principal)],
    ["namespaces", (p) => matchString(p, namespace)],
  ];
  for (const [field, match] of checks) {
    const wanted = strings(source[field]);
    if (wanted.length > 0 && !wanted.some(match)) return false;
  }
  for (const [field, match] of [["notPrincipals", (p: string) => matchString(p, principal)], ["notNamespaces", (p: string) => matchString(p, namespace)]] as const) {
    if (strings(source[field]).some(match)) return false;
  }
  // ztunnel cannot see request attributes; address and request-principal sources are not modelled: no match.
  return !["ipBlocks", "remoteIpBlocks", "requestPrincipals", "notIpBlocks", "notRemoteIpBlocks", "notRequestPrincipals"].some((f) => f in source);
}

/**
 * Whether one rule matches at ztunnel (L4): `from` entries ORed, `to` entries ORed by port, `when`
 * and HTTP attributes (methods, paths, hosts) unknown to ztunnel, so such a rule matches nothing
 * in an ALLOW policy (istio.io, "Ambient: Layer 4 authorization policy": ztunnel cannot enforce
 * L7 attributes and such ALLOW rules only narrow).
 */
function ruleMatches(rule: Obj, principal: string | undefined, namespace: string | undefined, port: number): boolean {
  if (arr(rule["when"]).length > 0) return false;
  const from = arr(rule["from"]).map((f) => obj(obj(f)["source"]));
  if (from.length > 0 && !from.some((s) => sourceMatches(s, principal, namespace))) return false;
  const to = arr(rule["to"]).map((t) => obj(obj(t)["operation"]));
  if (to.length === 0) return true;
  return to.some((op) => {
    if (["methods", "paths", "hosts", "notMethods", "notPaths", "notHosts"].some((f) => f in op)) return false;
    const ports = strings(op["ports"]);
    if (ports.length > 0 && !ports.includes(String(port))) return false;
    return !strings(op["notPorts"]).includes(String(port));
  });
}

/** The AuthorizationPolicies ztunnel applies to a pod: selecting it in its namespace, or selector-less in it or the root namespace; not those bound to a waypoint (`targetRefs`). */
function authorizationPoliciesFor(world: World, to: Endpoint & { kind: "pod" }): KubeObject[] {
  return world.objects.filter((o) => {
    if (o.kind !== "AuthorizationPolicy") return false;
    const spec = obj(o.object["spec"]);
    if (spec["targetRef"] !== undefined || spec["targetRefs"] !== undefined) return false;
    if (hasSelector(spec)) return o.namespace === to.namespace && matchesPod(spec["selector"], to.labels ?? {});
    return o.namespace === to.namespace || o.namespace === ROOT_NAMESPACE;
  });
}

/**
 * What ztunnel at the destination does with a connection: STRICT refuses plaintext from outside
 * the mesh (istiod turns STRICT into a ztunnel policy that denies connections without a peer
 * identity: istio/istio 1.30.3, pilot/pkg/serviceregistry/ambient/authorization.go
 * `convertPeerAuthentication`); then DENY policies, then, once any ALLOW policy selects the pod,
 * at least one ALLOW rule must match (istio.io, "Authorization policy": "If there are any ALLOW
 * policies … deny the request if none match"). undefined: the destination is not meshed.
 */
export function meshVerdict(world: World, source: MeshSource, to: Endpoint, port: number, protocol: "TCP" | "UDP", describe: { source: string; destination: string }): { ok: true; note: string } | { ok: false; missing: string } | undefined {
  if (to.kind !== "pod" || !isMeshed(to) || protocol !== "TCP") return undefined;
  const meshed = speaksHbone(source.endpoint);
  const { mode, by } = mtlsMode(world, to, port);
  if (!meshed && mode === "STRICT") {
    return { ok: false, missing: `${by} requires mTLS on ${to.namespace} port ${port}, and ${describe.source} is outside the mesh: ztunnel refuses its plaintext (mesh its namespace, or keep that port PERMISSIVE with a workload PeerAuthentication)` };
  }
  const from = source.endpoint;
  const namespace = meshed && from.kind === "pod" ? from.namespace : undefined;
  const principal = namespace !== undefined && source.serviceAccount !== undefined ? `${TRUST_DOMAIN}/ns/${namespace}/sa/${source.serviceAccount}` : undefined;
  const identity = !meshed ? "no identity (outside the mesh)" : principal ?? `namespace ${namespace ?? "?"}, ServiceAccount not declared`;
  const policies = authorizationPoliciesFor(world, to);
  const action = (o: KubeObject) => str(obj(o.object["spec"])["action"]) ?? "ALLOW";
  const matching = (o: KubeObject) => arr(obj(o.object["spec"])["rules"]).some((r) => ruleMatches(obj(r), principal, namespace, port));
  const denied = policies.find((o) => action(o) === "DENY" && matching(o));
  if (denied !== undefined) return { ok: false, missing: `AuthorizationPolicy ${denied.namespace}/${denied.name} (DENY) refuses ${describe.source} [${identity}] to ${describe.destination} on ${port}` };
  const allows = policies.filter((o) => action(o) === "ALLOW");
  if (allows.length > 0 && !allows.some(matching)) {
    return { ok: false, missing: `no rule of the AuthorizationPolicies selecting ${describe.destination} (${allows.map((o) => `${o.namespace}/${o.name}`).join(", ")}) admits ${describe.source} [${identity}] on port ${port}` };
  }
  const transport = meshed ? "mTLS" : `plaintext (${mode} by ${by})`;
  return { ok: true, note: allows.length > 0 ? `${transport}, authorized` : transport };
}

/**
 * The waypoint a Service sends its traffic through (`istio.io/use-waypoint: <gateway>` on the
 * Service): the pods of that Gateway in the Service's namespace (Istio labels them
 * `gateway.networking.k8s.io/gateway-name`), or the missing piece; undefined without the label.
 */
export function waypointOf(world: World, service: ServiceObject): { pods: Pods[] } | { missing: string } | undefined {
  const name = service.labels["istio.io/use-waypoint"];
  if (name === undefined) return undefined;
  const pods = world.pods.filter((p) => p.namespace === service.namespace && p.labels[WAYPOINT_GATEWAY_LABEL] === name);
  if (pods.length === 0) return { missing: `Service ${service.namespace}/${service.name} uses waypoint ${name}, whose pods the plan does not declare` };
  return { pods };
}
