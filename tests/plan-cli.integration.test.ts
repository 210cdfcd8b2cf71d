/** The offline plan CLI as a user runs it: exit codes, JSON format, files, and no secrets. */
import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import type { PlanDocument } from "../tools/engine/plan-document";
import { REPO_ROOT } from "../tools/engine/run";
import { MIN_SECRET_LENGTH } from "../tools/engine/values";
import { planStack } from "./harness";

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function plan(...args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tools/plan.ts", ...args], { cwd: REPO_ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe("plan CLI", () => {
  const out = mkdtempSync(join(tmpdir(), "strata-plan-out-"));
  let json: CliRun;
  let human: CliRun;
  let dev: CliRun;

  before(async () => {
    [json, human, dev] = await Promise.all([
      plan("--stack", "prod", "--json"),
      plan("--stack", "local", "--config-file", "examples/local/Pulumi.local.yaml", "--out", out),
      plan("--stack", "dev"),
    ]);
  });

  it("plans dev, prod and the local example with exit 0", () => {
    expect(dev.code, dev.stderr).to.equal(0);
    expect(human.code, human.stderr).to.equal(0);
    expect(json.code, json.stderr).to.equal(0);
  });

  it("--json prints one document with every resource field", () => {
    const doc = JSON.parse(json.stdout) as PlanDocument;
    expect(doc.project).to.equal("strata");
    expect(doc.stack).to.equal("prod");
    expect(doc.resources.length).to.be.greaterThan(5);
    const fields = ["urn", "type", "name", "parent", "dependencies", "provider", "protect", "custom", "version", "inputs"];
    // Secrets also carry their key names (the provider redacts their whole data); a resource with
    // `ignoreChanges` lists them (what --diff leaves out).
    for (const r of doc.resources) {
      expect(r).to.have.all.keys([...fields, ...(r.type === "kubernetes:core/v1:Secret" ? ["dataKeys"] : []), ...(r.ignoreChanges === undefined ? [] : ["ignoreChanges"])]);
    }
    expect(doc.resources.some((r) => (r.ignoreChanges ?? []).length > 0)).to.equal(true);
    expect(doc.outputs).to.have.property("infra");
  });

  it("human output lists resources per layer, the deployment order and the outputs", () => {
    expect(human.stdout).to.match(/^cluster: \d+ resources$/m);
    expect(human.stdout).to.match(/kubernetes:core\/v1:Namespace\s+6$/m);
    expect(human.stdout).to.match(/deployment order: \d+ dependency levels; critical path of \d+ steps:/);
    expect(human.stdout).to.contain("infraSecrets: \"[secret]\"");
  });

  it("--out writes every Kubernetes object as YAML in the documented layout", () => {
    const files = listFiles(out).map((f) => f.slice(out.length + 1)).sort();
    expect(files).to.include("cluster/kubernetes/_cluster/Namespace-apps.yaml");
    const ns = parse(readFileSync(join(out, "cluster/kubernetes/_cluster/Namespace-apps.yaml"), "utf8")) as { kind: string; metadata: { labels: Record<string, string> } };
    expect(ns.kind).to.equal("Namespace");
    expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
  });

  it("prints no secret value anywhere, in any format", async () => {
    const result = await planStack({ stack: "prod" });
    expect(result.secrets.length).to.be.greaterThan(0);
    const text = [json.stdout, json.stderr, human.stdout, dev.stdout, dev.stderr, ...listFiles(out).map((f) => readFileSync(f, "utf8"))].join("\n");
    for (const secret of result.secrets.filter((s) => s.length >= MIN_SECRET_LENGTH)) expect(text).not.to.contain(secret);
    expect(text).not.to.contain("mock-secret-");
    // Mocked key pairs differ per run, so look for their shape as well.
    expect(text).not.to.match(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  });

  it("exits 2 naming the key when the config is broken", async () => {
    const broken = join(mkdtempSync(join(tmpdir(), "strata-broken-")), "Pulumi.dev.yaml");
    const original = readFileSync(join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8");
    expect(original).to.contain("clusterName: strata-dev");
    writeFileSync(broken, original.replace("clusterName: strata-dev", "clusterName: Strata_Dev"));
    const run = await plan("--stack", "dev", "--config-file", broken);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.contain('strata:infra.clusterName: must be a DNS-1123 label; use lower-case letters, digits and \'-\', starting and ending with a letter or digit (got "Strata_Dev")');
    expect(run.stdout).to.equal("");
  });

  it("exits 2 with usage when no stack is given, and 2 for a missing stack file", async () => {
    const [usage, missing] = await Promise.all([plan(), plan("--stack", "nope")]);
    expect(usage.code).to.equal(2);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.contain("Pulumi.nope.yaml");
  });
});
