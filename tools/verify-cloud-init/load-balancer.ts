/**
 * Checks the HAProxy and keepalived configurations the load-balancer VMs carry as cloud-init
 * `write_files`, with the real tools: `haproxy -c -f` and `keepalived --config-test -f`. Each file is
 * staged in a temporary folder, then checked as the node would read it, with three stand-ins for
 * what only exists on the node (see `forThisHost`).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { parse } from "yaml";
import { type Finding, installed, run } from "./run";

interface WriteFile {
  readonly path: string;
  readonly content: string;
  readonly permissions?: string;
}

/** What the plan writes in place of a secret value. */
const REDACTED = "[secret]";
/**
 * Stands in for a redacted value (the VRRP password): a plain word is valid wherever either tool
 * takes one, and 8 characters is the longest PASS password keepalived keeps without a warning.
 */
const DUMMY_SECRET = "redacted";

const NET_DEVICES = "/sys/class/net";

export interface LoadBalancerResult {
  readonly findings: Finding[];
  /** What was checked, e.g. `2 haproxy`. */
  readonly checked: string[];
  /** Why a check could not run here (tool missing, not root). */
  readonly unavailable: string[];
}

const isRoot = (): boolean => process.getuid?.() === 0;

function writeFilesOf(userData: string): WriteFile[] {
  const doc = parse(readFileSync(userData, "utf8")) as { write_files?: WriteFile[] } | null;
  return doc?.write_files ?? [];
}

/** The host's network devices, or none when it has no sysfs (keepalived then reports the interface). */
function hostInterfaces(): string[] {
  return existsSync(NET_DEVICES) ? readdirSync(NET_DEVICES).filter((name) => name !== "lo").sort() : [];
}

/**
 * The node's file as the checker can read it here:
 * - redacted values are replaced with a valid dummy;
 * - keepalived scripts the same user-data writes (the HAProxy health check) are referenced at their
 *   staged copies (`scripts`: node path → staged path), since keepalived disables a tracked script
 *   it cannot find and the config test then fails;
 * - a VRRP interface this host does not have (the node's `eth0`) is swapped for one it has: the
 *   interface name is the node's netplan, not configuration syntax, and keepalived rejects a
 *   configuration naming a missing one.
 */
export function forThisHost(content: string, scripts: ReadonlyMap<string, string>, interfaces: readonly string[]): string {
  let result = content.split(REDACTED).join(DUMMY_SECRET);
  for (const [nodePath, staged] of scripts) result = result.split(`"${nodePath}`).join(`"${staged}`);
  const replacement = interfaces[0];
  const named = new Set([...result.matchAll(/^\s*interface\s+(\S+)/gm)].map((match) => match[1] ?? ""));
  for (const name of named) {
    if (interfaces.includes(name) || replacement === undefined) continue;
    result = result.replace(new RegExp(`\\b(interface|dev)\\s+${name}\\b`, "g"), `$1 ${replacement}`);
  }
  return result;
}

/** Writes the file (and the scripts it runs from the same user-data) under `dir`; returns the file's staged path. */
function stage(file: WriteFile, siblings: readonly WriteFile[], dir: string): string {
  const scripts = new Map<string, string>();
  for (const script of siblings.filter((sibling) => file.content.includes(`"${sibling.path}`))) {
    const staged = join(dir, "files", script.path);
    mkdirSync(dirname(staged), { recursive: true, mode: 0o755 });
    writeFileSync(staged, script.content, { mode: parseInt(script.permissions ?? "0644", 8) });
    scripts.set(script.path, staged);
  }
  const path = join(dir, basename(file.path));
  writeFileSync(path, forThisHost(file.content, scripts, hostInterfaces()), { mode: 0o600 });
  return path;
}

interface Target {
  readonly tool: "haproxy" | "keepalived";
  readonly userData: string;
  readonly file: WriteFile;
  readonly siblings: readonly WriteFile[];
}

const TOOLS = {
  haproxy: { match: /\/haproxy\.cfg$/, probe: ["-v"], test: (path: string) => ["-c", "-f", path], label: "haproxy -c" },
  keepalived: { match: /\/keepalived\.conf$/, probe: ["--version"], test: (path: string) => ["--config-test", "-f", path], label: "keepalived --config-test" },
} as const;

/** Every HAProxy and keepalived configuration in the given user-data files, checked where the tools can run. */
export function checkLoadBalancers(out: string, userData: readonly string[]): LoadBalancerResult {
  const targets: Target[] = userData.flatMap((path) => {
    const files = writeFilesOf(path);
    return files.flatMap((file) =>
      (Object.keys(TOOLS) as (keyof typeof TOOLS)[]).filter((tool) => TOOLS[tool].match.test(file.path)).map((tool) => ({ tool, userData: path, file, siblings: files })),
    );
  });
  const findings: Finding[] = [];
  const checked: string[] = [];
  const unavailable: string[] = [];
  const root = mkdtempSync(join(tmpdir(), "strata-lb-"));
  try {
    for (const tool of Object.keys(TOOLS) as (keyof typeof TOOLS)[]) {
      const mine = targets.filter((target) => target.tool === tool);
      if (mine.length === 0) continue;
      if (!installed(tool, TOOLS[tool].probe)) {
        unavailable.push(`\`${tool}\` is not installed (apt-get install -y ${tool}): ${mine.length} configuration(s) not checked`);
        continue;
      }
      // Its script-security checks can only pass for root; as any other user every tracked script is "insecure".
      if (tool === "keepalived" && !isRoot()) {
        unavailable.push(`keepalived's config test needs root (it checks tracked scripts as their root user): ${mine.length} configuration(s) not checked`);
        continue;
      }
      mine.forEach((target, i) => {
        const dir = join(root, `${tool}-${i}`);
        mkdirSync(dir, { mode: 0o755 });
        const result = run(tool, TOOLS[tool].test(stage(target.file, target.siblings, dir)));
        if (!result.ok) findings.push({ file: `${relative(out, target.userData)}#${target.file.path}`, tool: TOOLS[tool].label, output: result.output });
      });
      checked.push(`${mine.length} ${tool}`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { findings, checked, unavailable };
}
