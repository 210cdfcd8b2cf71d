/**
 * Child-process entry: runs the strata program once under mocks and writes what it registered.
 * One process per run, so module state (config, the runtime's store) never leaks between runs.
 * Usage: run-program.ts <job.json> <result.json>. Exit 2 = invalid config, 1 = other failure.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
// Before the SDK: what it loads at start-up but rarely uses is loaded on first use.
import "./deferred-sdk-modules";
import * as pulumi from "@pulumi/pulumi";
import { isConfigError } from "../../config/errors";
import { declaredConnections } from "../../lib/connections";
import { installCapture } from "./capture";
import { installPlainStructs } from "./plain-structs";
import { keepSerializedProviders } from "./serialized-providers";
import { setMockCallerRole } from "./mock-state/aws";
import { keyPairHintFile, makeRsaKeyPairsAhead, readKeyPairHint, rsaKeyPairsRequested, writeKeyPairHint } from "./mock-state/key-pairs";
import { createMocks, type RecordedInvoke, type ReplacementPreview, type StackOutputsSnapshot } from "./mocks";
import { collectSecretStrings, maskedSecret, plainConfigStrings } from "./values";

export interface RunJob {
  readonly projectDir: string;
  readonly project: string;
  readonly stack: string;
  readonly config: Record<string, string>;
  /** Keys the program is told are secret (the runtime knows secrecy per top-level key only). */
  readonly secretKeys: string[];
  /** Every `secure:` config value by its config path → its stand-in (`StackConfig.secureLeaves`). */
  readonly secureLeaves: Record<string, string>;
  readonly upstream: Record<string, StackOutputsSnapshot>;
  /** Outputs of this stack's last update (`RunOptions.previousOutputs`). @default - none */
  readonly previousOutputs?: StackOutputsSnapshot;
  /** Role the mocked AWS caller assumed (`RunOptions.callerRole`). @default - the mock's deployer role */
  readonly callerRole?: string;
  /** Run as a preview with these resources being replaced (`RunOptions.preview`). @default - an update */
  readonly preview?: ReplacementPreview;
}

/** The organization a self-managed backend names every stack with; Pulumi Cloud uses yours. */
const ORGANIZATION = "organization";

export type RunOutcome =
  | {
      readonly kind: "ok";
      readonly resources: unknown[];
      readonly invokes: RecordedInvoke[];
      readonly outputs: Record<string, unknown>;
      readonly rawOutputs: Record<string, unknown>;
      readonly secretOutputNames: string[];
      readonly secrets: string[];
      /** Connection declarations, Inputs resolved (lib/connections.ts). */
      readonly connections: unknown;
    }
  | { readonly kind: "config"; readonly problems: readonly string[] }
  | { readonly kind: "error"; readonly message: string };

async function resolveDeep(value: unknown): Promise<{ value: unknown; secret: boolean }> {
  if (pulumi.Output.isInstance(value)) {
    const secret = await pulumi.isSecret(value);
    const inner = await resolveDeep(await (value as unknown as { promise(): Promise<unknown> }).promise());
    return { value: inner.value, secret: secret || inner.secret };
  }
  if (value instanceof Promise) return resolveDeep(await value);
  if (Array.isArray(value)) {
    const items = await Promise.all(value.map(resolveDeep));
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (value !== null && typeof value === "object" && !(value instanceof pulumi.Resource)) {
    const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolveDeep(v)] as const));
    return { value: Object.fromEntries(entries.map(([k, r]) => [k, r.value])), secret: entries.some(([, r]) => r.secret) };
  }
  return { value, secret: false };
}

/**
 * The project's program: compiled beside this module when both were compiled from the same
 * checkout (tools/launch.mjs), else its TypeScript through tsx (registered here if this process
 * runs compiled JavaScript, e.g. a test fixture's project).
 */
function programEntry(projectDir: string): string {
  const compiledRoot = resolve(dirname(module.filename), "..", "..");
  if (!module.filename.endsWith(".js")) return join(projectDir, "index.ts");
  if (resolve(projectDir) === resolve(__dirname, "..", "..")) return join(compiledRoot, "index.js");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require("tsx/cjs/api") as { register(): void }).register();
  return join(projectDir, "index.ts");
}

