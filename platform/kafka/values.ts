/**
 * Pure: Strimzi's chart values, the `Kafka` spec (KRaft, a TLS listener with SCRAM-SHA-512,
 * rack awareness by node, Strimzi's metrics reporter and Kafka Exporter), its `KafkaNodePool`s
 * and a `KafkaUser`.
 */
import { DATA_SERVICES } from "../../lib/catalog";
import type { Placement } from "../../lib/contracts";
import { type ContainerResources, HOSTNAME_KEY, quantities, requiredAntiAffinity } from "../data-service";
import { nodeAffinityFor } from "../rabbitmq/values";
import { podVolumeBackupAnnotations } from "../backups/pod-volumes";
import { kafkaVolumeBackup } from "./volume-backup";

/** Port of the internal TLS listener clients use. */
export const KAFKA_TLS_PORT = 9093;
/**
 * Name Strimzi gives that port on the broker pods and the bootstrap Service: an internal listener
 * named `tls` on 9093 keeps the pre-0.20 name `tcp-clientstls` (cluster-operator/.../model/ListenersUtils.java
 * `backwardsCompatiblePortName`), any other `tcp-<listener>`.
 */
export const KAFKA_TLS_PORT_NAME = "tcp-clientstls";
/** What clients set as `security.protocol` and `sasl.mechanism` for the listener below. */
export const KAFKA_CLIENT_SECURITY = { securityProtocol: "SASL_SSL", saslMechanism: "SCRAM-SHA-512" } as const;
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
  /** Velero copies the nodes' data volumes (file-system backup opt-in). @default false */
  readonly veleroVolumeBackup?: boolean;
}

export interface KafkaSpecArgs {
  readonly replicationFactor: number;
  readonly minInSyncReplicas: number;
  readonly placement: Placement;
  readonly metrics: boolean;
}

/**
 * Labels of the cluster operator's pod (chart 1.2.0, templates/060-Deployment-strimzi-cluster-operator.yaml),
 * which serves Prometheus metrics on its `http` port at /metrics (Strimzi's own
 * packaging/examples/metrics/prometheus-install/pod-monitors/cluster-operator-metrics.yaml).
 */
export const STRIMZI_OPERATOR_POD_LABELS = { name: "strimzi-cluster-operator", "strimzi.io/kind": "cluster-operator" } as const;

/**
 * Strimzi's Kafka Exporter, the only source of consumer-group lag (`kafka_consumergroup_lag` per
 * group, topic and partition: Strimzi 1.2.0 packaging/examples/metrics/prometheus-install/
 * prometheus-rules/prometheus-kafka-exporter-topic-rules-group.yaml). The operator runs it as the
 * `<cluster>-kafka-exporter` Deployment, dialling the bootstrap Service's replication port with a
 * cluster-CA client certificate, and serving `tcp-prometheus` 9404 (cluster-operator/.../model/
 * KafkaExporter.java). Every group and topic is exported; groups with no member connected too
 * (`showAllOffsets`), so a consumer that is down still shows its lag growing.
 */
export function kafkaExporterSpec(name: string, placement: Placement) {
  return {
    groupRegex: ".*",
    topicRegex: ".*",
    showAllOffsets: true,
    resources: quantities({ cpuMillis: 100, memoryMi: 128, limitCpuMillis: 500, limitMemoryMi: 256 }),
    template: { pod: podTemplate(placement, { "strimzi.io/cluster": name, "strimzi.io/kind": "Kafka", "strimzi.io/name": `${name}-kafka-exporter` }) },
  };
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
    // strata generates the cluster CA and writes Strimzi's CA Secrets itself (ca-values.ts).
    clusterCa: { generateCertificateAuthority: false },
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
    ...(args.metrics ? { kafkaExporter: kafkaExporterSpec(name, args.placement) } : {}),
    entityOperator: {
      topicOperator: {},
      userOperator: {},
      template: { pod: podTemplate(args.placement, { "strimzi.io/cluster": name, "strimzi.io/kind": "Kafka", "strimzi.io/name": `${name}-entity-operator` }) },
    },
  };
}

/** A `KafkaNodePool` spec: persistent JBOD volume shared with the KRaft metadata log. */
export function nodePoolSpec(cluster: string, pool: NodePoolArgs, placement: Placement) {
  const volumes = [
    {
      id: 0,
      type: "persistent-claim",
      size: `${pool.storageGi}Gi`,
      ...(pool.storageClass === undefined ? {} : { class: pool.storageClass }),
      deleteClaim: false,
      kraftMetadata: "shared",
    },
  ];
  const annotations = podVolumeBackupAnnotations(pool.veleroVolumeBackup === true ? kafkaVolumeBackup(volumes.map((v) => v.id)) : undefined);
  return {
    replicas: pool.replicas,
    roles: [...pool.roles],
    resources: quantities(pool.resources),
    storage: { type: "jbod", volumes },
    template: {
      pod: {
        ...(Object.keys(annotations).length === 0 ? {} : { metadata: { annotations } }),
        ...podTemplate(placement, { "strimzi.io/cluster": cluster, "strimzi.io/pool-name": pool.name }),
      },
    },
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

/** `<cluster>-kafka-bootstrap`: the Service Strimzi puts in front of the brokers' client listeners. */
export const bootstrapServiceName = (name: string): string => `${name}-kafka-bootstrap`;
/** `<cluster>-kafka-brokers`: the headless Service whose per-pod names the brokers advertise. */
export const brokersServiceName = (name: string): string => `${name}-kafka-brokers`;

/**
 * Bootstrap address of the TLS listener. `<service>.<namespace>.svc` is one of the names Strimzi
 * writes into every broker certificate (cluster-operator/.../model/KafkaCluster.java
 * `buildKafkaNodeCertsSubject`, ModelUtils `generateAllServiceDnsNames`), so TLS hostname
 * verification passes.
 */
export function bootstrapHost(name: string, namespace: string): string {
  return `${bootstrapServiceName(name)}.${namespace}.svc`;
}

/**
 * `bootstrap.servers`: `host:port` entries joined by commas, what every Kafka client takes (a URL
 * scheme or credentials in it fail to parse). One entry is enough: the bootstrap Service reaches
 * any broker, which returns the addresses of all of them.
 */
export function bootstrapServers(name: string, namespace: string): string {
  return [`${bootstrapHost(name, namespace)}:${KAFKA_TLS_PORT}`].join(",");
}
