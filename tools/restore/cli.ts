/**
 * Arguments and output of `npm run restore`.
 */
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import type { Finding } from "../verify/findings";
import { formatFinding } from "../verify/findings";
import type { RestorePlan } from "./types";

export const USAGE =
  "usage: npm run restore -- --stack <name> [--config-file <path>] --service <postgres|mysql|mongodb|namespace> [--namespace <name>] [--to <RFC 3339 time>] [--backup <name> | --from <s3://bucket/prefix/backup>] [--out <dir>]";

export interface RestoreArgs {
  readonly stack?: string;
  readonly configFile?: string;
  readonly service?: string;
  readonly namespace?: string;
  readonly to?: string;
  readonly backup?: string;
  readonly from?: string;
  readonly out?: string;
  readonly help: boolean;
}

export function parseRestoreArgs(argv: readonly string[]): RestoreArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      stack: { type: "string" },
      "config-file": { type: "string" },
      service: { type: "string" },
      namespace: { type: "string" },
      to: { type: "string" },
      backup: { type: "string" },
      from: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  const optional = <K extends string>(key: K, value: string | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, string>));
  return {
    ...optional("stack", values.stack),
    ...optional("configFile", values["config-file"]),
    ...optional("service", values.service),
    ...optional("namespace", values.namespace),
    ...optional("to", values.to),
    ...optional("backup", values.backup),
    ...optional("from", values.from),
    ...optional("out", values.out),
    help: values.help,
  };
}

/** Each object as a YAML document. */
export function objectYaml(object: Readonly<Record<string, unknown>>): string {
  return stringify(object, { lineWidth: 0 });
}

/** The runbook: what, from where, the files, what could not be checked, the steps. */
export function formatRunbook(plan: RestorePlan, dir: string, files: readonly string[], findings: readonly Finding[]): string {
  const lines = [`Restore: ${plan.summary}`, "", "Reads from (as the stack renders it):", ...plan.source.map((s) => `  - ${s}`), "", `Wrote ${files.length} object(s) to ${dir}:`, ...files.map((f) => `  - ${f}`)];
  const notChecked = findings.filter((f) => f.severity === "warning");
  if (notChecked.length > 0) lines.push("", "Validation:", ...notChecked.map((f) => `  ${formatFinding(f)}`));
  lines.push("", "Before you start:", ...plan.warnings.map((w) => `  ! ${w}`));
  plan.steps.forEach((step, i) => {
    lines.push("", `${i + 1}. ${step.title}`, ...step.commands.map((c) => `   ${c.replaceAll("{{dir}}", dir)}`));
  });
  return `${lines.join("\n")}\n`;
}
