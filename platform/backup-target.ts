/**
 * The object-store side of an operator's backups: the credentials Secret in the service's
 * namespace (written by the object store's shared helper) and the bucket, endpoint and prefix the
 * operator writes to, as one plain `BackupTarget` once the outputs resolve.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ObjectStore } from "../lib/contracts";
import { OBJECT_STORE_SECRET_KEYS, objectStoreCredentialsSecret } from "./object-store/credentials";
import { backupWriterGrant } from "./object-store/identity-actions";
import type { BackupTarget } from "./data-service";

export interface BackupTargetArgs {
  /** Service name; the Secret is `<service>-backup-s3`. */
  readonly service: string;
  readonly namespace: string;
  /** Folder inside the backups bucket. */
  readonly prefix: string;
  readonly objectStore: ObjectStore;
  readonly provider: k8s.Provider;
  readonly parent: pulumi.Resource;
}

/**
 * Declares the credentials Secret for `service`'s backups and returns the target. Throws when
 * the store has no static credentials or no backups bucket (config checks report both first).
 */
export function backupTarget(name: string, args: BackupTargetArgs): { readonly secret: k8s.core.v1.Secret; readonly target: pulumi.Output<BackupTarget> } {
  const bucket = args.objectStore.buckets["backups"];
  const secretName = `${args.service}-backup-s3`;
  const secret = objectStoreCredentialsSecret(name, { store: args.objectStore, namespace: args.namespace, secretName, identity: { name: `${args.service}-backups`, grants: [backupWriterGrant(args.prefix)] }, provider: args.provider, parent: args.parent });
  if (secret === undefined || bucket === undefined) {
    throw new Error(`${args.service} backups need an object store with static credentials and a backups bucket`);
  }
  const target = pulumi.all([args.objectStore.endpoint, bucket]).apply(([endpoint, bucketName]) => ({
    endpoint,
    region: args.objectStore.region,
    bucket: bucketName,
    prefix: args.prefix,
    forcePathStyle: args.objectStore.forcePathStyle,
    credentialsSecret: secretName,
    ...(args.objectStore.caBundle === undefined ? {} : { caBundleKey: OBJECT_STORE_SECRET_KEYS.caBundle }),
  }));
  return { secret, target };
}
