/**
 * `npm run verify -- --plan <plan.json> [--charts <dir>] [--json]`: checks a plan against the
 * chart reference data (Helm chart pins and value keys, custom resources against their CRDs,
 * Kubernetes objects against the OpenAPI schema). See tools/verify/README.md.
 */
import { EXIT_USAGE, USAGE, UsageError, exitCodeOf, parseVerifyArgs, renderReport } from "./verify/cli";
import { verifyPlan } from "./verify/index";
import { readPlanFile } from "./verify/plan-file";

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  try {
    const options = parseVerifyArgs(argv);
    const report = await verifyPlan(readPlanFile(options.plan), options.charts);
    console.log(renderReport(report, options.json));
    return exitCodeOf(report);
  } catch (error) {
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
