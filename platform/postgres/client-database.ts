/**
 * A role and database of their own in the platform's PostgreSQL for a platform client (Grafana),
 * beside the apps' shared database: CloudNativePG 1.30's `DatabaseRole` (a login role whose
 * password is the `basic-auth` Secret it names) and `Database` (owned by that role) custom
 * resources, declared apart from the Cluster (cloudnative-pg.io/docs/1.30,
 * declarative_role_management and declarative_database_management; CRDs in the chart's
 * crds.yaml). The client reads the password from a copy in its own namespace.
 *
 * Both resources keep what they created when they are deleted (reclaim policy `retain`, the
 * default): removing the client never drops its data.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { standardLabels } from "../../lib/labels";
import { CLUSTER_NAME } from "./values";
import { POSTGRES_PORT } from "./workloads";

/** Key of the password in the client's Secret. */
export const CLIENT_PASSWORD_KEY = "password";

/** `DatabaseRole.spec`: a login role without any of the superuser's powers, its password from `passwordSecret`. */
export function databaseRoleSpec(role: string, passwordSecret: string, cluster = CLUSTER_NAME): Record<string, unknown> {
  return { cluster: { name: cluster }, name: role, ensure: "present", login: true, superuser: false, createdb: false, createrole: false, passwordSecret: { name: passwordSecret } };
}

/** `Database.spec`: a database owned by `owner`. */
export function databaseSpec(database: string, owner: string, cluster = CLUSTER_NAME): Record<string, unknown> {
  return { cluster: { name: cluster }, name: database, owner, ensure: "present" };
}

/** The primary's Service: clients that need a session of their own bypass PgBouncer. */
export function primaryHost(namespace: string, cluster = CLUSTER_NAME): string {
  return `${cluster}-rw.${namespace}.svc`;
}

export interface PostgresClientDatabaseArgs {
  readonly provider: k8s.Provider;
  /** Namespace of the PostgreSQL cluster (the data namespace). */
  readonly namespace: string;
  /** Role and database name, e.g. `grafana`. */
  readonly name: string;
  /** Namespace of the client's pods, where the copy of the password goes. */
  readonly clientNamespace: string;
  /** Name of that copy. */
  readonly clientSecretName: string;
  /** Resources the role waits for (the Cluster, through the operator's CRDs). @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class PostgresClientDatabase extends pulumi.ComponentResource {
  /** Where and as whom the client connects; the password is in `clientSecretName` under `CLIENT_PASSWORD_KEY`. */
  public readonly connection: { readonly host: string; readonly port: number; readonly database: string; readonly user: string; readonly secretName: string };

  constructor(name: string, args: PostgresClientDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:platform:PostgresClientDatabase", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const labels = standardLabels({ name: "postgresql", instance: CLUSTER_NAME, component: "database" });
    const role = args.name;
    const password = pulumi.secret(new random.RandomPassword(`${name}-password`, { length: 32, special: false }, { parent: this }).result);
    const roleSecretName = `${CLUSTER_NAME}-${role}-credentials`;
    const roleSecret = new k8s.core.v1.Secret(
      `${name}-role-credentials`,
      { metadata: { name: roleSecretName, namespace: args.namespace, labels }, type: "kubernetes.io/basic-auth", stringData: { username: role, password } },
      child,
    );
    const databaseRole = new k8s.apiextensions.CustomResource(
      `${name}-role`,
      { apiVersion: "postgresql.cnpg.io/v1", kind: "DatabaseRole", metadata: { name: `${CLUSTER_NAME}-${role}`, namespace: args.namespace, labels }, spec: databaseRoleSpec(role, roleSecretName) },
      { ...child, dependsOn: [roleSecret, ...(args.dependsOn ?? [])] },
    );
    new k8s.apiextensions.CustomResource(
      `${name}-database`,
      { apiVersion: "postgresql.cnpg.io/v1", kind: "Database", metadata: { name: `${CLUSTER_NAME}-${role}`, namespace: args.namespace, labels }, spec: databaseSpec(role, role) },
      { ...child, dependsOn: [databaseRole] },
    );
    new k8s.core.v1.Secret(
      `${name}-client-credentials`,
      { metadata: { name: args.clientSecretName, namespace: args.clientNamespace, labels }, stringData: { [CLIENT_PASSWORD_KEY]: password } },
      child,
    );
    this.connection = { host: primaryHost(args.namespace), port: POSTGRES_PORT, database: role, user: role, secretName: args.clientSecretName };
    this.registerOutputs({ host: this.connection.host });
  }
}
