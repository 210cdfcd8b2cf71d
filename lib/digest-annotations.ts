/**
 * Pod-template annotations carrying the digest of what a workload reads (`secret-digest.ts`), so
 * that a rotated secret or changed config rolls it. Constants only: the offline plan's checks read
 * them without the Pulumi SDK.
 */
/** Pod-template annotation of a Job with the digest of the password it sets on the server. */
export const PASSWORD_DIGEST_ANNOTATION = "strata.io/password-sha256";
/** Pod-template annotation of an app with the digest of its env Secret's values. */
export const ENV_SECRET_DIGEST_ANNOTATION = "strata.io/env-secret-sha256";
/** Pod-template annotation of a workload with the digest of the ConfigMap and Secret it reads (the bucket copier). */
export const CONFIG_DIGEST_ANNOTATION = "strata.io/config-sha256";
/** Pod-template annotation of a chart's workload with the digest of the object-store keys it reads (Velero, Loki, Tempo). */
export const CREDENTIALS_DIGEST_ANNOTATION = "strata.io/credentials-sha256";
