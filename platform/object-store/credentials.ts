/**
 * Writes one consumer's static keys into a Secret in the namespace of whatever needs them (an
 * operator's backups, Velero, Loki): the consumer registers its own identity in the store, scoped
 * by its grants. Where the store is reached through a cloud identity (EKS), there are no keys and
 * nothing is written.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ObjectStore, ObjectStoreGrant, ObjectStoreIdentityKeys } from "../../lib/contracts";
import { standardLabels } from "../../lib/labels";
import { secretDigest } from "../../lib/secret-digest";
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
  /** The consumer's identity in the store: its name and what it may do (nothing else). */
  readonly identity: { readonly name: string; readonly grants: readonly ObjectStoreGrant[] };
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Parent resource. */
  readonly parent: pulumi.Resource;
  /** Resources the Secret waits for (its namespace). @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** A Secret with the consumer's own keys, or undefined where the store has none (cloud identity). */
export function objectStoreCredentialsSecret(name: string, args: ObjectStoreSecretArgs): k8s.core.v1.Secret | undefined {
  const registry = args.store.identities;
  if (registry === undefined) return undefined;
  return credentialsSecret(name, registry.identity(args.identity.name, args.identity.grants), { ...args, ...(args.store.caBundle === undefined ? {} : { caBundle: args.store.caBundle }) });
}

/** The digest of what `credentialsSecret` wrote into each Secret it made. */
const digests = new WeakMap<k8s.core.v1.Secret, pulumi.Output<string>>();

/**
 * The digest (`secretDigest`) of the keys in a Secret `credentialsSecret` made, for the pod
 * annotations of a chart whose pods read it only when they start; undefined for any other Secret.
 */
export function credentialsSecretDigest(secret: k8s.core.v1.Secret): pulumi.Output<string> | undefined {
  return digests.get(secret);
}

/** The Secret holding `keys` (and the endpoint's CA bundle, when given) under OBJECT_STORE_SECRET_KEYS. */
export function credentialsSecret(
  name: string,
  keys: ObjectStoreIdentityKeys,
  args: Pick<ObjectStoreSecretArgs, "namespace" | "secretName" | "provider" | "parent" | "dependsOn"> & { readonly caBundle?: string },
): k8s.core.v1.Secret {
  const file = pulumi.interpolate`[default]\naws_access_key_id=${keys.accessKeyId}\naws_secret_access_key=${keys.secretAccessKey}\n`;
  const data = pulumi.secret({
    [OBJECT_STORE_SECRET_KEYS.accessKeyId]: keys.accessKeyId,
    [OBJECT_STORE_SECRET_KEYS.secretAccessKey]: keys.secretAccessKey,
    [OBJECT_STORE_SECRET_KEYS.credentialsFile]: file,
    ...(args.caBundle === undefined ? {} : { [OBJECT_STORE_SECRET_KEYS.caBundle]: args.caBundle }),
  });
  const secret = new k8s.core.v1.Secret(
    name,
    {
      metadata: { name: args.secretName, namespace: args.namespace, labels: standardLabels({ name: args.secretName, component: "object-store-credentials" }) },
      type: "Opaque",
      stringData: data,
    },
    { parent: args.parent, provider: args.provider, dependsOn: args.dependsOn ?? [] },
  );
  digests.set(secret, secretDigest(data));
  return secret;
}

/**
 * Declares a client's path to a store reached with static keys (lib/connections.ts): its pods
 * to the S3 Service the endpoint names (in-cluster store) or to the external backup target on
 * its port, reading the keys from `secretName` in their namespace. Nothing where the store is
 * reached with a cloud identity (S3 on EKS declares its own calls).
 */
export function declareObjectStoreClient(purpose: string, from: ConnectionSource, store: ObjectStore, secretName: string): void {
  if (store.identities === undefined) return;
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
