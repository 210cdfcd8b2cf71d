/**
 * Everything secret a node's bootstrap documents need, gathered into one output: join secrets,
 * CA hash and the PEMs of the CAs and service-account keys. Stays secret end to end.
 */
import * as pulumi from "@pulumi/pulumi";
import type { BootstrapMaterial } from "./bootstrap";
import type { ClusterPki } from "./pki";
import { discoveryHash, type JoinSecrets } from "./tokens";

export function bootstrapMaterial(pki: ClusterPki, join: JoinSecrets): pulumi.Output<BootstrapMaterial> {
  const material = pulumi
    .all([
      pulumi.all([join.token, join.certificateKey, join.vrrpPassword, join.encryptionKey]),
      pki.caPublicKeyPem,
      pki.ca,
      pki.etcdCa,
      pki.frontProxyCa,
      pki.serviceAccount,
    ])
    .apply(([[token, certificateKey, vrrpPassword, encryptionKey], caPublicKey, ca, etcd, frontProxy, sa]) => ({
      secrets: { token, certificateKey, caCertHash: discoveryHash(caPublicKey) },
      pki: {
        caCert: ca.certPem,
        caKey: ca.keyPem,
        etcdCaCert: etcd.certPem,
        etcdCaKey: etcd.keyPem,
        frontProxyCaCert: frontProxy.certPem,
        frontProxyCaKey: frontProxy.keyPem,
        saKey: sa.keyPem,
        saPub: sa.publicKeyPem,
      },
      vrrpPassword,
      encryptionKey,
    }));
  return pulumi.secret(material);
}
