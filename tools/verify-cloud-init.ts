/**
 * Validates the cloud-init documents `npm run plan -- --out <dir>` wrote: every
 * `infra/cloud-init/<vm>/user-data.yaml` against cloud-init's schema, every
 * `infra/cloud-init/<vm>/scripts/*.sh` with shellcheck, and each `network-config.yaml` against the
 * network schema where the installed cloud-init supports it, and the HAProxy and keepalived
 * configurations the load-balancer VMs carry with `haproxy -c` and `keepalived --config-test`
 * (`tools/verify-cloud-init/load-balancer.ts`).
 *
 *   npm run verify:cloud-init -- --out plan-out [--require-load-balancer-tools]
 *
 * Needs Debian's `cloud-init` and `shellcheck` packages; `haproxy` and `keepalived` (and root, for
 * keepalived) are used when present, and required with `--require-load-balancer-tools`, as in CI.
 * Exits 1 on any finding, 2 on bad usage or missing tools.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { checkLoadBalancers } from "./verify-cloud-init/load-balancer";
import { type Finding, run } from "./verify-cloud-init/run";

const REQUIRE_LOAD_BALANCER_TOOLS = "--require-load-balancer-tools";

function usage(message: string): never {
  console.error(`verify-cloud-init: ${message}\nusage: npm run verify:cloud-init -- --out <plan output folder> [${REQUIRE_LOAD_BALANCER_TOOLS}]`);
  process.exit(2);
}

function outDir(argv: readonly string[]): string {
  const i = argv.indexOf("--out");
  const dir = i >= 0 ? argv[i + 1] : undefined;
  if (dir === undefined) usage("missing --out <dir>");
  if (!existsSync(dir) || !statSync(dir).isDirectory()) usage(`${dir} is not a folder; run \`npm run plan -- --out ${dir}\` first`);
  return dir;
}

function requireTool(command: string, args: readonly string[], debianPackage: string): void {
  const probe = spawnSync(command, args, { encoding: "utf8" });
  if (probe.error !== undefined || probe.status !== 0) {
    console.error(`verify-cloud-init: \`${command}\` is not installed or does not run; install it with: apt-get install -y ${debianPackage}`);
    process.exit(2);
  }
}

function filesUnder(dir: string, accept: (path: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((entry) => join(dir, entry))
    .filter((path) => statSync(path).isFile() && accept(path))
    .sort();
}

function main(): void {
  const argv = process.argv.slice(2);
  const out = outDir(argv);
  const requireLoadBalancerTools = argv.includes(REQUIRE_LOAD_BALANCER_TOOLS);
  const root = join(out, "infra", "cloud-init");
  requireTool("cloud-init", ["--version"], "cloud-init");
  requireTool("shellcheck", ["--version"], "shellcheck");
  const networkSchema = run("cloud-init", ["schema", "--help"]).output.includes("--schema-type");

  const userData = filesUnder(root, (path) => path.endsWith("user-data.yaml"));
  const networks = networkSchema ? filesUnder(root, (path) => path.endsWith("network-config.yaml")) : [];
  const scripts = filesUnder(root, (path) => path.endsWith(".sh"));
  if (userData.length === 0) {
    console.log(`verify-cloud-init: no cloud-init documents under ${root} (no vSphere nodes in this plan); nothing to check`);
    return;
  }

  const findings: Finding[] = [];
  const check = (file: string, tool: string, command: string, args: readonly string[]) => {
    const result = run(command, args);
    if (!result.ok) findings.push({ file: relative(out, file), tool, output: result.output });
  };
  for (const file of userData) check(file, "cloud-init schema", "cloud-init", ["schema", "--config-file", file]);
  for (const file of networks) check(file, "cloud-init schema (network-config)", "cloud-init", ["schema", "--schema-type", "network-config", "--config-file", file]);
  for (const file of scripts) check(file, "shellcheck", "shellcheck", ["--severity=style", file]);
  const loadBalancers = checkLoadBalancers(out, userData);
  if (requireLoadBalancerTools && loadBalancers.unavailable.length > 0) {
    usage(`${loadBalancers.unavailable.join("; ")} (${REQUIRE_LOAD_BALANCER_TOOLS})`);
  }
  findings.push(...loadBalancers.findings);

  for (const finding of findings) console.log(`✗ ${finding.file} (${finding.tool})\n${finding.output.replace(/^/gm, "    ")}`);
  const checked = [`${userData.length} user-data`, `${networks.length} network-config`, `${scripts.length} scripts`, ...loadBalancers.checked.map((c) => `${c} configs`)].join(", ");
  if (findings.length > 0) {
    console.log(`verify-cloud-init: ${findings.length} files failed (checked ${checked})`);
    process.exit(1);
  }
  const notChecked = [...(networkSchema ? [] : ["network-config not checked: this cloud-init has no network schema"]), ...loadBalancers.unavailable];
  console.log(`verify-cloud-init: ${checked} valid${notChecked.length > 0 ? ` (${notChecked.join("; ")})` : ""}`);
}

main();
