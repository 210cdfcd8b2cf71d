/**
 * Runs a stack's program under mocks in a fresh child process and returns what it registered.
 * Upstream stacks named by `strata:upstreamStack` are planned first from their local config, so
 * a stack that owns only some layers can be planned offline too: `<stack>.yaml` or
 * `Pulumi.<stack>.yaml` beside the `--config-file` given, else `Pulumi.<stack>.yaml` in the project.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { CapturedRecord } from "./capture";
import type { RecordedInvoke, ReplacementPreview, StackOutputsSnapshot } from "./mocks";
import type { PlanDocument, PlannedConnections } from "./plan-document";
import type { RunJob, RunOutcome } from "./run-program";
import { clearCredentialProblems } from "./credential-leaves";
import { loadStackConfig } from "./stack-config";

export const REPO_ROOT = resolve(__dirname, "..", "..");

export interface RunOptions {
  readonly stack: string;
  /** Stack config file to use instead of `Pulumi.<stack>.yaml`. */
  readonly configFile?: string;
  /** Outputs of upstream stacks by the name `strata:upstreamStack` gives. @default - planned from local config */
  readonly upstream?: Readonly<Record<string, StackOutputsSnapshot>>;
  /** @default - the repository root */
  readonly projectDir?: string;
  /**
   * Config keys the program reads as plain although the stack file holds `secure:` values in
   * them: a run as if a parse-time refusal of a secret key were absent, so the leak guard can be
   * checked on its own. The guard still knows every secure leaf. @default - none
   */
  readonly revealToProgram?: readonly string[];
  /**
   * Outputs of this stack's last update, as a later `pulumi up` would read them back (e.g.
   * `vsphereBootstrapped: true` once the cluster came up). @default - none: the stack's first update
   */
  readonly previousOutputs?: StackOutputsSnapshot;
  /** IAM role name the mocked AWS caller identity assumed (`getCallerIdentity`). @default - strata-deployer */
  readonly callerRole?: string;
  /**
   * Run as `pulumi preview` does while the named resources are replaced (`pulumi up --replace`, a
   * VM whose clone changed): their outputs are unknown and so is everything computed from them;
   * captured inputs show such values as `UNKNOWN_AT_PREVIEW`. @default - an update, every value known
   */
  readonly preview?: ReplacementPreview;
}

export interface RunResult {
  readonly project: string;
  readonly stack: string;
  readonly resources: readonly CapturedRecord[];
  /** Invokes (data sources) the program made, with their arguments; not part of the plan document. */
  readonly invokes: readonly RecordedInvoke[];
  /** Stack outputs with secret outputs replaced. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Stack outputs as a downstream StackReference would read them. */
  readonly snapshot: StackOutputsSnapshot;
  /** Every value the run knew to be secret (config secrets, mocked keys and passwords, secret outputs). */
  readonly secrets: readonly string[];
  /** Config path → stand-in of every `secure:` value of the stack config; the leak guard names these. */
  readonly secureLeaves: Readonly<Record<string, string>>;
  /** Workloads and connections the components declared. */
  readonly connections: PlannedConnections;
  /** IAM roles, policies and Pod Identity associations of upstream stacks planned locally. */
  readonly upstreamIdentities: readonly CapturedRecord[];
}

/** Resources the connection check's identity check reads (tools/connections/aws.ts): roles, their policies, key and bucket policies. */
export const IDENTITY_TYPES: ReadonlySet<string> = new Set([
  "aws:iam/role:Role",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:eks/podIdentityAssociation:PodIdentityAssociation",
  "aws:kms/key:Key",
  "aws:s3/bucketPolicy:BucketPolicy",
]);

/** The program rejected its config; `problems` are the messages, one per problem. */
export class ConfigRejected extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ConfigRejected";
  }
}

export async function runStack(options: RunOptions): Promise<RunResult> {
  const projectDir = options.projectDir ?? REPO_ROOT;
  const stackConfig = loadStackConfig(projectDir, options.stack, options.configFile);
  const clearCredentials = clearCredentialProblems(stackConfig);
  if (clearCredentials.length > 0) throw new ConfigRejected(clearCredentials);
  const upstream: Record<string, StackOutputsSnapshot> = { ...options.upstream };
  const upstreamName = stackConfig.config["strata:upstreamStack"];
  const upstreamIdentities: CapturedRecord[] = [];
  if (upstreamName !== undefined && upstream[upstreamName] === undefined) {
    const localStack = upstreamName.split("/").pop() ?? upstreamName;
    const beside = options.configFile === undefined ? undefined : upstreamConfigBeside(options.configFile, localStack);
    const planned = await plannedUpstream({ stack: localStack, projectDir, ...(beside === undefined ? {} : { configFile: beside }) });
    upstream[upstreamName] = planned.snapshot;
    upstreamIdentities.push(...planned.identities);
  }

  const revealed = new Set(options.revealToProgram ?? []);
  const job: RunJob = {
    projectDir,
    project: stackConfig.project,
    stack: options.stack,
    config: stackConfig.config,
    secretKeys: stackConfig.secretKeys.filter((key) => !revealed.has(key)),
    secureLeaves: stackConfig.secureLeaves,
    upstream,
    ...(options.previousOutputs === undefined ? {} : { previousOutputs: options.previousOutputs }),
    ...(options.callerRole === undefined ? {} : { callerRole: options.callerRole }),
    ...(options.preview === undefined ? {} : { preview: options.preview }),
  };
  const outcome = await runChild(projectDir, job);
  switch (outcome.kind) {
    case "config":
      throw new ConfigRejected(outcome.problems);
    case "error":
      throw new Error(`the program failed under mocks for stack ${options.stack}:\n${outcome.message}`);
    case "ok":
      return {
        project: stackConfig.project,
        stack: options.stack,
        resources: outcome.resources as CapturedRecord[],
        invokes: outcome.invokes,
        outputs: outcome.outputs,
        snapshot: { outputs: outcome.rawOutputs, secretOutputNames: outcome.secretOutputNames },
        secrets: outcome.secrets,
        secureLeaves: stackConfig.secureLeaves,
        connections: outcome.connections as PlannedConnections,
        upstreamIdentities,
      };
  }
}

