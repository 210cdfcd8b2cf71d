/**
 * `strata:apps.sharedSecrets` and a service's `sharedSecretEnv`: one random secret several
 * services hold, such as the symmetric key one service signs tokens with and the others verify.
 */
import { z } from "zod";
import { count, dnsLabel } from "../common";

/** Random secrets shared between services, name → length in characters. */
export const sharedSecrets = z
  .record(dnsLabel(), count(16).max(256, { error: "must be 256 or less" }))
  .default({})
  .describe("Random secrets several services share, name → length in characters (e.g. jwt-signing-key: 64); a service reads one through sharedSecretEnv.");

/** A service's variables holding a shared secret, variable name → key of `strata:apps.sharedSecrets`. */
export function sharedSecretEnv(envName: z.ZodString) {
  return z
    .record(envName, dnsLabel())
    .default({})
    .describe("Environment variables holding a secret of strata:apps.sharedSecrets, name → secret (e.g. JWT__SecretKey: jwt-signing-key): every service naming it gets the same value.");
}

/** `<key>.sharedSecretEnv.<env>` problems: a secret not declared in `strata:apps.sharedSecrets`. */
export function sharedSecretProblems(key: string, env: Readonly<Record<string, string>>, declared: readonly string[]): string[] {
  return Object.entries(env).flatMap(([name, secret]) =>
    declared.includes(secret)
      ? []
      : [`${key}.sharedSecretEnv.${name}: no such shared secret (got "${secret}"); use ${declared.length === 0 ? "a name" : `one of ${declared.join(", ")} or a name`} declared in strata:apps.sharedSecrets`],
  );
}
