/**
 * Turns a mocked cluster-layer run into a plan document the plan verifier (`tools/verify`)
 * checks: Helm values against each chart's values.yaml and schema, custom resources against
 * their CRDs, built-in objects against the Kubernetes OpenAPI schema.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { PlanDocument } from "../../tools/engine/plan-document";
import { defaultChartsDir, missingReferenceMessage } from "../../tools/verify/reference-dir";
import type { Run } from "./mock-run";

/** The chart reference folder; a checkout without it fails the tests that need it, loudly. */
export function chartReference(): string {
  const dir = defaultChartsDir();
  if (!existsSync(join(dir, "INDEX.md"))) throw new Error(missingReferenceMessage(dir));
  return dir;
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Pulumi serialises secrets as a signature-tagged wrapper; the checks want the plain value. */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (!isMap(value)) return value;
  if ("4dabf18193072939515e22adb298388d" in value) return unwrapSecrets(value["value"]);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
}

export function planDocument(stack: string, run: Run): PlanDocument {
  return {
    project: "strata",
    stack,
    outputs: {},
    resources: run.resources.map((r) => ({
      urn: `urn:pulumi:${stack}::strata::${r.type}::${r.name}`,
      type: r.type,
      name: r.name,
      parent: r.parent ?? "",
      dependencies: [...r.dependsOn],
      provider: r.provider ?? "",
      protect: false,
      custom: r.custom,
      version: "",
      inputs: unwrapSecrets(r.inputs) as Record<string, unknown>,
    })),
  };
}
