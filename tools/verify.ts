/**
 * `npm run verify -- (--stack <name> [--config-file <path>] | --plan <plan.json>) [--charts <dir>] [--json]`:
 * checks a plan against the
 * chart reference data (Helm chart pins and value keys, custom resources against their CRDs,
 * Kubernetes objects against the OpenAPI schema). See tools/verify/README.md.
 */
import { existsSync } from "node:fs";
import { EXIT_USAGE, USAGE, UsageError, exitCodeOf, parseVerifyArgs, renderReport } from "./verify/cli";
import { missingReferenceMessage } from "./verify/reference-dir";
import { verifyPlan } from "./verify/index";
import { readPlanFile } from "./verify/plan-file";
import { ConfigRejected, runStack, toPlanDocument } from "./engine/run";
import type { PlanDocument } from "./engine/plan-document";

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  try {
    const options = parseVerifyArgs(argv);
    if (!existsSync(options.charts)) {
      console.error(`verify: ${missingReferenceMessage(options.charts)}`);
      return EXIT_USAGE;
    }
    const plan: PlanDocument = options.stack
      ? toPlanDocument(await runStack({ stack: options.stack, ...(options.configFile ? { configFile: options.configFile } : {}) }))
      : readPlanFile(options.plan ?? "");
    const report = await verifyPlan(plan, options.charts);
    console.log(renderReport(report, options.json));
    return exitCodeOf(report);
  } catch (error) {
    if (error instanceof ConfigRejected) {
      console.error(`invalid strata configuration:\n${error.problems.map((p) => `  - ${p}`).join("\n")}`);
      return EXIT_USAGE;
    }
    const message = error instanceof Error ? error.message : String(error);
    console.error(error instanceof UsageError ? `verify: ${message}\n\n${USAGE}` : `verify: ${message}`);
    return EXIT_USAGE;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = EXIT_USAGE;
  },
);
