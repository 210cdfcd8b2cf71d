/**
 * The platform's object store: SeaweedFS on vSphere and existing clusters, the infra layer's S3
 * buckets on EKS. Either way the result is the same `ObjectStore` contract.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ObjectStoreSettings } from "../../config/platform/object-store";
import type { EksExtras, ObjectStore, Placement } from "../../lib/contracts";
import { helmRelease } from "../../lib/helm";
import { standardLabels } from "../../lib/labels";
import { secretDigest } from "../../lib/secret-digest";
import { APP_BUCKET_PURPOSE } from "../../config/apps/runtime";
import { credentialsSecret } from "./credentials";
import { SeaweedfsIdentities } from "./identities";
import { BREAK_GLASS_IDENTITY, bucketGrant, s3IdentitiesJson } from "./identity-actions";
import { S3_CONFIG_KEY, S3_PORT, SEAWEEDFS_RELEASE, seaweedfsValues } from "./values";
import { type MonitoringCrds, withMonitoringCrds } from "../../lib/monitoring-crds";
import { declareWorkload } from "../../lib/connections";
import { seaweedfsWorkloads } from "./workloads";
import { seaweedfsDisruptionBudgets } from "./disruption-budgets";
import { bucketJobManifest } from "./bucket-job";
import { declareBucketJobConnections } from "./bucket-job-connections";
import { IMAGES } from "../../lib/catalog";

/** Secret in the store's namespace with the apps' S3 keys (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `cloud`). */
export const OBJECT_STORE_CREDENTIALS = "object-store-credentials";
/** Secret in the store's namespace with the break-glass identity's keys (Admin); nothing else holds them. */
export const OBJECT_STORE_BREAK_GLASS = "object-store-break-glass";
/** Identity of the apps (`uses: objectStore`): read/write on the apps' bucket only. */
export const APPS_IDENTITY = "apps";

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
  /** The gateway's identities; the platform seals them once every consumer has registered. */
  public readonly identities: SeaweedfsIdentities;

  constructor(name: string, args: SeaweedfsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:platform:Seaweedfs", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const buckets = args.settings.buckets;
    this.identities = new SeaweedfsIdentities(name, buckets, this);
    // The apps get keys only where they have a bucket; nothing else is theirs.
    const appKeys = buckets[APP_BUCKET_PURPOSE] === undefined ? undefined : this.identities.identity(APPS_IDENTITY, [bucketGrant(APP_BUCKET_PURPOSE)]);
    const configSecretName = `${SEAWEEDFS_RELEASE}-s3-config`;
    const configData = pulumi.secret(this.identities.identitiesOutput().apply(s3IdentitiesJson));
    const config = new k8s.core.v1.Secret(
      `${name}-s3-config`,
      {
        metadata: { name: configSecretName, namespace: args.namespace, labels: standardLabels({ name: "seaweedfs", component: "object-store" }) },
        type: "Opaque",
        // Complete once every consumer has registered (`identities.seal`, at the end of the platform layer).
        stringData: { [S3_CONFIG_KEY]: configData },
      },
      child,
    );
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
          configDigest: secretDigest(configData),
          monitoring: args.monitoring ?? true,
        }),
      },
      { ...child, protect: args.protect ?? false, dependsOn: withMonitoringCrds([config], args.monitoringCrds) },
    );
    for (const budget of seaweedfsDisruptionBudgets(args.namespace, args.settings)) {
      new k8s.policy.v1.PodDisruptionBudget(`${name}-${budget.metadata.name}-pdb`, budget, { ...child, dependsOn: [this.release] });
    }
    for (const workload of Object.values(seaweedfsWorkloads(args.namespace, { monitoring: args.monitoring ?? true }))) declareWorkload(workload);
    const bucketJob = new k8s.batch.v1.Job(
      `${name}-buckets`,
      bucketJobManifest({
        namespace: args.namespace,
        buckets: Object.values(buckets),
        // Versions keep what a writer deletes or overwrites until a lifecycle rule expires them (README).
        versionedBuckets: buckets["backups"] === undefined ? [] : [buckets["backups"]],
        image: `${IMAGES.seaweedfs.repository}:${IMAGES.seaweedfs.tag}`,
        placement: args.placement,
      }),
      { ...child, dependsOn: [this.release] },
    );
    declareBucketJobConnections(args.namespace);
    // Ready once the release is up and the buckets exist.
    const ready = pulumi.all([this.release.status, bucketJob.metadata.name]).apply(() => true);
    this.store = {
      endpoint: ready.apply(() => `http://${SEAWEEDFS_RELEASE}-s3.${args.namespace}.svc:${S3_PORT}`),
      region: "us-east-1",
      forcePathStyle: true,
      buckets: Object.fromEntries(Object.entries(buckets).map(([purpose, bucket]) => [purpose, ready.apply(() => bucket)])),
      ...(appKeys === undefined ? {} : { credentials: { namespace: args.namespace, secretName: OBJECT_STORE_CREDENTIALS, ...appKeys } }),
      identities: this.identities,
    };
    const secretArgs = { namespace: args.namespace, provider: args.provider, parent: this };
    // The apps' keys as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, for apps in the store's namespace.
    if (appKeys !== undefined) credentialsSecret(`${name}-credentials`, appKeys, { ...secretArgs, secretName: OBJECT_STORE_CREDENTIALS });
    // Admin on everything (creating buckets, repairs): kept only here, for an operator (platform/object-store/README.md).
    credentialsSecret(`${name}-break-glass`, this.identities.breakGlass(BREAK_GLASS_IDENTITY), { ...secretArgs, secretName: OBJECT_STORE_BREAK_GLASS });
    this.registerOutputs({ endpoint: this.store.endpoint });
  }
}
