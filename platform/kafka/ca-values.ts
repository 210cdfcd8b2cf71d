/**
 * Pure: the cluster CA strata generates for Strimzi, as Strimzi's "Installing your own CA
 * certificates" procedure asks for it (strimzi-kafka-operator 1.2.0,
 * documentation/modules/security/proc-installing-your-own-ca-certificates.adoc): the certificate
 * in `<cluster>-cluster-ca-cert` (key `ca.crt`), the key in `<cluster>-cluster-ca` (key
 * `ca.key`), both labelled `strimzi.io/kind: Kafka` and `strimzi.io/cluster: <cluster>` (the
 * operator lists the CA Secrets by exactly these labels, then picks them by name:
 * cluster-operator/.../assembly/CaReconciler.java `reconcileCas`), and annotated with the
 * generations it compares to decide when to roll the brokers (`strimzi.io/ca-cert-generation`,
 * `strimzi.io/ca-key-generation`; proc-renewing-your-own-ca-certificates.adoc).
 *
 * Why strata owns the CA instead of letting Strimzi generate it: Strimzi renews its own CA on
 * its schedule (365-day validity, renewal 30 days before: con-certificate-renewal.adoc) and keeps
 * it only in the Kafka namespace. Clients in other namespaces need the certificate, and copying
 * a Secret that changes behind strata's back needs a controller (trust-manager, reflector) that
 * the platform does not run. A CA strata generates is known to the program: the platform layer
 * publishes the public certificate in its contract and the apps layer writes it into every
 * client namespace, from this stack or another one, and every renewal is a `pulumi up` that
 * updates Strimzi and the copies together.
 */
import { standardLabels } from "../../lib/labels";

/** Key of the CA certificate in Strimzi's cluster CA Secret and in the copies strata places. */
export const CLUSTER_CA_CERT_KEY = "ca.crt";
/** Key of the CA private key in Strimzi's cluster CA key Secret. */
export const CLUSTER_CA_KEY_KEY = "ca.key";
/** Days before the CA certificate expires from which the expiry alert fires. */
export const CLUSTER_CA_RENEWAL_DAYS = 90;

/** `<cluster>-cluster-ca-cert`: Strimzi's name for the cluster CA certificate Secret. */
export const clusterCaCertSecretName = (cluster: string): string => `${cluster}-cluster-ca-cert`;
/** `<cluster>-cluster-ca`: Strimzi's name for the cluster CA key Secret. */
export const clusterCaKeySecretName = (cluster: string): string => `${cluster}-cluster-ca`;

/** The CA's generations, as `strata:platform.kafka.clusterCa` sets them. */
export interface CaGenerations {
  /** Raised to reissue the certificate with the same key. */
  readonly generation: number;
  /** Raised to replace the key (and so the certificate). */
  readonly keyGeneration: number;
}

/**
 * The annotations Strimzi compares. A new key is also a new certificate, and Strimzi rolls to a
 * new certificate only when its generation rises, so the certificate's generation counts both.
 */
export function caGenerationAnnotations(g: CaGenerations): { readonly cert: Record<string, string>; readonly key: Record<string, string> } {
  return {
    cert: { "strimzi.io/ca-cert-generation": String(g.generation + g.keyGeneration) },
    key: { "strimzi.io/ca-key-generation": String(g.keyGeneration) },
  };
}

/**
 * Subject of the CA certificate. Strimzi asks for a new common name whenever the key is
 * replaced (proc-replacing-your-own-private-keys.adoc); a certificate reissued with the same key
 * keeps its subject, so certificates the brokers already hold still chain to it.
 */
export function clusterCaSubject(cluster: string, keyGeneration: number) {
  return { commonName: `${cluster} cluster CA v${keyGeneration}`, organization: "strata" };
}

/** Metadata of one of the two CA Secrets: Strimzi's labels beside strata's, and the generation annotation. */
export function clusterCaSecretMetadata(cluster: string, namespace: string, role: "cert" | "key", g: CaGenerations) {
  const name = role === "cert" ? clusterCaCertSecretName(cluster) : clusterCaKeySecretName(cluster);
  return {
    name,
    namespace,
    labels: { ...standardLabels({ name, instance: cluster, component: "certificate-authority" }), "strimzi.io/kind": "Kafka", "strimzi.io/cluster": cluster },
    annotations: caGenerationAnnotations(g)[role],
  };
}
