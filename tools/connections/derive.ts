/**
 * Every connection the plan needs: the ones components declared (lib/connections.ts) plus the
 * ones the plan's own objects imply:
 * - Gateway → every HTTPRoute backend (the Envoy proxies the Gateway's controller runs);
 * - Prometheus → every ServiceMonitor and PodMonitor target.
 */
import type { Labels } from "../netpol/evaluate";
import type { KubeObject, World } from "./world";
import { isGatewayParent } from "./attachments";
import { arr, labelsOf, obj, str } from "./read";

/** A connection to check, with Inputs resolved. */
export interface Need {
  /** What the connection is for. */
  readonly purpose: string;
  /** Who declared or implied it (a component, an HTTPRoute, a ServiceMonitor). */
  readonly origin: string;
  readonly from: { readonly kind: "pods"; readonly namespace: string; readonly labels: Labels; readonly workload?: string } | { readonly kind: "api-server" };
  readonly to:
    | { readonly kind: "service"; readonly namespace: string; readonly name: string; readonly port: number | string }
    | { readonly kind: "pods"; readonly namespace: string; readonly selector: Labels; readonly port: string; readonly description: string }
    | { readonly kind: "external"; readonly name: string; readonly port: number; readonly address?: string }
    | { readonly kind: "api-server" }
    | { readonly kind: "mounted"; readonly description: string };
  readonly protocol: "TCP" | "UDP";
  /** Whether the client dials the Service's pods directly (Envoy Gateway routes to endpoints), bypassing a waypoint the Service uses. @default false */
  readonly direct?: boolean;
  /** A reason the path cannot work whatever the destination (e.g. Prometheus does not watch the monitor's namespace). */
  readonly blocked?: string;
  readonly secrets: readonly { readonly name: string; readonly keys: readonly string[]; readonly madeOutsideStrata?: string }[];
  readonly aws?: {
    readonly roleArn: string;
    readonly serviceAccount?: { readonly namespace: string; readonly name: string };
    readonly calls: readonly { readonly why: string; readonly action: string; readonly resource: string; readonly context?: Readonly<Record<string, string>> }[];
  };
}


/** Workload ids the derived connections start from; components declare them with these ids. */
export const GATEWAY_PROXIES = "gateway/envoy-proxies";
export const PROMETHEUS = "monitoring/prometheus";

export function needsOf(world: World): Need[] {
  const declared = world.declared.connections.map((c, i): Need => {
    const from: Need["from"] = c.from.kind === "api-server" ? { kind: "api-server" } : { kind: "pods", namespace: c.from.pods.namespace, labels: c.from.pods.labels, ...(c.from.workload === undefined ? {} : { workload: c.from.workload }) };
    return {
      purpose: c.purpose,
      origin: `declared connection #${i + 1}`,
      from,
      to: c.to,
      protocol: c.protocol ?? "TCP",
      secrets: c.secrets ?? [],
      ...(c.aws === undefined ? {} : { aws: { roleArn: c.aws.roleArn, ...(c.aws.serviceAccount === undefined ? {} : { serviceAccount: c.aws.serviceAccount }), calls: c.aws.calls } }),
    };
  });
  return [...declared, ...routeNeeds(world), ...monitorNeeds(world)];
}

function workloadSource(world: World, id: string): Need["from"] | undefined {
  const pods = world.pods.find((p) => p.id === id);
  return pods === undefined ? undefined : { kind: "pods", namespace: pods.namespace, labels: pods.labels, workload: id };
}

/** Gateway → each backend of each HTTPRoute (only where the Gateway's proxies are declared). */
function routeNeeds(world: World): Need[] {
  const proxies = workloadSource(world, GATEWAY_PROXIES);
  if (proxies === undefined) return [];
  return world.objects
    // Mesh routes (parented to a Service) are not served by the Gateway's proxies.
    .filter((o) => o.kind === "HTTPRoute" && arr(obj(o.object["spec"])["parentRefs"]).map(obj).some(isGatewayParent))
    .flatMap((route) =>
      arr(obj(route.object["spec"])["rules"]).flatMap((rule) =>
        arr(obj(rule)["backendRefs"]).flatMap((ref): Need[] => {
          const r = obj(ref);
          const kind = str(r["kind"]) ?? "Service";
          const name = str(r["name"]);
          const port = r["port"];
          if (kind !== "Service" || name === undefined || typeof port !== "number") return [];
          return [{ purpose: "route backend", origin: route.resource, direct: true, from: proxies, to: { kind: "service", namespace: str(r["namespace"]) ?? route.namespace, name, port }, protocol: "TCP", secrets: [] }];
        }),
      ),
    );
}

