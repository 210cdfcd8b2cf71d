/**
 * Pure: what a worker that scales on a broker adds to its ScaledObject — KEDA's `kafka` trigger
 * on a consumer group's lag, or its `rabbitmq` trigger on a queue's length — and the
 * TriggerAuthentication and Secret (in the app's namespace, where KEDA resolves them) that hand
 * the scaler the same credentials the app connects with.
 *
 * Parameter names are those of the pinned KEDA (2.20.2, `lib/catalog.ts`), from
 * kedacore/keda v2.20.2:
 * - pkg/scalers/kafka_scaler.go `kafkaMetadata`: trigger metadata `bootstrapServers`,
 *   `consumerGroup`, `topic`, `lagThreshold` (default 10), `activationLagThreshold` (default 0);
 *   auth params `sasl` (enum none|plaintext|scram_sha256|scram_sha512|…), `username`,
 *   `password`, `tls` (enable|disable, default disable) and `ca` (PEM). strata's Kafka listener is
 *   SCRAM-SHA-512 over TLS (`KafkaClientSettings`), so `sasl: scram_sha512`, `tls: enable` and
 *   the cluster CA.
 * - pkg/scalers/rabbitmq_scaler.go `rabbitMQMetadata`: trigger metadata `queueName`, `mode`
 *   (`QueueLength`), `value`, `activationValue`, `protocol` (auto|amqp|http); auth param `host`
 *   (the connection URL with user and password, vhost in its path).
 * The TriggerAuthentication's `secretTargetRef` items are `{parameter, name, key}`
 * (keda.sh_triggerauthentications.yaml of the chart, reference/charts/keda/crds).
 *
 * KEDA's operator opens these connections itself, from its namespace: the connection is declared
 * beside the ScaledObject (`declareQueueScalerConnections`), and the policies it needs are the
 * cluster layer's operators→data egress and the data namespace's ingress from the operators.
 */
import type { KafkaLagSpec, QueueLengthSpec } from "../../config/apps/workload-kind";

export const TRIGGER_AUTHENTICATION_KIND = "TriggerAuthentication";
/** SASL mechanism names KEDA's kafka scaler takes, by the client setting (`KafkaClientSettings.saslMechanism`). */
const KEDA_SASL = { "SCRAM-SHA-512": "scram_sha512" } as const;

/** Brokers a worker's triggers read, with their scaler's name. */
export type QueueBroker = "kafka" | "rabbitmq";

/** Name of the TriggerAuthentication and its Secret for one broker. */
export const kedaAuthName = (app: string, broker: QueueBroker): string => `${app}-keda-${broker}`;

/** The Kafka facts the trigger needs, resolved. */
export interface KafkaScalerTarget {
  /** `host:port[,host:port]`. */
  readonly bootstrapServers: string;
}

/** KEDA's `kafka` trigger for `autoscaling.kafkaLag`. */
export function kafkaLagTrigger(app: string, lag: KafkaLagSpec, target: KafkaScalerTarget) {
  return {
    type: "kafka",
    name: "kafka-lag",
    metricType: "AverageValue",
    metadata: {
      bootstrapServers: target.bootstrapServers,
      consumerGroup: lag.consumerGroup,
      topic: lag.topic,
      lagThreshold: String(lag.lagThreshold),
      activationLagThreshold: String(lag.activationLagThreshold),
    },
    authenticationRef: { name: kedaAuthName(app, "kafka") },
  };
}

/** A broker trigger of a worker's ScaledObject. */
export type QueueTrigger = ReturnType<typeof kafkaLagTrigger> | ReturnType<typeof queueLengthTrigger>;

/** KEDA's `rabbitmq` trigger for `autoscaling.queueLength` (AMQP, as the app's URL). */
export function queueLengthTrigger(app: string, queue: QueueLengthSpec) {
  return {
    type: "rabbitmq",
    name: "queue-length",
    metricType: "AverageValue",
    metadata: { protocol: "amqp", mode: "QueueLength", queueName: queue.queue, value: String(queue.messagesPerPod), activationValue: String(queue.activationValue) },
    authenticationRef: { name: kedaAuthName(app, "rabbitmq") },
  };
}

/** Keys of the Secret a broker's TriggerAuthentication maps, each to the scaler parameter of the same name. */
export const KEDA_AUTH_KEYS: Readonly<Record<QueueBroker, readonly string[]>> = {
  kafka: ["sasl", "username", "password", "tls", "ca"],
  rabbitmq: ["host"],
};

/** The Secret's values for Kafka: the app's SCRAM user, TLS on, the cluster CA. */
export function kafkaAuthValues(input: { readonly username: string; readonly password: string; readonly saslMechanism: keyof typeof KEDA_SASL; readonly caCert: string }): Record<string, string> {
  return { sasl: KEDA_SASL[input.saslMechanism], username: input.username, password: input.password, tls: "enable", ca: input.caCert };
}

/** The Secret's values for RabbitMQ: the app's own user's URL. */
export function rabbitmqAuthValues(url: string): Record<string, string> {
  return { host: url };
}

export function triggerAuthenticationManifest(input: { readonly app: string; readonly namespace: string; readonly broker: QueueBroker; readonly labels: Readonly<Record<string, string>> }) {
  const name = kedaAuthName(input.app, input.broker);
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: TRIGGER_AUTHENTICATION_KIND,
    metadata: { name, namespace: input.namespace, labels: { ...input.labels } },
    spec: { secretTargetRef: KEDA_AUTH_KEYS[input.broker].map((key) => ({ parameter: key, name, key })) },
  };
}
