/**
 * The CrossGuard policy pack over the offline plan: the same policy functions `pulumi preview
 * --policy-pack policy` runs, applied to what the stack would create, with the environment's
 * policy config (`policy/config/<strata:environment>.json`).
 *
 *   npm run policy -- --stack <name> [--config-file <path>] [--policy-config <file>] [--fail-on advisory|mandatory]
 *
 * Prints each violation with its enforcement level, policy and URN. Exit 1 when a violation at or
 * above `--fail-on` (default mandatory) is found, 2 on invalid config or arguments.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { STRATA_POLICIES } from "../policy/policies";
import { ConfigRejected, REPO_ROOT, runStack, toPlanDocument } from "./engine/run";
import { loadStackConfig, StackConfigError } from "./engine/stack-config";
import { evaluatePolicies, failingViolations, formatViolations, type PackConfig } from "./policy/evaluate";

const USAGE = "usage: npm run policy -- --stack <name> [--config-file <path>] [--policy-config <file>] [--fail-on advisory|mandatory]";

/** The policy config a stack's environment uses in CI (the same file the workflows pass to pulumi). */
export function policyConfigFile(environment: string): string {
  return join(REPO_ROOT, "policy", "config", `${environment}.json`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      stack: { type: "string" },
      "config-file": { type: "string" },
      "policy-config": { type: "string" },
      "fail-on": { type: "string", default: "mandatory" },
    },
    strict: true,
  });
  const failOn = values["fail-on"];
  if (values.stack === undefined || (failOn !== "advisory" && failOn !== "mandatory")) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const configFile = values["config-file"];
  const environment = loadStackConfig(REPO_ROOT, values.stack, configFile).config["strata:environment"] ?? "dev";
  const policyConfig = values["policy-config"] ?? policyConfigFile(environment);
  const config = JSON.parse(readFileSync(policyConfig, "utf8")) as PackConfig;
  const result = await runStack({ stack: values.stack, ...(configFile === undefined ? {} : { configFile }) });
  const plan = toPlanDocument(result);
  const violations = await evaluatePolicies(plan, STRATA_POLICIES, config);
  const failing = failingViolations(violations, STRATA_POLICIES, config, failOn);
  const header = `strata policy: stack ${values.stack} (environment ${environment}, ${policyConfig.replace(`${REPO_ROOT}/`, "")}): ${STRATA_POLICIES.length} policies over ${plan.resources.length} resources`;
  process.stdout.write(`${header}\n${violations.length === 0 ? "no violations" : formatViolations(violations)}\n`);
  if (violations.length > 0) process.stdout.write(`${violations.length} violation${violations.length === 1 ? "" : "s"}, ${failing.length} failing (--fail-on ${failOn})\n`);
  return failing.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigRejected) process.stderr.write(`invalid strata configuration:\n${error.problems.map((p) => `  - ${p}`).join("\n")}\n`);
    else process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${error instanceof StackConfigError ? `${USAGE}\n` : ""}`);
    process.exitCode = error instanceof ConfigRejected || error instanceof StackConfigError ? 2 : 1;
  },
);
