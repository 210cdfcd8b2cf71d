/**
 * The digest of secret values that an object which depends on them carries in its pod template,
 * so that rotating a secret changes that object too: the Job that sets a password on a server,
 * the Deployment of an app that reads it.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

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
