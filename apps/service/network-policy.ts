/**
 * Pure: the app's NetworkPolicy. Ingress only from the gateway (when routed), the apps that
 * declared it as a callee and monitoring (metrics port); egress only to DNS and the platform
 * services it uses, the apps it calls, on their ports, and the external CIDRs it declares.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { AppServiceSpec } from "../../config/apps/service";
import { HBONE_PORT, PROBE_SNAT_ADDRESS } from "../../lib/mesh";
import { GATEWAY_NAME_LABEL, WAYPOINT_NAME } from "./resilience";
import { egressHostsAnnotation, externalEgressRules } from "./egress";

/** A pod group the app is reached from: every pod of a namespace, or the pods of one app there. */
export interface Peer {
  readonly namespace: string;
  /** `app.kubernetes.io/name` of the peer pods; absent for every pod of the namespace. */
  readonly app?: string;
}

/** A platform service the app connects to: its namespace and every port it publishes for clients. */
export interface EgressTarget {
  readonly namespace: string;
  readonly ports: readonly pulumi.Input<number>[];
}

export interface NetworkPolicyInput {
  readonly name: string;
  readonly namespace: string;
  readonly spec: AppServiceSpec;
  readonly labels: Readonly<Record<string, string>>;
  readonly selector: Readonly<Record<string, string>>;
  /** Gateway namespace, when the app has a route. */
  readonly gatewayNamespace?: string;
  readonly monitoringNamespace?: string;
  readonly callers: readonly Peer[];
  readonly uses: readonly EgressTarget[];
  /** Apps this one calls (those that list it in `callers`), on their HTTP ports; `waypoint` when calls to it pass its namespace's waypoint. @default [] */
  readonly calls?: readonly (Peer & { readonly port: number; readonly waypoint?: boolean })[];
  /** Whether calls to this app pass its namespace's waypoint (its `resilience` in the mesh). @default false */
  readonly viaWaypoint?: boolean;
  /** Egress to the Pod Identity agent and to S3 (EKS), beside the spec's `egress`. @default - neither */
  readonly cloud?: { readonly podIdentity: boolean; readonly s3: boolean };
  /** The Istio ambient mesh, when the app's own namespace is in it. @default - not meshed */
  readonly mesh?: AppMesh;
}

/** What the app's policy needs to know of the ambient mesh. */
export interface AppMesh {
  /** Namespaces whose pods are meshed (callers and callees there talk HBONE with this app). */
  readonly namespaces: readonly string[];
  /** Whether the Gateway's proxies are meshed (then they reach the app over HBONE). */
  readonly gateway: boolean;
}

const NAMESPACE_LABEL = "kubernetes.io/metadata.name";

function peer(p: Peer) {
  return {
    namespaceSelector: { matchLabels: { [NAMESPACE_LABEL]: p.namespace } },
    ...(p.app === undefined ? {} : { podSelector: { matchLabels: { "app.kubernetes.io/name": p.app } } }),
  };
}

function metricsIngress(input: NetworkPolicyInput) {
  const metricsPort = input.spec.metricsPort;
  return input.monitoringNamespace === undefined || metricsPort === undefined ? [] : [{ from: [peer({ namespace: input.monitoringNamespace })], ports: [{ protocol: "TCP", port: metricsPort }] }];
}

/** The waypoint's pods of a namespace (Istio labels them with their Gateway's name). */
export function waypointPeer(namespace: string) {
  return { namespaceSelector: { matchLabels: { [NAMESPACE_LABEL]: namespace } }, podSelector: { matchLabels: { [GATEWAY_NAME_LABEL]: WAYPOINT_NAME } } };
}

export function networkPolicyManifest(input: NetworkPolicyInput) {
  const { spec } = input;
  // A worker, cronjob or job serves no port: only Prometheus (on its metrics port) and, when meshed,
  // the kubelet's probes come in.
  const http = spec.port === undefined ? undefined : [{ protocol: "TCP", port: spec.port }];
  // Between meshed pods ztunnel carries each connection to HBONE 15008 of the destination pod, and
  // NetworkPolicy applies to those packets (istio.io, "Ambient and Kubernetes NetworkPolicy").
  const mesh = input.mesh;
  const meshed = (p: Peer) => mesh !== undefined && mesh.namespaces.includes(p.namespace);
  const hbone = { protocol: "TCP", port: HBONE_PORT };
  const callerGroups = [input.callers.filter((p) => !meshed(p)), input.callers.filter(meshed)] as const;
  // Kubelet probes reach a meshed pod from the link-local address istio-cni SNATs them to.
  const probes = mesh === undefined ? [] : [{ from: [{ ipBlock: { cidr: `${PROBE_SNAT_ADDRESS}/32` } }] }];
  const ingress = http === undefined ? [...probes, ...metricsIngress(input)] : [
    ...(input.gatewayNamespace === undefined ? [] : [{ from: [peer({ namespace: input.gatewayNamespace })], ports: mesh?.gateway === true ? [...http, hbone] : http }]),
    ...callerGroups.flatMap((group, i) => (group.length === 0 ? [] : [{ from: group.map(peer), ports: i === 0 ? http : [...http, hbone] }])),
    // Through a waypoint, the app's ztunnel receives the call from the waypoint's pods over HBONE.
    ...(mesh === undefined || input.viaWaypoint !== true || http === undefined ? [] : [{ from: [waypointPeer(input.namespace)], ports: [...http, hbone] }]),
    ...probes,
    ...metricsIngress(input),
  ];
  const egress = [
    {
      to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_LABEL]: "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
      ports: [
        { protocol: "UDP", port: 53 },
        { protocol: "TCP", port: 53 },
      ],
    },
    ...input.uses.map((target) => ({ to: [peer({ namespace: target.namespace })], ports: target.ports.map((port) => ({ protocol: "TCP", port })) })),
    ...(input.calls ?? []).map((callee) => ({ to: [peer(callee)], ports: [{ protocol: "TCP", port: callee.port }, ...(meshed(callee) ? [hbone] : [])] })),
    // A call to a Service with a waypoint leaves as HBONE to the waypoint's pods.
    ...[...new Set((input.calls ?? []).filter((callee) => callee.waypoint === true && meshed(callee)).map((callee) => callee.namespace))].map((namespace) => ({ to: [waypointPeer(namespace)], ports: [hbone] })),
    ...externalEgressRules({ egress: spec.egress, podIdentity: input.cloud?.podIdentity ?? false, s3: input.cloud?.s3 ?? false }),
  ];
  const annotations = egressHostsAnnotation(spec.egress);
  return {
    metadata: { name: input.name, namespace: input.namespace, labels: { ...input.labels }, ...(annotations === undefined ? {} : { annotations }) },
    spec: { podSelector: { matchLabels: { ...input.selector } }, policyTypes: ["Ingress", "Egress"], ingress, egress },
  };
}
