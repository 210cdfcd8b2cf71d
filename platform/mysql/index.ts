/**
 * MySQL: the Percona operator (namespace-scoped, in the data namespace), a group-replication
 * `PerconaServerMySQL` behind HAProxy, an application user created by a Job, metrics and
 * nightly backups to the object store.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { MysqlSettings } from "../../config/platform/mysql";
import { DATA_SERVICES } from "../../lib/catalog";
import type { Endpoint, ObjectStore, Placement } from "../../lib/contracts";
import { helmRelease } from "../../lib/helm";
import { standardLabels } from "../../lib/labels";
import { backupTarget } from "../backup-target";
import { type BackupTarget, plainSecretData } from "../data-service";
import { PASSWORD_DIGEST_ANNOTATION } from "../../lib/digest-annotations";
import { secretDigest } from "../../lib/secret-digest";
import { appUserScript, MYSQL_PORTS, mysqlClusterSpec, mysqldPodMonitor, mysqlOperatorValues, mysqlServices } from "./values";
import { type MonitoringCrds, withMonitoringCrds } from "../../lib/monitoring-crds";
import { declareConnection, declareWorkload } from "../../lib/connections";
import { appUserConnection, backupConnections, mysqlWorkloads } from "./workloads";
import { declareObjectStoreClient } from "../object-store/credentials";

const appUserJobName = (cluster: string) => `${cluster}-app-user`;
/** Labels of the app-user Job and its pod. */
const appUserJobLabels = (cluster: string) => standardLabels({ name: appUserJobName(cluster), component: "setup" });

/** What the app-user Job reads: the Secrets, the primary's Service and the password's digest. */
interface AppUserJobInputs {
  readonly systemUsersSecret: string;
  readonly appSecretName: string;
  readonly host: string;
  readonly passwordDigest: pulumi.Input<string>;
}

export interface MysqlArgs {
  readonly provider: k8s.Provider;
  /** Namespace of the operator, the cluster and its Secrets. */
  readonly namespace: string;
  readonly settings: MysqlSettings;
  /** Where MySQL and HAProxy run (the `mysql` pool on vSphere). */
  readonly placement: Placement;
  /** Storage class of the data volumes. @default - the cluster default */
  readonly storageClass?: string;
  /** Object store for backups; required when `settings.backup.enabled`. @default - none */
  readonly objectStore?: ObjectStore;
  /** `protect` the operator release and the cluster. @default false */
  readonly protect?: boolean;
  /** Settles to the release installing the Prometheus Operator CRDs its monitors need. @default - none to wait for */
  readonly monitoringCrds?: MonitoringCrds;
}

/** Percona Server for MySQL with group replication. */
export class Mysql extends pulumi.ComponentResource {
  public readonly endpoint: Endpoint;

