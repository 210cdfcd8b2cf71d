/**
 * Copies the apps' buckets of the in-cluster SeaweedFS to the backup target, continuously, keeping
 * each day's version and never deleting (why `weed filer.backup`: bucket-backup-objects.ts).
 */
import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { declareConnection } from "../../lib/connections";
import type { Placement } from "../../lib/contracts";
import { standardLabels } from "../../lib/labels";
import type { BackupTarget } from "../data-service";
import { BUCKET_BACKUP_NAME, bucketBackupConfig, bucketBackupConnections, bucketBackupDeploymentSpec, bucketBackupPolicies, type BucketBackupSpec } from "./bucket-backup-objects";

export interface BucketBackupArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Namespace SeaweedFS runs in; the copier runs beside it and reads the target's Secret there. */
  readonly namespace: string;
  /** Buckets to copy, by purpose; never the store's own `backups` bucket. */
  readonly buckets: Readonly<Record<string, string>>;
  /** Where the copies go; its `credentialsSecret` must exist in `namespace`. */
  readonly target: pulumi.Output<BackupTarget>;
  /** The storage pool SeaweedFS runs on. */
  readonly placement: Placement;
  /** Ranges inside the cluster (`ClusterAddresses.internal`), excepted from the egress to the target. */
  readonly internalRanges: readonly string[];
  /** Walk each bucket's live tree before following the log (`-initialSnapshot`); turn off again once caught up. @default false */
  readonly seedFromLiveTree?: boolean;
  /**
   * Digest of the target's keys (`secretDigest`). The copier reads them as environment variables,
   * which a running pod never re-reads: the digest in the pod template rolls it when they rotate.
   * @default - none: a rotation needs a restart by hand
   */
  readonly credentialsDigest?: pulumi.Input<string>;
  /** Resources to wait for (the SeaweedFS release, the target's Secret). @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** One `weed filer.backup` per app bucket, its config, and its NetworkPolicies. */
export class BucketBackup extends pulumi.ComponentResource {
  public readonly deployment: k8s.apps.v1.Deployment;
  public readonly config: k8s.core.v1.ConfigMap;

  constructor(name: string, args: BucketBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:platform:BucketBackup", name, {}, opts);
    if (Object.prototype.hasOwnProperty.call(args.buckets, "backups")) {
      throw new Error(`${name}: the backups bucket is the copies' own store; copying it would copy backups into themselves`);
    }
    const child = { parent: this, provider: args.provider };
    const specOf = (target: BackupTarget): BucketBackupSpec => ({
      namespace: args.namespace,
      buckets: args.buckets,
      target,
      placement: args.placement,
      internalRanges: args.internalRanges,
      ...(args.seedFromLiveTree === undefined ? {} : { seedFromLiveTree: args.seedFromLiveTree }),
    });
    const spec = args.target.apply(specOf);
    const labels = standardLabels({ name: BUCKET_BACKUP_NAME, component: "object-store-backup" });
    const data = spec.apply(bucketBackupConfig);
    this.config = new k8s.core.v1.ConfigMap(`${name}-config`, { metadata: { name: `${BUCKET_BACKUP_NAME}-config`, namespace: args.namespace, labels }, data }, { ...child, dependsOn: args.dependsOn ?? [] });
    const checksum = pulumi.all([data, args.credentialsDigest ?? ""]).apply(([d, keys]) => podTemplateChecksum(d, keys));
    this.deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: { name: BUCKET_BACKUP_NAME, namespace: args.namespace, labels },
        spec: pulumi.all([spec, checksum]).apply(([s, sum]) => bucketBackupDeploymentSpec(s, `${BUCKET_BACKUP_NAME}-config`, sum)),
      },
      { ...child, dependsOn: [this.config, ...(args.dependsOn ?? [])] },
    );
    // The policies depend only on the target's endpoint, known before its Secret exists.
    const policies = spec.apply(bucketBackupPolicies);
    for (const [role, suffix] of [["egress", "egress"], ["filerIngress", "filer-ingress"]] as const) {
      const policy = policies.apply((all) => all[role]);
      new k8s.networking.v1.NetworkPolicy(`${name}-${suffix}`, { metadata: { name: policy.name, namespace: args.namespace, labels }, spec: policy.spec }, child);
    }
    // Whether the target is a Service or an address outside is known once its endpoint resolves;
    // the offline plan collects declarations after every output has.
    args.target.apply((target) => bucketBackupConnections(args.namespace, target).forEach(declareConnection));
    this.registerOutputs({ deployment: this.deployment.metadata.name });
  }
}

/** Purposes never copied: the copies' own store. */
const NOT_COPIED = new Set(["backups"]);

/** The copier's pod-template checksum: its config, and the digest of the keys it reads from its environment. */
export function podTemplateChecksum(config: Readonly<Record<string, string>>, credentialsDigest: string): string {
  return createHash("sha256").update(JSON.stringify(config)).update(credentialsDigest).digest("hex");
}

/** The buckets `backUpAppBuckets` copies: every purpose of `strata:platform.objectStore.buckets` but `backups`. */
export function appBuckets(buckets: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(buckets).filter(([purpose]) => !NOT_COPIED.has(purpose)));
}

/** Copies the store's app buckets to the target; undefined when it has none but `backups`. */
export function backUpAppBuckets(name: string, args: BucketBackupArgs, opts?: pulumi.ComponentResourceOptions): BucketBackup | undefined {
  const buckets = appBuckets(args.buckets);
  return Object.keys(buckets).length === 0 ? undefined : new BucketBackup(name, { ...args, buckets }, opts);
}
