/**
 * `npm run reference:pull`: fetches each Helm chart `lib/catalog.ts` pins with the `helm` client
 * and lays out its Chart.yaml, values.yaml, values.schema.json and CRDs the way `npm run verify`
 * reads reference data (one folder per chart, a SOURCE.txt naming the version and where it came
 * from, an INDEX.md listing them). `helm pull --untar` unpacks the chart archive; CRDs come from
 * the chart's `crds/` folder (Helm 3's place for CRDs, helm.sh/docs/chart_best_practices/
 * custom_resource_definitions) and its subcharts' (`charts/<sub>/crds/`). CRDs a chart renders
 * from templates, and manifest-only components, are not in the pulled data: `npm run verify`
 * reports their custom resources as not checked.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CHARTS, type ChartPin } from "../../lib/catalog";
import { PULL_COMMAND } from "../verify/reference-dir";

/** The files of a chart folder `npm run verify` needs (values.schema.json and crds/ are optional). */
export const REQUIRED_FILES = ["SOURCE.txt", "Chart.yaml", "values.yaml"] as const;

/** The chart pins to pull: one per chart name (two ids may share a chart, never a version). */
export function pinsToPull(charts: Readonly<Record<string, ChartPin>> = CHARTS): ChartPin[] {
  const byName = new Map<string, ChartPin>();
  for (const pin of Object.values(charts)) if (!byName.has(pin.chart)) byName.set(pin.chart, pin);
  return [...byName.values()].sort((a, b) => a.chart.localeCompare(b.chart));
}

/**
 * The `helm` arguments that unpack one pinned chart into `untarDir/<chart>/`: an OCI reference is
 * pulled as is, a classic repository through `--repo` (no `helm repo add`, nothing left in the
 * user's Helm configuration).
 */
export function helmPullArgs(pin: ChartPin, untarDir: string): string[] {
  const target = pin.source.startsWith("oci://") ? [pin.source] : [pin.chart, "--repo", pin.source];
  return ["pull", ...target, "--version", pin.version, "--untar", "--untardir", untarDir];
}

/** SOURCE.txt in the fields `tools/verify/chart-reference.ts` reads. */
export function sourceText(pin: ChartPin): string {
  const where = pin.source.startsWith("oci://") ? `oci: ${pin.source}` : `helm_repo: ${pin.source}`;
  return [`chart: ${pin.chart}`, `chart_version: ${pin.version}`, where, `pulled_by: ${PULL_COMMAND} (${helmPullArgs(pin, "<dir>").join(" ")})`, ""].join("\n");
}

/** What a reference folder lacks for `npm run verify`, one line per problem; empty when complete. */
export function layoutProblems(chartsDir: string, pins: readonly ChartPin[] = pinsToPull()): string[] {
  if (!existsSync(chartsDir)) return [`${chartsDir} does not exist`];
  return pins.flatMap((pin) => REQUIRED_FILES.filter((file) => !existsSync(join(chartsDir, pin.chart, file))).map((file) => `${pin.chart}/${file} is missing`));
}

export interface PullResult {
  readonly pulled: readonly string[];
  /** Chart name → why it could not be pulled. */
  readonly failed: Readonly<Record<string, string>>;
}

export class HelmMissing extends Error {
  constructor() {
    super(`helm is not on PATH: install Helm 3 (https://helm.sh/docs/intro/install/) and run \`${PULL_COMMAND}\` again, or set STRATA_CHART_REFERENCE to a folder of chart reference data`);
  }
}

function yamlFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f)) : [];
}

/** Copies what verify reads from an unpacked chart into `<out>/<chart>/`, replacing what was there. */
function layOut(unpacked: string, out: string, pin: ChartPin): void {
  const target = join(out, pin.chart);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const file of ["Chart.yaml", "values.yaml", "values.schema.json"]) {
    if (existsSync(join(unpacked, file))) copyFileSync(join(unpacked, file), join(target, file));
  }
  const subcharts = existsSync(join(unpacked, "charts")) ? readdirSync(join(unpacked, "charts")).map((sub) => join(unpacked, "charts", sub, "crds")) : [];
  const crds = [join(unpacked, "crds"), ...subcharts].flatMap(yamlFiles);
  if (crds.length > 0) mkdirSync(join(target, "crds"), { recursive: true });
  for (const crd of crds) copyFileSync(crd, join(target, "crds", crd.slice(crd.lastIndexOf("/") + 1)));
  writeFileSync(join(target, "SOURCE.txt"), sourceText(pin));
}

function indexText(pins: readonly ChartPin[]): string {
  const rows = pins.map((pin) => `| ${pin.chart} | ${pin.version} | ${pin.source} |`);
  return ["# Helm chart reference data", "", `Pulled by \`${PULL_COMMAND}\` from the pins in lib/catalog.ts.`, "", "| Chart | Version | Source |", "|---|---|---|", ...rows, ""].join("\n");
}

/**
 * Pulls every pin into `out`. Throws HelmMissing when `helm` cannot be started; a chart that
 * cannot be pulled (network, registry) is reported in `failed` and the others still land.
 */
export function pullReference(out: string, pins: readonly ChartPin[] = pinsToPull(), env: NodeJS.ProcessEnv = process.env): PullResult {
  const probe = spawnSync("helm", ["version", "--short"], { env, encoding: "utf8" });
  if (probe.error !== undefined) throw new HelmMissing();
  mkdirSync(out, { recursive: true });
  const pulled: string[] = [];
  const failed: Record<string, string> = {};
  for (const pin of pins) {
    const untar = mkdtempSync(join(tmpdir(), "strata-reference-"));
    try {
      const run = spawnSync("helm", helmPullArgs(pin, untar), { env, encoding: "utf8" });
      const unpacked = join(untar, pin.chart);
      if (run.status !== 0 || !existsSync(join(unpacked, "Chart.yaml"))) {
        failed[pin.chart] = (run.stderr || run.stdout || `helm exited ${String(run.status)}`).trim().split("\n").pop() ?? "";
        continue;
      }
      layOut(unpacked, out, pin);
      pulled.push(pin.chart);
    } finally {
      rmSync(untar, { recursive: true, force: true });
    }
  }
  writeFileSync(join(out, "INDEX.md"), indexText(pins.filter((p) => pulled.includes(p.chart))));
  return { pulled, failed };
}
