/**
 * Where the chart reference data lives: `STRATA_CHART_REFERENCE` when set (how CI points at its
 * copy), else `../shared/reference/charts` beside the repository when that exists, else the cache
 * `npm run reference:pull` fills (`.strata/reference/charts`).
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";

const REPO_ROOT = resolve(__dirname, "..", "..");

/** The folder `npm run reference:pull` writes, relative to the repository (gitignored). */
export const REFERENCE_CACHE = ".strata/reference/charts";

export const PULL_COMMAND = "npm run reference:pull";

export function referenceCacheDir(repoRoot: string = REPO_ROOT): string {
  return resolve(repoRoot, REFERENCE_CACHE);
}

export function defaultChartsDir(env: NodeJS.ProcessEnv = process.env, exists: (path: string) => boolean = existsSync): string {
  const configured = env["STRATA_CHART_REFERENCE"];
  if (configured !== undefined && configured !== "") return resolve(configured);
  const beside = resolve(REPO_ROOT, "..", "shared", "reference", "charts");
  return exists(beside) ? beside : referenceCacheDir();
}

/** The one message for reference data that is not there, naming what to do. */
export function missingReferenceMessage(dir: string): string {
  return `no chart reference data at ${dir}: run \`${PULL_COMMAND}\` (needs helm and the network) to fill ${REFERENCE_CACHE}, or set STRATA_CHART_REFERENCE to a folder laid out like it`;
}
