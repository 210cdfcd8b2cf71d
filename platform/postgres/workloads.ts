/**
 * Pure: the pods CloudNativePG creates for strata's Cluster and Pooler, as the connection check
 * sees them (lib/connections.ts), and PgBouncer's path to the primary. Facts from the operator at
 * the chart's appVersion (cloudnative-pg v1.30.0):
 * - instance pods: pkg/specs/pods.go (`PodWithExistingStorage` labels; container ports
 *   `postgresql` 5432, `metrics` 9187, `status` 8000), role labels `role` and
 *   `cnpg.io/instanceRole` set together (pkg/utils/labels_annotations.go, `SetInstanceRole`);
 * - Services `<cluster>-rw` (primary), `-ro` (replicas), `-r` (every instance), port `postgres`
 *   5432 (pkg/specs/services.go);
 * - pooler pods and Service: pkg/specs/pgbouncer/deployments.go and services.go (container ports
 *   `pgbouncer` 5432 and `metrics` 9127; the Service is named after the Pooler);
 * - PgBouncer dials `host=<cluster>-<type>` (pkg/management/pgbouncer/config/config.go) and
 *   authenticates its auth query with the client certificate in `<cluster>-pooler`, checked
 *   against the CA in `<cluster>-ca` (api/v1/pooler_funcs.go, internal/controller/cluster_create.go
 *   `reconcilePoolerSecrets`).
 * CNPG creates no `<cluster>-app` Secret here: the Cluster's `bootstrap.initdb.secret` names
 * strata's own credentials Secret (api/v1/cluster_funcs.go, `ShouldInitDBCreateApplicationSecret`).
 */
import { type ConnectionDeclaration, fromWorkload, type WorkloadDeclaration } from "../../lib/connections";
import { CLUSTER_NAME, POOLER_NAME } from "./values";

export const POSTGRES_PORT = 5432;

/** Labels of a cluster's instance Services (pkg/specs/services.go), and of its pods without the pod role. */
export function clusterLabels(cluster: string): Record<string, string> {
  return {
    "cnpg.io/cluster": cluster,
    "app.kubernetes.io/name": "postgresql",
    "app.kubernetes.io/instance": cluster,
    "app.kubernetes.io/component": "database",
    "app.kubernetes.io/managed-by": "cloudnative-pg",
  };
}

/** Labels the operator puts on every pod of a cluster's instances, whatever their role. */
export function instanceLabels(cluster: string): Record<string, string> {
  return { ...clusterLabels(cluster), "cnpg.io/podRole": "instance" };
}

/** Labels of a pooler's pods. */
export function poolerLabels(cluster: string, pooler: string): Record<string, string> {
  return {
    "cnpg.io/poolerName": pooler,
    "cnpg.io/cluster": cluster,
    "cnpg.io/podRole": "pooler",
    "app.kubernetes.io/name": "postgresql",
    "app.kubernetes.io/instance": cluster,
    "app.kubernetes.io/component": "pooler",
    "app.kubernetes.io/managed-by": "cloudnative-pg",
  };
}

const INSTANCE_PORTS = { postgresql: POSTGRES_PORT, metrics: 9187, status: 8000 } as const;

/** The pods of one cluster and its pooler. */
export type PostgresWorkloads = Readonly<Record<"primary" | "replicas" | "pooler", WorkloadDeclaration>>;

/**
 * The instances as two workloads, the primary and the replicas, because `-rw` and `-ro` select by
 * role. `-r` leads to every instance; it is declared with the primary, which it always includes.
 */
export function postgresWorkloads(namespace: string, cluster = CLUSTER_NAME, pooler = POOLER_NAME): PostgresWorkloads {
  const role = (r: "primary" | "replica") => ({ ...instanceLabels(cluster), role: r, "cnpg.io/instanceRole": r });
  const service = (suffix: string) => ({ name: `${cluster}-${suffix}`, ports: { postgres: POSTGRES_PORT }, labels: clusterLabels(cluster) });
  return {
    primary: {
      id: `${namespace}/${cluster}-primary`,
      pods: { namespace, labels: role("primary") },
      containerPorts: INSTANCE_PORTS,
      services: [service("rw"), service("r")],
      secrets: [
        { name: `${cluster}-ca`, keys: ["ca.crt", "ca.key"] },
        { name: `${cluster}-pooler`, keys: ["tls.crt", "tls.key"] },
      ],
    },
    replicas: { id: `${namespace}/${cluster}-replicas`, pods: { namespace, labels: role("replica") }, containerPorts: INSTANCE_PORTS, services: [service("ro")] },
    pooler: {
      id: `${namespace}/${pooler}`,
      pods: { namespace, labels: poolerLabels(cluster, pooler) },
      containerPorts: { pgbouncer: POSTGRES_PORT, metrics: 9127 },
      services: [{ name: pooler, ports: { pgbouncer: POSTGRES_PORT }, labels: poolerLabels(cluster, pooler) }],
    },
  };
}

/** PgBouncer → the primary through `<cluster>-rw`, with the certificate of its auth query. */
export function poolerConnection(pooler: WorkloadDeclaration, namespace: string, cluster = CLUSTER_NAME): ConnectionDeclaration {
  return {
    purpose: "PgBouncer to the primary",
    from: fromWorkload(pooler),
    to: { kind: "service", namespace, name: `${cluster}-rw`, port: POSTGRES_PORT },
    secrets: [
      { name: `${cluster}-pooler`, keys: ["tls.crt", "tls.key"] },
      { name: `${cluster}-ca`, keys: ["ca.crt"] },
    ],
  };
}
