/**
 * `npm run reference:pull [-- --out <dir>]`: fetches the pinned charts' Chart.yaml, values and
 * CRDs with `helm` into the cache `npm run verify` reads by default (`.strata/reference/charts`).
 * Exit 0 when every chart landed, 1 when some could not be pulled, 2 without helm or on bad arguments.
 */
import { parseArgs } from "node:util";
import { HelmMissing, layoutProblems, pullReference } from "./reference/pull";
import { referenceCacheDir } from "./verify/reference-dir";

function main(): number {
  const { values } = parseArgs({ options: { out: { type: "string" } }, strict: true });
  const out = values.out ?? referenceCacheDir();
  try {
    const result = pullReference(out);
    const failed = Object.entries(result.failed);
    process.stdout.write(`pulled ${result.pulled.length} charts into ${out}\n`);
    for (const [chart, why] of failed) process.stderr.write(`  could not pull ${chart}: ${why}\n`);
    const problems = layoutProblems(out);
    if (failed.length === 0 && problems.length > 0) process.stderr.write(`${problems.map((p) => `  ${p}`).join("\n")}\n`);
    return failed.length > 0 || problems.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof HelmMissing) {
      process.stderr.write(`reference:pull: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = main();
