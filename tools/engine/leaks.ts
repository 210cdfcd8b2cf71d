/**
 * Finds secret values that reach plan output in clear: an input or output that carries a value
 * the run knows to be secret without being marked secret. In a real deployment that value
 * would be stored unencrypted in the state and shown in `pulumi preview` diffs.
 *
 * A value stored with `pulumi config set --secret` is reported by its config path: the Pulumi
 * runtime knows secrecy per top-level key only, so a program that reads a structured key whole
 * (`strata:platform`) gets every leaf in clear and must wrap the secret ones itself. The offline
 * plan knows each `secure:` leaf (`stack-config.ts`) and names the one that escaped.
 */
import type { PlanDocument } from "./plan-document";
import { describeSecret, leakedSecretCandidates } from "./values";

export interface Leak {
  /** Where the value appears: `<urn> inputs.<path>`, `outputs.<name>` or `--out file <path>`. */
  readonly where: string;
  /** First characters and length of the leaked value, never the value. */
  readonly value: string;
  /** The config path of the `secure:` value that leaked, when it came from the stack config. */
  readonly key?: string;
}

/** Config path → stand-in value of every `secure:` config value (`StackConfig.secureLeaves`). */
export type SecureLeaves = Readonly<Record<string, string>>;

/** Leaks of `secrets` (and of the secure config leaves) in one text found at `where`. */
export function leaksInText(text: string, where: string, secrets: readonly string[], secureLeaves: SecureLeaves = {}): Leak[] {
  return leakFinder(secrets, secureLeaves)(text, where);
}

/**
 * `leaksInText` for many texts against the same secrets: the list to search for is made once,
 * and a text shorter than every secret is not searched (most of a plan's strings; a plan has
 * tens of thousands).
 */
function leakFinder(secrets: readonly string[], secureLeaves: SecureLeaves): (text: string, where: string) => Leak[] {
  const keyOf = new Map(Object.entries(secureLeaves).map(([key, value]) => [value, key] as const));
  const all = leakedSecretCandidates([...new Set([...secrets, ...keyOf.keys()])]);
  const shortest = Math.min(...all.map((secret) => secret.length));
  return (text, where) => {
    if (text.length < shortest) return [];
    const leaks: Leak[] = [];
    // `all` is filtered already: `includes` alone, as leakedSecrets would do per secret.
    for (const secret of all) {
      if (!text.includes(secret)) continue;
      const key = keyOf.get(secret);
      leaks.push({ where, value: describeSecret(secret), ...(key === undefined ? {} : { key }) });
    }
    return leaks;
  };
}

export function leaksIn(plan: PlanDocument, secrets: readonly string[], secureLeaves: SecureLeaves = {}): Leak[] {
  const leaks: Leak[] = [];
  const find = leakFinder(secrets, secureLeaves);
  const walk = (value: unknown, where: string): void => {
    if (typeof value === "string") {
      leaks.push(...find(value, where));
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${where}[${i}]`));
    } else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) walk(item, `${where}.${key}`);
    }
  };
  for (const resource of plan.resources) walk(resource.inputs, `${resource.urn} inputs`);
  walk(plan.outputs, "outputs");
  return leaks;
}

/** One report line: the config key and the place for a config secret, else the place and a hint of the value. */
export function formatLeak(leak: Leak): string {
  return leak.key === undefined ? `${leak.where}: ${leak.value}` : `${leak.key} reaches ${leak.where} in clear`;
}
