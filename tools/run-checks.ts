/**
 * `npm test`: runs the named npm scripts at the same time (the type check, ESLint and mocha are
 * each mostly single-threaded, so together they use every core), prints each one's output whole
 * as it finishes, and fails when any of them fails.
 *
 *   tsx tools/run-checks.ts typecheck lint test:unit
 */
import { spawn } from "node:child_process";

interface Outcome {
  readonly script: string;
  readonly code: number;
  readonly seconds: number;
}

function run(script: string): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", "--silent", script], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: process.env["FORCE_COLOR"] ?? (process.stdout.isTTY ? "1" : "0") } });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
    const finish = (code: number) => {
      const seconds = Math.round((Date.now() - started) / 1000);
      process.stdout.write(`\n> npm run ${script} (${seconds} s, ${code === 0 ? "passed" : `failed with exit code ${code}`})\n`);
      process.stdout.write(Buffer.concat(chunks));
      resolve({ script, code, seconds });
    };
    child.on("error", (error) => {
      chunks.push(Buffer.from(`${error.message}\n`));
      finish(1);
    });
    child.on("close", (code, signal) => finish(code ?? (signal === null ? 1 : 128)));
  });
}

async function main(scripts: readonly string[]): Promise<number> {
  if (scripts.length === 0) {
    process.stderr.write("usage: tsx tools/run-checks.ts <npm script>...\n");
    return 2;
  }
  process.stdout.write(`running ${scripts.join(", ")} in parallel\n`);
  const outcomes = await Promise.all(scripts.map(run));
  const failed = outcomes.filter((o) => o.code !== 0);
  process.stdout.write(`\n${outcomes.map((o) => `${o.script} ${o.code === 0 ? "passed" : "FAILED"} (${o.seconds} s)`).join(", ")}\n`);
  return failed.length === 0 ? 0 : 1;
}

// `exitCode`, not `exit()`: exiting at once can drop the end of a large output still being written
// to a pipe (`npm test | tee`), and with it mocha's "N passing" line that CI counts.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  },
);
