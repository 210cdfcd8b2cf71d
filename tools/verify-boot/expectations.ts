/**
 * What a booted node must show, read from its rendered documents (`user-data.yaml`,
 * `network-config.yaml`, `meta-data.yaml`): nothing here is hard-coded per node or per stack.
 */
import { parse } from "yaml";

export interface InterfaceExpectation {
  /** netplan's id for the interface (a label unless it is also the kernel name). */
  readonly id: string;
  readonly matchDriver?: string;
  readonly matchMac?: string;
  readonly setName?: string;
  readonly addresses: readonly string[];
  readonly gateway?: string;
  readonly nameservers: readonly string[];
  readonly search: readonly string[];
}

export interface FileExpectation {
  readonly path: string;
  /** Four octal digits, e.g. `0600`. */
  readonly mode: string;
  readonly owner: string;
}

export interface DiskExpectation {
  /** Device as the documents name it (`/dev/sdb`, `/dev/disk/by-path/…-scsi-0:0:1:0`). */
  readonly device: string;
  /** SCSI target on the node's PVSCSI controller (the OS disk is 0). */
  readonly scsiUnit: number;
  readonly label?: string;
  readonly filesystem?: string;
  /** Whether the filesystem goes on a partition (`partition: auto` or a number) rather than the whole disk. */
  readonly partitioned: boolean;
  readonly mountPoint?: string;
}

export interface NodeExpectation {
  readonly name: string;
  readonly hostname: string;
  readonly interfaces: readonly InterfaceExpectation[];
  readonly files: readonly FileExpectation[];
  readonly disks: readonly DiskExpectation[];
  readonly sysctls: Readonly<Record<string, string>>;
  readonly modules: readonly string[];
  /** Sysctl/module settings the bootstrap applies only after a package download (never reached offline). */
  readonly appliedAfterDownload: { readonly sysctls: boolean; readonly modules: boolean };
}

export interface NodeDocuments {
  readonly name: string;
  readonly userData: string;
  readonly networkConfig: string;
  readonly metaData: string;
}

type Json = Record<string, unknown>;

const asRecord = (value: unknown): Json => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : {});
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
/** A scalar as text; undefined for anything else (absent keys, maps, lists). */
const str = (value: unknown): string | undefined =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
const asStrings = (value: unknown): string[] => asList(value).map(str).filter((s): s is string => s !== undefined);

/** The SCSI target a data-disk device name refers to, or an error naming the device. */
export function scsiUnitOf(device: string): number {
  const byPath = /-scsi-\d+:\d+:(\d+):\d+$/.exec(device);
  if (byPath) return Number(byPath[1]);
  const sd = /^\/dev\/sd([a-z])$/.exec(device);
  if (sd) return (sd[1] ?? "a").charCodeAt(0) - "a".charCodeAt(0);
  throw new Error(`${device}: cannot tell which SCSI unit this disk is; use /dev/sdX or /dev/disk/by-path/…-scsi-0:0:N:0`);
}

function interfacesOf(networkConfig: string): InterfaceExpectation[] {
  const doc = asRecord(parse(networkConfig));
  const root = doc["network"] !== undefined ? asRecord(doc["network"]) : doc;
  return Object.entries(asRecord(root["ethernets"])).map(([id, raw]) => {
    const nic = asRecord(raw);
    const match = asRecord(nic["match"]);
    const routes = asList(nic["routes"]).map(asRecord);
    const defaultRoute = routes.find((route) => route["to"] === "default" || route["to"] === "0.0.0.0/0");
    const gateway = str(defaultRoute?.["via"]) ?? str(nic["gateway4"]);
    const nameservers = asRecord(nic["nameservers"]);
    const driver = str(match["driver"]);
    const mac = str(match["macaddress"]);
    const setName = str(nic["set-name"]);
    return {
      id,
      ...(driver !== undefined ? { matchDriver: driver } : {}),
      ...(mac !== undefined ? { matchMac: mac.toLowerCase() } : {}),
      ...(setName !== undefined ? { setName } : {}),
      addresses: asStrings(nic["addresses"]),
      ...(gateway !== undefined ? { gateway } : {}),
      nameservers: asStrings(nameservers["addresses"]),
      search: asStrings(nameservers["search"]),
    };
  });
}

function disksOf(userData: Json): DiskExpectation[] {
  const setup = asRecord(userData["disk_setup"]);
  const filesystems = asList(userData["fs_setup"]).map(asRecord);
  const mounts = asList(userData["mounts"]).map(asStrings);
  const devices = [...new Set([...Object.keys(setup), ...filesystems.map((fs) => str(fs["device"]) ?? "")].filter((d) => d !== ""))];
  return devices.map((device) => {
    const fs = filesystems.find((entry) => entry["device"] === device);
    const label = str(fs?.["label"]);
    const filesystem = str(fs?.["filesystem"]);
    const partition = fs?.["partition"];
    const mount = mounts.find(([spec]) => (label !== undefined && spec === `LABEL=${label}`) || (spec !== undefined && spec.startsWith(device)));
    const mountPoint = mount?.[1];
    return {
      device,
      scsiUnit: scsiUnitOf(device),
      ...(label !== undefined ? { label } : {}),
      ...(filesystem !== undefined ? { filesystem } : {}),
      partitioned: partition !== undefined && partition !== "none" && asRecord(setup[device])["layout"] !== false,
      ...(mountPoint !== undefined ? { mountPoint } : {}),
    };
  });
}

