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
  /** Provisioned IOPS of the io2 database class. */
  readonly databaseIops: number;
}

/** EKS: gp3 (default, seeds: 3,000 IOPS / 125 MiB/s) and io2 for databases, both KMS-encrypted. */
export function ebsStorageClasses(options: EbsOptions): Partial<Record<StoragePurpose, StorageClassSpec>> {
  const encrypted = { encrypted: "true", kmsKeyId: options.kmsKeyArn, "csi.storage.k8s.io/fstype": "ext4" };
  return {
    default: {
      name: "gp3-encrypted",
      provisioner: EBS_CSI_PROVISIONER,
      parameters: { type: "gp3", iops: "3000", throughput: "125", ...encrypted },
      reclaimPolicy: "Delete",
      isDefault: true,
      allowVolumeExpansion: true,
    },
    database: {
      name: "io2-encrypted",
      provisioner: EBS_CSI_PROVISIONER,
      parameters: { type: "io2", iops: String(options.databaseIops), ...encrypted },
      reclaimPolicy: "Retain",
      isDefault: false,
      allowVolumeExpansion: true,
    },
  };
}
