/**
 * Times the offline plan of every seed stack, a generated large platform config and a generated
 * config with 200 application services as a user runs it: `npm run plan -- --stack <s> --json`, a
 * whole process each time, min/median/max over `--runs` runs after one warm-up.
 *
 *   npm run bench [-- --runs <n>] [-- --only <label>]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { REPO_ROOT } from "./engine/run";

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

interface Row {
  readonly label: string;
  readonly args: readonly string[];
}

/** One whole `npm run plan -- <args> --json` process: its wall time and the resources it planned. */
function planOnce(args: readonly string[]): { seconds: number; resources: number } {
  const start = process.hrtime.bigint();
  const run = spawnSync("npm", ["run", "-s", "plan", "--", ...args, "--json"], { cwd: REPO_ROOT, encoding: "utf8", maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`npm run plan -- ${args.join(" ")} exited ${String(run.status)}:\n${run.stderr}`);
  return { seconds, resources: (JSON.parse(run.stdout) as { resources: unknown[] }).resources.length };
}

function time(row: Row, runs: number): string {
  planOnce(row.args); // warm-up: compiles the sources once, as any later run finds them
  const samples: number[] = [];
  let resources = 0;
  for (let i = 0; i < runs; i++) {
    const run = planOnce(row.args);
    samples.push(run.seconds);
    resources = run.resources;
  }
  const sorted = [...samples].sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const seconds = (n: number | undefined) => `${(n ?? 0).toFixed(2)} s`.padStart(8);
  return `${row.label.padEnd(16)} ${String(resources).padStart(9)} ${seconds(sorted[0])} ${seconds(median)} ${seconds(sorted[sorted.length - 1])}`;
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");

function main(): void {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, only: { type: "string", multiple: true } } });
  const runs = Math.max(1, Number(values.runs));
  const dir = mkdtempSync(join(tmpdir(), "strata-bench-"));
  const largeFile = join(dir, "Pulumi.large.yaml");
  writeFileSync(largeFile, largeConfig());
  const appsFile = join(dir, "Pulumi.apps-200.yaml");
  writeFileSync(appsFile, appsConfig());
  const rows: Row[] = [
    { label: "dev", args: ["--stack", "dev"] },
    { label: "prod", args: ["--stack", "prod"] },
    { label: "valueverse", args: ["--stack", "valueverse", "--config-file", "examples/valueverse.yaml"] },
    { label: "multitenant", args: ["--stack", "multitenant", "--config-file", "examples/multitenant/Pulumi.multitenant.yaml"] },
    { label: "tartware", args: ["--stack", "tartware", "--config-file", "examples/tartware/Pulumi.tartware.yaml"] },
    { label: "flask-next-node", args: ["--stack", "flask-next-node", "--config-file", "examples/flask-next-node/Pulumi.flask-next-node.yaml"] },
    { label: "large", args: ["--stack", "large", "--config-file", largeFile] },
    { label: "apps-200", args: ["--stack", "apps-200", "--config-file", appsFile] },
  ];
  console.log(`npm run plan -- --stack <s> --json as whole processes, ${runs} runs after a warm-up; load average at start ${load()}`);
  console.log(`${"stack".padEnd(16)} ${"resources".padStart(9)} ${"min".padStart(8)} ${"median".padStart(8)} ${"max".padStart(8)}`);
  for (const row of rows) {
    if (values.only !== undefined && !values.only.includes(row.label)) continue;
    console.log(time(row, runs));
  }
  console.log(`load average at end ${load()}`);
}

main();
