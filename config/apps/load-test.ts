/**
 * `strata:apps.loadTests.<name>`: a k6 load test shipped with the stack and run on demand through
 * the k6-operator's TestRun (apps/load-tests; never started by `pulumi up`).
 */
import { z } from "zod";
import { count, strictObject } from "../common";
import { describeValue } from "../errors";
import type { AppServiceSpec } from "./service";

/**
 * Memory one k6 VU takes for a small HTTP script: about 2.7–3 MB (a k6 maintainer in
 * grafana/k6#1543); large scripts or response bodies take more, so this is a floor.
 */
export const K6_MEMORY_PER_VU_MI = 3;

export const LoadTestConfig = strictObject({
  target: strictObject({
    service: z.string().min(1).describe("App service (a key of strata:apps.services, kind service) the test calls through its in-cluster Service; the runners get its URL as TARGET_URL."),
  }).describe("What the test loads."),
  script: z.string().min(1).describe("The k6 script (JavaScript), stored in a ConfigMap beside the TestRun; read the target from `__ENV.TARGET_URL`."),
  vus: count(1).describe("Virtual users the script runs at its peak, over all runners (checks the runners' memory)."),
  parallelism: count(1).default(1).describe("Runner pods the TestRun splits the test over (k6 execution segments)."),
  arguments: z.string().default("").describe("Extra `k6 run` arguments, e.g. `--tag testid=peak`."),
  runner: strictObject({
    cpuMillis: count(100).default(1000).describe("CPU request of one runner pod (millicores); the limit is twice this."),
    memoryMi: count(128).default(2048).describe("Memory request and limit of one runner pod (MiB)."),
  })
    .prefault({})
    .describe("Resources of each runner pod."),
});
export type LoadTestSpec = z.infer<typeof LoadTestConfig>;

/** Cross-checks against the services of the same stack; every problem found is returned. */
export function loadTestProblems(loadTests: Readonly<Record<string, LoadTestSpec>>, services: Readonly<Record<string, AppServiceSpec>>): string[] {
  const problems: string[] = [];
  for (const [name, test] of Object.entries(loadTests)) {
    const key = `strata:apps.loadTests.${name}`;
    const target = services[test.target.service];
    const servers = Object.entries(services).filter(([, s]) => (s.kind ?? "service") === "service").map(([n]) => n);
    if (target === undefined) {
      problems.push(`${key}.target.service: is not an app service of this stack (got ${describeValue(test.target.service)}); use one of ${servers.join(", ") || "(none declared)"}`);
    } else if (target.port === undefined) {
      problems.push(`${key}.target.service: a ${target.kind} serves no port to load (got ${describeValue(test.target.service)}); use one of ${servers.join(", ") || "(none declared)"}`);
    }
    const perRunner = Math.ceil(test.vus / test.parallelism);
    if (perRunner * K6_MEMORY_PER_VU_MI > test.runner.memoryMi) {
      problems.push(
        `${key}.runner.memoryMi: ${perRunner} VUs per runner need at least ${perRunner * K6_MEMORY_PER_VU_MI} MiB at ${K6_MEMORY_PER_VU_MI} MiB per VU (got ${test.runner.memoryMi}); raise runner.memoryMi or parallelism`,
      );
    }
  }
  return problems;
}
