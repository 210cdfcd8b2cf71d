/** Reads a plan document from disk and checks its outer shape before anything relies on it. */
import { readFileSync } from "node:fs";
import type { PlanDocument } from "../engine/plan-document";
import { isPlainObject } from "./key-path";

export function readPlanFile(file: string): PlanDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: cannot read plan: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isPlainObject(parsed) || !Array.isArray(parsed["resources"])) {
    throw new Error(`${file}: not a plan document (expected an object with a "resources" list); write one with \`npm run plan -- --json\``);
  }
  const bad = parsed["resources"].findIndex((resource: unknown) => {
    return !isPlainObject(resource) || typeof resource["type"] !== "string" || typeof resource["name"] !== "string" || !isPlainObject(resource["inputs"]);
  });
  if (bad >= 0) {
    throw new Error(`${file}: resources[${bad}] needs a string "type", a string "name" and an "inputs" object`);
  }
  return parsed as unknown as PlanDocument;
}
