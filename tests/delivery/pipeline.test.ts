import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const ROOT = join(__dirname, "..", "..");
const text = (path: string) => readFileSync(join(ROOT, path), "utf8");

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly if?: string;
  readonly run?: string;
  readonly with?: Readonly<Record<string, unknown>>;
}
interface Job {
  readonly if?: string;
  readonly uses?: string;
  readonly needs?: string | readonly string[];
  readonly environment?: string;
  readonly permissions?: Readonly<Record<string, string>>;
  readonly secrets?: unknown;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly strategy?: { readonly matrix: { readonly include: readonly Record<string, string>[] } };
  readonly steps?: readonly Step[];
}
interface Workflow {
  readonly on: Readonly<Record<string, unknown>>;
  readonly jobs: Readonly<Record<string, Job>>;
}
const workflow = (file: string) => parse(text(`.github/workflows/${file}`)) as Workflow;
const pr = workflow("pull-request.yml");
const deploy = workflow("deploy.yml");
const stackJob = workflow("pulumi-stack.yml").jobs["pulumi"];
const stackSteps = stackJob?.steps ?? [];
const SAME_REPOSITORY = "github.event.pull_request.head.repo.full_name == github.repository";
const MAIN_ONLY = "github.ref == 'refs/heads/main'";

/** The environments docs/operations.md tells an admin to create, with their protection column. */
function documentedEnvironments(): Map<string, string> {
  const doc = text("docs/operations.md");
  const rows = [...doc.matchAll(/^\| `([a-z0-9-]+)` \| [^|]+ \| ([^|]+) \|/gm)];
  return new Map(rows.map(([, name, protection]) => [name ?? "", protection ?? ""]));
}

/** Every (environment, command, runner, job) a workflow sends to pulumi-stack.yml, matrices expanded. */
function stackCalls(wf: Workflow) {
  return Object.entries(wf.jobs).flatMap(([id, job]) => {
    if (job.uses !== "./.github/workflows/pulumi-stack.yml") return [];
    const rows = job.strategy?.matrix.include ?? [{}];
    return rows.map((row) => {
      const value = (key: string) => `${(job.with?.[key] as string | boolean | undefined) ?? ""}`.replace(/\$\{\{ matrix\.([\w-]+) \}\}/g, (_, k: string) => row[k] ?? "");
      return { id, job, stack: value("stack"), environment: value("environment"), command: value("command"), runsOn: value("runs-on") };
    });
  });
}

