import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../../tools/engine/run";

const DEFERRED_MODULES = JSON.stringify(join(REPO_ROOT, "tools", "engine", "deferred-sdk-modules.ts"));

/** Runs `body` in a fresh Node process (the SDK's module state is per process) and returns what it printed as JSON. */
function inFreshProcess(body: string, deferred: boolean): Record<string, unknown> {
  const code = `${deferred ? `require(${DEFERRED_MODULES});` : ""}
    const loaded = () => { const files = Object.keys(require.cache); return { typescript: files.some((f) => f.includes("/node_modules/typescript/")), automation: files.some((f) => f.includes("/@pulumi/pulumi/automation/stack.js")), arborist: files.some((f) => f.includes("/@npmcli/arborist/lib/arborist/")), grpc: files.some((f) => f.endsWith("/@grpc/grpc-js/build/src/client.js")), providerServer: files.some((f) => f.endsWith("/@pulumi/pulumi/provider/server.js")) }; };
    const pulumi = require("@pulumi/pulumi");
    const atStart = loaded();
    ${body}`;
  const run = spawnSync(process.execPath, ["--import", "tsx", "-e", code], { cwd: REPO_ROOT, encoding: "utf8" });
  expect(run.status, run.stderr).to.equal(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

describe("the program's process loads rarely used SDK modules on first use (issue #27: plan time)", function () {
  this.timeout(120_000);

  it("starts the SDK without TypeScript, and loads it to serialize a function exactly as without the stand-in", () => {
    // A function that closes over a module-level value: what the SDK parses with TypeScript when it serializes one.
    const serialize = `const base = 40; pulumi.runtime.serializeFunction(() => (n) => n + base).then((f) => console.log(JSON.stringify({ atStart, after: loaded(), text: f.text })));`;
    const lazy = inFreshProcess(serialize, true) as { atStart: Record<string, boolean>; after: Record<string, boolean>; text: string };
    const eager = inFreshProcess(serialize, false) as { atStart: Record<string, boolean>; text: string };
    expect(eager.atStart, "the SDK loads all of them at start-up on its own").to.deep.equal({ typescript: true, automation: true, arborist: true, grpc: true, providerServer: true });
    expect(lazy.atStart).to.deep.equal({ typescript: false, automation: false, arborist: false, grpc: false, providerServer: false });
    expect(lazy.after.typescript).to.equal(true);
    expect(lazy.text).to.include("base").and.to.equal(eager.text);
  });

  it("loads gRPC when used: the generated monitor client, an RPC error's classification, the provider server", () => {
    const use = `const resrpc = require("@pulumi/pulumi/proto/resource_grpc_pb");
      const unavailable = pulumi.isGrpcError({ code: 14 });
      console.log(JSON.stringify({ atStart, client: typeof resrpc.ResourceMonitorClient, unavailable, notFound: pulumi.isGrpcError({ code: 5 }), main: typeof pulumi.provider.main, after: loaded() }));`;
    const lazy = inFreshProcess(use, true);
    const eager = inFreshProcess(use, false);
    expect(lazy["atStart"]).to.deep.include({ grpc: false, providerServer: false });
    expect(lazy["after"]).to.deep.include({ grpc: true, providerServer: true });
    const { atStart: _lazyStart, after: _lazyAfter, ...lazyAnswers } = lazy;
    const { atStart: _eagerStart, after: _eagerAfter, ...eagerAnswers } = eager;
    expect(lazyAnswers).to.deep.equal({ client: "function", unavailable: true, notFound: false, main: "function" });
    expect(lazyAnswers).to.deep.equal(eagerAnswers);
  });

  it("loads the Automation API and Arborist when used: pulumi.automation and the code paths of a function", () => {
    const use = `pulumi.runtime.computeCodePaths().then((paths) => console.log(JSON.stringify({ atStart, workspace: typeof pulumi.automation.LocalWorkspace, paths: [...paths.keys()].sort(), after: loaded() })));`;
    const lazy = inFreshProcess(use, true);
    const eager = inFreshProcess(use, false);
    expect(lazy["workspace"]).to.equal("function");
    expect(lazy["after"]).to.deep.include({ automation: true, arborist: true });
    expect(lazy["paths"]).to.deep.equal(eager["paths"]);
    expect((lazy["paths"] as string[]).length).to.be.greaterThan(0);
  });
});
