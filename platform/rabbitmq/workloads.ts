/**
 * Pure: the pods the RabbitMQ cluster operator (v2.22.3) creates for a `RabbitmqCluster`, as the
 * connection check sees them (lib/connections.ts):
 * - pod labels `app.kubernetes.io/{name: <cluster>, component: rabbitmq, part-of: rabbitmq}`
 *   (internal/metadata/label.go `Label`); the Services select `app.kubernetes.io/name` only;
 * - container ports `epmd` 4369, `amqp` 5672, `management` 15672, `prometheus` 15692 and, with
 *   TLS, `amqps` 5671, `management-tls` 15671, `prometheus-tls` 15691
 *   (internal/resource/statefulset.go);
 * - the client Service `<cluster>` with `amqp` and `management`, plus `prometheus` 15692 without
 *   TLS, or `amqps`, `management-tls` and `prometheus-tls` 15691 with it (never both metrics
 *   ports; internal/resource/service.go `generateServicePortsMap`); the headless `<cluster>-nodes`
 *   with `epmd` and `cluster-rpc` 25672 (internal/resource/headless_service.go).
 * The operator writes no default-user Secret here: `secretBackend.externalSecret` names strata's
 * own (internal/resource/rabbitmq_resource_builder.go `ResourceBuilders`). The operator's own
 * pods carry the labels of config/manager/manager.yaml and run in the manifest's namespace; they
 * read every node's management API (./network-policies.ts).
 */
import { type ConnectionDeclaration, fromWorkload, type WorkloadDeclaration } from "../../lib/connections";
import { AMQP_PORT, AMQPS_PORT } from "./values";

export const RABBITMQ_PORTS = { epmd: 4369, amqp: AMQP_PORT, management: 15672, prometheus: 15692, amqps: AMQPS_PORT, managementTls: 15671, prometheusTls: 15691, clusterRpc: 25672 } as const;

/** The labels the operator gives the pods and Services. */
export function rabbitmqLabels(cluster: string): Record<string, string> {
  return { "app.kubernetes.io/name": cluster, "app.kubernetes.io/component": "rabbitmq", "app.kubernetes.io/part-of": "rabbitmq" };
}

export function rabbitmqWorkload(namespace: string, cluster: string, options: { readonly tls: boolean }): WorkloadDeclaration {
  const P = RABBITMQ_PORTS;
  const tlsPorts: Record<string, number> = options.tls ? { amqps: P.amqps, "management-tls": P.managementTls, "prometheus-tls": P.prometheusTls } : {};
  return {
    id: `${namespace}/${cluster}`,
    pods: { namespace, labels: rabbitmqLabels(cluster) },
    containerPorts: { epmd: P.epmd, amqp: P.amqp, management: P.management, prometheus: P.prometheus, ...tlsPorts },
    services: [
      { name: cluster, ports: { amqp: P.amqp, management: P.management, ...(options.tls ? tlsPorts : { prometheus: P.prometheus }) }, labels: rabbitmqLabels(cluster) },
      { name: `${cluster}-nodes`, ports: { epmd: P.epmd, "cluster-rpc": P.clusterRpc }, labels: rabbitmqLabels(cluster) },
    ],
  };
}

/** The cluster operator's pod labels (config/manager/manager.yaml). */
export const RABBITMQ_OPERATOR_LABELS = { "app.kubernetes.io/name": "rabbitmq-cluster-operator", "app.kubernetes.io/component": "rabbitmq-operator", "app.kubernetes.io/part-of": "rabbitmq" } as const;

export function rabbitmqOperatorWorkload(operatorNamespace: string): WorkloadDeclaration {
  return { id: `${operatorNamespace}/rabbitmq-cluster-operator`, pods: { namespace: operatorNamespace, labels: RABBITMQ_OPERATOR_LABELS }, containerPorts: { metrics: 8080 } };
}

/** The operator → the cluster's management API (its pods and its client Service share the port). */
export function rabbitmqOperatorConnection(operator: WorkloadDeclaration, namespace: string, cluster: string): ConnectionDeclaration {
  return { purpose: "operator reads the management API (quorum status, versions)", from: fromWorkload(operator), to: { kind: "service", namespace, name: cluster, port: RABBITMQ_PORTS.management } };
}

/**
 * The messaging-topology-operator's pods (v1.20.1 config/manager/manager.yaml; the manifest's
 * `namePrefix` makes the Deployment `messaging-topology-operator`) and its admission webhook, the
 * Service `messaging-topology-webhook-service` 443 → `webhook-server` 9443
 * (config/webhook/service.yaml, config/default/manager_webhook_patch.yaml).
 */
export const TOPOLOGY_OPERATOR_LABELS = { "app.kubernetes.io/name": "messaging-topology-operator", "app.kubernetes.io/component": "rabbitmq-operator", "app.kubernetes.io/part-of": "rabbitmq" } as const;
const TOPOLOGY_WEBHOOK_PORT = 9443;

export function topologyOperatorWorkload(operatorNamespace: string): WorkloadDeclaration {
  return {
    id: `${operatorNamespace}/messaging-topology-operator`,
    pods: { namespace: operatorNamespace, labels: TOPOLOGY_OPERATOR_LABELS },
    containerPorts: { "webhook-server": TOPOLOGY_WEBHOOK_PORT },
    services: [{ name: "messaging-topology-webhook-service", ports: { https: 443 }, targetPorts: { https: TOPOLOGY_WEBHOOK_PORT }, labels: { "app.kubernetes.io/name": "messaging-topology-operator" } }],
  };
}

/**
 * The topology operator → the cluster's management API, where it puts users, vhosts and
 * permissions with the default user's credentials (rabbitmqclient/cluster_reference.go: the
 * `status.binding` Secret, the client Service's `management` port); the API server → its webhook.
 */
export function topologyOperatorConnections(operator: WorkloadDeclaration, namespace: string, cluster: string): ConnectionDeclaration[] {
  return [
    {
      purpose: "topology operator puts the apps' users, vhosts and permissions",
      from: fromWorkload(operator),
      // It reads the default user's Secret through the API server, not from a mount.
      to: { kind: "service", namespace, name: cluster, port: RABBITMQ_PORTS.management },
    },
    { purpose: "API server calls the topology operator's admission webhook", from: { kind: "api-server" }, to: { kind: "service", namespace: operator.pods.namespace, name: "messaging-topology-webhook-service", port: 443 } },
  ];
}
