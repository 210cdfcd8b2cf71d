/**
 * The GITHUB_TOKEN permissions each job of strata's workflows actually gets, computed the way
 * GitHub computes them, and the permissions its steps need. actionlint checks each file alone; it
 * does not follow a `uses: ./.github/workflows/x.yml` call to see what the called job is left with.
 *
 * GitHub's rules (docs.github.com):
 * - "The permissions for the GITHUB_TOKEN are initially set to the default setting for the
 *   enterprise, organization, or repository. [...] The permissions are then adjusted based on any
 *   configuration within the workflow file, first at the workflow level and then at the job level."
 *   (Workflow syntax, "How permissions are calculated for a workflow job"). A job-level block
 *   replaces the workflow-level one.
 * - "If you specify the access for any of these permissions, all of those that are not specified
 *   are set to none." (Controlling permissions for GITHUB_TOKEN)
 * - "The GITHUB_TOKEN permissions passed from the caller workflow can be only downgraded (not
 *   elevated) by the called workflow." (Reusing workflow configurations). A called job that
 *   requests more than it is passed does not start: GitHub refuses the run with "The workflow is
 *   requesting 'x: write', but is only allowed 'x: none'".
 *
 * The repository default is assumed to be the restricted one ("Read repository contents and
 * packages permissions": contents: read, packages: read), GitHub's default for new organizations
 * and repositories; the workflows do not rely on it, every caller job declares its grant.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export type Access = "none" | "read" | "write";
export type Permissions = Readonly<Record<string, Access>>;

/** The GITHUB_TOKEN scopes a `permissions` block can name. */
export const SCOPES = [
  "actions",
  "attestations",
  "checks",
  "contents",
  "deployments",
  "discussions",
  "id-token",
  "issues",
  "models",
  "packages",
  "pages",
  "pull-requests",
  "repository-projects",
  "security-events",
  "statuses",
] as const;

/** The restricted repository default ("Read repository contents and packages permissions"). */
export const RESTRICTED_DEFAULT: Permissions = normalize({ contents: "read", packages: "read" }) ?? {};

export interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Readonly<Record<string, unknown>>;
}
export interface Job {
  readonly name?: string;
  readonly uses?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly permissions?: unknown;
  readonly steps?: readonly Step[];
}
export interface Workflow {
  readonly on?: unknown;
  readonly permissions?: unknown;
  readonly jobs: Readonly<Record<string, Job>>;
}

/** A workflow file of `.github/workflows/` (or a fixture standing in for one), parsed. */
export type WorkflowReader = (path: string) => Workflow;

export const readWorkflow =
  (root: string): WorkflowReader =>
  (path) =>
    parse(readFileSync(join(root, path), "utf8")) as Workflow;

const RANK: Readonly<Record<Access, number>> = { none: 0, read: 1, write: 2 };

/**
 * A `permissions` value as the full map GitHub applies: `read-all` / `write-all`, `{}` (every scope
 * none), or a map whose unlisted scopes are none. `undefined` when the block is absent.
 */
export function normalize(block: unknown): Permissions | undefined {
  if (block === undefined || block === null) return undefined;
  if (block === "read-all" || block === "write-all") {
    const access: Access = block === "read-all" ? "read" : "write";
    // id-token has no read level: read-all leaves it at none.
    return Object.fromEntries(SCOPES.map((s) => [s, s === "id-token" && access === "read" ? "none" : access]));
  }
  if (typeof block !== "object") throw new Error(`permissions: expected a map, read-all or write-all (got ${JSON.stringify(block)})`);
  const listed = block as Record<string, unknown>;
  for (const [scope, access] of Object.entries(listed)) {
    if (!(SCOPES as readonly string[]).includes(scope)) throw new Error(`permissions: unknown scope ${scope}`);
    if (access !== "none" && access !== "read" && access !== "write") throw new Error(`permissions.${scope}: expected none, read or write (got ${JSON.stringify(access)})`);
  }
  return Object.fromEntries(SCOPES.map((s) => [s, (listed[s] as Access | undefined) ?? "none"]));
}

/** What a job declares or inherits in its own workflow: its block, else the workflow's, else the default. */
export function declared(workflow: Workflow, job: Job, fallback: Permissions): Permissions {
  return normalize(job.permissions) ?? normalize(workflow.permissions) ?? fallback;
}

/** One job as it runs: the steps it executes and the token they get. */
export interface EffectiveJob {
  /** `<file>#<job>`, or `<caller file>#<caller job> → <called file>#<job>` for a called job. */
  readonly id: string;
  readonly workflowFile: string;
  readonly permissions: Permissions;
  readonly steps: readonly Step[];
  /** The caller's `with:` (inputs of a called workflow) and the callee's input defaults. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** Scopes a called job requests above its caller's grant: GitHub refuses such a run. */
  readonly escalations: readonly string[];
}

function inputDefaults(workflow: Workflow): Record<string, unknown> {
  const on = workflow.on as { workflow_call?: { inputs?: Record<string, { default?: unknown }> } } | undefined;
  return Object.fromEntries(Object.entries(on?.workflow_call?.inputs ?? {}).flatMap(([k, v]) => (v.default === undefined ? [] : [[k, v.default]])));
}

/**
 * Every job of `file` with its effective permissions; a job that calls a local reusable workflow
 * is replaced by the called workflow's jobs, each left with the caller's grant narrowed by its own
 * declaration. `resolve` maps a `uses:` path to the file read instead (a fixture in tests).
 */
