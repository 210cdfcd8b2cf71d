/**
 * Golden renders: every object one service of each seed system becomes, as YAML files under
 * `tests/golden/<scenario>/<service>/`, from the offline plan with secrets redacted and keys
 * sorted. `tests/golden/golden.integration.test.ts` compares them; only `npm run golden:update` writes them.
 *
 *   npm run golden:update [-- --scenario <name>]
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { isKubernetesObject, renderKubernetesObject, yamlOf } from "./engine/renderers/kubernetes";
import { REPO_ROOT, runStack, type RunOptions, type RunResult } from "./engine/run";
import { redactText } from "./engine/values";

export interface GoldenScenario {
  /** Folder under tests/golden. */
  readonly scenario: string;
  /** The stack whose plan holds the service. */
  readonly run: RunOptions;
  /** Key of strata:apps.services rendered. */
  readonly service: string;
}

/** One service per seed system. */
export const GOLDEN_SCENARIOS: readonly GoldenScenario[] = [
  { scenario: "emis", run: { stack: "prod" }, service: "student-service" },
  { scenario: "valueverse", run: { stack: "valueverse", configFile: "examples/valueverse.yaml" }, service: "backend" },
  { scenario: "multitenant", run: { stack: "multitenant", configFile: "examples/multitenant/Pulumi.multitenant.yaml" }, service: "api-gateway" },
  { scenario: "tartware", run: { stack: "tartware", configFile: `${REPO_ROOT}/examples/tartware/Pulumi.tartware.yaml` }, service: "core-service" },
  { scenario: "flask-next-node", run: { stack: "flask-next-node", configFile: "examples/flask-next-node/Pulumi.flask-next-node.yaml" }, service: "api" },
];

export const GOLDEN_DIR = join(REPO_ROOT, "tests", "golden");

/** File name → YAML text of every resource under the service's AppService, in code-unit order of the names (as `readdirSync(…).sort()`). */
export function renderGolden(result: RunResult, service: string): Map<string, string> {
  const root = result.resources.find((r) => r.type === "strata:apps:AppService" && r.name === service);
  if (root === undefined) throw new Error(`no AppService ${service} in the plan of stack ${result.stack}`);
  const inside = new Set([root.urn]);
  // Registration order puts parents first, so one pass collects every descendant.
  for (const r of result.resources) if (inside.has(r.parent)) inside.add(r.urn);
  const redact = (text: string) => redactText(text, result.secrets);
  const files = new Map<string, string>();
  for (const r of result.resources) {
    if (r.urn === root.urn || !inside.has(r.urn)) continue;
    if (isKubernetesObject(r.type)) {
      for (const file of renderKubernetesObject(r, redact)) files.set(file.path.replace(/^kubernetes\//, "").replace(/\//g, "--"), file.content);
    } else if (r.custom) {
      files.set(`${r.type.split(":").pop() ?? "resource"}-${r.name}.yaml`, redact(yamlOf({ type: r.type, name: r.name, inputs: r.inputs })));
    }
  }
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function goldenPath(scenario: GoldenScenario): string {
  return join(GOLDEN_DIR, scenario.scenario, scenario.service);
}

function write(scenario: GoldenScenario, files: Map<string, string>): void {
  const dir = goldenPath(scenario);
  if (existsSync(dir)) for (const name of readdirSync(dir)) if (!files.has(name)) rmSync(join(dir, name));
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of files) writeFileSync(join(dir, name), content);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { scenario: { type: "string" } } });
  const chosen = GOLDEN_SCENARIOS.filter((s) => values.scenario === undefined || s.scenario === values.scenario);
  if (chosen.length === 0) throw new Error(`unknown scenario ${values.scenario ?? ""}; use one of ${GOLDEN_SCENARIOS.map((s) => s.scenario).join(", ")}`);
  for (const scenario of chosen) {
    const files = renderGolden(await runStack(scenario.run), scenario.service);
    write(scenario, files);
    console.log(`${scenario.scenario}/${scenario.service}: ${files.size} files`);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
