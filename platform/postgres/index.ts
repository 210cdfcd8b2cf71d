/**
 * PostgreSQL: the CloudNativePG operator, one Cluster with a PgBouncer Pooler, and backups
 * through the Barman Cloud plugin (ObjectStore + ScheduledBackup) to the platform's object store.
 * The custom resources are declared directly so every field is checked against the CRDs.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { PostgresSettings } from "../../config/platform/postgres";
import type { EksExtras, Endpoint, ObjectStore, Placement } from "../../lib/contracts";
import { helmRelease } from "../../lib/helm";
import { standardLabels } from "../../lib/labels";
import { declareObjectStoreClient, OBJECT_STORE_SECRET_KEYS, objectStoreCredentialsSecret } from "../object-store/credentials";
import { backupWriterGrant } from "../object-store/identity-actions";
import { BACKUP_PREFIXES } from "../../lib/bucket-layout";
import { declareBackupConnection } from "./backup-calls";
import {
  CLUSTER_NAME,
  clusterSpec,
  OBJECT_STORE_NAME,
  objectStoreSpec,
  operatorValues,
  pluginValues,
  podMonitorSpec,
  POOLER_NAME,
  poolerSpec,
  scheduledBackupSpec,
} from "./values";
import { type MonitoringCrds, withMonitoringCrds } from "../../lib/monitoring-crds";
import { declareConnection, declareWorkload, fromPods } from "../../lib/connections";
import { instanceLabels, poolerConnection, postgresWorkloads } from "./workloads";

export interface PostgresArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Resolved `strata:platform.postgres`. */
  readonly settings: PostgresSettings;
  /** Namespace of the operator and the plugin. */
  readonly operatorNamespace: string;
  /** Namespace of the cluster and its Secrets. */
  readonly namespace: string;
  /** Storage class of the data volumes. */
  readonly storageClass: string;
  /** Where the instances run. */
  readonly placement: Placement;
  /** Where the operator and plugin run. */
  readonly systemPlacement: Placement;
  /** Object store for backups; absent turns backups off. */
  readonly objectStore?: ObjectStore;
  /** IAM role for S3 through IRSA, where the store has no static keys (EKS). */
  readonly backupRoleArn?: pulumi.Input<string>;
  /** The EKS backend's facts the backups' AWS calls name (bucket, key, account, OIDC issuer). @default - not on EKS */
  readonly eks?: EksExtras;
  /** Declare PodMonitors (needs the Prometheus Operator CRDs). @default true */
  readonly monitoring?: boolean;
  /** `protect` the operator, the plugin and the cluster. @default false */
  readonly protect?: boolean;
  /** Settles to the release installing the Prometheus Operator CRDs its monitors need. @default - none to wait for */
  readonly monitoringCrds?: MonitoringCrds;
}

export class Postgres extends pulumi.ComponentResource {
  /** How apps reach the database: writes through PgBouncer, reads on the replicas. */
  public readonly endpoint: Endpoint;
  /** The operator release; part 2's operators need nothing from it, but ordering may. */
  public readonly operator: k8s.helm.v3.Release;
  /** The CloudNativePG Cluster: roles and databases declared beside it (`PostgresClientDatabase`) wait for it. */
  public readonly cluster: k8s.apiextensions.CustomResource;

  constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:platform:Postgres", name, {}, opts);
    const { settings, namespace } = args;
    const child = { parent: this, provider: args.provider };
    const keep = { protect: args.protect ?? false };
    const labels = standardLabels({ name: "postgresql", instance: CLUSTER_NAME, component: "database" });

    this.operator = helmRelease(`${name}-operator`, { chart: "cloudnative-pg", namespace: args.operatorNamespace, values: operatorValues(args.systemPlacement) }, { ...child, ...keep });

    const password = new random.RandomPassword(`${name}-app-password`, { length: 32, special: false }, { parent: this }).result;
    const host = `${POOLER_NAME}.${namespace}.svc`;
    const url = pulumi.secret(pulumi.interpolate`postgresql://${settings.owner}:${password}@${host}:5432/${settings.database}`);
    const appSecretName = `${CLUSTER_NAME}-credentials`;
    const appSecret = new k8s.core.v1.Secret(
      `${name}-app-credentials`,
      {
        metadata: { name: appSecretName, namespace, labels },
        type: "kubernetes.io/basic-auth",
        // The provider keeps all of stringData secret, so it holds only what must be: host, port and
        // database are in the endpoint, in clear.
        stringData: { username: settings.owner, password: pulumi.secret(password), uri: url },
      },
      child,
    );