/**
 * Data disks a boot script prepares: a shell function whose `local` line names its arguments
 * `unit=$N`, `label=$N` and `mount_path=$N`, and each call of it. The script's `mkfs.<type>` gives
 * the filesystem and a `-part1` reference says it partitions the disk.
 */
export function scriptDisks(script: string): DiskExpectation[] {
  const disks: DiskExpectation[] = [];
  for (const fn of script.matchAll(/^\s*([\w-]+)\(\)\s*\{\s*\n\s*local\s+([^\n]+)/gm)) {
    const name = fn[1] ?? "";
    const position = (arg: string) => Number(new RegExp(`\\b${arg}=\\$(\\d)\\b`).exec(fn[2] ?? "")?.[1] ?? 0);
    const [unitAt, labelAt, mountAt] = [position("unit"), position("label"), position("mount_path")];
    if (unitAt === 0 || mountAt === 0) continue;
    const filesystem = /\bmkfs\.(\w+)/.exec(script)?.[1];
    for (const call of script.matchAll(new RegExp(`^\\s*${name}\\s+([^\\n#]+)$`, "gm"))) {
      const args = (call[1] ?? "").trim().split(/\s+/);
      const unit = Number(args[unitAt - 1]);
      const label = labelAt > 0 ? args[labelAt - 1] : undefined;
      const mountPoint = args[mountAt - 1];
      if (!Number.isInteger(unit)) continue;
      disks.push({
        device: `/dev/disk/by-path/*-scsi-0:0:${unit}:0`,
        scsiUnit: unit,
        ...(label !== undefined ? { label } : {}),
        ...(filesystem !== undefined ? { filesystem } : {}),
        partitioned: /-part1\b/.test(script),
        ...(mountPoint !== undefined ? { mountPoint } : {}),
      });
    }
  }
  return disks;
}

/** `key = value` lines of sysctl.d files (comments and blanks skipped). */
export function sysctlLines(content: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const line of content.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) continue;
    const [key, ...value] = trimmed.replace(/^-/, "").split("=");
    if (key !== undefined && value.length > 0) result[key.trim().replace(/\//g, ".")] = value.join("=").trim();
  }
  return result;
}

const DOWNLOAD = /(^|[\s;&|(])(apt-get|apt)\s+(\S+\s+)*(update|install)\b|\bcurl\s[^#]*https?:\/\/|\bwget\s/;

/**
 * Lines the first boot runs from `runcmd`, in order: each command, with the scripts it calls
 * (write_files paths) expanded in place.
 */
function bootLines(userData: Json, files: ReadonlyMap<string, string>): string[] {
  const lines: string[] = [];
  for (const entry of asList(userData["runcmd"])) {
    const command = Array.isArray(entry) ? asStrings(entry).join(" ") : (str(entry) ?? "");
    const called = [...files.keys()].filter((path) => command.includes(path)).sort((a, b) => command.indexOf(a) - command.indexOf(b));
    if (called.length === 0) lines.push(command);
    for (const path of called) lines.push(...(files.get(path) ?? "").split("\n").filter((line) => !line.trim().startsWith("#")));
  }
  return lines;
}

/** Whether the first line matching `applies` comes after the first package download (or never). */
function afterDownload(lines: readonly string[], applies: RegExp): boolean {
  const download = lines.findIndex((line) => DOWNLOAD.test(line));
  const applied = lines.findIndex((line) => applies.test(line));
  return download >= 0 && (applied < 0 || applied > download);
}

export function expectationsOf(docs: NodeDocuments): NodeExpectation {
  const userData = asRecord(parse(docs.userData));
  const metaData = asRecord(parse(docs.metaData));
  const writeFiles = asList(userData["write_files"]).map(asRecord);
  const contents = new Map(writeFiles.map((file) => [str(file["path"]) ?? "", str(file["content"]) ?? ""]));
  const sysctls: Record<string, string> = {};
  const modules: string[] = [];
  for (const [path, content] of contents) {
    if (/^\/etc\/sysctl\.d\/.+\.conf$/.test(path)) Object.assign(sysctls, sysctlLines(content));
    if (/^\/etc\/modules-load\.d\/.+\.conf$/.test(path)) {
      modules.push(...content.split("\n").map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#")));
    }
  }
  const lines = bootLines(userData, contents);
  const moduleNames = modules.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
  return {
    name: docs.name,
    hostname: str(userData["hostname"]) ?? str(metaData["local-hostname"]) ?? docs.name,
    interfaces: interfacesOf(docs.networkConfig),
    files: writeFiles.map((file) => ({
      path: str(file["path"]) ?? "",
      mode: (str(file["permissions"]) ?? "0644").replace(/^0o/, "").padStart(4, "0"),
      owner: str(file["owner"]) ?? "root:root",
    })),
    disks: [...disksOf(userData), ...[...contents.values()].flatMap(scriptDisks)],
    sysctls,
    modules,
    appliedAfterDownload: {
      sysctls: afterDownload(lines, /\bsysctl\s+(--system|-p)\b/),
      modules: modules.length > 0 && afterDownload(lines, new RegExp(`\\bmodprobe\\s+(${moduleNames})\\b|systemd-modules-load`)),
    },
  };
}

/** What the collector inside the VM should look at (written onto the seed as `strata-probe.json`). */
export function probeOf(expectation: NodeExpectation): { files: string[]; sysctls: string[]; modules: string[] } {
  return { files: expectation.files.map((f) => f.path), sysctls: Object.keys(expectation.sysctls), modules: [...expectation.modules] };
}