  constructor(name: string, args: MysqlArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:platform:Mysql", name, {}, opts);
    const s = args.settings;
    const childOpts = { parent: this, provider: args.provider };
    const protect = args.protect ?? false;
    const operator = helmRelease(`${name}-operator`, { chart: "ps-operator", namespace: args.namespace, releaseName: `${s.name}-operator`, values: mysqlOperatorValues(args.placement) }, { ...childOpts, protect });

    const systemUsersSecret = `${s.name}-secrets`;
    const backup = s.backup.enabled && args.objectStore !== undefined ? backupTarget(`${name}-backup-credentials`, { service: s.name, namespace: args.namespace, prefix: `mysql/${s.name}`, objectStore: args.objectStore, provider: args.provider, parent: this }) : undefined;
    if (backup !== undefined && args.objectStore !== undefined) {
      const paths = backupConnections(args.namespace, s.name);
      declareObjectStoreClient("xtrabackup uploads from each member's backup sidecar", paths.uploaders, args.objectStore, `${s.name}-backup-s3`);
      declareObjectStoreClient("expired backups deleted (xbcloud delete Jobs)", paths.deleters, args.objectStore, `${s.name}-backup-s3`);
      declareConnection(paths.sidecar);
    }
    const noTarget: pulumi.Output<BackupTarget | undefined> = pulumi.output(undefined);
    const spec = (backup?.target ?? noTarget).apply((target) =>
      mysqlClusterSpec({
        members: s.members,
        resources: s.resources,
        storageGi: s.storage.sizeGi,
        ...(args.storageClass === undefined ? {} : { storageClass: args.storageClass }),
        placement: args.placement,
        haproxyReplicas: s.haproxyReplicas,
        haproxyResources: { cpuMillis: 250, memoryMi: 256, limitCpuMillis: 1000, limitMemoryMi: 512 },
        systemUsersSecret,
        ...(target === undefined ? {} : { backup: { target, plan: { schedule: s.backup.schedule, keep: s.backup.keep } } }),
        metrics: s.metrics,
      }),
    );
    const labels = standardLabels({ name: s.name, component: "database" });
    const cluster = new k8s.apiextensions.CustomResource(
      `${name}-cluster`,
      { apiVersion: "ps.percona.com/v1", kind: "PerconaServerMySQL", metadata: { name: s.name, namespace: args.namespace, labels, finalizers: ["percona.com/delete-mysql-pods-in-order"] }, spec },
      { ...childOpts, protect, dependsOn: [operator, ...(backup ? [backup.secret] : [])] },
    );

    const password = new random.RandomPassword(`${name}-app-password`, { length: 32, special: false }, { parent: this });
    const appSecretName = `${s.name}-app`;
    const { host, readHost } = mysqlServices(s.name, args.namespace);
    const url = pulumi.secret(pulumi.interpolate`mysql://${s.username}:${password.result}@${host}:${MYSQL_PORTS.readWrite}/${s.database}`);
    const appSecret = new k8s.core.v1.Secret(
      `${name}-app-secret`,
      {
        metadata: { name: appSecretName, namespace: args.namespace, labels: standardLabels({ name: appSecretName, component: "credentials" }) },
        type: "Opaque",
        data: plainSecretData({ host, port: String(MYSQL_PORTS.readWrite), readHost, readPort: String(MYSQL_PORTS.readOnly), database: s.database, username: s.username }),
        stringData: { password: pulumi.secret(password.result), url },
      },
      childOpts,
    );
    this.appUserJob(name, args, { systemUsersSecret, appSecretName, host, passwordDigest: secretDigest(password.result) }, [cluster, appSecret]);
    const workloads = mysqlWorkloads(args.namespace, s.name, { metrics: s.metrics, backups: backup !== undefined, systemUsersSecret });
    for (const workload of Object.values(workloads)) declareWorkload(workload);
    declareConnection(appUserConnection({ namespace: args.namespace, cluster: s.name, job: { name: appUserJobName(s.name), labels: appUserJobLabels(s.name) }, systemUsersSecret, appSecret: appSecretName }));
    if (s.metrics) {
      new k8s.apiextensions.CustomResource(`${name}-metrics`, mysqldPodMonitor(s.name, args.namespace), { ...childOpts, dependsOn: withMonitoringCrds([cluster], args.monitoringCrds) });
    }

    this.endpoint = {
      kind: "mysql",
      namespace: args.namespace,
      host: pulumi.output(host),
      port: pulumi.output<number>(MYSQL_PORTS.readWrite),
      ports: [MYSQL_PORTS.readWrite, MYSQL_PORTS.readOnly],
      readHost: pulumi.output(readHost),
      database: pulumi.output(s.database),
      username: pulumi.output(s.username),
      password: pulumi.secret(password.result),
      url,
      secretName: appSecret.metadata.name,
    };
    this.registerOutputs({ host: this.endpoint.host, secretName: this.endpoint.secretName });
  }

  /**
   * A Job that creates the database and the application user once the primary answers, and sets
   * the user's password (`ALTER USER`, so a rerun rotates it). The password's digest is an
   * annotation of the pod template: a new password changes the template, which pulumi-kubernetes
   * replaces a Job on (its forceNew table lists `spec.template`), deleting the finished Job first
   * because the name stays (provider Diff: `deleteBeforeReplace` for a named object), so the new
   * Job runs with the new password after the app Secret holds it.
   */
  private appUserJob(name: string, args: MysqlArgs, job: AppUserJobInputs, dependsOn: pulumi.Resource[]): k8s.batch.v1.Job {
    const { systemUsersSecret, appSecretName, host } = job;
    const s = args.settings;
    const jobName = appUserJobName(s.name);
    return new k8s.batch.v1.Job(
      `${name}-app-user`,
      {
        metadata: { name: jobName, namespace: args.namespace, labels: appUserJobLabels(s.name) },
        spec: {
          backoffLimit: 10,
          template: {
            metadata: { labels: appUserJobLabels(s.name), annotations: { [PASSWORD_DIGEST_ANNOTATION]: job.passwordDigest } },
            spec: {
              restartPolicy: "OnFailure",
              securityContext: { runAsNonRoot: true, runAsUser: 1001, seccompProfile: { type: "RuntimeDefault" } },
              containers: [
                {
                  name: "create-user",
                  image: DATA_SERVICES.mysql.server,
                  command: ["/bin/sh", "-c", appUserScript(s.database, s.username)],
                  env: [
                    { name: "MYSQL_HOST", value: host },
                    { name: "MYSQL_PWD", valueFrom: { secretKeyRef: { name: systemUsersSecret, key: "root" } } },
                    { name: "APP_PASSWORD", valueFrom: { secretKeyRef: { name: appSecretName, key: "password" } } },
                  ],
                  resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                  volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                },
              ],
              volumes: [{ name: "tmp", emptyDir: {} }],
            },
          },
        },
      },
      { parent: this, provider: args.provider, dependsOn, customTimeouts: { create: "30m", update: "30m" } },
    );
  }
}
