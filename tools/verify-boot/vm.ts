/**
 * One boot: a NoCloud seed with the node's own documents, QEMU with the node's hardware (vmxnet3
 * NIC, PVSCSI controller with the OS disk at unit 0 and the data disks at their units), an isolated
 * user-mode network, and the collector's facts read back from the second serial port.
 */
import { spawn, spawnSync } from "node:child_process";
import { accessSync, closeSync, constants, copyFileSync, existsSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { NodeExpectation } from "./expectations";
import { probeOf } from "./expectations";
import type { Image } from "./image";
import { ROOT_LABEL } from "./image";
import { mustRun } from "./process";

export type Accel = "kvm" | "tcg";

export const QEMU = "qemu-system-x86_64";
/** Size of each emulated data disk: small, sparse; only the count and the SCSI unit matter. */
export const DATA_DISK_BYTES = 1024 * 1024 * 1024;
const FACTS_BEGIN = "STRATA-FACTS-BEGIN";
const FACTS_END = "STRATA-FACTS-END";
const POWER_OFF_GRACE_MS = 30_000;

export interface BootPlan {
  readonly image: Image;
  readonly accel: Accel;
  readonly seed: string;
  readonly dataDisks: readonly { readonly file: string; readonly scsiUnit: number }[];
  readonly mac?: string;
  readonly console: string;
  readonly facts: string;
  /** Seconds the collector waits for cloud-init before reporting anyway. */
  readonly deadline: number;
  readonly memoryMiB: number;
}

/** QEMU's command line for one node. */
export function qemuArgs(plan: BootPlan): string[] {
  const args = [
    "-machine", `pc,accel=${plan.accel}`,
    // qemu64 under TCG: "max" adds features that cost emulation time (and svm, which loads kvm_amd).
    "-cpu", plan.accel === "kvm" ? "host" : "qemu64",
    "-smp", "1",
    "-m", String(plan.memoryMiB),
    "-nodefaults", "-display", "none", "-no-reboot",
    "-kernel", plan.image.kernel,
    "-initrd", plan.image.initrd,
    "-append", `root=LABEL=${ROOT_LABEL} rw console=ttyS0 strata.deadline=${plan.deadline}`,
    "-serial", `file:${plan.console}`,
    "-serial", `file:${plan.facts}`,
    "-device", "pvscsi,id=pvscsi0",
    "-drive", `file=${plan.image.root},if=none,id=os,format=raw,snapshot=on`,
    "-device", "scsi-hd,drive=os,bus=pvscsi0.0,scsi-id=0",
  ];
  for (const [i, disk] of plan.dataDisks.entries()) {
    args.push("-drive", `file=${disk.file},if=none,id=data${i},format=raw`);
    args.push("-device", `scsi-hd,drive=data${i},bus=pvscsi0.0,scsi-id=${disk.scsiUnit}`);
  }
  args.push("-drive", `file=${plan.seed},if=ide,media=cdrom,format=raw,readonly=on`);
  args.push("-netdev", "user,id=net0,restrict=on");
  args.push("-device", `vmxnet3,netdev=net0${plan.mac !== undefined ? `,mac=${plan.mac}` : ""}`);
  return args;
}

/** The collector's JSON from the facts serial log, or undefined when it never wrote it. */
export function parseFacts(text: string): unknown {
  const begin = text.lastIndexOf(FACTS_BEGIN);
  const end = text.indexOf(FACTS_END, begin);
  if (begin < 0 || end < 0) return undefined;
  try {
    return JSON.parse(text.slice(begin + FACTS_BEGIN.length, end).trim());
  } catch {
    return undefined;
  }
}

/**
 * KVM when /dev/kvm is usable and the CPU shows hardware virtualisation (a /dev/kvm without vmx/svm,
 * as in some nested setups, starts but never runs a guest), else TCG.
 */
export function detectAccel(): Accel {
  try {
    accessSync("/dev/kvm", constants.R_OK | constants.W_OK);
  } catch {
    return "tcg";
  }
  if (!/^flags\s*:.*\b(vmx|svm)\b/m.test(readFileSync("/proc/cpuinfo", "utf8"))) return "tcg";
  const probe = spawnSync(QEMU, ["-accel", "kvm", "-machine", "pc", "-nodefaults", "-display", "none", "-kernel", "/nonexistent"], { encoding: "utf8", timeout: 20_000 });
  return /could not (open|load) kernel/i.test(`${probe.stderr}`) ? "kvm" : "tcg";
}

export interface NodeFiles {
  readonly userData: string;
  readonly metaData: string;
  readonly networkConfig: string;
}

/** Seed ISO (volume `cidata`) with the documents as written, plus the collector's probe list. */
export function makeSeed(dir: string, files: NodeFiles, expectation: NodeExpectation): string {
  const seedDir = join(dir, "seed");
  mustRun("mkdir", ["-p", seedDir]);
  copyFileSync(files.userData, join(seedDir, "user-data"));
  copyFileSync(files.metaData, join(seedDir, "meta-data"));
  copyFileSync(files.networkConfig, join(seedDir, "network-config"));
  writeFileSync(join(seedDir, "strata-probe.json"), `${JSON.stringify(probeOf(expectation))}\n`);
  const iso = join(dir, "seed.iso");
  mustRun("genisoimage", ["-quiet", "-output", iso, "-volid", "cidata", "-joliet", "-rock", seedDir]);
  return iso;
}

/** Sparse data-disk files, one per disk the documents declare. */
export function makeDataDisks(dir: string, expectation: NodeExpectation): { file: string; scsiUnit: number }[] {
  return expectation.disks.map((disk) => {
    const file = join(dir, `data-${disk.scsiUnit}.img`);
    closeSync(openSync(file, "w"));
    mustRun("truncate", ["-s", String(DATA_DISK_BYTES), file]);
    return { file, scsiUnit: disk.scsiUnit };
  });
}

export interface BootResult {
  readonly facts: unknown;
  readonly seconds: number;
  readonly timedOut: boolean;
  readonly exitCode: number | null;
  readonly consoleTail: string;
}

/** Boots and waits for power-off (or kills QEMU after `timeoutSeconds`). */
export function boot(plan: BootPlan, timeoutSeconds: number): Promise<BootResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(QEMU, qemuArgs(plan), { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutSeconds * 1000);
    // The guest powers itself off after reporting; should that hang, the report is what counts.
    let reportedAt: number | undefined;
    const watch = setInterval(() => {
      if (reportedAt === undefined && existsSync(plan.facts) && readFileSync(plan.facts, "utf8").includes(FACTS_END)) reportedAt = Date.now();
      if (reportedAt !== undefined && Date.now() - reportedAt > POWER_OFF_GRACE_MS) child.kill("SIGKILL");
    }, 2000);
    child.on("close", (code) => {
      clearTimeout(timer);
      clearInterval(watch);
      const consoleText = existsSync(plan.console) ? readFileSync(plan.console, "utf8") : "";
      const factsText = existsSync(plan.facts) ? readFileSync(plan.facts, "utf8") : "";
      resolve({
        facts: parseFacts(factsText),
        seconds: Math.round((Date.now() - started) / 1000),
        timedOut,
        exitCode: code,
        consoleTail: `${consoleText.split("\n").slice(-40).join("\n")}${stderr === "" ? "" : `\nqemu: ${stderr.trim()}`}`,
      });
    });
  });
}
