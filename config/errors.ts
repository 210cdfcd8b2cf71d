/**
 * Config errors in one form: `<key path>: <problem> (got <value>); <what is allowed>`.
 * They are raised while config is parsed, before any resource exists.
 */
import type { z } from "zod";
import { EXPECTED_MAP } from "./common";

export class ConfigError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`invalid strata configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof Error && error.name === "ConfigError" && Array.isArray((error as ConfigError).problems);
}

/** `strata:infra` + `["existing", "nodePools", "w", "count"]` → `strata:infra.existing.nodePools.w.count`. */
export function keyPath(root: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part) => (typeof part === "number" ? `${acc}[${part}]` : `${acc}.${String(part)}`), root);
}

export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? typeof value;
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/** Turns zod issues for one config key into messages in strata's error form. */
export function formatIssues(root: string, input: unknown, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => formatIssue(root, input, issue));
}

function formatIssue(root: string, input: unknown, issue: z.core.$ZodIssue): string[] {
  const got = valueAt(input, issue.path);
  const at = keyPath(root, issue.path);
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => `${keyPath(at, [key])}: ${issue.message} (got ${describeValue(key)})`);
    case "invalid_type": {
      // strictObject says which keys the map takes; zod's own text ("Invalid input: …") says less.
      const expected = issue.expected === "object" && issue.message.startsWith(`${EXPECTED_MAP} of keys`) ? issue.message : article(issue.expected);
      if (got === undefined) return [`${at}: is required (got nothing); expected ${expected}`];
      return [`${at}: must be ${expected} (got ${describeValue(got)})`];
    }
    case "invalid_value": {
      const allowed = issue.values.map((v) => JSON.stringify(v)).join(", ");
      if (got === undefined) return [`${at}: is required (got nothing); use one of ${allowed}`];
      return [`${at}: must be one of ${allowed} (got ${describeValue(got)})`];
    }
    case "invalid_key": {
      const key = issue.path[issue.path.length - 1];
      return issue.issues.map((inner) => `${at}: ${inner.message} (got ${describeValue(key)})`);
    }
    case "invalid_union":
      if ("discriminator" in issue && issue.discriminator !== undefined) {
        const options = (issue as { options?: unknown[] }).options ?? [];
        return [`${at}: must be one of ${options.map((v) => JSON.stringify(v)).join(", ")} (got ${describeValue(got)})`];
      }
      return [`${at}: ${issue.message} (got ${describeValue(got)})`];
    case "too_small":
    case "too_big":
      return [`${at}: ${plainBound(issue)} (got ${describeValue(got)})`];
    default:
      return [`${at}: ${issue.message} (got ${describeValue(got)})`];
  }
}

function plainBound(issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig): string {
  if (!issue.message.startsWith("Too ")) return issue.message;
  const bound = String(issue.code === "too_small" ? issue.minimum : issue.maximum);
  const unit = issue.origin === "string" ? " characters" : issue.origin === "array" || issue.origin === "set" ? " items" : "";
  if (issue.code === "too_small") return `must be at least ${bound}${unit}`;
  return `must be at most ${bound}${unit}`;
}

function article(expected: string): string {
  if (expected === "object" || expected === "record") return "a map of keys";
  if (expected === "int") return "a whole number";
  if (expected === "array") return "a list";
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}
