/**
 * Pure: the pods, Services and Secrets Strimzi creates for one Kafka cluster, as the connection
 * registry declares them (`lib/connections.ts`). Labels, port names and Secret keys are the ones
 * Strimzi 1.2.0's cluster and user operators set (paths under strimzi/strimzi-kafka-operator):
 *
 * - node-pool pods: `Labels.generateDefaultLabels`-style labels of `model/KafkaPool.java`
 *   (`strimzi.io/name: <cluster>-kafka`, `strimzi.io/pool-name`, component type `kafka`,
 *   `app.kubernetes.io/part-of: strimzi-<cluster>`) plus the role labels
 *   `strimzi.io/broker-role` / `strimzi.io/controller-role` (`model/KafkaCluster.java` `generatePodSets`);
 * - container ports: `tcp-ctrlplane` 9090 on controllers, `tcp-replication` 9091 and one port per
 *   listener on brokers, `tcp-prometheus` 9404 with metrics (`KafkaCluster.getContainerPortList`);
 * - the bootstrap Service `<cluster>-kafka-bootstrap` with the replication port and one port per
 *   internal listener, selecting broker-role pods (`KafkaCluster.getServicePorts`, `brokersSelector`),
 *   and the headless `<cluster>-kafka-brokers` over every node (`generateHeadlessService`), whose
 *   per-pod names the brokers advertise to clients after bootstrap;
 * - the entity operator's pod (`model/EntityOperator.java`, component type `entity-operator`), whose
 *   User Operator writes each SCRAM user's Secret, named after the `KafkaUser`, with `password`
 *   and `sasl.jaas.config` (user-operator/.../model/KafkaUserModel.java);
 * - with metrics, the Kafka Exporter's pod (`model/KafkaExporter.java`, component type
 *   `kafka-exporter`, port `tcp-prometheus` 9404) and its client-certificate Secret
 *   `<cluster>-kafka-exporter-certs` with `kafka-exporter.crt`/`.key` (`KafkaExporterResources.secretName`,
 *   `CertSecretUtils.buildSecretData`); it reads the brokers on the bootstrap Service's replication port.
 */
import { type ConnectionDeclaration, fromWorkload, type WorkloadDeclaration } from "../../lib/connections";
import type { NodeRole } from "./values";
import { bootstrapServiceName, brokersServiceName, KAFKA_TLS_PORT, KAFKA_TLS_PORT_NAME, STRIMZI_OPERATOR_POD_LABELS } from "./values";

/** Keys the User Operator writes into a SCRAM-SHA-512 user's Secret. */
export const KAFKA_USER_SECRET_KEYS = ["password", "sasl.jaas.config"] as const;

export interface KafkaWorkloadArgs {
  /** `Kafka.metadata.name`. */
  readonly cluster: string;
  readonly namespace: string;
  /** Node pools by name with their KRaft roles. */
  readonly pools: Readonly<Record<string, { readonly roles: readonly NodeRole[] }>>;
  /** The `KafkaUser` whose Secret the User Operator creates. */
  readonly username: string;
  /** Whether the brokers serve Strimzi's metrics reporter on `tcp-prometheus`. */
  readonly metrics: boolean;
}

/** Labels Strimzi puts on every pod of one component of the cluster. */
function componentLabels(cluster: string, name: string, componentType: string): Record<string, string> {
  return {
    "strimzi.io/cluster": cluster,
    "strimzi.io/kind": "Kafka",
    "strimzi.io/name": name,
    "strimzi.io/component-type": componentType,
    "app.kubernetes.io/name": componentType,
    "app.kubernetes.io/instance": cluster,
    "app.kubernetes.io/part-of": `strimzi-${cluster}`,
    "app.kubernetes.io/managed-by": "strimzi-cluster-operator",
  };
}

/** One workload per node pool, the bootstrap Service on the broker pools, and the entity operator with the user's Secret. */
export function kafkaWorkloads(args: KafkaWorkloadArgs): WorkloadDeclaration[] {
  const pools = Object.entries(args.pools).map(([pool, { roles }]): WorkloadDeclaration => {
    const broker = roles.includes("broker");
    const controller = roles.includes("controller");
    const brokerPorts = { "tcp-replication": 9091, [KAFKA_TLS_PORT_NAME]: KAFKA_TLS_PORT };
    return {
      id: `${args.namespace}/${args.cluster}-${pool}`,
      pods: {
        namespace: args.namespace,
        labels: {
          ...componentLabels(args.cluster, `${args.cluster}-kafka`, "kafka"),
          "strimzi.io/pool-name": pool,
          "strimzi.io/broker-role": String(broker),
          "strimzi.io/controller-role": String(controller),
        },
      },
      containerPorts: {
        ...(controller ? { "tcp-ctrlplane": 9090 } : {}),
        ...(broker ? brokerPorts : {}),
        ...(args.metrics ? { "tcp-prometheus": 9404 } : {}),
      },
      services: [
        ...(broker ? [{ name: bootstrapServiceName(args.cluster), ports: brokerPorts }] : []),
        { name: brokersServiceName(args.cluster), ports: { ...(controller ? { "tcp-ctrlplane": 9090 } : {}), ...(broker ? brokerPorts : {}) } },
      ],
    };
  });
  const entityOperator: WorkloadDeclaration = {
    id: `${args.namespace}/${args.cluster}-entity-operator`,
    pods: { namespace: args.namespace, labels: componentLabels(args.cluster, `${args.cluster}-entity-operator`, "entity-operator") },
    secrets: [{ name: args.username, keys: [...KAFKA_USER_SECRET_KEYS] }],
  };
  return [...pools, entityOperator, ...(args.metrics ? [kafkaExporterWorkload(args.cluster, args.namespace)] : [])];
}

/** The Kafka Exporter's pod (`spec.kafkaExporter`), scraped by the brokers' PodMonitor, which selects every pod of the `Kafka`. */
export function kafkaExporterWorkload(cluster: string, namespace: string): WorkloadDeclaration {
  const name = `${cluster}-kafka-exporter`;
  return {
    id: `${namespace}/${name}`,
    pods: { namespace, labels: componentLabels(cluster, name, "kafka-exporter") },
    containerPorts: { "tcp-prometheus": 9404 },
    secrets: [{ name: `${name}-certs`, keys: ["kafka-exporter.crt", "kafka-exporter.key"] }],
  };
}

/** The Kafka Exporter reads offsets and group lag from the brokers' replication listener with its client certificate. */
export function kafkaExporterConnection(cluster: string, namespace: string): ConnectionDeclaration {
  const exporter = kafkaExporterWorkload(cluster, namespace);
  return {
    purpose: "consumer-group lag (Kafka Exporter)",
    from: fromWorkload(exporter),
    to: { kind: "service", namespace, name: bootstrapServiceName(cluster), port: "tcp-replication" },
    secrets: [{ name: `${cluster}-kafka-exporter-certs`, keys: ["kafka-exporter.crt", "kafka-exporter.key"] }],
  };
}

/** The cluster operator's pod as the chart's Deployment template labels it, with its `http` port (8080: health and metrics). */
export function strimziOperatorWorkload(namespace: string): WorkloadDeclaration {
  return { id: `${namespace}/strimzi-cluster-operator`, pods: { namespace, labels: { ...STRIMZI_OPERATOR_POD_LABELS } }, containerPorts: { http: 8080 } };
}