async function run(job: RunJob): Promise<RunOutcome> {
  // On a worker thread while the program loads: the RSA pairs the last run of this stack asked for.
  const keyPairHint = keyPairHintFile(job.projectDir, job.project, job.stack);
  makeRsaKeyPairsAhead(readKeyPairHint(keyPairHint));
  const secrets = new Set<string>();
  for (const key of job.secretKeys) collectSecretStrings(job.config[key], secrets);
  // Each secure leaf on its own: inside a structured key the JSON text above never matches a leaf.
  for (const leaf of Object.values(job.secureLeaves)) secrets.add(leaf);
  pulumi.runtime.setAllConfig(job.config, job.secretKeys);
  const invokes: RecordedInvoke[] = [];
  if (job.callerRole !== undefined) setMockCallerRole(job.callerRole);
  const own = { name: `${ORGANIZATION}/${job.project}/${job.stack}`, ...(job.previousOutputs === undefined ? {} : { previous: job.previousOutputs }) };
  // Each resource's source position (a whole stack trace, unbounded, parsed per resource) goes to the
  // engine only, which the mocks replace: the plan never shows it, and it was a tenth of a plan's time.
  (pulumi.Resource as unknown as { callsites(): unknown[] }).callsites = () => [];
  // The SDK also records a stack trace on every internal promise (debuggable.js), for its leak report
  // at exit; formatting them cost as much again. STRATA_STACK_TRACES=1 keeps them for debugging.
  if (process.env["STRATA_STACK_TRACES"] === undefined) Error.stackTraceLimit = 0;
  await pulumi.runtime.setMocks(createMocks(job.upstream, secrets, invokes, own, job.preview), job.project, job.stack, job.preview !== undefined, ORGANIZATION);
  const capturedRecords = installCapture(secrets);
  keepSerializedProviders(module.filename, job.projectDir);
  installPlainStructs();

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require(programEntry(job.projectDir)) as unknown;
  const exported = typeof program === "function" ? await (program as () => Promise<unknown>)() : program;
  const outputs: Record<string, unknown> = {};
  const rawOutputs: Record<string, unknown> = {};
  const secretOutputNames: string[] = [];
  for (const [key, value] of Object.entries((exported ?? {}) as Record<string, unknown>)) {
    const resolved = await resolveDeep(value);
    if (resolved.secret) {
      secretOutputNames.push(key);
      collectSecretStrings(resolved.value, secrets);
    }
    rawOutputs[key] = resolved.value;
    outputs[key] = resolved.secret ? maskedSecret(resolved.value, true) : resolved.value;
  }
  // Drain registrations still in flight; the runtime exposes this only untyped.
  await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
  const plain = plainConfigStrings(job.config, job.secretKeys);
  for (const leaf of Object.values(job.secureLeaves)) plain.delete(leaf);
  const connections = (await resolveDeep(declaredConnections())).value;
  try {
    writeKeyPairHint(keyPairHint, rsaKeyPairsRequested());
  } catch {
    // A hint only (a read-only checkout): the next run makes its pairs on the spot.
  }
  return { kind: "ok", resources: capturedRecords(), invokes, outputs, rawOutputs, secretOutputNames, secrets: [...secrets].filter((s) => !plain.has(s)), connections };
}

async function main(): Promise<number> {
  const [jobFile, resultFile] = process.argv.slice(2);
  if (jobFile === undefined || resultFile === undefined) throw new Error("usage: run-program.ts <job.json> <result.json>");
  const job = JSON.parse(readFileSync(jobFile, "utf8")) as RunJob;
  let failure: unknown;
  process.on("unhandledRejection", (reason) => {
    failure ??= reason;
  });
  let outcome: RunOutcome;
  try {
    outcome = await run(job);
    if (failure !== undefined) throw failure instanceof Error ? failure : new Error(JSON.stringify(failure));
  } catch (error) {
    outcome = isConfigError(error) ? { kind: "config", problems: error.problems } : { kind: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  writeFileSync(resultFile, JSON.stringify(outcome));
  return outcome.kind === "ok" ? 0 : outcome.kind === "config" ? 2 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
