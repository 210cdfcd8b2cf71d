import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../../tools/engine/run";

/** Runs `body` in a fresh Node process (the SDK's module state is per process) and returns what it printed as JSON. */
function inFreshProcess(body: string): unknown {
  const run = spawnSync(process.execPath, ["--import", "tsx", "-e", body], { cwd: REPO_ROOT, encoding: "utf8" });
  expect(run.status, run.stderr).to.equal(0);
  return JSON.parse(run.stdout) as unknown;
}

const typescriptInCache = `Object.keys(require.cache).some((f) => f.includes("/node_modules/typescript/"))`;
// A function that closes over a module-level value: what the SDK parses with TypeScript when it serializes one.
const serialize = `const base = 40; const pulumi = require("@pulumi/pulumi"); const before = ${typescriptInCache};
  pulumi.runtime.serializeFunction(() => (n) => n + base).then((f) => console.log(JSON.stringify({ before, after: ${typescriptInCache}, text: f.text })));`;

describe("the program's process loads TypeScript for the SDK on first use (issue #27: plan time)", function () {
  this.timeout(60_000);

  it("starts the SDK without TypeScript, loads it to serialize a function, and serializes as without the stand-in", () => {
    const lazy = inFreshProcess(`require(${JSON.stringify(join(REPO_ROOT, "tools", "engine", "lazy-typescript.ts"))}); ${serialize}`) as { before: boolean; after: boolean; text: string };
    const eager = inFreshProcess(serialize) as { before: boolean; after: boolean; text: string };
    expect(eager.before, "the SDK loads TypeScript at start-up on its own").to.equal(true);
    expect(lazy.before).to.equal(false);
    expect(lazy.after).to.equal(true);
    expect(lazy.text).to.include("base").and.to.equal(eager.text);
  });
});
