/**
 * Pure: the NetworkPolicies observability adds to the cluster layer's default-deny set. The
 * cluster layer lets the monitoring namespace reach every strata namespace (scrapes, and an
 * in-cluster object store in the data namespace), the API server and nodes on 9100/10250, and
 * lets the Gateway reach it; nothing beyond the cluster, and nothing from the control plane
 * (cluster/network-policies/values.ts). This adds exactly what observability needs beyond that:
 * the apps' OTLP pushes, the system scrapes, Alertmanager's notifications to its receivers, Loki's
 * and Tempo's S3 and STS calls where their buckets are outside the cluster (EKS), and the API
 * server's calls to the Prometheus Operator's admission webhooks.
 */
import type * as k8sInput from "@pulumi/kubernetes/types/input";
import type { ClusterAddresses } from "../../cluster/network-policies/addresses";
import { LOKI_POD_LABELS } from "./logs-values";
import { ALERTMANAGER_POD_LABELS, OPERATOR_POD_LABELS, OPERATOR_WEBHOOK } from "./prometheus-values";
import type { TelemetryStore } from "./store-identity";
import { OTLP_GRPC_PORT, OTLP_HTTP_PORT, TEMPO_POD_LABELS } from "./traces-values";

export interface ObservabilityPolicyInput {
  readonly monitoring: string;
  readonly apps: readonly string[];
  /** Node-level ports scraped outside the pod network (control-plane components turned on). */
  readonly nodePorts: readonly number[];
  /** The cluster's ranges: what is outside it, and where the API server's webhook calls come from. */
  readonly addresses: Pick<ClusterAddresses, "internal" | "controlPlane">;
  /** Stores whose bucket is outside the cluster, reached with a web identity (S3 and STS on EKS). @default [] */
  readonly externalStores?: readonly TelemetryStore[];
  /** With single sign-on: the gateway proxies (their namespace and labels) trade codes for tokens at the provider, Grafana reads its keys. @default - no SSO */
  readonly sso?: { readonly gatewayNamespace: string; readonly proxyLabels: Readonly<Record<string, string>>; readonly grafanaLabels: Readonly<Record<string, string>> };
}

type Peer = k8sInput.networking.v1.NetworkPolicyPeer;
const ns = (...names: string[]): Peer => ({ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: [...names].sort() }] } });
const tcp = (...ports: readonly number[]) => ports.map((port) => ({ protocol: "TCP", port }));

export interface NamedPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly spec: k8sInput.networking.v1.NetworkPolicySpec;
}

/** Each telemetry store's workload and pods, as its chart labels them. */
export const STORE_PODS: Readonly<Record<TelemetryStore, { readonly name: string; readonly labels: Readonly<Record<string, string>> }>> = {
  logs: { name: "loki", labels: LOKI_POD_LABELS },
  traces: { name: "tempo", labels: TEMPO_POD_LABELS },
};

export function observabilityPolicies(input: ObservabilityPolicyInput): NamedPolicy[] {
  const otlp = tcp(OTLP_GRPC_PORT, OTLP_HTTP_PORT);
  const { monitoring } = input;
  const policies: NamedPolicy[] = [];
  if (input.apps.length > 0) {
    policies.push({
      name: "allow-otlp-from-apps",
      namespace: monitoring,
      spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [ns(...input.apps)], ports: otlp }] },
    });
    for (const app of input.apps) {
      policies.push({ name: "allow-otlp-to-monitoring", namespace: app, spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [ns(monitoring)], ports: otlp }] } });
    }
  }
  // CoreDNS metrics (kube-system is not a strata namespace, so the cluster layer's scrape rule misses it).
  const scrapeRules: k8sInput.networking.v1.NetworkPolicyEgressRule[] = [
    { to: [{ ...ns("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: tcp(9153) },
  ];
  if (input.nodePorts.length > 0) scrapeRules.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: tcp(...input.nodePorts) });
  policies.push({ name: "allow-scrape-system", namespace: monitoring, spec: { podSelector: {}, policyTypes: ["Egress"], egress: scrapeRules } });

  // HTTPS outside the cluster, with the cluster layer's internal ranges excepted (cluster/network-policies).
  const httpsOutside = [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...input.addresses.internal] } }], ports: tcp(443) }];
  // Slack, PagerDuty Events v2 and webhook receivers are HTTPS endpoints on the Internet.
  policies.push({
    name: "allow-alertmanager-receivers",
    namespace: monitoring,
    spec: { podSelector: { matchLabels: { ...ALERTMANAGER_POD_LABELS } }, policyTypes: ["Egress"], egress: httpsOutside },
  });
  // S3 and STS: the SDK trades the pod's web-identity token for the role's credentials at STS.
  for (const store of [...new Set(input.externalStores ?? [])].sort()) {
    const pods = STORE_PODS[store];
    policies.push({ name: `allow-${pods.name}-object-store`, namespace: monitoring, spec: { podSelector: { matchLabels: { ...pods.labels } }, policyTypes: ["Egress"], egress: httpsOutside } });
  }
  // Single sign-on: the provider is an HTTPS endpoint outside the cluster.
  if (input.sso !== undefined) {
    policies.push({ name: "allow-proxies-oidc-provider", namespace: input.sso.gatewayNamespace, spec: { podSelector: { matchLabels: { ...input.sso.proxyLabels } }, policyTypes: ["Egress"], egress: httpsOutside } });
    policies.push({ name: "allow-grafana-oidc-keys", namespace: monitoring, spec: { podSelector: { matchLabels: { ...input.sso.grafanaLabels } }, policyTypes: ["Egress"], egress: httpsOutside } });
  }
  // The API server's admission calls arrive from the control plane (nodes), on the container port.
  policies.push({
    name: "allow-operator-webhooks",
    namespace: monitoring,
    spec: {
      podSelector: { matchLabels: { ...OPERATOR_POD_LABELS } },
      policyTypes: ["Ingress"],
      ingress: [{ from: input.addresses.controlPlane.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(OPERATOR_WEBHOOK.containerPort) }],
    },
  });
  return policies;
}

/** Node ports of the control-plane components Prometheus scrapes when they are turned on. */
export const CONTROL_PLANE_PORTS = { etcd: 2381, scheduler: 10259, controllerManager: 10257, kubeProxy: 10249 } as const;
