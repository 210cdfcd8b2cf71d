/** Arguments and report text of `npm run verify:boot`. */
import { homedir } from "node:os";
import { join } from "node:path";
import type { CheckName, CheckResult } from "./judge";
import { CHECKS } from "./judge";
import type { Accel } from "./vm";

export const USAGE = `usage: npm run verify:boot -- --out <plan output folder>… [--node <vm>]… [--one-per-shape]
    [--image-only] [--network-config <file>] [--expect-failure <check>] [--jobs <n>] [--accel auto|kvm|tcg]
    [--cache <dir>] [--mirror <url>] [--work <dir>] [--deadline <seconds>]
  --image-only             build (or find) the image in --cache and stop; no --out needed
  --out <dir>              a plan's --out folder (repeatable: VMs of several plans share the --jobs)
  --node <vm>              boot this VM (repeatable); default: every VM in the plan
  --one-per-shape          boot one VM per pool and bootstrap role (and data-disk count)
  --network-config <file>  boot with this netplan instead of the node's own (exactly one --node)
  --expect-failure <check> succeed only if <check> fails on every node booted (${CHECKS.join(", ")})
  --jobs <n>               VMs booted at once (default 2)
  --accel                  KVM when /dev/kvm works (auto, the default), else TCG
  --cache <dir>            where the Debian image is built and reused (default ~/.cache/strata/verify-boot)
  --mirror <url>           Debian mirror for mmdebstrap (default http://deb.debian.org/debian)
  --work <dir>             keep each VM's seed and serial logs here (default: a temporary folder)
  --deadline <seconds>     how long the guest waits for cloud-init to finish (default 600)`;

export class UsageError extends Error {}

export interface BootOptions {
  readonly outs: readonly string[];
  readonly nodes: readonly string[];
  readonly onePerShape: boolean;
  readonly imageOnly: boolean;
  readonly networkConfig?: string;
  readonly expectFailure?: CheckName;
  readonly jobs: number;
  readonly accel: Accel | "auto";
  readonly cache: string;
  readonly mirror: string;
  readonly work?: string;
  readonly deadline: number;
}

function positiveInteger(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag}: expected a positive whole number (got ${value})`);
  return n;
}

export function parseBootArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BootOptions {
  const nodes: string[] = [];
  const outs: string[] = [];
  const values: Record<string, string> = {};
  let onePerShape = false;
  let imageOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? "";
    if (flag === "--one-per-shape" || flag === "--image-only") {
      if (flag === "--one-per-shape") onePerShape = true;
      else imageOnly = true;
      continue;
    }
    const value = argv[i + 1];
    if (!["--out", "--node", "--network-config", "--expect-failure", "--jobs", "--accel", "--cache", "--mirror", "--work", "--deadline"].includes(flag)) {
      throw new UsageError(`unknown argument ${flag}`);
    }
    if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value`);
    i++;
    if (flag === "--node") nodes.push(value);
    else if (flag === "--out") outs.push(value);
    else values[flag] = value;
  }
  if (outs.length === 0 && !imageOnly) throw new UsageError("missing --out <plan output folder>");
  if (onePerShape && nodes.length > 0) throw new UsageError("--one-per-shape and --node exclude each other");
  if (values["--network-config"] !== undefined && nodes.length !== 1) throw new UsageError("--network-config needs exactly one --node");
  const expectFailure = values["--expect-failure"];
  if (expectFailure !== undefined && !(CHECKS as readonly string[]).includes(expectFailure)) {
    throw new UsageError(`--expect-failure: unknown check (got ${expectFailure}); one of ${CHECKS.join(", ")}`);
  }
  const accel = values["--accel"] ?? "auto";
  if (!["auto", "kvm", "tcg"].includes(accel)) throw new UsageError(`--accel: expected auto, kvm or tcg (got ${accel})`);
  return {
    outs,
    nodes,
    onePerShape,
    imageOnly,
    ...(values["--network-config"] !== undefined ? { networkConfig: values["--network-config"] } : {}),
    ...(expectFailure !== undefined ? { expectFailure: expectFailure as CheckName } : {}),
    jobs: positiveInteger("--jobs", values["--jobs"] ?? "2"),
    accel: accel as Accel | "auto",
    cache: values["--cache"] ?? join(env["XDG_CACHE_HOME"] ?? join(homedir(), ".cache"), "strata", "verify-boot"),
    mirror: values["--mirror"] ?? "http://deb.debian.org/debian",
    ...(values["--work"] !== undefined ? { work: values["--work"] } : {}),
    deadline: positiveInteger("--deadline", values["--deadline"] ?? "600"),
  };
}

const MARK: Record<CheckResult["outcome"], string> = { pass: "✓", fail: "✗", "not-reached": "–" };

/** One node's block of the report. */
export function renderNode(name: string, seconds: number, results: readonly CheckResult[]): string {
  return [`${name} (${seconds} s)`, ...results.map((r) => `  ${MARK[r.outcome]} ${r.check}: ${r.outcome === "not-reached" ? "not reached: " : ""}${r.detail}`)].join("\n");
}

/**
 * Exit status: 0 when every check passed (not-reached is reported, not failed), or with
 * `expectFailure`, when that check failed on every node. A VM that never reported fails either way.
 */
export function verdict(nodes: readonly (readonly CheckResult[])[], expectFailure?: CheckName): boolean {
  if (nodes.length === 0) return false;
  if (nodes.some((results) => results.some((r) => r.check === "boot" && r.outcome === "fail"))) return false;
  if (expectFailure !== undefined) return nodes.every((results) => results.some((r) => r.check === expectFailure && r.outcome === "fail"));
  return nodes.every((results) => results.every((r) => r.outcome !== "fail"));
}
