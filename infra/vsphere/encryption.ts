/**
 * Encryption at rest for Secrets: the API server's EncryptionConfiguration with one secretbox key
 * (32 random bytes from `@pulumi/random`), `identity` last so Secrets written before encryption
 * stay readable. Every control-plane node carries the file; kubeadm mounts it into the API server.
 */
import { stringify } from "yaml";
import type { Arg } from "./kubeadm";

export const ENCRYPTION_DIR = "/etc/kubernetes/encryption";
export const ENCRYPTION_CONFIG = `${ENCRYPTION_DIR}/config.yaml`;
/** Name of the first key; a rotation adds the next one in front (see infra/vsphere/README.md). */
export const ENCRYPTION_KEY_NAME = "strata-1";

/** EncryptionConfiguration for Secrets; `keyBase64` is 32 bytes, base64. */
export function encryptionConfiguration(keyBase64: string): string {
  return stringify(
    {
      apiVersion: "apiserver.config.k8s.io/v1",
      kind: "EncryptionConfiguration",
      resources: [{ resources: ["secrets"], providers: [{ secretbox: { keys: [{ name: ENCRYPTION_KEY_NAME, secret: keyBase64 }] } }, { identity: {} }] }],
    },
    { lineWidth: 0 },
  );
}

/** API server arguments and the read-only host mount that make it use the file. */
export const ENCRYPTION_API_SERVER: { readonly extraArgs: readonly Arg[]; readonly extraVolumes: readonly object[] } = {
  extraArgs: [{ name: "encryption-provider-config", value: ENCRYPTION_CONFIG }],
  extraVolumes: [{ name: "encryption-config", hostPath: ENCRYPTION_DIR, mountPath: ENCRYPTION_DIR, readOnly: true, pathType: "DirectoryOrCreate" }],
};