describe("delivery pipeline (workflow structure, offline)", () => {
  it("issue #24: every pull-request job that gets a secret, an OIDC token or a write scope runs for same-repository branches only", () => {
    for (const [id, job] of Object.entries(pr.jobs)) {
      const privileged = job.secrets !== undefined || job.uses !== undefined || job.environment !== undefined || Object.values(job.permissions ?? {}).includes("write");
      if (privileged) expect(job.if, `pull-request.yml#${id}`).to.equal(SAME_REPOSITORY);
    }
    // What forks get: the checks job, with no secrets, environment or extra scopes.
    const checks = pr.jobs["checks"];
    expect(checks?.if).to.equal(undefined);
    expect(checks?.permissions).to.equal(undefined);
    expect(JSON.stringify(checks)).not.to.match(/secrets\.|vars\.AWS|id-token/);
  });

  it("issue #24: previews use preview-* environments and preview runners; ups use dev/prod and deploy runners, never the same machine", () => {
    const calls = [...stackCalls(pr), ...stackCalls(deploy)];
    const previews = calls.filter((c) => c.command === "preview");
    const ups = calls.filter((c) => c.command === "up");
    expect(previews.map((c) => `${c.id}:${c.stack}`).sort()).to.deep.equal(["preview:dev", "preview:prod", "prod-preview:prod"]);
    for (const c of previews) {
      expect(c.environment, c.id).to.match(/^preview-/);
      expect(c.runsOn, c.id).to.match(/^strata-preview-/);
    }
    for (const c of ups) {
      expect(c.environment, c.id).to.equal(c.stack);
      expect(c.runsOn, c.id).to.equal(`strata-deploy-${c.stack}`);
    }
    const previewRunners = new Set(previews.map((c) => c.runsOn));
    for (const c of ups) expect(previewRunners.has(c.runsOn), c.runsOn).to.equal(false);
    expect(calls.some((c) => c.runsOn === "self-hosted" || c.runsOn.startsWith("ubuntu-")), "a stack job on a generic runner").to.equal(false);
  });

  it("issue #24: every environment the workflows use is documented with its protection; ups and prod previews are protected", () => {
    const environments = documentedEnvironments();
    const calls = [...stackCalls(pr), ...stackCalls(deploy)];
    for (const c of calls) expect(environments.has(c.environment), `${c.environment} in docs/operations.md`).to.equal(true);
    for (const c of calls.filter((c) => c.command === "up")) expect(environments.get(c.environment), c.environment).to.match(/deployment branch `main`/);
    expect(environments.get("prod")).to.match(/\*\*required reviewers\*\*/);
    // A preview decrypts the stack's config: prod's is read only by main or after a reviewer.
    expect(environments.get("preview-prod")).to.match(/\*\*required reviewers\*\*/);
    expect(environments.get("preview-prod-main")).to.match(/deployment branch `main`/);
  });

  it("issue #24: prod's up needs the prod preview of the same run, reads its artifact and refuses another commit", () => {
    const up = deploy.jobs["prod"];
    const preview = deploy.jobs["prod-preview"];
    expect(up?.needs).to.equal("prod-preview");
    expect(up?.with).to.include({ command: "up", stack: "prod", environment: "prod", "require-preview": true });
    expect(preview?.with).to.include({ command: "preview", stack: "prod", "policy-config": "prod" });
    const upload = stackSteps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    const download = stackSteps.find((s) => s.uses?.startsWith("actions/download-artifact@"));
    expect(upload?.if).to.equal("inputs.command == 'preview'");
    expect(download?.if).to.equal("inputs.require-preview");
    expect(download?.with?.["name"]).to.equal(upload?.with?.["name"]).and.to.equal("pulumi-preview-${{ inputs.stack }}");
    const check = stackSteps.find((s) => s.name === "The preview this up was approved on");
    expect(check?.run).to.include('if [ "$previewed" != "$COMMIT" ]').and.include("GITHUB_STEP_SUMMARY");
    const keep = stackSteps.find((s) => s.name === "Keep the preview for the approval");
    expect(keep?.run).to.include('"$COMMIT" > "$RUNNER_TEMP/preview/commit"').and.include("GITHUB_STEP_SUMMARY");
    // The artifact check runs before any credential is fetched.
    const firstCredential = stackSteps.findIndex((s) => s.uses?.startsWith("pulumi/auth-actions@"));
    expect(stackSteps.indexOf(check ?? {})).to.be.within(0, firstCredential);
    // The up applies the commit of the run (github.sha), the one the preview checked out.
    const checkout = stackSteps.find((s) => s.uses?.startsWith("actions/checkout@") && s.with?.["path"] === undefined);
    expect(checkout?.with?.["ref"]).to.equal("${{ github.sha }}");
  });

  it("issue #24: a manual deploy runs only on the default branch", () => {
    expect(Object.keys(deploy.on).sort()).to.deep.equal(["push", "workflow_dispatch"]);
    expect(deploy.on["push"]).to.deep.equal({ branches: ["main"] });
    for (const [id, job] of Object.entries(deploy.jobs)) expect(job.if, `deploy.yml#${id}`).to.equal(MAIN_ONLY);
  });

  it("issue #24: the policy pack comes from the default branch, not the tree under review", () => {
    const trusted = stackSteps.find((s) => s.uses?.startsWith("actions/checkout@") && s.with?.["path"] === ".trusted-policy");
    expect(trusted?.with).to.include({ ref: "${{ github.event.repository.default_branch }}", "sparse-checkout": "policy", "persist-credentials": false });
    const pulumi = stackSteps.find((s) => s.with?.["command"] !== undefined);
    expect(pulumi?.with?.["policyPacks"]).to.equal("${{ github.workspace }}/.trusted-policy/policy");
    expect(String(pulumi?.with?.["policyPackConfigs"])).to.match(/^\$\{\{ github\.workspace \}\}\/\.trusted-policy\/policy\/config\//);
  });

  it("issue #24: a preview gets a Pulumi team token, never an organization token", () => {
    const guard = stackSteps.find((s) => s.name === "Previews use a team token");
    expect(guard?.if).to.equal("inputs.command == 'preview' && vars.PULUMI_BACKEND_URL == '' && vars.PULUMI_TEAM == ''");
    expect(guard?.run).to.include("exit 1");
    const auth = stackSteps.find((s) => s.uses?.startsWith("pulumi/auth-actions@"));
    expect(auth?.with?.["requested-token-type"]).to.include("vars.PULUMI_TEAM != '' && 'urn:pulumi:token-type:access_token:team'");
    expect(auth?.with?.["scope"]).to.include("format('team:{0}', vars.PULUMI_TEAM)");
  });

  it("issue #24: pull requests run CI's script without the boot test, and the script knows the flag", () => {
    const steps = pr.jobs["checks"]?.steps ?? [];
    expect(steps.filter((s) => s.run !== undefined).map((s) => s.run?.trim())).to.include(".ci/run --skip-boot-test");
    const script = text(".ci/run");
    expect(script).to.include('--skip-boot-test) boot_test=false ;;');
    expect(script).to.include('[ "$boot_test" = true ] || break');
    // Arguments are read before anything is installed: a wrong one stops at once.
    const wrong = spawnSync(join(ROOT, ".ci", "run"), ["--skip-boot"], { encoding: "utf8" });
    expect(wrong.status).to.equal(2);
    expect(wrong.stderr).to.include("usage: .ci/run [--skip-boot-test] (got --skip-boot)");
  });
});

describe("CODEOWNERS", () => {
  it("issue #24: the policy pack, the workflows, prod's config and the prod examples have owners", () => {
    const rules = text(".github/CODEOWNERS")
      .split("\n")
      .filter((l) => l.trim() !== "" && !l.startsWith("#"))
      .map((l) => l.trim().split(/\s+/));
    const owned = new Map(rules.map(([pattern, ...owners]) => [pattern ?? "", owners]));
    for (const pattern of ["/policy/", "/.github/", "/Pulumi.prod.yaml", "/examples/*prod*", "/examples/**/*prod*"]) {
      expect(owned.get(pattern), pattern).to.have.length.greaterThan(0);
      for (const owner of owned.get(pattern) ?? []) expect(owner, pattern).to.match(/^@[\w-]+(\/[\w-]+)?$/);
    }
  });
});
