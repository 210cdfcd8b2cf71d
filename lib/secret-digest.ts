/**
 * The digest of secret values that an object which depends on them carries in its pod template,
 * so that rotating a secret changes that object too: the Job that sets a password on a server,
 * the Deployment of an app that reads it.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/** Pod-template annotation of a Job with the digest of the password it sets on the server. */
export const PASSWORD_DIGEST_ANNOTATION = "strata.io/password-sha256";
/** Pod-template annotation of an app with the digest of its env Secret's values. */
export const ENV_SECRET_DIGEST_ANNOTATION = "strata.io/env-secret-sha256";
/** Pod-template annotation of a workload with the digest of the ConfigMap and Secret it reads (the bucket copier). */
export const CONFIG_DIGEST_ANNOTATION = "strata.io/config-sha256";
/** Pod-template annotation of a chart's workload with the digest of the object-store keys it reads (Velero, Loki, Tempo). */
export const CREDENTIALS_DIGEST_ANNOTATION = "strata.io/credentials-sha256";

/**
 * The first 16 hex digits of the SHA-256 of `values` (a password, or a Secret's entries in key
 * order). Not secret: a prefix of the hash of random 32-character passwords tells nothing about
 * them, and a plain value keeps the object that carries it (a whole pod template) out of the
 * plan's secrets.
 */
export function secretDigest(values: pulumi.Input<string | Readonly<Record<string, string>>>): pulumi.Output<string> {
  return pulumi.unsecret(
    pulumi.output(values).apply((v) => {
      const text = typeof v === "string" ? v : JSON.stringify(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)));
      return createHash("sha256").update(text).digest("hex").slice(0, 16);
    }),
  );
}