    const store = settings.backup.enabled ? args.objectStore : undefined;
    // The instances archive to S3 through the role where the store has no static keys (EKS).
    const backupRoleArn = store !== undefined && store.identities === undefined ? args.backupRoleArn : undefined;
    if (args.eks !== undefined && backupRoleArn !== undefined) declareBackupConnection(namespace, { eks: args.eks, roleArn: backupRoleArn });
    const backupDeps: pulumi.Resource[] = [];
    if (store !== undefined) {
      const plugin = helmRelease(
        `${name}-barman-plugin`,
        { chart: "plugin-barman-cloud", namespace: args.operatorNamespace, values: pluginValues(args.systemPlacement) },
        { ...child, ...keep, dependsOn: [this.operator] },
      );
      const credentialsSecret = objectStoreCredentialsSecret(`${name}-backup-credentials`, {
        store,
        namespace,
        secretName: `${CLUSTER_NAME}-backup-credentials`,
        // Barman writes under <destinationPath>/<serverName>/ (values.ts objectStoreSpec; the server is the cluster).
        identity: { name: `postgres-${CLUSTER_NAME}-backups`, grants: [backupWriterGrant(`${BACKUP_PREFIXES.postgres}${CLUSTER_NAME}/`)] },
        provider: args.provider,
        parent: this,
      });
      // The Barman Cloud plugin's sidecar in each instance uploads WAL and base backups.
      declareObjectStoreClient("WAL archive and base backups", fromPods(namespace, instanceLabels(CLUSTER_NAME)), store, `${CLUSTER_NAME}-backup-credentials`);
      const objectStore = new k8s.apiextensions.CustomResource(
        `${name}-object-store`,
        {
          apiVersion: "barmancloud.cnpg.io/v1",
          kind: "ObjectStore",
          metadata: { name: OBJECT_STORE_NAME, namespace, labels },
          spec: pulumi
            .all([store.buckets["backups"] ?? "", store.endpoint])
            .apply(([bucket, endpoint]) =>
              objectStoreSpec({
                bucket,
                ...(store.identities === undefined ? {} : { endpointURL: endpoint, credentialsSecret: `${CLUSTER_NAME}-backup-credentials` }),
                ...(store.caBundle === undefined ? {} : { caBundleKey: OBJECT_STORE_SECRET_KEYS.caBundle }),
                region: store.region,
                retention: settings.backup.retention,
              }),
            ),
        },
        { ...child, dependsOn: [plugin, ...(credentialsSecret ? [credentialsSecret] : [])] },
      );
      backupDeps.push(plugin, objectStore);
    }

    const cluster = new k8s.apiextensions.CustomResource(
      `${name}-cluster`,
      {
        apiVersion: "postgresql.cnpg.io/v1",
        kind: "Cluster",
        metadata: { name: CLUSTER_NAME, namespace, labels },
        spec: pulumi.output(args.backupRoleArn).apply((roleArn) =>
          clusterSpec({
            settings,
            storageClass: args.storageClass,
            placement: args.placement,
            appSecretName,
            backups: store !== undefined,
            ...(roleArn === undefined || store?.identities !== undefined ? {} : { roleArn }),
          }),
        ),
      },
      { ...child, ...keep, dependsOn: [this.operator, appSecret, ...backupDeps] },
    );
    this.cluster = cluster;

    const pooler = new k8s.apiextensions.CustomResource(
      `${name}-pooler`,
      { apiVersion: "postgresql.cnpg.io/v1", kind: "Pooler", metadata: { name: POOLER_NAME, namespace, labels }, spec: poolerSpec(settings) },
      { ...child, dependsOn: [cluster] },
    );
    const workloads = postgresWorkloads(namespace);
    for (const workload of Object.values(workloads)) declareWorkload(workload);
    declareConnection(poolerConnection(workloads.pooler, namespace));
    if (settings.pooler.instances > 1) {
      new k8s.policy.v1.PodDisruptionBudget(
        `${name}-pooler-pdb`,
        { metadata: { name: POOLER_NAME, namespace, labels }, spec: { maxUnavailable: 1, selector: { matchLabels: { "cnpg.io/poolerName": POOLER_NAME } } } },
        { ...child, dependsOn: [pooler] },
      );
    }

    if (store !== undefined) {
      new k8s.apiextensions.CustomResource(
        `${name}-scheduled-backup`,
        { apiVersion: "postgresql.cnpg.io/v1", kind: "ScheduledBackup", metadata: { name: `${CLUSTER_NAME}-daily`, namespace, labels }, spec: scheduledBackupSpec(settings.backup.schedule) },
        { ...child, dependsOn: [cluster] },
      );
    }

    if (args.monitoring ?? true) {
      const monitor = (suffix: string, selector: Record<string, string>) =>
        new k8s.apiextensions.CustomResource(
          `${name}-${suffix}-monitor`,
          { apiVersion: "monitoring.coreos.com/v1", kind: "PodMonitor", metadata: { name: `${CLUSTER_NAME}-${suffix}`, namespace, labels }, spec: podMonitorSpec(selector, "metrics") },
          { ...child, dependsOn: withMonitoringCrds([cluster], args.monitoringCrds) },
        );
      monitor("instances", { "cnpg.io/cluster": CLUSTER_NAME, "cnpg.io/podRole": "instance" });
      monitor("pooler", { "cnpg.io/poolerName": POOLER_NAME });
    }

    this.endpoint = {
      kind: "postgresql",
      namespace,
      host: pulumi.output(host),
      port: pulumi.output(5432),
      ports: [5432],
      readHost: pulumi.output(`${CLUSTER_NAME}-ro.${namespace}.svc`),
      database: pulumi.output(settings.database),
      username: pulumi.output(settings.owner),
      password: pulumi.secret(password),
      url,
      secretName: pulumi.output(appSecretName),
    };
    this.registerOutputs({ host: this.endpoint.host, readHost: this.endpoint.readHost });
  }
}
