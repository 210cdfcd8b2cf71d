/**
 * The offline plan: runs a stack's program with the engine mocked and shows what `pulumi up`
 * would create, without credentials or a cluster.
 *
 *   npm run plan -- --stack <name> [--config-file <path>] [--out <dir>] [--json] [--upstream-outputs <file>]
 *                  [--diff <git-ref>] [--graph <file.svg|file.png|file.dot>] [--graph-detail components|resources]
 *
 * `--diff` compares with the same stack planned at another commit (created / replaced with the
 * inputs forcing it / updated / deleted, per layer, with old → new values and warnings); `--graph` draws the dependency graph, one node per
 * component unless `--graph-detail resources`.
 *
 * Without --upstream-outputs, the stack named by strata:upstreamStack is planned first from the
 * config beside --config-file (`<stack>.yaml` or `Pulumi.<stack>.yaml`) or `Pulumi.<stack>.yaml`.
 * Exit 0 on success, 2 on invalid config (messages on stderr), 1 on any other failure.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { StackOutputsSnapshot } from "./engine/mocks";
import { ConfigRejected, REPO_ROOT, runStack, toPlanDocument } from "./engine/run";
import { loadStackConfig, type StackConfig, StackConfigError } from "./engine/stack-config";
import { GRAPH_DETAILS, type GraphDetail } from "./plan/graph";
import type * as Report from "./plan/report";
import { PLAN_USAGE } from "./plan/usage";

const USAGE = PLAN_USAGE.split("\n")[0] ?? PLAN_USAGE;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      stack: { type: "string" },
      "config-file": { type: "string" },
      out: { type: "string" },
      json: { type: "boolean", default: false },
      "upstream-outputs": { type: "string" },
      diff: { type: "string" },
      graph: { type: "string" },
      "graph-detail": { type: "string", default: "components" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(`${PLAN_USAGE}\n`);
    return 0;
  }
  if (values.stack === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const detail = values["graph-detail"] as GraphDetail;
  if (!GRAPH_DETAILS.includes(detail)) {
    process.stderr.write(`--graph-detail: must be one of ${GRAPH_DETAILS.join(", ")} (got ${detail})\n${USAGE}\n`);
    return 2;
  }
  const upstream = values["upstream-outputs"] === undefined ? undefined : (JSON.parse(readFileSync(values["upstream-outputs"], "utf8")) as Record<string, StackOutputsSnapshot>);
  const stackName = values.stack;
  const running = runStack({
    stack: stackName,
    ...(values["config-file"] === undefined ? {} : { configFile: values["config-file"] }),
    ...(upstream === undefined ? {} : { upstream }),
  });
  // Awaited below; a rejection before then is not an unhandled one.
  running.catch(() => undefined);
  // While the program's process runs: load what reports on it, and parse the stack config for the notes.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded here, once the program's process started, so both load at once
  const { formatLeak, leaksIn, leaksInText, renderFiles, writeGraph, planAtRefWithConfig, changedSecureKeys, secureCiphertexts, diffPlans, secretReceivers, formatDiff, changedAndDependents, parseStackConfig, estimateMonthlyCost, planSummary, formatCostEstimate, planCapacity, spotServiceLinkedRoleNote, grafanaSingleReplicaNote, runbookBaseUrlNote, telemetryBucketPurposes, lokiSingleReplicaNote, tempoSingleReplicaNote, formatBackupCoverage, formatRateLimits, formatConnectionTable, proveConnections, writeOut } = require("./plan/report") as typeof Report;
  // Parsed once: every note below reads the same config. A config the program refuses is reported from its run, as before.
  const stack = values.diff === undefined ? attempt(() => parsedStack(loadStackConfig(REPO_ROOT, stackName, values["config-file"]), parseStackConfig)) : undefined;
  const result = await running;
  const plan = toPlanDocument(result);
  const files = values.out === undefined ? [] : renderFiles(result);
  const leaks = [...leaksIn(plan, result.secrets, result.secureLeaves), ...files.flatMap((file) => leaksInText(file.content, `--out file ${file.path}`, result.secrets, result.secureLeaves))];
  if (leaks.length > 0) {
    process.stderr.write(`secret values would appear in clear:\n${leaks.map((l) => `  - ${formatLeak(l)}`).join("\n")}\nwrap them with pulumi.secret() where they cross into these inputs or outputs\n`);
    return 1;
  }
  // The "wrote" line goes to stderr under --json, so stdout stays one JSON document.
  const drawGraph = (only?: ReadonlySet<string>) => {
    if (values.graph === undefined) return;
    const size = writeGraph(plan, values.graph, { detail, ...(only === undefined ? {} : { only }) });
    (values.json ? process.stderr : process.stdout).write(`wrote the dependency graph to ${values.graph} (${size.nodes} nodes, ${size.edges} edges, one per ${detail === "components" ? "component" : "resource"}${only === undefined ? "" : ", changed and dependent only"})\n`);
  };
  if (values.diff !== undefined) {
    const at = await planAtRefWithConfig({ ref: values.diff, stack: values.stack, ...(values["config-file"] === undefined ? {} : { configFile: values["config-file"] }) });
    const stackFile = values["config-file"] ?? join(REPO_ROOT, `Pulumi.${values.stack}.yaml`);
    const changedKeys = changedSecureKeys(secureCiphertexts(at.stackFileText, result.project), secureCiphertexts(readFileSync(stackFile, "utf8"), result.project));
    const diff = diffPlans(at.plan, plan, { secretReceivers: secretReceivers(result.resources, result.secureLeaves, changedKeys) });
    process.stdout.write(`${values.json ? JSON.stringify(diff, null, 2) : formatDiff(diff, `strata plan diff: stack ${values.stack}, ${values.diff} → working tree`)}\n`);
    drawGraph(changedAndDependents(plan, diff.changes.filter((c) => c.change !== "delete").map((c) => c.urn)));
    return 0;
  }
  if (stack === undefined) throw new Error("the stack config is read whenever --diff is not given");
  if (!stack.ok) throw stack.error;
  const { stackConfig, parsed } = stack.value;
  const cost = estimateMonthlyCost(parsed, stackConfig.config["aws:region"] ?? upstreamRegion(result.outputs));
  process.stdout.write(`${values.json ? JSON.stringify(cost === undefined ? plan : { ...plan, estimatedMonthlyCost: cost }, null, 2) : planSummary(plan)}\n`);
  if (cost !== undefined && !values.json) process.stdout.write(`\n${formatCostEstimate(cost)}\n`);
  const capacity = values.json ? undefined : planCapacity(stackConfig, result.outputs);
  if (capacity !== undefined) {
    const lines = [...capacity.refusals.map((p) => `  error: ${p}`), ...capacity.problems.map((p) => `  ${capacity.mode === "fail" ? "error" : "warning"}: ${p}`)];
    process.stdout.write(`\n${capacity.table}\n${lines.map((l) => `${l}\n`).join("")}`);
  }
  const spotRole = values.json ? undefined : spotServiceLinkedRoleNote(parsed);
  if (spotRole !== undefined) process.stdout.write(`\n  warning: ${spotRole}\n`);
  const singleGrafana = values.json || parsed.platform === undefined || !parsed.layers.includes("platform") ? undefined : grafanaSingleReplicaNote(parsed.platform.observability, parsed.environment, parsed.platform.postgres.enabled);
  if (singleGrafana !== undefined) process.stdout.write(`\n  warning: ${singleGrafana}\n`);
  const runbooks = values.json || parsed.platform === undefined || !parsed.layers.includes("platform") ? undefined : runbookBaseUrlNote(parsed.platform.observability, parsed.environment);
  if (runbooks !== undefined) process.stdout.write(`\n  warning: ${runbooks}\n`);
  const telemetryBuckets = parsed.platform === undefined || parsed.infra === undefined ? undefined : telemetryBucketPurposes(parsed.platform, parsed.infra.backend, parsed.infra.backend === "eks" ? parsed.infra.eks.buckets : undefined);
  const singleLoki = values.json || parsed.platform === undefined || !parsed.layers.includes("platform") ? undefined : lokiSingleReplicaNote(parsed.platform.observability, parsed.environment, telemetryBuckets?.includes(parsed.platform.observability?.logs.bucket ?? ""));
  if (singleLoki !== undefined) process.stdout.write(`\n  warning: ${singleLoki}\n`);
  const singleTempo = values.json || parsed.platform === undefined || !parsed.layers.includes("platform") ? undefined : tempoSingleReplicaNote(parsed.platform.observability, parsed.environment, telemetryBuckets?.includes(parsed.platform.observability?.traces.bucket ?? ""));
  if (singleTempo !== undefined) process.stdout.write(`\n  warning: ${singleTempo}\n`);
  if (!values.json) process.stdout.write(`\n${formatBackupCoverage(parsed)}\n`);
  const rateLimits = values.json ? "" : formatRateLimits(plan);
  if (rateLimits !== "") process.stdout.write(`\n${rateLimits}\n`);
  if (!values.json) process.stdout.write(`\nConnections (✓ proven, ✗ broken, - not applicable; \`npm run verify\` fails on a ✗):\n${formatConnectionTable(await proveConnections(plan))}\n`);
  if (values.out !== undefined) {
    writeOut(files, values.out);
    if (!values.json) process.stdout.write(`\nwrote ${files.length} files to ${values.out}\n`);
  }
  drawGraph();
  return 0;
}

function parsedStack<P>(stackConfig: StackConfig, parse: (stackConfig: StackConfig) => P): { readonly stackConfig: StackConfig; readonly parsed: P } {
  return { stackConfig, parsed: parse(stackConfig) };
}

/** The value `compute` returns, or what it threw: thrown later, where the order of messages wants it. */
function attempt<T>(compute: () => T): { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown } {
  try {
    return { ok: true, value: compute() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The region of the infra contract (this stack's or its upstream's), for a stack without aws:region. */
function upstreamRegion(outputs: Readonly<Record<string, unknown>>): string | undefined {
  const infra = outputs["infra"] as { eks?: { region?: unknown } } | undefined;
  return typeof infra?.eks?.region === "string" ? infra.eks.region : undefined;
}

function exitCodeFor(error: unknown): number {
  if (error instanceof ConfigRejected) {
    process.stderr.write(`invalid strata configuration:\n${error.problems.map((p) => `  - ${p}`).join("\n")}\n`);
    return 2;
  }
  if (error instanceof StackConfigError || (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}

// exitCode, not exit(): a large plan written to a pipe must drain before the process ends.
main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = exitCodeFor(error);
  },
);
