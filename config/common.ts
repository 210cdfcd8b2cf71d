/**
 * Reusable validators for config slices. Every check states what is allowed, so the error text
 * built in `errors.ts` can say it back to the user.
 */
import { z } from "zod";

/** Levenshtein distance: single-character insertions, deletions and substitutions from `a` to `b`. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The allowed key closest to `key` (case ignored), when it is close enough to be the one meant:
 * at most a third of the key's length apart (at least 2 edits), so `replica` finds `replicas` and
 * `clustername` finds `clusterName`, while an unrelated word finds nothing.
 */
export function closestKey(key: string, allowed: readonly string[]): string | undefined {
  const limit = Math.max(2, Math.floor(key.length / 3));
  let best: { readonly name: string; readonly distance: number } | undefined;
  for (const name of allowed) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Short lists are worth reading in full; longer ones are in docs/config.md. */
const LISTED_KEYS_AT_MOST = 8;

/** What to say about unknown `keys` where `allowed` are the keys a map accepts. */
export function unknownKeyMessage(keys: readonly string[], allowed: readonly string[]): string {
  if (allowed.length === 0) return "unknown key; nothing is configurable here yet";
  const guesses = keys.map((key) => [key, closestKey(key, allowed)] as const).filter((pair): pair is readonly [string, string] => pair[1] !== undefined);
  if (guesses.length === keys.length && keys.length === 1) return `unknown key; did you mean ${guesses[0]?.[1]}?`;
  const didYouMean = guesses.length === 0 ? "" : `did you mean ${guesses.map(([key, guess]) => `${guess} (for ${key})`).join(", ")}?`;
  if (guesses.length === keys.length) return `unknown keys; ${didYouMean}`;
  const sorted = [...allowed].sort();
  const rest = sorted.length <= LISTED_KEYS_AT_MOST ? `allowed keys: ${sorted.join(", ")}` : `none of the ${sorted.length} keys allowed here is close (they are listed in docs/config.md)`;
  return `unknown ${keys.length === 1 ? "key" : "keys"}; ${didYouMean === "" ? rest : `${didYouMean} ${sorted.length <= LISTED_KEYS_AT_MOST ? rest : "others are listed in docs/config.md"}`}`;
}

/**
 * What a map with `shape` expects, for the error when something else (or nothing) is given:
 * `a map of keys: cpuMillis, memoryMi (required); limitCpuMillis, limitMemoryMi`. Longer maps
 * point at docs/config.md.
 */
export function expectedKeysMessage(shape: z.ZodRawShape): string {
  const keys = Object.keys(shape);
  if (keys.length > LISTED_KEYS_AT_MOST) return `${EXPECTED_MAP} of keys (${keys.length} allowed, listed in docs/config.md)`;
  const required = keys.filter((key) => !(shape[key] as z.ZodType).safeParse(undefined).success);
  const optional = keys.filter((key) => !required.includes(key));
  const parts = [required.length === 0 ? "" : `${required.join(", ")} (required)`, optional.join(", ")].filter((p) => p !== "");
  return `${EXPECTED_MAP} of keys: ${parts.join("; ")}`;
}

/** Start of the messages `expectedKeysMessage` writes; `errors.ts` uses them in place of zod's. */
export const EXPECTED_MAP = "a map";

/**
 * A strict object: unknown keys are rejected, and the error names the allowed key closest to
 * the one written (or, when none is close, the allowed keys); a value that is not a map is told
 * the keys expected. Every config object goes through this so a typo never passes silently.
 */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === "unrecognized_keys") return unknownKeyMessage(issue.keys, allowed);
      if (issue.code === "invalid_type" && issue.expected === "object") return expectedKeysMessage(shape);
      return undefined;
    },
  });
}

