/**
 * MySQL, MongoDB, RabbitMQ and Kafka (each only when enabled): placement by pool or role,
 * storage classes by purpose, backups to the object store, one `Endpoint` each.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { KafkaSettings } from "../config/platform/kafka";
import type { MongodbSettings } from "../config/platform/mongodb";
import type { MysqlSettings } from "../config/platform/mysql";
import type { RabbitmqSettings } from "../config/platform/rabbitmq";
import { storageClassFor } from "../config/platform/common";
import type { ClusterOutputs, Endpoint, ObjectStore, Placement, PoolRole } from "../lib/contracts";
import type { MonitoringCrds } from "../lib/monitoring-crds";
import { Kafka } from "./kafka";
import { Mongodb } from "./mongodb";
import type { PbmIdentity } from "./mongodb/backup-calls";
import { Mysql } from "./mysql";
import { Rabbitmq } from "./rabbitmq";

export interface DataServicesArgs {
  readonly mysql: MysqlSettings;
  readonly mongodb: MongodbSettings;
  readonly rabbitmq: RabbitmqSettings;
  readonly kafka: KafkaSettings;
  readonly cluster: ClusterOutputs;
  /** The object store backups go to; absent when none is enabled. @default - none */
  readonly objectStore?: ObjectStore;
  /** Velero copies RabbitMQ's and Kafka's volumes (their pods opt in to file-system backup). @default false */
  readonly veleroVolumeBackup?: boolean;
  /** `protect` operators and clusters. */
  readonly protect: boolean;
  /** Settles to the release installing the Prometheus Operator CRDs the PodMonitors need. @default - none to wait for */
  readonly monitoringCrds?: MonitoringCrds;
  /** On EKS: the backups bucket and the IRSA roles MongoDB's backups run as. @default - none */
  readonly mongodbBackupIdentity?: PbmIdentity;
}

/** The enabled services' endpoints by service name, and what the apps' RabbitMQ users wait for. */
export interface DataServices {
  readonly endpoints: Record<string, Endpoint>;
  /** The messaging-topology-operator (its CRDs), when RabbitMQ is enabled. @default - none */
  readonly rabbitmqTopologyOperator?: pulumi.Resource;
}

/** Declares the enabled services under `parent`. */
export function buildDataServices(prefix: string, args: DataServicesArgs, parent: pulumi.Resource): DataServices {
  const { cluster } = args;
  const placement = (pool: string | undefined, role: PoolRole): Placement => (pool === undefined ? cluster.placementFor(role) : cluster.placementForPool(pool));
  const storageClass = (purpose: string) => {
    const name = storageClassFor(cluster.storageClasses, purpose);
    return name === undefined ? {} : { storageClass: name };
  };
  const common = { provider: cluster.provider, namespace: cluster.namespaces.data, protect: args.protect, ...(args.monitoringCrds === undefined ? {} : { monitoringCrds: args.monitoringCrds }) };
  const store = args.objectStore === undefined ? {} : { objectStore: args.objectStore };
  const veleroVolumeBackup = args.veleroVolumeBackup ?? false;
  const endpoints: Record<string, Endpoint> = {};
  const { mysql, mongodb, rabbitmq, kafka } = args;
  if (mysql.enabled) {
    endpoints["mysql"] = new Mysql(`${prefix}-mysql`, { ...common, settings: mysql, placement: placement(mysql.pool, "database"), ...storageClass(mysql.storage.purpose), ...store }, { parent }).endpoint;
  }
  if (mongodb.enabled) {
    endpoints["mongodb"] = new Mongodb(`${prefix}-mongodb`, { ...common, settings: mongodb, placement: placement(mongodb.pool, "database"), ...storageClass(mongodb.storage.purpose), ...store, ...(args.mongodbBackupIdentity === undefined ? {} : { backupIdentity: args.mongodbBackupIdentity }) }, { parent }).endpoint;
  }
  let rabbitmqTopologyOperator: pulumi.Resource | undefined;
  if (rabbitmq.enabled) {
    const broker = new Rabbitmq(
      `${prefix}-rabbitmq`,
      { ...common, settings: rabbitmq, placement: placement(rabbitmq.pool, "worker"), ...storageClass(rabbitmq.storage.purpose), ...(cluster.issuers.internal === undefined ? {} : { tlsIssuer: cluster.issuers.internal }), veleroVolumeBackup },
      { parent },
    );
    endpoints["rabbitmq"] = broker.endpoint;
    rabbitmqTopologyOperator = broker.topologyOperator;
  }
  if (kafka.enabled) {
    const storageClasses = Object.fromEntries(Object.entries(kafka.nodePools).map(([name, pool]) => [name, storageClassFor(cluster.storageClasses, pool.storage.purpose)]));
    endpoints["kafka"] = new Kafka(
      `${prefix}-kafka`,
      { ...common, operatorNamespace: cluster.namespaces.operators, settings: kafka, placement: placement(kafka.pool, "worker"), storageClasses, veleroVolumeBackup },
      { parent },
    ).endpoint;
  }
  return { endpoints, ...(rabbitmqTopologyOperator === undefined ? {} : { rabbitmqTopologyOperator }) };
}
