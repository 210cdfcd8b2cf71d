/** What the cloud-init checks share: running a checker and the findings they report. */
import { spawnSync } from "node:child_process";

export interface Finding {
  /** Relative to the plan output folder; `<user-data>#<path>` for a file carried inside user-data. */
  readonly file: string;
  readonly tool: string;
  readonly output: string;
}

/** Debian installs haproxy and keepalived in /usr/sbin, which a non-root PATH usually lacks. */
const SBIN = ["/usr/local/sbin", "/usr/sbin", "/sbin"];
const PATH = [...(process.env["PATH"] ?? "").split(":").filter((dir) => dir !== ""), ...SBIN].join(":");

export function run(command: string, args: readonly string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { encoding: "utf8", env: { ...process.env, PATH } });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim();
  return { ok: result.error === undefined && result.status === 0, output: result.error === undefined ? output : result.error.message };
}

/** Whether `command args` runs and exits 0: the tool is installed. */
export function installed(command: string, args: readonly string[]): boolean {
  return run(command, args).ok;
}
