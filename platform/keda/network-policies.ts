/**
 * Pure: the NetworkPolicies KEDA adds to the cluster layer's default-deny set. The operators
 * namespace already allows DNS, the API server, traffic inside the namespace (the metrics API
 * server reaches the operator's gRPC port there) and webhook calls from the control plane on
 * 443/9443/10250. This adds the API server's calls to the metrics API server's container port
 * (6443, behind its Service's 443) and the operator's Prometheus queries, in both namespaces.
 */
import type * as k8sInput from "@pulumi/kubernetes/types/input";
import { KEDA_APPS, KEDA_PORTS } from "./values";

export interface KedaPolicyInput {
  /** Namespace KEDA runs in. */
  readonly namespace: string;
  /** Where the API server's calls come from (the control-plane or node range; anywhere when unknown). */
  readonly controlPlane: readonly string[];
  /** Prometheus: namespace, pod labels and port the operator queries. */
  readonly prometheus: { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>>; readonly port: number };
}

export interface NamedPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly spec: k8sInput.networking.v1.NetworkPolicySpec;
}

const NAMESPACE_LABEL = "kubernetes.io/metadata.name";

export function kedaPolicies(input: KedaPolicyInput): NamedPolicy[] {
  const controlPlane = input.controlPlane.map((cidr) => ({ ipBlock: { cidr } }));
  const prometheus = { namespaceSelector: { matchLabels: { [NAMESPACE_LABEL]: input.prometheus.namespace } }, podSelector: { matchLabels: { ...input.prometheus.podLabels } } };
  const port = [{ protocol: "TCP", port: input.prometheus.port }];
  return [
    {
      name: "keda-allow-api-server",
      namespace: input.namespace,
      spec: {
        podSelector: { matchExpressions: [{ key: "app", operator: "In", values: [KEDA_APPS.metricsServer, KEDA_APPS.webhooks] }] },
        policyTypes: ["Ingress"],
        ingress: [{ from: controlPlane, ports: [{ protocol: "TCP", port: KEDA_PORTS.metricsServer }, { protocol: "TCP", port: KEDA_PORTS.webhooks }] }],
      },
    },
    {
      name: "keda-allow-prometheus",
      namespace: input.namespace,
      spec: { podSelector: { matchLabels: { app: KEDA_APPS.operator } }, policyTypes: ["Egress"], egress: [{ to: [prometheus], ports: port }] },
    },
    {
      name: "allow-keda-queries",
      namespace: input.prometheus.namespace,
      spec: {
        podSelector: { matchLabels: { ...input.prometheus.podLabels } },
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_LABEL]: input.namespace } }, podSelector: { matchLabels: { app: KEDA_APPS.operator } } }], ports: port }],
      },
    },
  ];
}
