/**
 * Pure: one `ClusterSecretStore` (external-secrets.io/v1) per configured store, restricted by
 * `conditions` to the namespaces allowed to use it (ESO refuses an ExternalSecret elsewhere).
 *
 * - AWS (Secrets Manager, SSM Parameter Store): `auth.jwt.serviceAccountRef` names the store's own
 *   service account in ESO's namespace; ESO reads its `eks.amazonaws.com/role-arn` annotation,
 *   requests a token for it and exchanges it for the store's role (IRSA; external-secrets v2.9.0
 *   `providers/v1/aws/auth/auth.go` `credsFromServiceAccount`, which honours the namespace only
 *   for a ClusterSecretStore, so a namespaced SecretStore cannot borrow it).
 * - Vault / OpenBao: Kubernetes auth at `authMountPath` with the store's service account's token,
 *   `role`, and the CA bundle Vault's certificate chains to.
 */
import type { SecretStoreSettings } from "../../config/platform/secrets";

/** The store's service account in ESO's namespace: its token is what the store authenticates with. */
export const storeServiceAccount = (store: string): string => `secret-store-${store}`;

export interface StoreSpecInput {
  /** ESO's namespace, where the store's service account lives. */
  readonly namespace: string;
  /** Namespaces allowed to use the store. */
  readonly namespaces: readonly string[];
  /** EKS: the region of the secrets. */
  readonly region?: string;
}

function provider(name: string, store: SecretStoreSettings, input: StoreSpecInput): Record<string, unknown> {
  const serviceAccountRef = { name: storeServiceAccount(name), namespace: input.namespace };
  if (store.provider === "vault") {
    const vault = store.vault;
    if (vault === undefined) throw new Error(`strata:platform.secrets.stores.${name}.vault: missing after parsing`);
    return {
      vault: {
        server: vault.server.replace(/\/$/, ""),
        path: vault.mountPath,
        version: vault.version,
        auth: { kubernetes: { mountPath: vault.authMountPath, role: vault.role, serviceAccountRef } },
        // The CRD's caBundle is base64 of the PEM (format: byte); a CA is public.
        ...(vault.caBundle === undefined ? {} : { caBundle: Buffer.from(vault.caBundle).toString("base64") }),
      },
    };
  }
  return {
    aws: {
      service: store.provider === "aws-secrets-manager" ? "SecretsManager" : "ParameterStore",
      region: input.region ?? "",
      auth: { jwt: { serviceAccountRef } },
    },
  };
}

export function clusterSecretStore(name: string, store: SecretStoreSettings, input: StoreSpecInput) {
  return {
    apiVersion: "external-secrets.io/v1",
    kind: "ClusterSecretStore",
    metadata: { name },
    spec: {
      provider: provider(name, store, input),
      conditions: [{ namespaces: [...input.namespaces] }],
    },
  };
}
