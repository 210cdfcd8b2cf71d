/**
 * Times the offline plan for the dev and prod stacks and a generated large config, and prints
 * resources, wall time and resources per second.
 *
 *   npm run bench [-- --runs <n>]
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { runStack, type RunOptions } from "./engine/run";

/** A config at the scale of a large platform: many pools and 200 app namespaces. */
function largeConfig(): string {
  const nodePools = Object.fromEntries(
    Array.from({ length: 40 }, (_, i) => [`pool-${i}`, { role: i % 4 === 0 ? "database" : "worker", count: 3, maxCount: 10, cpuCores: 16, memoryGi: 64, labels: { "node.strata.io/pool": `pool-${i}` } }]),
  );
  const appNamespaces = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`team-${i}`, {}]));
  return stringify({
    config: {
      "strata:environment": "prod",
      "strata:kubeconfig": { secure: "v1:bGFyZ2U=" },
      "strata:infra": { backend: "existing", clusterName: "strata-large", existing: { nodePools } },
      "strata:cluster": { appNamespaces },
    },
  });
}

async function time(label: string, options: RunOptions, runs: number): Promise<string> {
  const samples: number[] = [];
  let resources = 0;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = await runStack(options);
    samples.push(Number(process.hrtime.bigint() - start) / 1e9);
    resources = result.resources.length;
  }
  const best = Math.min(...samples);
  return `${label.padEnd(10)} ${String(resources).padStart(9)} ${best.toFixed(2).padStart(8)} s ${(resources / best).toFixed(0).padStart(10)}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
  const runs = Math.max(1, Number(values.runs));
  const largeFile = join(mkdtempSync(join(tmpdir(), "strata-bench-")), "Pulumi.large.yaml");
  writeFileSync(largeFile, largeConfig());
  console.log(`offline plan, best of ${runs} runs (each run starts a fresh process)`);
  console.log(`${"stack".padEnd(10)} ${"resources".padStart(9)} ${"wall".padStart(10)} ${"res/second".padStart(10)}`);
  console.log(await time("dev", { stack: "dev" }, runs));
  console.log(await time("prod", { stack: "prod" }, runs));
  console.log(await time("large", { stack: "large", configFile: largeFile }, runs));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
