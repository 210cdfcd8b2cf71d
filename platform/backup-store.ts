/**
 * The store every backup writer uses, from `strata:platform.backups.target`: the in-cluster
 * object store, the infra layer's backups bucket on EKS, or an S3 bucket outside the cluster
 * with static keys. All three are the same `ObjectStore` contract, so a writer does not care
 * which it got; the external one also names its port (egress policies, connection check) and
 * its CA bundle.
 */
import * as pulumi from "@pulumi/pulumi";
import { type BackupTargetSettings, sameFailureDomainProblem } from "../config/platform/backup-target";
import { ConfigError } from "../config/errors";
import type { EksExtras, ObjectStore } from "../lib/contracts";
import { s3ObjectStore } from "./object-store";

export interface BackupStoreArgs {
  /** Resolved `strata:platform.backups.target`. */
  readonly target: BackupTargetSettings;
  /** The in-cluster object store, when enabled. @default - none */
  readonly objectStore?: ObjectStore;
  /** The infra layer's EKS extras (buckets), on EKS. @default - not on EKS */
  readonly eks?: EksExtras;
  /** Refuse the in-cluster store as the default target (prod), now that the backend is known. */
  readonly refuseSameFailureDomain: boolean;
}

const eksBackups = (eks: EksExtras | undefined): ObjectStore | undefined => (eks?.buckets["backups"] === undefined ? undefined : s3ObjectStore(eks));

/**
 * The backup store, or undefined when there is no target. Throws a `ConfigError` where the
 * target could only be decided now, with the upstream stack's backend: a prod cluster whose
 * default target would be its own object store.
 */
export function backupStore(args: BackupStoreArgs): ObjectStore | undefined {
  const { target } = args;
  switch (target.kind) {
    case "none":
      return undefined;
    case "default":
      if (args.eks !== undefined) return eksBackups(args.eks);
      if (args.objectStore !== undefined && args.refuseSameFailureDomain) throw new ConfigError([sameFailureDomainProblem("in-cluster (the default on a non-eks backend)")]);
      return args.objectStore;
    case "in-cluster":
      return args.objectStore;
    case "infra-bucket":
      return eksBackups(args.eks);
    case "s3": {
      const url = new URL(target.endpoint);
      return {
        endpoint: pulumi.output(target.endpoint),
        region: target.region,
        forcePathStyle: target.forcePathStyle,
        buckets: { backups: pulumi.output(target.bucket) },
        // One key pair for every writer: an outside store scopes it (bucket policy, object lock) on its side.
        identities: { identity: () => ({ accessKeyId: pulumi.secret(target.credentials.accessKeyId), secretAccessKey: pulumi.secret(target.credentials.secretAccessKey) }) },
        externalPort: url.port === "" ? 443 : Number(url.port),
        ...(target.caBundle === undefined ? {} : { caBundle: target.caBundle }),
      };
    }
  }
}
