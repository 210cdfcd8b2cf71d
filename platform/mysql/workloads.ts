/**
 * Pure: the pods the Percona Operator for MySQL creates for a `PerconaServerMySQL` (group
 * replication behind HAProxy), as the connection check sees them (lib/connections.ts), and the
 * app-user Job's path to the primary. Facts from percona-server-mysql-operator v1.1.0 (the
 * ps-operator chart's appVersion):
 * - labels: `cr.Labels(name, component)` → pkg/naming/kubernetes.go `Labels` (name, instance =
 *   the cluster, part-of `percona-server`, component, managed-by the operator); mysqld is
 *   `mysql`/`database` (pkg/mysql/mysql.go `MatchLabels`), HAProxy `haproxy`/`proxy`
 *   (pkg/haproxy/haproxy.go `MatchLabels`);
 * - mysqld container ports `mysql` 3306, `mysql-admin` 33062, `mysqlx` 33060 and, with group
 *   replication, `mysql-gr` 33061 (pkg/mysql/mysql.go `containerPorts`); sidecars are appended;
 * - HAProxy container ports `mysql` 3306, `mysql-replicas` 3307, `proxy-protocol` 3309, `mysqlx`
 *   33060, and its Service `<cluster>-haproxy` adds `mysql-admin` 33062 (pkg/haproxy/haproxy.go);
 * - the system users' Secret (`spec.secretsName`) is filled by the operator with one password per
 *   user (pkg/secret/secret.go `SecretUsers`, pkg/controller/ps/user.go `ensureUserSecrets`).
 */
import type { ConnectionDeclaration, WorkloadDeclaration } from "../../lib/connections";
import { MYSQL_METRICS_PORT, MYSQL_PORTS, mysqldLabels, perconaMysqlLabels } from "./values";

/** The system users the operator keeps passwords for (pkg/secret/secret.go). */
export const MYSQL_SYSTEM_USERS = ["heartbeat", "monitor", "operator", "orchestrator", "root", "xtrabackup", "replication"] as const;

export type MysqlWorkloads = Readonly<Record<"mysqld" | "haproxy", WorkloadDeclaration>>;

/** mysqld (group replication) and the HAProxy in front of it. */
export function mysqlWorkloads(
  namespace: string,
  cluster: string,
  options: { readonly metrics: boolean; readonly backups: boolean; readonly systemUsersSecret: string },
): MysqlWorkloads {
  const haproxyPorts = { mysql: MYSQL_PORTS.readWrite, "mysql-replicas": MYSQL_PORTS.readOnly, "proxy-protocol": 3309, mysqlx: 33060 };
  return {
    mysqld: {
      id: `${namespace}/${cluster}-mysql`,
      pods: { namespace, labels: mysqldLabels(cluster) },
      containerPorts: {
        mysql: MYSQL_PORTS.readWrite,
        "mysql-admin": 33062,
        mysqlx: 33060,
        "mysql-gr": 33061,
        // The xtrabackup sidecar runs only with backups on (pkg/mysql/mysql.go `containers`).
        ...(options.backups ? { http: 6450 } : {}),
        ...(options.metrics ? { metrics: MYSQL_METRICS_PORT } : {}),
      },
      services: [{ name: `${cluster}-mysql`, ports: { mysql: MYSQL_PORTS.readWrite, "mysql-admin": 33062, mysqlx: 33060, http: 6450, "mysql-gr": 33061 } }],
      secrets: [{ name: options.systemUsersSecret, keys: [...MYSQL_SYSTEM_USERS] }],
    },
    haproxy: {
      id: `${namespace}/${cluster}-haproxy`,
      pods: { namespace, labels: perconaMysqlLabels(cluster, "haproxy", "proxy") },
      containerPorts: haproxyPorts,
      services: [{ name: `${cluster}-haproxy`, ports: { ...haproxyPorts, "mysql-admin": 33062 } }],
    },
  };
}

/** The app-user Job → the primary through HAProxy, as root, setting the app user's password. */
export function appUserConnection(args: {
  readonly namespace: string;
  readonly cluster: string;
  /** The Job (in the plan): its name and its pods' labels. */
  readonly job: { readonly name: string; readonly labels: Readonly<Record<string, string>> };
  readonly systemUsersSecret: string;
  readonly appSecret: string;
}): ConnectionDeclaration {
  return {
    purpose: "create the application user",
    from: { kind: "pods", pods: { namespace: args.namespace, labels: args.job.labels }, workload: `${args.namespace}/${args.job.name}` },
    to: { kind: "service", namespace: args.namespace, name: `${args.cluster}-haproxy`, port: MYSQL_PORTS.readWrite },
    secrets: [
      { name: args.systemUsersSecret, keys: ["root"] },
      { name: args.appSecret, keys: ["password"] },
    ],
  };
}
