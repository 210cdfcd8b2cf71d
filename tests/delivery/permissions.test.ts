import { expect } from "chai";
import { join } from "node:path";
import { effectiveJobs, isOn, normalize, permissionProblems, readWorkflow, RESTRICTED_DEFAULT, stepNeeds, type Workflow, type WorkflowReader } from "./permissions";

const ROOT = join(__dirname, "..", "..");
const read = readWorkflow(ROOT);
const CALLERS = [".github/workflows/pull-request.yml", ".github/workflows/deploy.yml"];
/** pulumi-stack.yml as it was before issue #24's fix. */
const BEFORE = "tests/fixtures/workflows/pulumi-stack-before-issue-24.yml";

describe("GitHub workflow permissions (effective GITHUB_TOKEN of every job)", () => {
  it("issue #24: finds today's called workflow dropping the OIDC and PR-comment grants of its callers", () => {
    const resolve = (uses: string) => (uses === ".github/workflows/pulumi-stack.yml" ? BEFORE : uses);
    const problems = CALLERS.flatMap((file) => permissionProblems(read, file, RESTRICTED_DEFAULT, resolve));
    const pr = problems.filter((p) => p.startsWith(".github/workflows/pull-request.yml#preview"));
    expect(pr.some((p) => p.includes("pulumi/auth-actions") && p.includes("id-token: write") && p.includes("has id-token: none"))).to.equal(true);
    expect(pr.some((p) => p.includes("aws-actions/configure-aws-credentials") && p.includes("id-token: write"))).to.equal(true);
    expect(pr.some((p) => p.includes("pulumi/actions") && p.includes("pull-requests: write") && p.includes("has pull-requests: none"))).to.equal(true);
    expect(problems.filter((p) => p.startsWith(".github/workflows/deploy.yml#") && p.includes("id-token: write")).length).to.be.greaterThan(0);
  });

  it("issue #24: every step of every job, called ones included, gets the permissions it needs", () => {
    for (const file of CALLERS) expect(permissionProblems(read, file), file).to.deep.equal([]);
  });

  it("issue #24: the callers grant no more than their called jobs use (least privilege)", () => {
    for (const file of CALLERS) {
      for (const job of effectiveJobs(read, file)) {
        const writes = Object.entries(job.permissions).filter(([, a]) => a === "write").map(([s]) => s);
        const needed = new Set(job.steps.flatMap((s) => stepNeeds(s, job.inputs, file.endsWith("pull-request.yml") ? ["pull_request"] : ["push", "workflow_dispatch"]).map((n) => n.scope)));
        expect(writes.filter((s) => !needed.has(s)), job.id).to.deep.equal([]);
      }
    }
  });

  describe("the model follows GitHub's rules", () => {
    const fake =
      (files: Record<string, Workflow>): WorkflowReader =>
      (path) => {
        const workflow = files[path];
        if (workflow === undefined) throw new Error(`no ${path}`);
        return workflow;
      };
    const step = { uses: "pulumi/auth-actions@0000000000000000000000000000000000000000" };
    const caller = (permissions: unknown, jobPermissions?: unknown): Workflow => ({
      on: "push",
      permissions,
      jobs: { call: { uses: "./callee.yml", ...(jobPermissions === undefined ? {} : { permissions: jobPermissions }) } },
    });

    it("listing one scope sets every other scope to none; read-all has no id-token", () => {
      expect(normalize({ contents: "read" })?.["id-token"]).to.equal("none");
      expect(normalize({})?.["contents"]).to.equal("none");
      expect(normalize("read-all")?.["id-token"]).to.equal("none");
      expect(normalize("write-all")?.["id-token"]).to.equal("write");
      expect(normalize(undefined)).to.equal(undefined);
      expect(() => normalize({ "id-tokens": "write" })).to.throw("unknown scope id-tokens");
    });

    it("a called workflow without a block keeps the caller job's grant, else the caller workflow's, else the restricted default", () => {
      const callee: Workflow = { jobs: { run: { steps: [step] } } };
      const jobGrant = effectiveJobs(fake({ "caller.yml": caller({ contents: "read" }, { "id-token": "write" }), "callee.yml": callee }), "caller.yml")[0];
      expect(jobGrant?.permissions["id-token"]).to.equal("write");
      expect(jobGrant?.permissions["contents"]).to.equal("none");
      const workflowGrant = effectiveJobs(fake({ "caller.yml": caller({ "id-token": "write", contents: "read" }), "callee.yml": callee }), "caller.yml")[0];
      expect(workflowGrant?.permissions).to.include({ "id-token": "write", contents: "read" });
      const byDefault = effectiveJobs(fake({ "caller.yml": caller(undefined), "callee.yml": callee }), "caller.yml")[0];
      expect(byDefault?.permissions).to.include({ contents: "read", packages: "read", "id-token": "none" });
    });

    it("a called workflow's block narrows (job level over top level) and never elevates: asking for more is refused", () => {
      const files = (callee: Workflow) => fake({ "caller.yml": caller({ contents: "read" }, { contents: "read", "id-token": "write" }), "callee.yml": callee });
      const narrowed = effectiveJobs(files({ permissions: { contents: "read" }, jobs: { run: { steps: [step] } } }), "caller.yml")[0];
      expect(narrowed?.permissions["id-token"]).to.equal("none");
      const jobLevel = effectiveJobs(files({ permissions: { contents: "read" }, jobs: { run: { permissions: { "id-token": "write" }, steps: [step] } } }), "caller.yml")[0];
      expect(jobLevel?.permissions).to.include({ "id-token": "write", contents: "none" });
      const asked = effectiveJobs(files({ jobs: { run: { permissions: { "pull-requests": "write" }, steps: [] } } }), "caller.yml")[0];
      expect(asked?.escalations).to.deep.equal(["pull-requests: write requested, only none granted"]);
      expect(asked?.permissions["pull-requests"]).to.equal("none");
    });

    it("reads the PR-comment switch of pulumi/actions from the caller's inputs and event", () => {
      expect(isOn("${{ inputs.command == 'preview' }}", { command: "preview" }, ["pull_request"])).to.equal(true);
      expect(isOn("${{ inputs.command == 'preview' }}", { command: "up" }, ["pull_request"])).to.equal(false);
      expect(isOn("${{ github.event_name == 'pull_request' }}", {}, ["push"])).to.equal(false);
      expect(isOn(undefined, {}, ["pull_request"])).to.equal(false);
      const comment = { uses: "pulumi/actions@0000000000000000000000000000000000000000", with: { "comment-on-pr": true } };
      expect(stepNeeds(comment, {}, ["pull_request"]).map((n) => n.scope)).to.deep.equal(["pull-requests"]);
      expect(stepNeeds(comment, {}, ["push"])).to.deep.equal([]);
    });
  });
});
