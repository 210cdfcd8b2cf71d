/**
 * Credential leaves the stack file holds in clear. The program can only check that
 * `strata:platform` is secret as a whole; a stack file whose receiver URL is `secure:` but whose
 * backup key sits beside it in clear passes that check. The offline plan reads the file, so it
 * refuses each such leaf by its path before the program runs.
 */
import { CREDENTIAL_LEAVES, clearCredentialLeafProblem } from "../../config/credential-keys";
import type { StackConfig } from "./stack-config";

export function clearCredentialProblems(stackConfig: Pick<StackConfig, "config" | "secureLeaves">): string[] {
  const problems: string[] = [];
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${path}[${i}]`));
    } else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) visit(item, `${path}.${key}`);
    } else if (value !== undefined && value !== null && CREDENTIAL_LEAVES.some((leaf) => leaf.path.test(path)) && stackConfig.secureLeaves[path] === undefined) {
      problems.push(clearCredentialLeafProblem(path));
    }
  };
  for (const [key, text] of Object.entries(stackConfig.config)) {
    if (!key.startsWith("strata:") || !/^\s*[[{]/.test(text)) continue;
    try {
      visit(JSON.parse(text) as unknown, key);
    } catch {
      // Not JSON: a plain string key holds no leaves.
    }
  }
  return problems;
}
