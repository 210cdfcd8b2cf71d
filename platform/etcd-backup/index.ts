/**
 * The vSphere control planes' etcd snapshots, copied off the cluster to the backup target by a
 * CronJob (objects.ts says how and why). Built by the platform layer on vSphere where a backup
 * target exists; the snapshots themselves come from the infra layer's timer on every control plane.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { namespaceLabels } from "../../cluster/namespaces";
import { BACKUP_PREFIXES } from "../../lib/bucket-layout";
import { declareConnection } from "../../lib/connections";
import type { ObjectStore } from "../../lib/contracts";
import { standardLabels } from "../../lib/labels";
import type { BackupTarget } from "../data-service";
import { credentialsSecretDigest, OBJECT_STORE_SECRET_KEYS, objectStoreCredentialsSecret } from "../object-store/credentials";
import { backupWriterGrant } from "../object-store/identity-actions";
import { ETCD_BACKUP_NAMESPACE, ETCD_UPLOAD_NAME, ETCD_UPLOAD_SECRET, etcdUploadConnection, etcdUploadCronJobSpec, etcdUploadPolicies, type EtcdUploadPolicies, type EtcdUploadSpec } from "./objects";

export interface EtcdSnapshotUploadArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Cluster name: the folder under `etcd/` in the bucket. */
  readonly cluster: string;
  /** The backup target's store (platform/backup-store.ts); it must hand out static keys. */
  readonly store: ObjectStore;
  /** Cron, UTC (`strata:platform.backups.etcd.schedule`). */
  readonly schedule: string;
  /** Ranges inside the cluster (`ClusterAddresses.internal`), excepted from the egress to an external target. */
  readonly internalRanges: readonly string[];
  /** Kubernetes version the namespace's Pod Security labels are pinned to. */
  readonly kubernetesVersion: string;
  /** Resources to wait for (the in-cluster store's release). @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class EtcdSnapshotUpload extends pulumi.ComponentResource {
  public readonly cronJob: k8s.batch.v1.CronJob;

  constructor(name: string, args: EtcdSnapshotUploadArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:platform:EtcdSnapshotUpload", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const bucket = args.store.buckets["backups"];
    if (args.store.identities === undefined || bucket === undefined) {
      throw new Error(`${name}: the etcd snapshot upload needs a backup target with static keys and a backups bucket`);
    }
    // Privileged for one reason: the upload's read-only hostPath of the snapshot folder (baseline forbids hostPath).
    const namespace = new k8s.core.v1.Namespace(
      `${name}-namespace`,
      { metadata: { name: ETCD_BACKUP_NAMESPACE, labels: namespaceLabels({ name: ETCD_BACKUP_NAMESPACE, purpose: "system", podSecurity: "privileged" }, args.kubernetesVersion) } },
      child,
    );
    const prefix = BACKUP_PREFIXES.etcd;
    const secret = objectStoreCredentialsSecret(`${name}-credentials`, {
      store: args.store,
      namespace: ETCD_BACKUP_NAMESPACE,
      secretName: ETCD_UPLOAD_SECRET,
      identity: { name: "etcd-snapshots", grants: [backupWriterGrant(prefix)] },
      provider: args.provider,
      parent: this,
      dependsOn: [namespace],
    });
    const target: pulumi.Output<BackupTarget> = pulumi.all([args.store.endpoint, bucket]).apply(([endpoint, bucketName]) => ({
      endpoint,
      region: args.store.region,
      bucket: bucketName,
      prefix: prefix.replace(/\/$/, ""),
      forcePathStyle: args.store.forcePathStyle,
      credentialsSecret: ETCD_UPLOAD_SECRET,
      ...(args.store.caBundle === undefined ? {} : { caBundleKey: OBJECT_STORE_SECRET_KEYS.caBundle }),
    }));
    const digest = secret === undefined ? undefined : credentialsSecretDigest(secret);
    const spec = pulumi.all([target, digest]).apply(
      ([t, credentialsDigest]): EtcdUploadSpec => ({ cluster: args.cluster, target: t, schedule: args.schedule, internalRanges: args.internalRanges, ...(credentialsDigest === undefined ? {} : { credentialsDigest }) }),
    );
    const labels = standardLabels({ name: ETCD_UPLOAD_NAME, component: "etcd-backup" });
    this.cronJob = new k8s.batch.v1.CronJob(
      `${name}-cronjob`,
      { metadata: { name: ETCD_UPLOAD_NAME, namespace: ETCD_BACKUP_NAMESPACE, labels }, spec: spec.apply(etcdUploadCronJobSpec) },
      { ...child, dependsOn: [namespace, ...(secret === undefined ? [] : [secret]), ...(args.dependsOn ?? [])] },
    );
    // The roles are known now: an external target (it names its port) has no ingress of ours to open.
    const policies = spec.apply(etcdUploadPolicies);
    const roles: (keyof EtcdUploadPolicies)[] = ["defaultDeny", "dns", "egress", ...(args.store.externalPort === undefined ? (["targetIngress"] as const) : [])];
    for (const role of roles) {
      const policy = policies.apply((all) => {
        const found = all[role];
        if (found === undefined) throw new Error(`${name}: the target is a Service in the cluster only when the store names no external port`);
        return found;
      });
      new k8s.networking.v1.NetworkPolicy(
        `${name}-${role.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
        {
          metadata: { name: policy.name, namespace: policy.namespace, labels: standardLabels({ name: ETCD_UPLOAD_NAME, component: "etcd-backup" }) },
          spec: policy.spec,
        },
        { ...child, dependsOn: [namespace] },
      );
    }
    target.apply((t) => declareConnection(etcdUploadConnection(t)));
    this.registerOutputs({ cronJob: this.cronJob.metadata.name });
  }
}
