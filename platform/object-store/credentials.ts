/**
 * Writes the object store's static keys into a Secret in the namespace of whatever needs them
 * (an operator's backups, Velero). Where the store is reached through a cloud identity (EKS),
 * there are no keys and nothing is written.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ObjectStore } from "../../lib/contracts";
import { standardLabels } from "../../lib/labels";
import { type ConnectionSource, declareConnection, serviceOfHost } from "../../lib/connections";

/** Keys of the Secret `objectStoreCredentialsSecret` writes. */
export const OBJECT_STORE_SECRET_KEYS = {
  accessKeyId: "AWS_ACCESS_KEY_ID",
  secretAccessKey: "AWS_SECRET_ACCESS_KEY",
  /** The same keys as an AWS shared-credentials file (Velero's `cloud` format). */
  credentialsFile: "cloud",
  /** The endpoint's CA certificates (PEM), when the store has a CA bundle. */
  caBundle: "ca.crt",
} as const;

/** The name connections give a store outside the cluster. */
export const EXTERNAL_BACKUP_TARGET = "backup-target";

export interface ObjectStoreSecretArgs {
  /** The platform's object store. */
  readonly store: ObjectStore;
  /** Namespace the Secret is written to. */
  readonly namespace: pulumi.Input<string>;
  /** Secret name. */
  readonly secretName: string;
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Parent resource. */
  readonly parent: pulumi.Resource;
  /** Resources the Secret waits for (its namespace). @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** A Secret with the store's keys, or undefined where the store has none (cloud identity). */
export function objectStoreCredentialsSecret(name: string, args: ObjectStoreSecretArgs): k8s.core.v1.Secret | undefined {
  const credentials = args.store.credentials;
  if (credentials === undefined) return undefined;
  const file = pulumi.interpolate`[default]\naws_access_key_id=${credentials.accessKeyId}\naws_secret_access_key=${credentials.secretAccessKey}\n`;
  return new k8s.core.v1.Secret(
    name,
    {
      metadata: { name: args.secretName, namespace: args.namespace, labels: standardLabels({ name: args.secretName, component: "object-store-credentials" }) },
      type: "Opaque",
      stringData: pulumi.secret({
        [OBJECT_STORE_SECRET_KEYS.accessKeyId]: credentials.accessKeyId,
        [OBJECT_STORE_SECRET_KEYS.secretAccessKey]: credentials.secretAccessKey,
        [OBJECT_STORE_SECRET_KEYS.credentialsFile]: file,
        ...(args.store.caBundle === undefined ? {} : { [OBJECT_STORE_SECRET_KEYS.caBundle]: args.store.caBundle }),
      }),
    },
    { parent: args.parent, provider: args.provider, dependsOn: args.dependsOn ?? [] },
  );
}

/**
 * Declares a client's path to a store reached with static keys (lib/connections.ts): its pods
 * to the S3 Service the endpoint names (in-cluster store) or to the external backup target on
 * its port, reading the keys from `secretName` in their namespace. Nothing where the store is
 * reached with a cloud identity (S3 on EKS declares its own calls).
 */
export function declareObjectStoreClient(purpose: string, from: ConnectionSource, store: ObjectStore, secretName: string): void {
  if (store.credentials === undefined) return;
  const secrets = [{ name: secretName, keys: [OBJECT_STORE_SECRET_KEYS.accessKeyId, OBJECT_STORE_SECRET_KEYS.secretAccessKey] }];
  if (store.externalPort !== undefined) {
    declareConnection({ purpose, from, to: { kind: "external", name: EXTERNAL_BACKUP_TARGET, port: store.externalPort }, secrets });
    return;
  }
  const target = store.endpoint.apply((url) => {
    const parsed = new URL(url);
    const service = serviceOfHost(parsed.hostname);
    const port = parsed.port === "" ? (parsed.protocol === "https:" ? 443 : 80) : Number(parsed.port);
    return { namespace: service?.namespace ?? "", name: service?.name ?? `(not an in-cluster name: ${parsed.hostname})`, port };
  });
  declareConnection({
    purpose,
    from,
    to: { kind: "service", namespace: target.apply((t) => t.namespace), name: target.apply((t) => t.name), port: target.apply((t) => t.port) },
    secrets,
  });
}
