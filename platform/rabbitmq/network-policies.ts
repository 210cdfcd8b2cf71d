/**
 * Pure: the NetworkPolicy the RabbitMQ cluster operator needs in the data namespace. The operator
 * runs in its own namespace (`rabbitmq-system`, from its release manifest), which the cluster
 * layer's `allow-from-operators` does not name, and v2.22.3 reads each node's management API
 * every reconcile: quorum status from `<pod>.<cluster>-nodes.<ns>.svc:15672`, the RabbitMQ and
 * Erlang versions from pod 0, deprecated features through the client Service
 * (internal/rabbitmqclient/client.go `getClientInfoForPod`, internal/controller/reconcile_status.go,
 * reconcile_cli.go, deprecated_feature_controller.go). It uses 15671 only when non-TLS listeners
 * are disabled, which strata never does.
 */
import type * as k8sInput from "@pulumi/kubernetes/types/input";
import { rabbitmqPodLabels } from "./values";
import { RABBITMQ_OPERATOR_LABELS, RABBITMQ_PORTS, TOPOLOGY_OPERATOR_LABELS } from "./workloads";

export interface NamedPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly spec: k8sInput.networking.v1.NetworkPolicySpec;
}

/**
 * Admits the operators' pods to the cluster's pods on the management port: the cluster operator's
 * and the messaging-topology-operator's, which puts the apps' users through the same API
 * (./workloads.ts).
 */
export function rabbitmqOperatorPolicy(input: { readonly cluster: string; readonly namespace: string; readonly operatorNamespace: string }): NamedPolicy {
  return {
    name: `allow-${input.cluster}-operator`,
    namespace: input.namespace,
    spec: {
      podSelector: { matchLabels: rabbitmqPodLabels(input.cluster) },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [RABBITMQ_OPERATOR_LABELS, TOPOLOGY_OPERATOR_LABELS].map((labels) => ({
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": input.operatorNamespace } },
            podSelector: { matchLabels: { ...labels } },
          })),
          ports: [{ protocol: "TCP", port: RABBITMQ_PORTS.management }],
        },
      ],
    },
  };
}