interface PlannedUpstream {
  readonly snapshot: StackOutputsSnapshot;
  readonly identities: readonly CapturedRecord[];
}

/**
 * An upstream stack planned locally: its outputs and identities. From compiled sources
 * (tools/launch.mjs sets STRATA_SOURCE_KEY) the result is kept in .strata/upstream/, keyed by the
 * sources, the project file and the upstream's config, and reused until one of them changes; a
 * stack with an upstream of its own is planned every time.
 */
async function plannedUpstream(options: RunOptions): Promise<PlannedUpstream> {
  const projectDir = options.projectDir ?? REPO_ROOT;
  const sourceKey = process.env["STRATA_SOURCE_KEY"];
  const stackConfig = loadStackConfig(projectDir, options.stack, options.configFile);
  const cacheable = sourceKey !== undefined && stackConfig.config["strata:upstreamStack"] === undefined;
  const configFile = options.configFile ?? join(projectDir, `Pulumi.${options.stack}.yaml`);
  const key = createHash("sha256")
    .update(`${sourceKey ?? ""}\0${options.stack}\0`)
    .update(readFileSync(join(projectDir, "Pulumi.yaml")))
    .update(readFileSync(configFile))
    .digest("hex")
    .slice(0, 24);
  const cacheFile = join(projectDir, ".strata", "upstream", `${key}.json`);
  if (cacheable && existsSync(cacheFile)) return JSON.parse(readFileSync(cacheFile, "utf8")) as PlannedUpstream;
  const run = await runStack(options);
  const planned = { snapshot: run.snapshot, identities: [...run.resources.filter((r) => IDENTITY_TYPES.has(r.type)), ...run.upstreamIdentities] };
  if (cacheable) {
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(`${cacheFile}.${process.pid}`, JSON.stringify(planned));
    renameSync(`${cacheFile}.${process.pid}`, cacheFile);
  }
  return planned;
}

/** The upstream stack's config file next to a downstream config file (examples/), if there is one. */
export function upstreamConfigBeside(configFile: string, stack: string): string | undefined {
  const dir = dirname(resolve(configFile));
  return [join(dir, `${stack}.yaml`), join(dir, `Pulumi.${stack}.yaml`)].find((file) => existsSync(file));
}

/**
 * The child's command line: the compiled run-program.js when this module was itself compiled
 * (tools/launch.mjs), else the TypeScript source through tsx (tests, `npx tsx`).
 */
function programRunner(): string[] {
  const programFile = require.resolve("./run-program");
  return programFile.endsWith(".ts") ? ["--import", "tsx", programFile] : [programFile];
}

function runChild(projectDir: string, job: RunJob): Promise<RunOutcome> {
  const dir = mkdtempSync(join(tmpdir(), "strata-run-"));
  const jobFile = join(dir, "job.json");
  const resultFile = join(dir, "result.json");
  writeFileSync(jobFile, JSON.stringify(job));
  return new Promise<RunOutcome>((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...programRunner(), jobFile, resultFile], {
      cwd: projectDir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on("data", () => undefined);
    child.on("error", reject);
    child.on("close", (code) => {
      try {
        resolvePromise(JSON.parse(readFileSync(resultFile, "utf8")) as RunOutcome);
      } catch {
        reject(new Error(`the mocked run exited with code ${String(code)} and no result:\n${stderr}`));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

/** The public plan document (no raw inputs, no secret list). */
const SECRET_TYPE = "kubernetes:core/v1:Secret";

function dataKeysOf(raw: Readonly<Record<string, unknown>>): string[] {
  const keys = (value: unknown) => (value !== null && typeof value === "object" && !Array.isArray(value) ? Object.keys(value) : []);
  return [...new Set([...keys(raw["data"]), ...keys(raw["stringData"])])].sort();
}

export function toPlanDocument(result: RunResult): PlanDocument {
  return {
    project: result.project,
    stack: result.stack,
    resources: result.resources.map(({ rawInputs, ignoreChanges, ...rest }) => ({
      ...rest,
      ...(rest.type === SECRET_TYPE ? { dataKeys: dataKeysOf(rawInputs) } : {}),
      ...(ignoreChanges.length === 0 ? {} : { ignoreChanges }),
    })),
    ...((result.upstreamIdentities ?? []).length === 0 ? {} : { upstreamIdentities: (result.upstreamIdentities ?? []).map(({ rawInputs: _raw, ignoreChanges: _ignored, ...rest }) => rest) }),
    outputs: result.outputs,
    connections: result.connections,
  };
}
