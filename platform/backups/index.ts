/**
 * Velero: namespace backups (objects, and volume data through the node agent with kopia) to the
 * platform's object store, on the seeds' daily schedule.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { BackupsSettings } from "../../config/platform/backups";
import type { ObjectStore, Placement } from "../../lib/contracts";
import { helmRelease } from "../../lib/helm";
import { standardLabels } from "../../lib/labels";
import { credentialsSecretDigest, EXTERNAL_BACKUP_TARGET, objectStoreCredentialsSecret } from "../object-store/credentials";
import { backupWriterGrant } from "../object-store/identity-actions";
import { BACKUP_PREFIXES } from "../../lib/bucket-layout";
import { declareVeleroConnections, type VeleroConnectionsArgs } from "./connections";
import { LOCATION_NAME, locationSpec, scheduleSpec, veleroValues } from "./values";
import { type MonitoringCrds, withMonitoringCrds } from "../../lib/monitoring-crds";
import { declareConnection, declareWorkload } from "../../lib/connections";
import { storeService, veleroApiServerConnections, veleroStoreConnections, veleroWorkloads } from "./workloads";

export interface BackupsArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Resolved `strata:platform.backups`. */
  readonly settings: BackupsSettings;
  /** Namespace Velero runs in. */
  readonly namespace: string;
  /** The backup target's store (`platform/backup-store.ts`). */
  readonly store: ObjectStore;
  /**
   * The data namespace: its objects, and the volumes its pods opt in to file-system backup
   * (Redis, RabbitMQ, Kafka); the databases' volumes stay out, their operators back them up.
   */
  readonly dataNamespace: string;
  /** App namespaces and extra namespaces (objects and volume data). */
  readonly appNamespaces: readonly string[];
  /** Where the Velero server runs. */
  readonly placement: Placement;
  /** Declare ServiceMonitors / PodMonitors (the chart checks the API is present). @default true */
  readonly monitoring?: boolean;
  /** `protect` the release. @default false */
  readonly protect?: boolean;
  /** Resources the release waits for (the object store). @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
  /** Settles to the release installing the Prometheus Operator CRDs its monitors need. @default - none to wait for */
  readonly monitoringCrds?: MonitoringCrds;
  /** On EKS: the cluster, its backups bucket and Velero's Pod Identity role, which the connections name. @default - not on EKS */
  readonly eks?: VeleroConnectionsArgs["eks"];
}

export class Backups extends pulumi.ComponentResource {
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: BackupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:platform:Backups", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const labels = standardLabels({ name: "velero", component: "backups" });
    const secretName = "velero-object-store";
    const credentials = objectStoreCredentialsSecret(`${name}-credentials`, {
      store: args.store,
      namespace: args.namespace,
      secretName,
      identity: { name: "velero", grants: [backupWriterGrant(BACKUP_PREFIXES.velero)] },
      provider: args.provider,
      parent: this,
    });
    const credentialsSecret = credentials === undefined ? undefined : secretName;
    const credentialsDigest = credentials === undefined ? undefined : credentialsSecretDigest(credentials);
    this.release = helmRelease(
      `${name}-release`,
      {
        chart: "velero",
        releaseName: "velero",
        namespace: args.namespace,
        values: veleroValues({ settings: args.settings, placement: args.placement, ...(credentialsSecret === undefined ? {} : { credentialsSecret }), ...(credentialsDigest === undefined ? {} : { credentialsDigest }), monitoring: args.monitoring ?? true }),
      },
      { ...child, protect: args.protect ?? false, dependsOn: withMonitoringCrds([...(args.dependsOn ?? []), ...(credentials ? [credentials] : [])], args.monitoringCrds) },
    );
    const workloads = veleroWorkloads(args.namespace, { nodeAgent: args.settings.volumeData, metrics: true });
    for (const workload of [workloads.server, workloads.nodeAgent]) if (workload !== undefined) declareWorkload(workload);
    for (const connection of veleroApiServerConnections(workloads)) declareConnection(connection);
    if (credentialsSecret !== undefined && args.store.externalPort !== undefined) {
      for (const connection of veleroStoreConnections(workloads, { kind: "external", name: EXTERNAL_BACKUP_TARGET, port: args.store.externalPort }, credentialsSecret)) declareConnection(connection);
    } else if (credentialsSecret !== undefined) {
      // Static keys: the in-cluster store (SeaweedFS); on EKS Velero reaches S3 with its Pod Identity.
      const target = args.store.endpoint.apply((url) => storeService(url) ?? { namespace: "", name: `(not an in-cluster name: ${url})`, port: 0 });
      const store = { kind: "service" as const, namespace: target.apply((t) => t.namespace), name: target.apply((t) => t.name), port: target.apply((t) => t.port) };
      for (const connection of veleroStoreConnections(workloads, store, credentialsSecret)) declareConnection(connection);
    }
    const location = new k8s.apiextensions.CustomResource(
      `${name}-location`,
      {
        apiVersion: "velero.io/v1",
        kind: "BackupStorageLocation",
        metadata: { name: LOCATION_NAME, namespace: args.namespace, labels },
        spec: pulumi.all([args.store.buckets["backups"] ?? "", args.store.endpoint]).apply(([bucket, endpoint]) =>
          locationSpec({
            bucket,
            region: args.store.region,
            ...(credentialsSecret === undefined ? {} : { s3Url: endpoint, forcePathStyle: args.store.forcePathStyle }),
            ...(args.store.caBundle === undefined ? {} : { caBundle: args.store.caBundle }),
            ...(credentialsSecret === undefined ? {} : { credentialsSecret }),
          }),
        ),
      },
      { ...child, dependsOn: [this.release] },
    );
    const schedule = (suffix: string, namespaces: readonly string[], volumeData: boolean) =>
      new k8s.apiextensions.CustomResource(
        `${name}-${suffix}-schedule`,
        { apiVersion: "velero.io/v1", kind: "Schedule", metadata: { name: `daily-${suffix}`, namespace: args.namespace, labels }, spec: scheduleSpec(args.settings, namespaces, volumeData) },
        { ...child, dependsOn: [location] },
      );
    // Opt-in only in the data namespace: no pod volume is copied unless its pod names it.
    schedule("data", [args.dataNamespace], false);
    // One kopia repository per namespace whose volumes are copied: the apps', and the data
    // namespace's for the pods that opt in.
    if (args.eks !== undefined && credentials === undefined) {
      const volumeNamespaces = args.settings.volumeData ? [args.dataNamespace, ...args.appNamespaces] : [];
      declareVeleroConnections({ workloads, namespace: args.namespace, volumeNamespaces, region: args.store.region, eks: args.eks });
    }
    if (args.appNamespaces.length > 0) schedule("apps", args.appNamespaces, args.settings.volumeData);
    this.registerOutputs({});
  }
}
