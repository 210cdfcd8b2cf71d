/**
 * Restores an operator can run: plans the stack offline, reads its real backup settings from the
 * rendered objects and renders the restore objects with the commands to apply, watch and check.
 *
 *   npm run restore -- --stack <name> [--config-file <path>] --service <postgres|mysql|mongodb|namespace>
 *                      [--namespace <name>] [--to <RFC 3339 time>] [--backup <name> | --from <s3 location>] [--out <dir>]
 *
 * See tools/restore/README.md. Exit 0 with the runbook on stdout; 2 on a bad flag or config; 1 when
 * the stack cannot restore what was asked (service absent, backups off, no point-in-time
 * recovery) or an object fails its CRD.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ConfigRejected, runStack, toPlanDocument } from "./engine/run";
import { StackConfigError } from "./engine/stack-config";
import { defaultChartsDir } from "./verify/reference-dir";
import { formatRunbook, objectYaml, parseRestoreArgs, USAGE } from "./restore/cli";
import { planRestore, RestoreRefused, validateRestoreObjects } from "./restore/index";
import { parseRestoreRequest, RestoreUsageError } from "./restore/request";

async function main(argv: readonly string[]): Promise<number> {
  const args = parseRestoreArgs(argv);
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.stack === undefined) throw new RestoreUsageError("--stack is required: the stack whose backups to restore from (e.g. --stack prod)");
  const request = parseRestoreRequest(args, new Date());
  const plan = toPlanDocument(await runStack({ stack: args.stack, ...(args.configFile === undefined ? {} : { configFile: args.configFile }) }));
  const restore = planRestore(plan, request);
  const findings = await validateRestoreObjects(restore.objects, defaultChartsDir());
  const errors = findings.filter((f) => f.severity === "error");
  if (errors.length > 0) {
    process.stderr.write(`restore objects fail their CRDs:\n${errors.map((f) => `  ${f.resource} ${f.path}: ${f.message}`).join("\n")}\n`);
    return 1;
  }
  const dir = resolve(args.out ?? mkdtempSync(join(tmpdir(), `strata-restore-${request.service}-`)));
  mkdirSync(dir, { recursive: true });
  const files = restore.objects.map(({ file, object }) => {
    const path = join(dir, file);
    writeFileSync(path, objectYaml(object));
    return path;
  });
  process.stdout.write(formatRunbook(restore, dir, files, findings));
  return 0;
}

function exitCodeFor(error: unknown): number {
  if (error instanceof RestoreRefused) {
    process.stderr.write(`restore: ${error.message}\n`);
    return 1;
  }
  if (error instanceof ConfigRejected) {
    process.stderr.write(`invalid strata configuration:\n${error.problems.map((p) => `  - ${p}`).join("\n")}\n`);
    return 2;
  }
  if (error instanceof RestoreUsageError || error instanceof StackConfigError || (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))) {
    process.stderr.write(`restore: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  process.stderr.write(`restore: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = exitCodeFor(error);
  },
);
