/**
 * The platform's object store: SeaweedFS on vSphere and existing clusters, the infra layer's S3
 * buckets on EKS. Either way the result is the same `ObjectStore` contract.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ObjectStoreSettings } from "../../config/platform-object-store";
import type { EksExtras, ObjectStore, Placement } from "../../lib/contracts";
import { helmRelease } from "../../lib/helm";
import { standardLabels } from "../../lib/labels";
import { objectStoreCredentialsSecret } from "./credentials";
import { S3_CONFIG_KEY, S3_PORT, s3IdentitiesJson, SEAWEEDFS_RELEASE, seaweedfsValues } from "./values";
import { type MonitoringCrds, withMonitoringCrds } from "../../lib/monitoring-crds";
import { declareWorkload } from "../../lib/connections";
import { seaweedfsWorkloads } from "./workloads";

/** Secret in the store's namespace with the S3 keys (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `cloud`). */
export const OBJECT_STORE_CREDENTIALS = "object-store-credentials";

/** The infra layer's buckets as the contract; clients reach them through their cloud identity. */
export function s3ObjectStore(eks: EksExtras): ObjectStore {
  const buckets = Object.fromEntries(Object.entries(eks.buckets).map(([purpose, bucket]) => [purpose, bucket.name]));
  return { endpoint: pulumi.output(`https://s3.${eks.region}.amazonaws.com`), region: eks.region, forcePathStyle: false, buckets };
}

export interface SeaweedfsArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Resolved `strata:platform.objectStore`. */
  readonly settings: ObjectStoreSettings;
  /** Namespace SeaweedFS runs in. */
  readonly namespace: string;
  /** Storage class of every SeaweedFS volume (storage nodes' data disks). */
  readonly storageClass: string;
  /** Class for master and filer metadata (the storage nodes' SSDs). @default - storageClass */
  readonly metadataStorageClass?: string;
  /** Where SeaweedFS runs (the storage pool). */
  readonly placement: Placement;
  /** Declare ServiceMonitors. @default true */
  readonly monitoring?: boolean;
  /** `protect` the release (it owns the data volumes). @default false */
  readonly protect?: boolean;
  /** Settles to the release installing the Prometheus Operator CRDs its monitors need. @default - none to wait for */
  readonly monitoringCrds?: MonitoringCrds;
}

/** SeaweedFS with an authenticated S3 gateway and its buckets. */
export class Seaweedfs extends pulumi.ComponentResource {
  public readonly store: ObjectStore;
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: SeaweedfsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:platform:Seaweedfs", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const accessKeyId = pulumi.secret(new random.RandomPassword(`${name}-access-key`, { length: 20, special: false, lower: false }, { parent: this }).result);
    const secretAccessKey = pulumi.secret(new random.RandomPassword(`${name}-secret-key`, { length: 40, special: false }, { parent: this }).result);
    const configSecretName = `${SEAWEEDFS_RELEASE}-s3-config`;
    const config = new k8s.core.v1.Secret(
      `${name}-s3-config`,
      {
        metadata: { name: configSecretName, namespace: args.namespace, labels: standardLabels({ name: "seaweedfs", component: "object-store" }) },
        type: "Opaque",
        stringData: { [S3_CONFIG_KEY]: pulumi.secret(pulumi.all([accessKeyId, secretAccessKey]).apply(([a, s]) => s3IdentitiesJson(a, s))) },
      },
      child,
    );
    const buckets = args.settings.buckets;
    this.release = helmRelease(
      `${name}-release`,
      {
        chart: "seaweedfs",
        releaseName: SEAWEEDFS_RELEASE,
        namespace: args.namespace,
        values: seaweedfsValues({
          settings: args.settings,
          storageClass: args.storageClass,
          ...(args.metadataStorageClass === undefined ? {} : { metadataStorageClass: args.metadataStorageClass }),
          placement: args.placement,
          configSecretName,
          buckets: Object.values(buckets),
          monitoring: args.monitoring ?? true,
        }),
      },
      { ...child, protect: args.protect ?? false, dependsOn: withMonitoringCrds([config], args.monitoringCrds) },
    );
    for (const workload of Object.values(seaweedfsWorkloads(args.namespace, { monitoring: args.monitoring ?? true }))) declareWorkload(workload);
    // Ready once the release (and its bucket hook) has finished.
    const ready = this.release.status.apply(() => true);
    this.store = {
      endpoint: ready.apply(() => `http://${SEAWEEDFS_RELEASE}-s3.${args.namespace}.svc:${S3_PORT}`),
      region: "us-east-1",
      forcePathStyle: true,
      buckets: Object.fromEntries(Object.entries(buckets).map(([purpose, bucket]) => [purpose, ready.apply(() => bucket)])),
      credentials: { namespace: args.namespace, secretName: OBJECT_STORE_CREDENTIALS, accessKeyId, secretAccessKey },
    };
    // The keys as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, for apps in the store's namespace.
    objectStoreCredentialsSecret(`${name}-credentials`, { store: this.store, namespace: args.namespace, secretName: OBJECT_STORE_CREDENTIALS, provider: args.provider, parent: this });
    this.registerOutputs({ endpoint: this.store.endpoint });
  }
}
