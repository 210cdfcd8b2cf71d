/** Pure: the StorageClasses strata declares per backend, by purpose. */
import type * as pulumi from "@pulumi/pulumi";
import { ConfigError, describeValue } from "../../config/errors";
import type { StoragePurpose } from "../../lib/contracts";

export interface StorageClassSpec {
  readonly name: string;
  readonly provisioner: string;
  readonly parameters: Readonly<Record<string, pulumi.Input<string>>>;
  readonly reclaimPolicy: "Delete" | "Retain";
  readonly isDefault: boolean;
  /** Whether the driver can grow volumes in place. */
  readonly allowVolumeExpansion: boolean;
}

export const VSPHERE_CSI_PROVISIONER = "csi.vsphere.vmware.com";
export const EBS_CSI_PROVISIONER = "ebs.csi.aws.com";

/** vSphere: classes bound to the infra layer's storage policies (database falls back to default). */
export function vsphereStorageClasses(policies: Readonly<Record<string, string>>): Partial<Record<StoragePurpose, StorageClassSpec>> {
  const general = policies["default"];
  if (general === undefined) {
    throw new ConfigError([
      `strata:infra.vsphere.storagePolicies: has no "default" entry (got ${describeValue(policies)}); name the vSphere storage policy general-purpose volumes use (and "database" for database volumes)`,
    ]);
  }
  const csi = (name: string, policy: string, reclaimPolicy: "Delete" | "Retain", isDefault: boolean): StorageClassSpec => ({
    name,
    provisioner: VSPHERE_CSI_PROVISIONER,
    parameters: { storagepolicyname: policy, "csi.storage.k8s.io/fstype": "ext4" },
    reclaimPolicy,
    isDefault,
    allowVolumeExpansion: true,
  });
  return {
    default: csi("vsphere-general", general, "Delete", true),
    database: csi("vsphere-database", policies["database"] ?? general, "Retain", false),
  };
}

export interface EbsOptions {
  /** KMS key every volume is encrypted with. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** The opt-in io2 class (`strata:cluster.eks.io2`). @default - no io2 class */
  readonly io2?: { readonly iopsPerGi: number };
  /** Reclaim policy of the default class (`strata:cluster.eks.defaultReclaimPolicy`). @default "Delete" */
  readonly defaultReclaimPolicy?: "Delete" | "Retain";
}

/** gp3's included performance: every gp3 volume gets it at no extra charge (https://aws.amazon.com/ebs/pricing/). */
export const GP3_BASELINE = { iops: 3000, throughputMiBps: 125 } as const;

/**
 * EKS: gp3 for every purpose (3,000 IOPS / 125 MiB/s included, the seeds' numbers): `default`
 * deletes its volumes unless `defaultReclaimPolicy` keeps them, `database` always keeps them (`Retain`). `database-io2` exists only when
 * `strata:cluster.eks.io2` is set: the EBS CSI driver multiplies `iopsPerGB` by each volume's size
 * and, with `allowAutoIOPSPerGBIncrease`, raises a small volume to io2's 100-IOPS minimum instead
 * of failing it (kubernetes-sigs/aws-ebs-csi-driver docs/parameters.md). All KMS-encrypted.
 */
export function ebsStorageClasses(options: EbsOptions): Partial<Record<StoragePurpose, StorageClassSpec>> {
  const encrypted = { encrypted: "true", kmsKeyId: options.kmsKeyArn, "csi.storage.k8s.io/fstype": "ext4" };
  const gp3 = { type: "gp3", iops: String(GP3_BASELINE.iops), throughput: String(GP3_BASELINE.throughputMiBps), ...encrypted };
  const classes: Partial<Record<StoragePurpose, StorageClassSpec>> = {
    default: { name: "gp3-encrypted", provisioner: EBS_CSI_PROVISIONER, parameters: gp3, reclaimPolicy: options.defaultReclaimPolicy ?? "Delete", isDefault: true, allowVolumeExpansion: true },
    database: { name: "gp3-retain-encrypted", provisioner: EBS_CSI_PROVISIONER, parameters: gp3, reclaimPolicy: "Retain", isDefault: false, allowVolumeExpansion: true },
  };
  if (options.io2 === undefined) return classes;
  return {
    ...classes,
    "database-io2": {
      name: "io2-encrypted",
      provisioner: EBS_CSI_PROVISIONER,
      parameters: { type: "io2", iopsPerGB: String(options.io2.iopsPerGi), allowAutoIOPSPerGBIncrease: "true", ...encrypted },
      reclaimPolicy: "Retain",
      isDefault: false,
      allowVolumeExpansion: true,
    },
  };
}