export function effectiveJobs(read: WorkflowReader, file: string, defaults: Permissions = RESTRICTED_DEFAULT, resolve: (uses: string) => string = (u) => u): EffectiveJob[] {
  const workflow = read(file);
  const jobs: EffectiveJob[] = [];
  for (const [jobId, job] of Object.entries(workflow.jobs)) {
    const grant = declared(workflow, job, defaults);
    if (job.uses === undefined) {
      jobs.push({ id: `${file}#${jobId}`, workflowFile: file, permissions: grant, steps: job.steps ?? [], inputs: {}, escalations: [] });
      continue;
    }
    if (!job.uses.startsWith("./")) throw new Error(`${file}#${jobId}: only local reusable workflows are modelled (got ${job.uses})`);
    const calleeFile = resolve(job.uses.slice(2));
    const callee = read(calleeFile);
    const inputs = { ...inputDefaults(callee), ...(job.with ?? {}) };
    for (const [calleeJobId, calleeJob] of Object.entries(callee.jobs)) {
      const requested = normalize(calleeJob.permissions) ?? normalize(callee.permissions);
      const escalations: string[] = [];
      let permissions = grant;
      if (requested !== undefined) {
        permissions = Object.fromEntries(
          SCOPES.map((s) => {
            const want = requested[s] ?? "none";
            const have = grant[s] ?? "none";
            if (RANK[want] > RANK[have]) escalations.push(`${s}: ${want} requested, only ${have} granted`);
            return [s, RANK[want] <= RANK[have] ? want : have];
          }),
        );
      }
      jobs.push({ id: `${file}#${jobId} → ${calleeFile}#${calleeJobId}`, workflowFile: file, permissions, steps: calleeJob.steps ?? [], inputs, escalations });
    }
  }
  return jobs;
}

/** The events that start a workflow (`on:` as a name, a list or a map). */
export function triggers(workflow: Workflow): string[] {
  const on = workflow.on;
  if (typeof on === "string") return [on];
  if (Array.isArray(on)) return on.map(String);
  return Object.keys((on as Record<string, unknown> | undefined) ?? {});
}

/**
 * Whether a step input is on for a job: `true`/`"true"`, or an expression made of `&&`-joined
 * comparisons `inputs.<name> == '<value>'` and `github.event_name == '<event>'` (true when the
 * caller workflow can be started by that event). Any other expression counts as on.
 */
export function isOn(value: unknown, inputs: Readonly<Record<string, unknown>>, events: readonly string[]): boolean {
  if (value === undefined || value === false || value === "false") return false;
  if (value === true || value === "true") return true;
  if (typeof value !== "string") return true;
  const expression = /^\$\{\{(.*)\}\}$/s.exec(value.trim())?.[1];
  if (expression === undefined) return true;
  return expression.split("&&").every((term) => {
    const match = /^\s*(inputs\.[\w-]+|github\.event_name)\s*==\s*'([^']*)'\s*$/.exec(term);
    if (match === null) return true;
    const [, left, right] = match;
    return left === "github.event_name" ? events.includes(right ?? "") : String(inputs[(left ?? "").slice("inputs.".length)]) === right;
  });
}

export interface Need {
  readonly scope: string;
  readonly access: Access;
  readonly step: string;
  readonly why: string;
}

/** Actions that exchange the job's OIDC token (ACTIONS_ID_TOKEN_REQUEST_*) for cloud credentials. */
const OIDC_ACTIONS = ["pulumi/auth-actions@", "aws-actions/configure-aws-credentials@", "google-github-actions/auth@", "azure/login@"];

/** The permissions a step needs from the job's token. */
export function stepNeeds(step: Step, inputs: Readonly<Record<string, unknown>>, events: readonly string[]): Need[] {
  const label = step.name ?? step.uses ?? step.run?.split("\n")[0] ?? "step";
  const needs: Need[] = [];
  if (OIDC_ACTIONS.some((a) => step.uses?.startsWith(a)) || /ACTIONS_ID_TOKEN_REQUEST/.test(step.run ?? "")) {
    needs.push({ scope: "id-token", access: "write", step: label, why: "requests the job's OIDC token" });
  }
  // pulumi/actions comments through the job's token (its github-token input defaults to
  // github.token) and only on pull_request events (src/main.ts: commentOnPr && isPullRequest).
  if (step.uses?.startsWith("pulumi/actions@") && events.includes("pull_request") && isOn(step.with?.["comment-on-pr"], inputs, events)) {
    needs.push({ scope: "pull-requests", access: "write", step: label, why: "comments the preview on the pull request" });
  }
  if (step.uses?.startsWith("actions/github-script@") && /\b(createComment|updateComment)\b/.test(typeof step.with?.["script"] === "string" ? step.with["script"] : "")) {
    needs.push({ scope: "pull-requests", access: "write", step: label, why: "comments on the pull request" });
  }
  return needs;
}

/** Every step of `file`'s jobs whose need the job's effective token does not meet, and every escalation. */
export function permissionProblems(read: WorkflowReader, file: string, defaults: Permissions = RESTRICTED_DEFAULT, resolve?: (uses: string) => string): string[] {
  const events = triggers(read(file));
  const problems: string[] = [];
  for (const job of effectiveJobs(read, file, defaults, resolve)) {
    for (const escalation of job.escalations) problems.push(`${job.id}: ${escalation} (GitHub refuses the run)`);
    for (const step of job.steps) {
      for (const need of stepNeeds(step, job.inputs, events)) {
        const has = job.permissions[need.scope] ?? "none";
        if (RANK[has] < RANK[need.access]) problems.push(`${job.id}: step "${need.step}" ${need.why} and needs ${need.scope}: ${need.access}, but the job's token has ${need.scope}: ${has}`);
      }
    }
  }
  return problems;
}
