/**
 * Pure: an app's ExternalSecret (external-secrets.io/v1). External Secrets Operator reads each
 * key from the platform's ClusterSecretStore every `refreshInterval` and writes the target Secret,
 * which the ExternalSecret owns (`creationPolicy: Owner`: it is deleted with it). Field names
 * follow the chart's CRD (`../shared/reference/charts/external-secrets/crds/
 * external-secrets.io_externalsecrets.yaml`, version v1: `spec.secretStoreRef.{kind,name}`,
 * `spec.target.{name,creationPolicy,template.type}`, `spec.data[].{secretKey,remoteRef.{key,property}}`).
 */
import type { SecretStoreRef } from "../../lib/contracts";
import type { SourcedKey } from "./secret-sources";

export const EXTERNAL_SECRET_API_VERSION = "external-secrets.io/v1";

/** The Secret type the kubelet reads image pull credentials from. */
export const DOCKER_CONFIG_SECRET_TYPE = "kubernetes.io/dockerconfigjson";

export interface ExternalSecretInput {
  /** The ExternalSecret's name, also the name of the Secret it writes. */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly store: SecretStoreRef;
  readonly keys: readonly SourcedKey[];
  /** Write a `kubernetes.io/dockerconfigjson` Secret from the one key (an image pull secret). @default false */
  readonly dockerConfig?: boolean;
}

export function externalSecretManifest(input: ExternalSecretInput) {
  const data = input.keys.map(({ key, source }) => {
    if (source.kind !== "external") throw new Error(`ExternalSecret ${input.name}: key ${key} is not from an external source`);
    // The store reads only names under its prefix (PlatformOutputs.secretStores): the full name is both.
    return { secretKey: key, remoteRef: { key: `${input.store.prefix}${source.path}`, ...(source.property === undefined ? {} : { property: source.property }) } };
  });
  return {
    apiVersion: EXTERNAL_SECRET_API_VERSION,
    kind: "ExternalSecret",
    metadata: { name: input.name, namespace: input.namespace, labels: { ...input.labels } },
    spec: {
      refreshInterval: input.store.refreshInterval,
      secretStoreRef: { kind: "ClusterSecretStore", name: input.store.name },
      target: {
        name: input.name,
        creationPolicy: "Owner",
        // A pull secret's one key is templated into `.dockerconfigjson` of a Secret of that type.
        ...(input.dockerConfig === true ? { template: { type: DOCKER_CONFIG_SECRET_TYPE, engineVersion: "v2", data: { ".dockerconfigjson": `{{ .${data[0]?.secretKey ?? ""} }}` } } } : {}),
      },
      data,
    },
  };
}
