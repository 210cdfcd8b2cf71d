/**
 * Secret strings in engine values and text: which strings are secret, which config strings are
 * plain, and where a secret would appear in clear. Free of the Pulumi SDK, which the plan's own
 * process does not load (engine values are split in `separate-secrets.ts`, in the program's process).
 */
import { SECRET_PLACEHOLDER } from "./plan-document";

/** How a captured input shows a value the engine does not know yet (a preview). */
export const UNKNOWN_AT_PREVIEW = "[unknown at preview]";

/** `scheme://user:password@rest`: a connection URL with a password in it. */
const URL_WITH_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/)([^:@/\s]*):([^@\s]+)@(\S+)$/i;

/** `postgresql://app:pw@host:5432/db` → `postgresql://app:***@host:5432/db`; undefined for anything else. */
export function maskedUrl(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const match = URL_WITH_PASSWORD.exec(value);
  if (match === null) return undefined;
  const [, scheme, user, , rest] = match;
  return `${scheme}${user}:***@${rest}`;
}

function holdsMaskableUrl(value: unknown): boolean {
  if (maskedUrl(value) !== undefined) return true;
  if (Array.isArray(value)) return value.some(holdsMaskableUrl);
  return value !== null && typeof value === "object" && Object.values(value).some(holdsMaskableUrl);
}

function maskLeaves(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskLeaves);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskLeaves(v)]));
  return maskedUrl(value) ?? SECRET_PLACEHOLDER;
}

/**
 * How a secret is shown: the placeholder, except that connection URLs keep their shape with the
 * password masked, so a reviewer sees user, host, port and database. With `deep` false (resource
 * inputs, whose whole value some checks compare with the placeholder) only a URL, or a flat map of
 * strings holding one (a Secret's `stringData`), is shown so; with `deep` (stack outputs) any
 * structure is, every other leaf being the placeholder.
 */
export function maskedSecret(value: unknown, deep: boolean): unknown {
  if (!holdsMaskableUrl(value)) return SECRET_PLACEHOLDER;
  const flatStrings = value !== null && typeof value === "object" && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "string");
  if (!deep && typeof value !== "string" && !flatStrings) return SECRET_PLACEHOLDER;
  return maskLeaves(value);
}

/** Adds every string (and number rendered as text) inside `value` to `secrets`. */
export function collectSecretStrings(value: unknown, secrets: Set<string>): void {
  if (typeof value === "string") {
    if (value.length > 0) secrets.add(value);
  } else if (Array.isArray(value)) {
    value.forEach((v) => collectSecretStrings(v, secrets));
  } else if (value !== null && typeof value === "object") {
    Object.values(value).forEach((v) => collectSecretStrings(v, secrets));
  }
}

/**
 * Every string the stack config holds in clear (keys not marked secret; structured values are
 * JSON text). A value the user wrote in clear, such as a database name, is not a secret even
 * where it lands in a Kubernetes Secret, whose whole `stringData` the SDK marks secret.
 */
export function plainConfigStrings(config: Readonly<Record<string, string>>, secretKeys: readonly string[]): Set<string> {
  const plain = new Set<string>();
  for (const [key, text] of Object.entries(config)) {
    // A structured key is secret as a whole once one leaf is stored with `--secret --path` (the
    // runtime knows secrecy per top-level key); its other leaves stay plain config. The caller
    // removes the secure leaves (by path) afterwards.
    const structured = /^\s*[[{]/.test(text);
    if (secretKeys.includes(key) && !structured) continue;
    if (!secretKeys.includes(key)) plain.add(text);
    if (structured) {
      try {
        collectPlainStrings(JSON.parse(text) as unknown, plain);
      } catch {
        // Not JSON: the text itself is the value.
      }
    }
  }
  return plain;
}

/** Every string inside a plain config value: the values and the keys (an app's name is a key of `services`). */
function collectPlainStrings(value: unknown, plain: Set<string>): void {
  collectSecretStrings(value, plain);
  if (Array.isArray(value)) {
    value.forEach((v) => collectPlainStrings(v, plain));
  } else if (value !== null && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      plain.add(key);
      collectPlainStrings(v, plain);
    }
  }
}

/**
 * Values shorter than this are too common to search for in text without false alarms (and
 * short ones, such as a bootstrap token's public id, are names rather than secrets).
 */
export const MIN_SECRET_LENGTH = 8;

/** The secret values that occur in `text` (long enough to search for). */
export function leakedSecrets(text: string, secrets: Iterable<string>): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    if (isSearchedFor(secret) && text.includes(secret)) found.push(secret);
  }
  return found;
}

/** The secrets `leakedSecrets` searches for, in their order: to filter once for many texts. */
export function leakedSecretCandidates(secrets: Iterable<string>): string[] {
  return [...secrets].filter(isSearchedFor);
}

function isSearchedFor(secret: string): boolean {
  return secret.length >= MIN_SECRET_LENGTH && secret !== SECRET_PLACEHOLDER;
}

/** A secret value for a report: its first characters and length, never the value itself. */
export function describeSecret(secret: string): string {
  return `${secret.slice(0, 4)}… (${secret.length} characters)`;
}

/** Secret values found in `text`, by a prefix for the report (never the value itself). */
export function findLeaks(text: string, secrets: Iterable<string>): string[] {
  return leakedSecrets(text, secrets).map(describeSecret);
}

/** Replaces every known secret value in `text` with the placeholder. Longest first. */
export function redactText(text: string, secrets: Iterable<string>): string {
  const sorted = [...secrets].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  return sorted.reduce((acc, secret) => acc.split(secret).join(SECRET_PLACEHOLDER), text);
}
