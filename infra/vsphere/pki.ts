/**
 * The cluster's PKI, made in Pulumi so no key ever has to be copied off a node: cluster, etcd and
 * front-proxy CAs, the service-account key pair, and the admin client certificate the kubeconfig
 * and the readiness gate use. kubeadm finds the CAs in /etc/kubernetes/pki and signs the rest.
 */
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";

/** Group kubeadm binds to cluster-admin (1.29+). */
export const ADMIN_GROUP = "kubeadm:cluster-admins";

export const PKI_DEFAULTS = {
  /** Ten years, like kubeadm's own CAs. */
  caValidityHours: 87_600,
  /** One year, like kubeadm's client certificates. */
  adminValidityHours: 8_760,
  /** `pulumi up` re-issues the admin certificate in its last 30 days. */
  adminEarlyRenewalHours: 720,
} as const;

export interface ClusterPkiArgs {
  /** Subject common-name prefix, e.g. the cluster name. */
  readonly clusterName: string;
  /** Admin client certificate lifetime. @default 8760 */
  readonly adminValidityHours?: number;
  /** Re-issue the admin certificate this many hours before it expires. @default 720 */
  readonly adminEarlyRenewalHours?: number;
  /** Protect the CAs and the service-account key from deletion (prod). @default false */
  readonly protectCas?: boolean;
}

interface KeyPair {
  readonly certPem: pulumi.Output<string>;
  readonly keyPem: pulumi.Output<string>;
}

export class ClusterPki extends pulumi.ComponentResource {
  public readonly ca: KeyPair;
  public readonly etcdCa: KeyPair;
  public readonly frontProxyCa: KeyPair;
  /** Service-account signing key (private PEM, secret) and its public PEM. */
  public readonly serviceAccount: { readonly keyPem: pulumi.Output<string>; readonly publicKeyPem: pulumi.Output<string> };
  /** Cluster CA public key (PKIX PEM): the discovery hash is computed from it. */
  public readonly caPublicKeyPem: pulumi.Output<string>;
  /** Admin client certificate (O=kubeadm:cluster-admins) signed by the cluster CA. */
  public readonly admin: KeyPair;

  constructor(name: string, args: ClusterPkiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:infra:ClusterPki", name, {}, opts);
    // The running cluster trusts exactly these CAs: replacing one would strand every node, the
    // kubeconfig and the discovery hash, so they never change after creation and are protected
    // where stateful resources are. Renewing a CA is a deliberate, manual operation.
    const caOptions: pulumi.CustomResourceOptions = { parent: this, protect: args.protectCas ?? false, ignoreChanges: ["*"] };
    const key = (role: string, opts: pulumi.CustomResourceOptions = { parent: this }) =>
      new tls.PrivateKey(`${name}-${role}-key`, { algorithm: "RSA", rsaBits: 2048 }, opts);
    const ca = (role: string, commonName: string): KeyPair & { key: tls.PrivateKey } => {
      const caKey = key(role, caOptions);
      const cert = new tls.SelfSignedCert(
        `${name}-${role}`,
        {
          privateKeyPem: caKey.privateKeyPem,
          subject: { commonName },
          isCaCertificate: true,
          validityPeriodHours: PKI_DEFAULTS.caValidityHours,
          allowedUses: ["cert_signing", "crl_signing", "digital_signature", "key_encipherment"],
        },
        caOptions,
      );
      return { key: caKey, certPem: cert.certPem, keyPem: pulumi.secret(caKey.privateKeyPem) };
    };
    const clusterCa = ca("ca", "kubernetes");
    this.ca = { certPem: clusterCa.certPem, keyPem: clusterCa.keyPem };
    this.caPublicKeyPem = clusterCa.key.publicKeyPem;
    const etcd = ca("etcd-ca", "etcd-ca");
    this.etcdCa = { certPem: etcd.certPem, keyPem: etcd.keyPem };
    const frontProxy = ca("front-proxy-ca", "front-proxy-ca");
    this.frontProxyCa = { certPem: frontProxy.certPem, keyPem: frontProxy.keyPem };

    const sa = key("sa", caOptions);
    this.serviceAccount = { keyPem: pulumi.secret(sa.privateKeyPem), publicKeyPem: sa.publicKeyPem };

    const adminKey = key("admin");
    const request = new tls.CertRequest(
      `${name}-admin`,
      { privateKeyPem: adminKey.privateKeyPem, subject: { commonName: `${args.clusterName}-admin`, organization: ADMIN_GROUP } },
      { parent: this },
    );
    const adminCert = new tls.LocallySignedCert(
      `${name}-admin`,
      {
        certRequestPem: request.certRequestPem,
        caPrivateKeyPem: clusterCa.key.privateKeyPem,
        caCertPem: clusterCa.certPem,
        validityPeriodHours: args.adminValidityHours ?? PKI_DEFAULTS.adminValidityHours,
        earlyRenewalHours: args.adminEarlyRenewalHours ?? PKI_DEFAULTS.adminEarlyRenewalHours,
        allowedUses: ["digital_signature", "key_encipherment", "client_auth"],
      },
      { parent: this },
    );
    this.admin = { certPem: adminCert.certPem, keyPem: pulumi.secret(adminKey.privateKeyPem) };
    this.registerOutputs({ caCertPem: this.ca.certPem, adminCertPem: this.admin.certPem });
  }
}

/** An admin kubeconfig for `server`, built from PEMs (the caller marks the result secret). */
export function adminKubeconfig(clusterName: string, server: string, caPem: string, certPem: string, keyPem: string): string {
  const b64 = (text: string) => Buffer.from(text).toString("base64");
  const user = `${clusterName}-admin`;
  return JSON.stringify(
    {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: clusterName, cluster: { server, "certificate-authority-data": b64(caPem) } }],
      users: [{ name: user, user: { "client-certificate-data": b64(certPem), "client-key-data": b64(keyPem) } }],
      contexts: [{ name: user + "@" + clusterName, context: { cluster: clusterName, user } }],
      "current-context": user + "@" + clusterName,
    },
    undefined,
    2,
  );
}
