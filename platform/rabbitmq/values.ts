/**
 * Pure: the `RabbitmqCluster` spec (3 nodes, one per node, ClusterIP only) and the default-user
 * Secret the operator is pointed at instead of generating one.
 */
import { DATA_SERVICES } from "../../lib/catalog";
import type { Placement } from "../../lib/contracts";
import { type ContainerResources, quantities, requiredAntiAffinity } from "../data-service";
import { podVolumeBackupAnnotations } from "../backups/pod-volumes";
import { rabbitmqVolumeBackup } from "./volume-backup";

export const AMQP_PORT = 5672;
export const AMQPS_PORT = 5671;
/** The operator enables `rabbitmq_prometheus`; its container port is named `prometheus`. */
export const RABBITMQ_METRICS_PORT_NAME = "prometheus";

export interface RabbitmqSpecArgs {
  readonly replicas: number;
  readonly resources: ContainerResources;
  readonly storageGi: number;
  readonly storageClass?: string;
  readonly placement: Placement;
  /** Secret with the default user (`username`, `password`, `default_user.conf`, …). */
  readonly defaultUserSecret: string;
  /** TLS Secret (from cert-manager) for AMQPS; plain AMQP only when absent. */
  readonly tlsSecret?: string;
  /** Velero copies the nodes' `persistence` volumes (file-system backup opt-in). @default false */
  readonly veleroVolumeBackup?: boolean;
}

/** The pods' label the operator sets: `app.kubernetes.io/name: <cluster>`. */
export function rabbitmqPodLabels(name: string): Record<string, string> {
  return { "app.kubernetes.io/name": name };
}

/** A nodeSelector as required node affinity (the RabbitmqCluster spec has no nodeSelector). */
export function nodeAffinityFor(nodeSelector: Readonly<Record<string, string>>) {
  const expressions = Object.entries(nodeSelector).map(([key, value]) => ({ key, operator: "In", values: [value] }));
  return expressions.length === 0 ? {} : { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: expressions }] } } };
}

/**
 * `rabbitmq.conf` lines strata adds to the operator's. RabbitMQ 4 removed classic queue
 * mirroring: a classic queue lives on one node and is lost with it. `default_queue_type` (the
 * `rabbit.schema` mapping of rabbitmq/rabbitmq-server#11164) makes a queue declared without
 * `x-queue-type` a quorum queue, replicated over the nodes by Raft; exclusive, auto-delete or
 * non-durable queues, which a quorum queue cannot be, still fall back to classic
 * (`rabbit_amqqueue:augment_declare_args`, rabbitmq/rabbitmq-server#12112).
 */
export const RABBITMQ_ADDITIONAL_CONFIG = "default_queue_type = quorum\n";

/** The `RabbitmqCluster` spec. `cluster_partition_handling = pause_minority` is the operator's default already. */
export function rabbitmqClusterSpec(name: string, args: RabbitmqSpecArgs) {
  const annotations = podVolumeBackupAnnotations(args.veleroVolumeBackup === true ? rabbitmqVolumeBackup() : undefined);
  return {
    replicas: args.replicas,
    rabbitmq: { additionalConfig: RABBITMQ_ADDITIONAL_CONFIG },
    image: DATA_SERVICES.rabbitmq.server,
    resources: quantities(args.resources),
    persistence: { ...(args.storageClass === undefined ? {} : { storageClassName: args.storageClass }), storage: `${args.storageGi}Gi` },
    affinity: { ...nodeAffinityFor(args.placement.nodeSelector), ...requiredAntiAffinity(rabbitmqPodLabels(name)) },
    tolerations: args.placement.tolerations.map((t) => ({ ...t })),
    service: { type: "ClusterIP" },
    secretBackend: { externalSecret: { name: args.defaultUserSecret } },
    ...(Object.keys(annotations).length === 0 ? {} : { override: { statefulSet: { spec: { template: { metadata: { annotations } } } } } }),
    ...(args.tlsSecret === undefined ? {} : { tls: { secretName: args.tlsSecret, disableNonTLSListeners: false } }),
  };
}

/** The default user's Secret data, in the keys the operator's own default-user Secret has. */
export function defaultUserData(name: string, namespace: string, username: string, password: string): Record<string, string> {
  const host = `${name}.${namespace}.svc`;
  return {
    username,
    password,
    "default_user.conf": `default_user = ${username}\ndefault_pass = ${password}\n`,
    host,
    port: String(AMQP_PORT),
    provider: "rabbitmq",
    type: "rabbitmq",
    connection_string: `amqp://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${host}:${AMQP_PORT}/`,
  };
}
