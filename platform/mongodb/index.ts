/**
 * MongoDB: the Percona operator (namespace-scoped, in the data namespace) and a
 * `PerconaServerMongoDB` replica set with the application user, metrics and PBM backups.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { MongodbSettings } from "../../config/platform/mongodb";
import type { Endpoint, ObjectStore, Placement } from "../../lib/contracts";
import { helmRelease } from "../../lib/helm";
import { standardLabels } from "../../lib/labels";
import { backupTarget } from "../backup-target";
import { type BackupTarget, plainSecretData, podMonitor } from "../data-service";
import { MONGODB_PORT, mongodbClusterSpec, mongodbHosts, mongodbOperatorValues, mongodbUrl, REPLSET_NAME } from "./values";
import { type MonitoringCrds, withMonitoringCrds } from "../../lib/monitoring-crds";
import { declareWorkload, fromWorkload } from "../../lib/connections";
import { declareObjectStoreClient } from "../object-store/credentials";
import { mongodbWorkload } from "./workloads";
import { declarePbmConnections, type PbmIdentity, pbmPrefix } from "./backup-calls";
import { bucketTarget, pbmServiceAccount } from "./backup-identity";

export interface MongodbArgs {
  readonly provider: k8s.Provider;
  /** Namespace of the operator, the cluster and its Secrets. */
  readonly namespace: string;
  readonly settings: MongodbSettings;
  /** Where the members run (the `mongodb` pool on vSphere). */
  readonly placement: Placement;
  /** Storage class of the data volumes. @default - the cluster default */
  readonly storageClass?: string;
  /** Object store for backups; required when `settings.backup.enabled`. @default - none */
  readonly objectStore?: ObjectStore;
  /**
   * On EKS: the backups bucket and the IRSA roles of the PBM agents and the operator; backups then
   * go to the bucket under `mongodb/<name>` with those identities instead of keys. @default - none
   */
  readonly backupIdentity?: PbmIdentity;
  /** `protect` the operator release and the cluster. @default false */
  readonly protect?: boolean;
  /** Settles to the release installing the Prometheus Operator CRDs its monitors need. @default - none to wait for */
  readonly monitoringCrds?: MonitoringCrds;
}

/** Percona Server for MongoDB, one replica set. */
export class Mongodb extends pulumi.ComponentResource {
  public readonly endpoint: Endpoint;

  constructor(name: string, args: MongodbArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:platform:Mongodb", name, {}, opts);
    const s = args.settings;
    const childOpts = { parent: this, provider: args.provider };
    const protect = args.protect ?? false;
    const identity = s.backup.enabled ? args.backupIdentity : undefined;
    const operatorRelease = `${s.name}-operator`;
    const operatorValues = pulumi.output(identity?.operator.roleArn).apply((roleArn) => mongodbOperatorValues(args.placement, roleArn));
    const operator = helmRelease(`${name}-operator`, { chart: "psmdb-operator", namespace: args.namespace, releaseName: operatorRelease, values: operatorValues }, { ...childOpts, protect });

    const password = new random.RandomPassword(`${name}-app-password`, { length: 32, special: false }, { parent: this });
    const appSecretName = `${s.name}-app`;
    const hosts = mongodbHosts(s.name, args.namespace, s.members);
    const url = pulumi.secret(password.result.apply((p) => mongodbUrl(hosts, s.username, p, s.database)));
    const appSecret = new k8s.core.v1.Secret(
      `${name}-app-secret`,
      {
        metadata: { name: appSecretName, namespace: args.namespace, labels: standardLabels({ name: appSecretName, component: "credentials" }) },
        type: "Opaque",
        data: plainSecretData({ hosts: hosts.join(","), port: String(MONGODB_PORT), replicaSet: REPLSET_NAME, database: s.database, username: s.username }),
        stringData: { password: pulumi.secret(password.result), url },
      },
      childOpts,
    );

    const systemUsersSecret = `${s.name}-secrets`;
    const agentAccount = identity === undefined ? undefined : pbmServiceAccount(`${name}-backup-account`, { namespace: args.namespace, binding: identity.agents }, childOpts);
    const backup =
      identity !== undefined
        ? { target: bucketTarget(identity.eks, pbmPrefix(s.name)), secret: undefined }
        : s.backup.enabled && args.objectStore !== undefined
          ? backupTarget(`${name}-backup-credentials`, { service: s.name, namespace: args.namespace, prefix: pbmPrefix(s.name), objectStore: args.objectStore, provider: args.provider, parent: this })
          : undefined;
    const noTarget: pulumi.Output<BackupTarget | undefined> = pulumi.output(undefined);
    const spec = (backup?.target ?? noTarget).apply((target) =>
      mongodbClusterSpec({
        members: s.members,
        resources: s.resources,
        storageGi: s.storage.sizeGi,
        ...(args.storageClass === undefined ? {} : { storageClass: args.storageClass }),
        placement: args.placement,
        systemUsersSecret,
        appUser: { database: s.database, username: s.username, secretName: appSecretName },
        ...(target === undefined ? {} : { backup: { target, plan: { schedule: s.backup.schedule, keep: s.backup.keep } } }),
        metrics: s.metrics,
        ...(agentAccount === undefined ? {} : { serviceAccountName: identity?.agents.serviceAccount }),
      }),
    );
    const cluster = new k8s.apiextensions.CustomResource(
      `${name}-cluster`,
      {
        apiVersion: "psmdb.percona.com/v1",
        kind: "PerconaServerMongoDB",
        metadata: { name: s.name, namespace: args.namespace, labels: standardLabels({ name: s.name, component: "database" }), finalizers: ["percona.com/delete-psmdb-pods-in-order"] },
        spec,
      },
      { ...childOpts, protect, dependsOn: [operator, appSecret, ...(backup?.secret ? [backup.secret] : []), ...(agentAccount ? [agentAccount] : [])] },
    );
    const mongod = mongodbWorkload(args.namespace, s.name, { metrics: s.metrics, systemUsersSecret });
    declareWorkload(mongod);
    // PBM's agent runs beside each mongod and writes the backups and oplog chunks; on EKS the
    // operator also deletes expired backups from the bucket itself.
    if (identity !== undefined) declarePbmConnections(args.namespace, s.name, mongod, operatorRelease, identity);
    else if (backup?.secret !== undefined && args.objectStore !== undefined) declareObjectStoreClient("PBM backups", fromWorkload(mongod), args.objectStore, `${s.name}-backup-s3`);
    if (s.metrics) {
      const monitor = podMonitor(`${s.name}-mongod`, args.namespace, { "app.kubernetes.io/instance": s.name, "app.kubernetes.io/component": "mongod" }, "metrics");
      new k8s.apiextensions.CustomResource(`${name}-metrics`, monitor, { ...childOpts, dependsOn: withMonitoringCrds([cluster], args.monitoringCrds) });
    }

    this.endpoint = {
      kind: "mongodb",
      namespace: args.namespace,
      host: pulumi.output(hosts[0] ?? `${s.name}-${REPLSET_NAME}.${args.namespace}.svc`),
      port: pulumi.output<number>(MONGODB_PORT),
      ports: [MONGODB_PORT],
      database: pulumi.output(s.database),
      username: pulumi.output(s.username),
      password: pulumi.secret(password.result),
      url,
      secretName: appSecret.metadata.name,
    };
    this.registerOutputs({ host: this.endpoint.host, secretName: this.endpoint.secretName });
  }
}
