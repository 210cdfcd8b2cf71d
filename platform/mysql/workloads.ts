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
import { type ConnectionDeclaration, fromPods, type WorkloadDeclaration } from "../../lib/connections";
import { MYSQL_METRICS_PORT, MYSQL_PORTS, mysqldLabels, perconaMysqlLabels } from "./values";

/** The system users the operator keeps passwords for (pkg/secret/secret.go). */
export const MYSQL_SYSTEM_USERS = ["heartbeat", "monitor", "operator", "orchestrator", "root", "xtrabackup", "replication"] as const;

export type MysqlWorkloads = Readonly<Record<"mysqld" | "haproxy", WorkloadDeclaration>> & { readonly backupJobs?: WorkloadDeclaration };

/** mysqld (group replication), the HAProxy in front of it, and with backups the operator's backup Jobs. */
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
    ...(options.backups ? { backupJobs: { id: `${namespace}/${cluster}-xtrabackup-jobs`, pods: { namespace, labels: { ...XTRABACKUP_JOB_LABELS } } } } : {}),
  };
}

/**
 * The pods of ps-operator 1.1.0's backup and delete Jobs (`pkg/xtrabackup/xtrabackup.go` `Job`,
 * `DeleteJob`: `cr.Labels("xtrabackup", "backup")` over `naming.Labels`; the instance label is
 * the backup's name, so it is left out of the selector).
 */
export const XTRABACKUP_JOB_LABELS: Readonly<Record<string, string>> = {
  "app.kubernetes.io/name": "xtrabackup",
  "app.kubernetes.io/part-of": "percona-server-backup",
  "app.kubernetes.io/component": "backup",
  "app.kubernetes.io/managed-by": "percona-server-mysql-operator",
};

/**
 * Who talks to the backup target, and how, in ps-operator 1.1.0: the backup Job asks the
 * `xtrabackup` sidecar of a member (container port `http`, 6450; `pkg/mysql/mysql.go`) to stream
 * `xtrabackup` into `xbcloud put`, which uploads from the member's pod
 * (`cmd/sidecar/handler/backup/create.go`); expired backups are removed by a Job running
 * `xbcloud delete`. Both read the keys from the storage's credentials Secret.
 */
export function backupConnections(namespace: string, cluster: string): { readonly uploaders: PodGroupRef; readonly deleters: PodGroupRef; readonly sidecar: ConnectionDeclaration } {
  const jobs = fromPods(namespace, XTRABACKUP_JOB_LABELS);
  return {
    uploaders: fromPods(namespace, mysqldLabels(cluster)),
    deleters: jobs,
    sidecar: {
      purpose: "backup Job asks a member's xtrabackup sidecar to stream a backup",
      from: jobs,
      to: { kind: "pods", namespace, selector: mysqldLabels(cluster), port: "http", description: "the members' xtrabackup sidecar" },
    },
  };
}

type PodGroupRef = ReturnType<typeof fromPods>;

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
