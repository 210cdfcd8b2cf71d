/**
 * The digest of a generated password that a server-side object carries, so that rotating the
 * password changes that object too (a Job's pod template, a Deployment's pod template).
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/** Pod-template annotation with the digest of the password the pods were made for. */
export const PASSWORD_DIGEST_ANNOTATION = "strata.io/password-sha256";

/**
 * The first 16 hex digits of the password's SHA-256. Not secret: a prefix of the hash of a
 * 32-character random password tells nothing about it, and a plain value keeps the object that
 * carries it (a whole Job spec) out of the plan's secrets.
 */
export function passwordDigest(password: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.unsecret(pulumi.output(password).apply((p) => createHash("sha256").update(p).digest("hex").slice(0, 16)));
}
