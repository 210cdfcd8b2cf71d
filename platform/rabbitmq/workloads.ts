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
 * own (internal/resource/rabbitmq_resource_builder.go `ResourceBuilders`).
 */
import type { WorkloadDeclaration } from "../../lib/connections";
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