/** The namespaces a monitor's `namespaceSelector` covers: `any`, a list, or its own namespace. */
function monitorNamespaces(monitor: KubeObject): (namespace: string) => boolean {
  const selector = obj(obj(monitor.object["spec"])["namespaceSelector"]);
  if (selector["any"] === true) return () => true;
  const names = arr(selector["matchNames"]).filter((n): n is string => typeof n === "string");
  if (names.length > 0) return (namespace) => names.includes(namespace);
  return (namespace) => namespace === monitor.namespace;
}

/**
 * The namespaces whose monitors kube-prometheus-stack's Prometheus picks up (its
 * `<kind>NamespaceSelector`), from the release's values; undefined when it selects every namespace.
 */
export function watchedNamespaces(world: World, kind: "ServiceMonitor" | "PodMonitor" | "PrometheusRule"): ((namespace: string) => boolean) | undefined {
  const values = obj(world.releases.find((r) => r.chart === "kube-prometheus-stack")?.values);
  const spec = obj(obj(values["prometheus"])["prometheusSpec"]);
  const key = kind === "ServiceMonitor" ? "serviceMonitorNamespaceSelector" : kind === "PodMonitor" ? "podMonitorNamespaceSelector" : "ruleNamespaceSelector";
  const selector = obj(spec[key]);
  const expressions = arr(selector["matchExpressions"]).map(obj);
  const names = expressions.find((e) => e["key"] === "kubernetes.io/metadata.name" && e["operator"] === "In")?.["values"];
  if (!Array.isArray(names)) return undefined;
  return (namespace) => names.includes(namespace);
}

/** Prometheus → each endpoint of each ServiceMonitor / PodMonitor in the plan. */
function monitorNeeds(world: World): Need[] {
  const prometheus = workloadSource(world, PROMETHEUS);
  if (prometheus === undefined) return [];
  const needs: Need[] = [];
  for (const monitor of world.objects.filter((o) => o.kind === "ServiceMonitor" || o.kind === "PodMonitor")) {
    const watched = watchedNamespaces(world, monitor.kind as "ServiceMonitor" | "PodMonitor");
    const blocked = watched === undefined || watched(monitor.namespace) ? {} : { blocked: `Prometheus does not watch namespace ${monitor.namespace} for ${monitor.kind}s (kube-prometheus-stack ${monitor.kind === "ServiceMonitor" ? "serviceMonitorNamespaceSelector" : "podMonitorNamespaceSelector"})` };
    const spec = obj(monitor.object["spec"]);
    const selector = labelsOf(obj(spec["selector"])["matchLabels"]);
    const inNamespace = monitorNamespaces(monitor);
    const endpoints = arr(monitor.kind === "ServiceMonitor" ? spec["endpoints"] : spec["podMetricsEndpoints"]).map(obj);
    const namespaces = [...new Set([...world.namespaceLabels.keys(), ...world.pods.map((p) => p.namespace), monitor.namespace])].filter(inNamespace).sort();
    for (const endpoint of endpoints) {
      const port = str(endpoint["port"]) ?? (typeof endpoint["targetPort"] === "number" ? String(endpoint["targetPort"]) : undefined);
      if (port === undefined) continue;
      const purpose = `metrics (${monitor.kind} ${monitor.namespace}/${monitor.name})`;
      if (monitor.kind === "ServiceMonitor") {
        const matching = world.services.filter((s) => inNamespace(s.namespace) && matchesService(s, selector));
        if (matching.length === 0) {
          needs.push({ purpose, origin: monitor.resource, from: prometheus, to: { kind: "pods", namespace: namespaces.join(","), selector, port, description: `a Service labelled ${formatLabels(selector)}` }, protocol: "TCP", secrets: [], ...blocked });
        }
        // Prometheus scrapes the Service's endpoints (pod addresses), so a waypoint the Service uses is not in the path.
        for (const service of matching) needs.push({ purpose, origin: monitor.resource, direct: true, from: prometheus, to: { kind: "service", namespace: service.namespace, name: service.name, port }, protocol: "TCP", secrets: [], ...blocked });
      } else {
        for (const namespace of namespaces.length > 0 ? namespaces : [monitor.namespace]) {
          const any = world.pods.some((p) => p.namespace === namespace && Object.entries(selector).every(([k, v]) => p.labels[k] === v));
          if (!any && namespaces.length > 1) continue;
          needs.push({ purpose, origin: monitor.resource, from: prometheus, to: { kind: "pods", namespace, selector, port, description: `pods labelled ${formatLabels(selector)}` }, protocol: "TCP", secrets: [], ...blocked });
        }
      }
    }
  }
  return needs;
}

/** A ServiceMonitor selects Services by the Services' own labels. */
function matchesService(service: World["services"][number], selector: Labels): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => service.labels[k] === v);
}

export const formatLabels = (labels: Labels): string =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
