/**
 * One Istio waypoint per meshed app namespace where a service sets `resilience`
 * (apps/service/resilience.ts): the Gateway Istio turns into a waypoint Deployment, its
 * NetworkPolicy, a PodMonitor on its Envoy stats, and the pods and paths the connection check
 * proves (callers → waypoint 15008 comes from the Services' `istio.io/use-waypoint` label;
 * waypoint → each app's pods, which it dials directly, is declared here).
 *
 * Istio 1.30.3: the waypoint's pods carry `gateway.networking.k8s.io/gateway-name: <gateway>` and
 * `istio.io/dataplane-mode: none` (ztunnel leaves them alone; they speak HBONE themselves),
 * run as a ServiceAccount named after the Gateway, serve HBONE on 15008 and Envoy's Prometheus
 * stats on `http-envoy-prom` 15090 (`/stats/prometheus`), and fetch their config from istiod over
 * xDS 15012.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { declareConnection, declareWorkload } from "../lib/connections";
import { standardLabels } from "../lib/labels";
import { DATAPLANE_MODE_LABEL, HBONE_PORT } from "../lib/mesh";
import { HTTP_PORT_NAME } from "./service/deployment";
import { type MonitoringCrds, withMonitoringCrds } from "../lib/monitoring-crds";
import { GATEWAY_NAME_LABEL, WAYPOINT_NAME, waypointManifest } from "./service/resilience";

export const WAYPOINT_STATS = { port: "http-envoy-prom", number: 15090, path: "/stats/prometheus" } as const;
const XDS_PORT = 15012;
const NAMESPACE_LABEL = "kubernetes.io/metadata.name";

export interface WaypointArgs {
  readonly namespace: string;
  readonly provider: k8s.Provider;
  /** Apps whose Services use the waypoint: name, container port and Service port. */
  readonly apps: readonly { readonly name: string; readonly port: number; readonly servicePort: number }[];
  /** Namespaces whose meshed pods may call through the waypoint (app namespaces, the Gateway's). */
  readonly callerNamespaces: readonly string[];
  /** Where istiod runs. */
  readonly istioNamespace: string;
  /** Where Prometheus runs; the waypoint's stats are scraped from there. @default - not scraped */
  readonly monitoringNamespace?: string;
  readonly monitoringCrds?: MonitoringCrds;
}

const byNamespace = (namespace: string) => ({ namespaceSelector: { matchLabels: { [NAMESPACE_LABEL]: namespace } } });

export function waypointNetworkPolicyManifest(args: Pick<WaypointArgs, "namespace" | "apps" | "callerNamespaces" | "istioNamespace" | "monitoringNamespace">, labels: Readonly<Record<string, string>>) {
  const hbone = { protocol: "TCP", port: HBONE_PORT };
  return {
    metadata: { name: WAYPOINT_NAME, namespace: args.namespace, labels: { ...labels } },
    spec: {
      podSelector: { matchLabels: { [GATEWAY_NAME_LABEL]: WAYPOINT_NAME } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        { from: [...new Set(args.callerNamespaces)].sort().map(byNamespace), ports: [hbone] },
        ...(args.monitoringNamespace === undefined ? [] : [{ from: [byNamespace(args.monitoringNamespace)], ports: [{ protocol: "TCP", port: WAYPOINT_STATS.number }] }]),
      ],
      egress: [
        { to: [{ ...byNamespace("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }] },
        { to: [byNamespace(args.istioNamespace)], ports: [{ protocol: "TCP", port: XDS_PORT }] },
        ...args.apps.map((app) => ({ to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": app.name } } }], ports: [{ protocol: "TCP", port: app.port }, hbone] })),
      ],
    },
  };
}

export class Waypoint extends pulumi.ComponentResource {
  constructor(name: string, args: WaypointArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:apps:Waypoint", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const labels = standardLabels({ name: WAYPOINT_NAME, component: "waypoint" });
    new k8s.apiextensions.CustomResource(`${name}-gateway`, waypointManifest(args.namespace, labels), child);
    new k8s.networking.v1.NetworkPolicy(`${name}-network-policy`, waypointNetworkPolicyManifest(args, labels), child);
    const pods = { namespace: args.namespace, labels: { [GATEWAY_NAME_LABEL]: WAYPOINT_NAME, [DATAPLANE_MODE_LABEL]: "none" } };
    const id = `${args.namespace}/${WAYPOINT_NAME}`;
    declareWorkload({ id, pods, containerPorts: { [WAYPOINT_STATS.port]: WAYPOINT_STATS.number }, serviceAccount: WAYPOINT_NAME });
    for (const app of args.apps) {
      declareConnection({ purpose: "waypoint forwards calls", from: { kind: "pods", pods, workload: id }, to: { kind: "pods", namespace: args.namespace, selector: { "app.kubernetes.io/name": app.name }, port: HTTP_PORT_NAME, description: `pods of ${app.name}` } });
    }
    if (args.monitoringNamespace !== undefined) {
      new k8s.apiextensions.CustomResource(
        `${name}-pod-monitor`,
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "PodMonitor",
          metadata: { name: WAYPOINT_NAME, namespace: args.namespace, labels },
          spec: { selector: { matchLabels: { [GATEWAY_NAME_LABEL]: WAYPOINT_NAME } }, podMetricsEndpoints: [{ port: WAYPOINT_STATS.port, path: WAYPOINT_STATS.path }] },
        },
        { ...child, dependsOn: withMonitoringCrds([], args.monitoringCrds) },
      );
    }
    this.registerOutputs({});
  }
}
