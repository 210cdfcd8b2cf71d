/**
 * Argument parsing and output of `npm run verify`, kept apart from the entry point so another
 * entry (one that builds the plan in-process) can reuse them.
 */
import { parseArgs } from "node:util";
import { formatConnectionTable } from "../connections";
import { type VerifyReport, errorsOf, formatFinding, formatSummary, warningsOf } from "./findings";
import { defaultChartsDir } from "./reference-dir";

export const USAGE = `usage: npm run verify -- (--stack <name> [--config-file <path>] | --plan <plan.json>) [--charts <dir>] [--json]

  --stack <name>        plan this stack offline (Pulumi.<name>.yaml) and check the result
  --config-file <path>  with --stack: use this stack config file instead
  --plan <file>         plan document written by \`npm run plan -- --json\`
  --charts <dir>  chart reference data (default: $STRATA_CHART_REFERENCE, else ../shared/reference/charts
                  when it exists, else .strata/reference/charts filled by \`npm run reference:pull\`)
  --json          print findings as JSON instead of one line each

exit status: 0 no errors, 1 errors found, 2 bad arguments or unreadable input`;

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export interface VerifyOptions {
  /** Exactly one of `plan` and `stack` is set. */
  readonly plan?: string;
  readonly stack?: string;
  readonly configFile?: string;
  readonly charts: string;
  readonly json: boolean;
}

export class UsageError extends Error {}

export function parseVerifyArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): VerifyOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        plan: { type: "string" },
        stack: { type: "string" },
        "config-file": { type: "string" },
        charts: { type: "string" },
        json: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { plan, stack, charts, json } = parsed.values;
  const configFile = parsed.values["config-file"];
  if ((plan === undefined || plan === "") === (stack === undefined || stack === "")) {
    throw new UsageError("give exactly one of --plan and --stack");
  }
  if (configFile !== undefined && stack === undefined) throw new UsageError("--config-file goes with --stack");
  return {
    ...(plan ? { plan } : {}),
    ...(stack ? { stack } : {}),
    ...(configFile ? { configFile } : {}),
    charts: charts ?? defaultChartsDir(env),
    json: json ?? false,
  };
}

export function renderReport(report: VerifyReport, json: boolean): string {
  if (json) {
    const summary = { errors: errorsOf(report).length, warnings: warningsOf(report).length };
    return JSON.stringify({ summary, checked: report.checked, findings: report.findings, connections: report.connections ?? [] }, null, 2);
  }
  const table = report.connections === undefined || report.connections.length === 0 ? [] : ["Connections:", formatConnectionTable(report.connections), ""];
  return [...table, ...report.findings.map(formatFinding), formatSummary(report)].join("\n");
}

export function exitCodeOf(report: VerifyReport): number {
  return errorsOf(report).length > 0 ? EXIT_FINDINGS : EXIT_OK;
}
