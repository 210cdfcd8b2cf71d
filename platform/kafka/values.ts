/**
 * Pure: Strimzi's chart values, the `Kafka` spec (KRaft, a TLS listener with SCRAM-SHA-512,
 * rack awareness by node, Strimzi's metrics reporter), its `KafkaNodePool`s and a `KafkaUser`.
 */
import { DATA_SERVICES } from "../../lib/catalog";
import type { Placement } from "../../lib/contracts";
import { type ContainerResources, HOSTNAME_KEY, quantities, requiredAntiAffinity } from "../data-service";
import { nodeAffinityFor } from "../rabbitmq/values";

/** Port of the internal TLS listener clients use. */
export const KAFKA_TLS_PORT = 9093;
/** Port Strimzi's metrics reporter serves on, named `tcp-prometheus`. */
export const KAFKA_METRICS_PORT_NAME = "tcp-prometheus";

export const NODE_ROLES = ["controller", "broker"] as const;
export type NodeRole = (typeof NODE_ROLES)[number];

/** One node pool: its name, roles, size and volumes. */
export interface NodePoolArgs {
  readonly name: string;
  readonly roles: readonly NodeRole[];
  readonly replicas: number;
  readonly resources: ContainerResources;
  readonly storageGi: number;
  readonly storageClass?: string;
}

export interface KafkaSpecArgs {
  readonly replicationFactor: number;
  readonly minInSyncReplicas: number;
  readonly placement: Placement;
  readonly metrics: boolean;
}

/** Operator values: watches only the data namespace; PDB for the operator itself off (one replica). */
export function strimziOperatorValues(watchNamespace: string, placement: Placement) {
  return {
    watchNamespaces: [watchNamespace],
    watchAnyNamespace: false,
    resources: { requests: { cpu: "200m", memory: "384Mi" }, limits: { memory: "384Mi" } },
    nodeSelector: { ...placement.nodeSelector },
    tolerations: placement.tolerations.map((t) => ({ ...t })),
  };
}

function podTemplate(placement: Placement, antiAffinityLabels: Readonly<Record<string, string>>) {
  return {
    affinity: { ...nodeAffinityFor(placement.nodeSelector), ...requiredAntiAffinity(antiAffinityLabels) },
    tolerations: placement.tolerations.map((t) => ({ ...t })),
  };
}

/** The `Kafka` spec; resources and storage live on the node pools. */
export function kafkaSpec(name: string, args: KafkaSpecArgs) {
  return {
    kafka: {
      version: DATA_SERVICES.kafka.version,
      listeners: [{ name: "tls", port: KAFKA_TLS_PORT, type: "internal", tls: true, authentication: { type: "scram-sha-512" } }],
      authorization: { type: "simple" },
      config: {
        "default.replication.factor": args.replicationFactor,
        "min.insync.replicas": args.minInSyncReplicas,
        "offsets.topic.replication.factor": args.replicationFactor,
        "transaction.state.log.replication.factor": args.replicationFactor,
        "transaction.state.log.min.isr": args.minInSyncReplicas,
      },
      rack: { topologyKey: HOSTNAME_KEY },
      ...(args.metrics ? { metricsConfig: { type: "strimziMetricsReporter", values: { allowList: ["kafka_server.*", "kafka_controller.*", "kafka_network.*", "kafka_log.*"] } } } : {}),
      template: { podDisruptionBudget: { maxUnavailable: 1 } },
    },
    entityOperator: {
      topicOperator: {},
      userOperator: {},
      template: { pod: podTemplate(args.placement, { "strimzi.io/cluster": name, "strimzi.io/kind": "Kafka", "strimzi.io/name": `${name}-entity-operator` }) },
    },
  };
}

/** A `KafkaNodePool` spec: persistent JBOD volume shared with the KRaft metadata log. */
export function nodePoolSpec(cluster: string, pool: NodePoolArgs, placement: Placement) {
  return {
    replicas: pool.replicas,
    roles: [...pool.roles],
    resources: quantities(pool.resources),
    storage: {
      type: "jbod",
      volumes: [
        {
          id: 0,
          type: "persistent-claim",
          size: `${pool.storageGi}Gi`,
          ...(pool.storageClass === undefined ? {} : { class: pool.storageClass }),
          deleteClaim: false,
          kraftMetadata: "shared",
        },
      ],
    },
    template: { pod: podTemplate(placement, { "strimzi.io/cluster": cluster, "strimzi.io/pool-name": pool.name }) },
  };
}

/** A `KafkaUser` spec: SCRAM-SHA-512 with the password from `passwordSecret` (key `password`), all rights on topics and groups under `prefix`. */
export function kafkaUserSpec(passwordSecret: string, prefix: string) {
  const acl = (type: string) => ({ resource: { type, name: prefix, patternType: prefix === "*" ? "literal" : "prefix" }, operations: ["All"] });
  return {
    authentication: { type: "scram-sha-512", password: { valueFrom: { secretKeyRef: { name: passwordSecret, key: "password" } } } },
    authorization: { type: "simple", acls: [acl("topic"), acl("group")] },
  };
}

/** Bootstrap address of the TLS listener. */
export function bootstrapHost(name: string, namespace: string): string {
  return `${name}-kafka-bootstrap.${namespace}.svc`;
}
