/**
 * Pure: the NetworkPolicies observability adds to the cluster layer's default-deny set. The
 * cluster layer already lets the monitoring namespace reach every strata namespace (scrapes, and an
 * in-cluster object store in the data namespace), nodes on 9100/10250 and anything outside on 443
 * (S3, alert receivers), and lets the Gateway reach it; this adds exactly the pushes and scrapes
 * observability needs beyond that.
 */
import type * as k8sInput from "@pulumi/kubernetes/types/input";
import { OTLP_GRPC_PORT, OTLP_HTTP_PORT } from "./traces-values";

export interface ObservabilityPolicyInput {
  readonly monitoring: string;
  readonly apps: readonly string[];
  /** Node-level ports scraped outside the pod network (control-plane components turned on). */
  readonly nodePorts: readonly number[];
}

type Peer = k8sInput.networking.v1.NetworkPolicyPeer;
const ns = (...names: string[]): Peer => ({ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: [...names].sort() }] } });
const tcp = (...ports: readonly number[]) => ports.map((port) => ({ protocol: "TCP", port }));

export interface NamedPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly spec: k8sInput.networking.v1.NetworkPolicySpec;
}

export function observabilityPolicies(input: ObservabilityPolicyInput): NamedPolicy[] {
  const otlp = tcp(OTLP_GRPC_PORT, OTLP_HTTP_PORT);
  const policies: NamedPolicy[] = [];
  if (input.apps.length > 0) {
    policies.push({
      name: "allow-otlp-from-apps",
      namespace: input.monitoring,
      spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [ns(...input.apps)], ports: otlp }] },
    });
    for (const app of input.apps) {
      policies.push({ name: "allow-otlp-to-monitoring", namespace: app, spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [ns(input.monitoring)], ports: otlp }] } });
    }
  }
  // CoreDNS metrics (kube-system is not a strata namespace, so the cluster layer's scrape rule misses it).
  const scrapeRules: k8sInput.networking.v1.NetworkPolicyEgressRule[] = [
    { to: [{ ...ns("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: tcp(9153) },
  ];
  if (input.nodePorts.length > 0) scrapeRules.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: tcp(...input.nodePorts) });
  policies.push({ name: "allow-scrape-system", namespace: input.monitoring, spec: { podSelector: {}, policyTypes: ["Egress"], egress: scrapeRules } });
  return policies;
}

/** Node ports of the control-plane components Prometheus scrapes when they are turned on. */
export const CONTROL_PLANE_PORTS = { etcd: 2381, scheduler: 10259, controllerManager: 10257, kubeProxy: 10249 } as const;