/** A map keyed by name: the key becomes the resource name, so it must be a DNS-1123 label. */
export function namedMap<T extends z.ZodType>(value: T) {
  return z.record(dnsLabel(), value);
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** RFC 1123 label: what Kubernetes accepts for namespaces, services and most object names. */
export function dnsLabel(maxLength = 63) {
  return z
    .string()
    .max(maxLength, { error: `must be at most ${maxLength} characters` })
    .regex(DNS_LABEL, { error: "must be a DNS-1123 label; use lower-case letters, digits and '-', starting and ending with a letter or digit" });
}

export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** RFC 1123 subdomain (dotted labels), e.g. a DNS domain or a Kubernetes label prefix. */
export function dnsSubdomain() {
  return z
    .string()
    .max(253, { error: "must be at most 253 characters" })
    .regex(DNS_SUBDOMAIN, { error: "must be a DNS name of lower-case labels separated by '.'" });
}

const LABEL_NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;

/** A Kubernetes label or taint key: optional DNS-subdomain prefix, '/', name of ≤63 characters. */
export const labelKey = z.string().refine(
  (key) => {
    const parts = key.split("/");
    if (parts.length > 2) return false;
    const name = parts.pop() ?? "";
    const prefix = parts[0];
    if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) return false;
    return name.length > 0 && name.length <= 63 && LABEL_NAME.test(name);
  },
  { error: "must be a Kubernetes label key: [prefix/]name, name ≤ 63 characters of letters, digits, '-', '_', '.'" },
);

/** A Kubernetes label value: empty or ≤63 characters of letters, digits, '-', '_', '.'. */
export const labelValue = z
  .string()
  .refine((value) => value === "" || (value.length <= 63 && LABEL_NAME.test(value)), {
    error: "must be a Kubernetes label value: ≤ 63 characters of letters, digits, '-', '_', '.'",
  });

export const labels = z.record(labelKey, labelValue);

export const taint = strictObject({
  key: labelKey,
  value: labelValue.optional(),
  effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]),
});

/** A TCP/UDP port number. */
export const port = z
  .number()
  .int({ error: "must be a whole number" })
  .min(1, { error: "must be a port from 1 to 65535" })
  .max(65535, { error: "must be a port from 1 to 65535" });

/** A whole number ≥ `min`. */
export function count(min = 0) {
  return z.number().int({ error: "must be a whole number" }).min(min, { error: `must be ${min} or more` });
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** A dotted-quad IPv4 address. */
export const ipv4 = z.string().regex(IPV4, { error: "must be an IPv4 address such as 10.0.0.10" });

/** An IPv4 CIDR whose address is the network address (no host bits set). */
export const cidr = z.string().superRefine((value, ctx) => {
  const problem = cidrProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

function cidrProblem(value: string): string | undefined {
  const [address, bits, ...rest] = value.split("/");
  if (rest.length > 0 || address === undefined || bits === undefined || !IPV4.test(address) || !/^\d{1,2}$/.test(bits) || Number(bits) > 32) {
    return "must be an IPv4 CIDR such as 10.244.0.0/16";
  }
  const prefix = Number(bits);
  const hostBits = ipToInt(address) & ~prefixMask(prefix);
  if (hostBits !== 0) return `has host bits set; use ${intToIp(ipToInt(address) & prefixMask(prefix))}/${prefix}`;
  return undefined;
}

export function ipToInt(address: string): number {
  return address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function intToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** First and last address of a CIDR, as integers. */
export function cidrRange(value: string): { first: number; last: number } {
  const [address, bits] = value.split("/");
  const prefix = Number(bits);
  const first = (ipToInt(address ?? "0.0.0.0") & prefixMask(prefix)) >>> 0;
  return { first, last: first + 2 ** (32 - prefix) - 1 };
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = cidrRange(a);
  const y = cidrRange(b);
  return x.first <= y.last && y.first <= x.last;
}

export function cidrContains(range: string, address: string): boolean {
  const { first, last } = cidrRange(range);
  const ip = ipToInt(address);
  return ip >= first && ip <= last;
}

/** `1.35` or `1.35.2`: a Kubernetes minor or patch version without the leading `v`. */
export const kubernetesVersion = z
  .string()
  .regex(/^1\.\d{2}(\.\d+)?$/, { error: "must be a Kubernetes version such as 1.35 or 1.35.2 (no leading 'v')" });
