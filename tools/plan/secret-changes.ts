/**
 * Changes that flow from secrets. An offline plan sees every `secure:` config value as a stand-in
 * named after its path (tools/engine/stack-config.ts), so a rotated key looks the same on both
 * sides of a diff. The stack files' ciphertexts do change: the keys whose ciphertext differs are
 * the secrets that changed, and the resources whose inputs carry a key's stand-in (as written or
 * base64-encoded) receive it. Pods that carry a digest of such a Secret roll with it
 * (`strata.io/env-secret-sha256`, lib/secret-digest.ts), so they are named too.
 */
import { parse } from "yaml";
import type { CapturedRecord } from "../engine/capture";
import { ENV_SECRET_DIGEST_ANNOTATION } from "../../lib/digest-annotations";

/** Config path (as the stack config loader names it) → ciphertext of every `secure:` value in a stack file. */
export function secureCiphertexts(fileText: string | undefined, project: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (fileText === undefined) return out;
  const doc = (parse(fileText) ?? {}) as { config?: Record<string, unknown> };
  const walk = (path: string, value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(`${path}[${i}]`, item));
      return;
    }
    if (value === null || typeof value !== "object") return;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0]?.[0] === "secure") {
      out[path] = String(entries[0][1]);
      return;
    }
    for (const [k, v] of entries) walk(`${path}.${k}`, v);
  };
  for (const [key, value] of Object.entries(doc.config ?? {})) walk(key.includes(":") ? key : `${project}:${key}`, value);
  return out;
}

/** Keys whose ciphertext differs between two stack files (set, changed, or still set after removal elsewhere). */
export function changedSecureKeys(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): string[] {
  return Object.keys(after)
    .filter((key) => before[key] !== undefined && before[key] !== after[key])
    .sort();
}

const WORKLOAD_TYPE = /^kubernetes:(apps\/v1:(Deployment|StatefulSet|DaemonSet)|batch\/v1:(Job|CronJob))$/;

/** URN → the changed keys each resource receives: directly, or as pods carrying a digest of a Secret that does. */
export function secretReceivers(resources: readonly CapturedRecord[], standIns: Readonly<Record<string, string>>, changed: readonly string[]): Map<string, string[]> {
  const receivers = new Map<string, string[]>();
  const add = (urn: string, key: string) => receivers.set(urn, [...new Set([...(receivers.get(urn) ?? []), key])]);
  for (const key of changed) {
    const standIn = standIns[key];
    if (standIn === undefined) continue;
    const encoded = Buffer.from(standIn).toString("base64");
    const direct = resources.filter((r) => r.custom && [standIn, encoded].some((needle) => JSON.stringify(r.rawInputs).includes(needle)));
    for (const r of direct) add(r.urn, key);
    const directUrns = new Set(direct.map((r) => r.urn));
    for (const r of resources) {
      if (!WORKLOAD_TYPE.test(r.type) || directUrns.has(r.urn)) continue;
      if (r.dependencies.some((d) => directUrns.has(d)) && JSON.stringify(r.inputs).includes(ENV_SECRET_DIGEST_ANNOTATION)) add(r.urn, key);
    }
  }
  return receivers;
}
