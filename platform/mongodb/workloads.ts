/**
 * Pure: the replica-set pods the Percona Operator for MongoDB creates for a `PerconaServerMongoDB`,
 * as the connection check sees them (lib/connections.ts). Facts from
 * percona-server-mongodb-operator v1.22.0 (the psmdb-operator chart's appVersion):
 * - labels: pkg/naming/labels.go (`Labels`, `ClusterLabels`, `RSLabels`, `MongodLabels`:
 *   name `percona-server-mongodb`, instance = the cluster, replset, component `mongod`);
 * - the headless Service `<cluster>-<replset>` with port `mongodb` 27017, selecting the replica
 *   set's pods (pkg/psmdb/service.go `Service`), and the container port `mongodb`
 *   (pkg/psmdb/container.go; `config.MongodPortName` in pkg/psmdb/config/const.go);
 * - the system users' Secret (`spec.secrets.users`) is filled by the operator with the users and
 *   passwords below (pkg/controller/perconaservermongodb/secrets.go `fillSecretData`).
 */
import type { WorkloadDeclaration } from "../../lib/connections";
import { MONGODB_METRICS_PORT, MONGODB_PORT, REPLSET_NAME } from "./values";

/** Keys of the system users' Secret (pkg/apis/psmdb/v1/psmdb_types.go `EnvMongoDB*`). */
export const MONGODB_SYSTEM_USER_KEYS = ["BACKUP", "CLUSTER_ADMIN", "CLUSTER_MONITOR", "USER_ADMIN", "DATABASE_ADMIN"].flatMap((user) => [`MONGODB_${user}_USER`, `MONGODB_${user}_PASSWORD`]);

/** Labels of one replica set's pods (`RSLabels`, no component): what its Service selects. */
export function replsetLabels(cluster: string, replset = REPLSET_NAME): Record<string, string> {
  return {
    "app.kubernetes.io/name": "percona-server-mongodb",
    "app.kubernetes.io/managed-by": "percona-server-mongodb-operator",
    "app.kubernetes.io/part-of": "percona-server-mongodb",
    "app.kubernetes.io/instance": cluster,
    "app.kubernetes.io/replset": replset,
  };
}

/** The `mongod` pods of the replica set. */
export function mongodbWorkload(namespace: string, cluster: string, options: { readonly metrics: boolean; readonly systemUsersSecret: string }): WorkloadDeclaration {
  return {
    id: `${namespace}/${cluster}-${REPLSET_NAME}`,
    pods: { namespace, labels: { ...replsetLabels(cluster), "app.kubernetes.io/component": "mongod" } },
    containerPorts: { mongodb: MONGODB_PORT, ...(options.metrics ? { metrics: MONGODB_METRICS_PORT } : {}) },
    services: [{ name: `${cluster}-${REPLSET_NAME}`, ports: { mongodb: MONGODB_PORT }, labels: replsetLabels(cluster) }],
    secrets: [{ name: options.systemUsersSecret, keys: MONGODB_SYSTEM_USER_KEYS }],
  };
}
