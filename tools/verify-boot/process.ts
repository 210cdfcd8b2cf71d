/** Running host commands for the boot test. */
import { spawnSync } from "node:child_process";

/** Debian installs mke2fs, mkfs and friends in /sbin and /usr/sbin, which a non-root PATH may lack. */
export const PATH = [...(process.env["PATH"] ?? "").split(":").filter((dir) => dir !== ""), "/usr/local/sbin", "/usr/sbin", "/sbin"].join(":");

/** Runs `command args`; returns stdout, throws with the command's output when it fails. */
export function mustRun(command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8", env: { ...process.env, PATH }, maxBuffer: 256 * 1024 * 1024 });
  if (result.error !== undefined) throw new Error(`${command}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}:\n${`${result.stdout}${result.stderr}`.trim().split("\n").slice(-30).join("\n")}`);
  return result.stdout;
}
