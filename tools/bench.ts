/**
 * Times the offline plan of every seed stack, a generated large platform config and a generated
 * config with 200 application services, and prints resources, wall time and resources per second.
 *
 *   npm run bench [-- --runs <n>] [-- --only <label>]
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
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

/** 200 application services over 20 namespaces, varied: every 3rd routed, every 2nd autoscaled, PostgreSQL/Redis users, callers. */
export function appsConfig(count = 200): string {
  const namespaces = 20;
  const appNamespaces = Object.fromEntries(
    Array.from({ length: namespaces }, (_, i) => [`team-${i}`, { quota: { requestsCpuMillis: 64000, requestsMemoryGi: 128, limitsCpuMillis: 128000, limitsMemoryGi: 256, pods: 400 } }]),
  );
  const services = Object.fromEntries(
    Array.from({ length: count }, (_, i) => {
      const name = `svc-${i}`;
      const uses = i % 4 === 0 ? ["postgres", "redis"] : i % 4 === 1 ? ["postgres"] : i % 4 === 2 ? ["redis"] : [];
      const connectionEnv = Object.fromEntries(uses.map((u) => [u === "postgres" ? "DATABASE_URL" : "REDIS_URL", `${u}.url`]));
      return [
        name,
        {
          namespace: `team-${i % namespaces}`,
          image: `registry.example.test/${name}:1.${i}.0`,
          port: 8080,
          ...(i % 5 === 0 ? { metricsPort: 9090 } : {}),
          resources: { cpuMillis: 100 + (i % 4) * 50, memoryMi: 128 + (i % 3) * 128, limitCpuMillis: 500, limitMemoryMi: 512 },
          ...(i % 2 === 0
            ? { autoscaling: { minReplicas: 2, maxReplicas: 6, cpuPercent: 70, memoryPercent: 80, scaleUp: { percent: 100, periodSeconds: 15 }, scaleDown: { percent: 10, periodSeconds: 60, stabilizationSeconds: 300 } } }
            : { replicas: 2 }),
          probes: { liveness: { path: "/health/live", periodSeconds: 10 }, readiness: { path: "/health/ready", periodSeconds: 5 } },
          ...(i % 3 === 0 ? { route: { host: `${name}.bench.example.test`, paths: ["/"] } } : {}),
          ...(i % 7 === 1 && i > 1 ? { callers: [`svc-${i - 1}`] } : {}),
          uses,
          connectionEnv,
          ...(i % 6 === 0 ? { generatedSecrets: { SESSION_KEY: 48 } } : {}),
          env: { APP_NAME: name },
        },
      ];
    }),
  );
  return stringify({
    config: {
      "strata:environment": "staging",
      "strata:kubeconfig": { secure: "v1:YXBwcw==" },
      "strata:infra": {
        backend: "existing",
        clusterName: "strata-apps",
        existing: { nodePools: { workers: { role: "worker", count: 20, maxCount: 60, cpuCores: 32, memoryGi: 128 }, data: { role: "database", count: 3, cpuCores: 16, memoryGi: 64 } } },
      },
      "strata:cluster": {
        existing: { storageClasses: { default: "standard", database: "standard" } },
        appNamespaces,
        gateway: { domains: { "bench.example.test": { issuer: "internal" } } },
      },
      "strata:platform": { postgres: { enabled: true }, redis: { enabled: true } },
      "strata:apps": { services },
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
  return `${label.padEnd(16)} ${String(resources).padStart(9)} ${best.toFixed(2).padStart(8)} s ${(resources / best).toFixed(0).padStart(10)}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, only: { type: "string", multiple: true } } });
  const runs = Math.max(1, Number(values.runs));
  const dir = mkdtempSync(join(tmpdir(), "strata-bench-"));
  const largeFile = join(dir, "Pulumi.large.yaml");
  writeFileSync(largeFile, largeConfig());
  const appsFile = join(dir, "Pulumi.apps-200.yaml");
  writeFileSync(appsFile, appsConfig());
  const rows: [string, RunOptions][] = [
    ["dev", { stack: "dev" }],
    ["prod", { stack: "prod" }],
    ["valueverse", { stack: "valueverse", configFile: "examples/valueverse.yaml" }],
    ["multitenant", { stack: "multitenant", configFile: "examples/multitenant/Pulumi.multitenant.yaml" }],
    ["tartware", { stack: "tartware", configFile: "examples/tartware/Pulumi.tartware.yaml" }],
    ["flask-next-node", { stack: "flask-next-node", configFile: "examples/flask-next-node/Pulumi.flask-next-node.yaml" }],
    ["large", { stack: "large", configFile: largeFile }],
    ["apps-200", { stack: "apps-200", configFile: appsFile }],
  ];
  console.log(`offline plan, best of ${runs} runs (each run starts a fresh process); load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`${"stack".padEnd(16)} ${"resources".padStart(9)} ${"wall".padStart(10)} ${"res/second".padStart(10)}`);
  for (const [label, options] of rows) {
    if (values.only !== undefined && !values.only.includes(label)) continue;
    console.log(await time(label, options, runs));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
