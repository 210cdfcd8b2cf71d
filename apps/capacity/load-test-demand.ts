/**
 * The load tests' requests: the k6-operator controller on the system pool, and each test's
 * runners (parallelism × the runner's requests) on its target's pool. Runners exist only during
 * a run, but a run that does not fit would leave runners Pending and skew the result, so they
 * count as if running.
 */
import { K6_OPERATOR_SIZE } from "../../apps/load-tests/values";
import type { AppsConfig } from "../../config/apps";
import type { Demand, Workload } from "./types";

export function loadTestDemand(apps: Pick<AppsConfig, "loadTests" | "services">): Demand {
  const tests = Object.entries(apps.loadTests);
  if (tests.length === 0) return { workloads: [], daemonSets: [] };
  const runners = tests.map(([name, test]): Workload => {
    const target = apps.services[test.target.service];
    return {
      owner: `load test ${name} runners`,
      target: target?.pool !== undefined ? { pool: target.pool } : { role: target?.role ?? "worker" },
      pods: test.parallelism,
      perPod: { cpuMillis: test.runner.cpuMillis, memoryMi: test.runner.memoryMi },
    };
  });
  return { workloads: [{ owner: "k6-operator", target: { role: "system" }, pods: 1, perPod: { cpuMillis: K6_OPERATOR_SIZE.cpuMillis, memoryMi: K6_OPERATOR_SIZE.memoryMi } }, ...runners], daemonSets: [] };
}
