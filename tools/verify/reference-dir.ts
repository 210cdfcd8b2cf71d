/**
 * Where the chart reference data lives: `STRATA_CHART_REFERENCE`, or `../shared/reference/charts`
 * beside the repository (how CI checks the repository out).
 */
import { resolve } from "node:path";

const REPO_ROOT = resolve(__dirname, "..", "..");

export function defaultChartsDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env["STRATA_CHART_REFERENCE"];
  return configured !== undefined && configured !== "" ? resolve(configured) : resolve(REPO_ROOT, "..", "shared", "reference", "charts");
}
