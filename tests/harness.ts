/**
 * The shared test harness: runs a stack's program under mocks (one child process per scenario,
 * memoised so tests of one scenario share a run) and answers questions about what it registered.
 */
import { availableParallelism } from "node:os";
import type { CapturedRecord } from "../tools/engine/capture";
import { runStack, type RunOptions, type RunResult } from "../tools/engine/run";

const runs = new Map<string, Promise<RunResult>>();

/** Child processes at once: one per core keeps both busy without thrashing. */
const MAX_CONCURRENT_RUNS = Math.max(1, availableParallelism());
let active = 0;
const waiting: (() => void)[] = [];

async function limited<T>(task: () => Promise<T>): Promise<T> {
  if (active >= MAX_CONCURRENT_RUNS) await new Promise<void>((resolve) => waiting.push(resolve));
  active++;
  try {
    return await task();
  } finally {
    active--;
    waiting.shift()?.();
  }
}

/** Test files that may run whole stacks: `npm run test:integration` runs them, `npm test` does not. */
export const INTEGRATION_TEST_FILE = /\.integration\.test\.ts\b/;

/**
 * A whole stack costs seconds of CPU in a child process, so it belongs in the integration suite:
 * fails unless a `*.integration.test.ts` file is on the call stack.
 */
function requireIntegrationCaller(): void {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 100;
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = limit;
  if (!INTEGRATION_TEST_FILE.test(stack)) {
    throw new Error("planStack runs a whole stack: call it from a *.integration.test.ts file (npm run test:integration), not from the unit tests npm test runs");
  }
}

/** Runs (once) the program for a stack config and returns everything it registered. */
export function planStack(options: RunOptions): Promise<RunResult> {
  requireIntegrationCaller();
  return planOnce(options);
}

function planOnce(options: RunOptions): Promise<RunResult> {
  const key = JSON.stringify(options);
  let run = runs.get(key);
  if (run === undefined) {
    run = limited(() => runStack(options));
    runs.set(key, run);
  }
  return run;
}

/** Starts runs in the background so they overlap with other tests; failures surface where awaited. */
export function warmUp(scenarios: readonly RunOptions[]): void {
  for (const scenario of scenarios) planOnce(scenario).catch(() => undefined);
}

export function ofType(result: RunResult, type: string): CapturedRecord[] {
  return result.resources.filter((r) => r.type === type);
}

export function named(result: RunResult, type: string, name: string): CapturedRecord {
  const found = result.resources.find((r) => r.type === type && r.name === name);
  if (found === undefined) {
    const names = ofType(result, type).map((r) => r.name);
    throw new Error(`no ${type} named ${name}; have: ${names.join(", ") || "none"}`);
  }
  return found;
}

/** The value at a dotted path inside a plain object (`spec.template.spec`). */
export function at(value: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((acc, key) => (acc !== null && typeof acc === "object" ? (acc as Record<string, unknown>)[key] : undefined), value);
}

/** Fixture stack configs live here. */
export const FIXTURES = `${__dirname}/fixtures`;
