/**
 * Judges what the collector saw inside a booted node against what its documents declare. Pure: the
 * facts are the collector's JSON (tools/verify-boot/guest/collect.py).
 */
import type { DiskExpectation, InterfaceExpectation, NodeExpectation } from "./expectations";

/** `boot` is the VM itself: it never reported (did not boot, hung, or the collector failed). */
export type CheckName = "boot" | "network" | "hostname" | "files" | "disks" | "sysctls" | "modules" | "swap" | "cloud-init";
export const CHECKS: readonly CheckName[] = ["network", "hostname", "files", "disks", "sysctls", "modules", "swap", "cloud-init"];

export type Outcome = "pass" | "fail" | "not-reached";

export interface CheckResult {
  readonly check: CheckName;
  readonly outcome: Outcome;
  readonly detail: string;
}

interface InterfaceFact {
  readonly name: string;
  readonly mac?: string;
  readonly driver?: string | null;
  readonly addresses: readonly string[];
  readonly dns: readonly string[];
  readonly domains: readonly string[];
}

export interface Facts {
  readonly cloudInitFinished: boolean;
  readonly hostname: string;
  readonly interfaces: readonly InterfaceFact[];
  readonly routes: readonly { readonly dst?: string; readonly gateway?: string; readonly dev?: string }[];
  readonly files: readonly { readonly path: string; readonly exists: boolean; readonly mode?: string; readonly owner?: string }[];
  readonly blockDevices: readonly { readonly name: string; readonly path: string; readonly type: string; readonly fstype?: string | null; readonly label?: string | null; readonly pkname?: string | null; readonly mountpoint?: string | null }[];
  readonly mounts: readonly { readonly target: string; readonly source: string; readonly fstype: string }[];
  readonly byPath: Readonly<Record<string, string>>;
  readonly sysctls: Readonly<Record<string, string | null>>;
  readonly modules: Readonly<Record<string, boolean>>;
  readonly swaps: readonly string[];
  readonly cloudInit: { readonly datasource?: string; readonly status?: string; readonly errors?: readonly string[]; readonly recoverable_errors?: Readonly<Record<string, readonly string[]>> } | null;
  readonly cloudInitLog: readonly string[];
  readonly cloudInitOutput: readonly string[];
}

/**
 * What a package download that cannot reach its repository prints (apt, curl, gpg reading an
 * empty pipe from a failed curl). The isolated network makes these the expected first-boot failure.
 */
export const DOWNLOAD_FAILURE = /Could not resolve host|Temporary failure resolving|Failed to fetch|Unable to connect|Network is unreachable|No route to host|Could not connect|Connection timed out|Failed to connect to/i;

/** cloud-init modules whose failure the isolated network explains when the log shows a failed download. */
const PACKAGE_STEPS = /scripts_user|scripts-user|runcmd|package_update_upgrade_install|package-update-upgrade-install|apt_configure|apt-configure/;

const result = (check: CheckName, failures: readonly string[], passDetail: string): CheckResult =>
  failures.length > 0 ? { check, outcome: "fail", detail: failures.join("; ") } : { check, outcome: "pass", detail: passDetail };

function describeInterfaces(facts: Facts): string {
  return facts.interfaces
    .filter((nic) => nic.name !== "lo")
    .map((nic) => `${nic.name} (${nic.driver ?? "no driver"}, ${nic.addresses.length > 0 ? nic.addresses.join(" ") : "no address"})`)
    .join(", ");
}

function checkInterface(expected: InterfaceExpectation, facts: Facts): string[] {
  const failures: string[] = [];
  const first = expected.addresses[0];
  const nic = facts.interfaces.find((candidate) => first !== undefined && candidate.addresses.includes(first));
  if (nic === undefined) return [`no interface carries ${expected.addresses.join(" ")} (netplan ${expected.id}; interfaces: ${describeInterfaces(facts) || "none"})`];
  for (const address of expected.addresses) if (!nic.addresses.includes(address)) failures.push(`${nic.name} lacks ${address}`);
  if (expected.matchDriver !== undefined && nic.driver !== expected.matchDriver) failures.push(`${nic.name} carries the address but its driver is ${nic.driver ?? "none"}, not ${expected.matchDriver}`);
  if (expected.matchMac !== undefined && nic.mac?.toLowerCase() !== expected.matchMac) failures.push(`${nic.name} has MAC ${nic.mac ?? "none"}, not ${expected.matchMac}`);
  if (expected.setName !== undefined && nic.name !== expected.setName) failures.push(`the interface is named ${nic.name}, not ${expected.setName} (set-name)`);
  if (expected.gateway !== undefined) {
    const route = facts.routes.find((r) => r.dst === "default" && r.gateway === expected.gateway);
    if (route === undefined) failures.push(`no default route via ${expected.gateway}`);
    else if (route.dev !== nic.name) failures.push(`default route via ${expected.gateway} is on ${route.dev ?? "?"}, not ${nic.name}`);
  }
  const missingDns = expected.nameservers.filter((server) => !nic.dns.includes(server));
  if (missingDns.length > 0) failures.push(`${nic.name} DNS lacks ${missingDns.join(" ")} (has ${nic.dns.join(" ") || "none"})`);
  const missingSearch = expected.search.filter((domain) => !nic.domains.includes(domain));
  if (missingSearch.length > 0) failures.push(`${nic.name} search domains lack ${missingSearch.join(" ")} (has ${nic.domains.join(" ") || "none"})`);
  return failures;
}

function checkNetwork(expectation: NodeExpectation, facts: Facts): CheckResult {
  const failures = expectation.interfaces.flatMap((nic) => checkInterface(nic, facts));
  const summary = expectation.interfaces
    .map((nic) => {
      const carrier = facts.interfaces.find((candidate) => nic.addresses.some((a) => candidate.addresses.includes(a)));
      return `${nic.addresses.join(" ")} via ${nic.gateway ?? "-"} dns ${nic.nameservers.join(",")} on ${carrier?.name ?? "?"} (${carrier?.driver ?? "?"})`;
    })
    .join("; ");
  return result("network", failures, summary);
}

/** The kernel name a documented device resolves to inside the guest (`sdb` for `/dev/sdb` or its by-path link). */
function kernelName(device: string, facts: Facts): string | undefined {
  if (!device.startsWith("/dev/disk/")) return device.replace(/^\/dev\//, "");
  const pattern = new RegExp(`^${device.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  const links = Object.keys(facts.byPath).filter((link) => pattern.test(link));
  return links.length === 1 ? facts.byPath[links[0] ?? ""]?.replace(/^\/dev\//, "") : undefined;
}

function checkDisk(disk: DiskExpectation, facts: Facts): string[] {
  const name = kernelName(disk.device, facts);
  if (name === undefined) return [`${disk.device} does not exist in the guest (by-path: ${Object.keys(facts.byPath).join(" ") || "none"})`];
  if (disk.mountPoint === undefined) return [];
  const mount = facts.mounts.find((m) => m.target === disk.mountPoint);
  if (mount === undefined) return [`nothing mounted at ${disk.mountPoint} (for ${disk.device})`];
  const source = facts.blockDevices.find((dev) => dev.path === mount.source);
  const failures: string[] = [];
  const onDisk = disk.partitioned ? source?.type === "part" && source.pkname === name : source?.name === name;
  if (!onDisk) failures.push(`${disk.mountPoint} is ${mount.source}, not ${disk.partitioned ? "a partition of " : ""}${disk.device} (${name})`);
  if (disk.filesystem !== undefined && mount.fstype !== disk.filesystem) failures.push(`${disk.mountPoint} is ${mount.fstype}, not ${disk.filesystem}`);
  if (disk.label !== undefined && source?.label !== disk.label) failures.push(`${mount.source} is labelled ${source?.label ?? "nothing"}, not ${disk.label}`);
  return failures;
}

function checkDisks(expectation: NodeExpectation, facts: Facts): CheckResult {
  const failures = expectation.disks.flatMap((disk) => checkDisk(disk, facts));
  const summary = expectation.disks.length === 0 ? "no data disks declared" : expectation.disks.map((d) => `${d.device} → ${d.mountPoint ?? "(not mounted)"} ${d.filesystem ?? ""}`.trim()).join("; ");
  return result("disks", failures, summary);
}

function checkFiles(expectation: NodeExpectation, facts: Facts): CheckResult {
  const failures = expectation.files.flatMap((file) => {
    const fact = facts.files.find((f) => f.path === file.path);
    if (fact === undefined || !fact.exists) return [`${file.path} missing`];
    const problems: string[] = [];
    if (fact.mode !== file.mode) problems.push(`${file.path} mode ${fact.mode ?? "?"}, not ${file.mode}`);
    if (fact.owner !== file.owner) problems.push(`${file.path} owner ${fact.owner ?? "?"}, not ${file.owner}`);
    return problems;
  });
  return result("files", failures, `${expectation.files.length} files with their modes and owners`);
}

function notReached(check: CheckName, failures: readonly string[]): CheckResult {
  return { check, outcome: "not-reached", detail: `the bootstrap applies these only after a package download, which the isolated network stops (${failures.join("; ")})` };
}

function checkSysctls(expectation: NodeExpectation, facts: Facts): CheckResult {
  const failures = Object.entries(expectation.sysctls)
    .filter(([key, value]) => (facts.sysctls[key] ?? null) !== value.split(/\s+/).join(" "))
    .map(([key, value]) => `${key} = ${facts.sysctls[key] ?? "(absent)"}, not ${value}`);
  if (failures.length > 0 && expectation.appliedAfterDownload.sysctls) return notReached("sysctls", failures);
  return result("sysctls", failures, Object.keys(expectation.sysctls).length === 0 ? "none declared" : Object.entries(expectation.sysctls).map(([k, v]) => `${k}=${v}`).join(" "));
}

function checkModules(expectation: NodeExpectation, facts: Facts): CheckResult {
  const failures = expectation.modules.filter((name) => facts.modules[name] !== true).map((name) => `${name} not loaded`);
  if (failures.length > 0 && expectation.appliedAfterDownload.modules) return notReached("modules", failures);
  return result("modules", failures, expectation.modules.length === 0 ? "none declared" : expectation.modules.join(" "));
}

function checkCloudInit(facts: Facts): CheckResult {
  if (!facts.cloudInitFinished || facts.cloudInit === null) return { check: "cloud-init", outcome: "fail", detail: `cloud-init did not finish (status ${facts.cloudInit?.status ?? "unknown"})` };
  const downloadFailed = facts.cloudInitOutput.some((line) => DOWNLOAD_FAILURE.test(line));
  const errors = facts.cloudInit.errors ?? [];
  const unexpected = errors.filter((error) => !(downloadFailed && PACKAGE_STEPS.test(error)));
  const recoverable = Object.entries(facts.cloudInit.recoverable_errors ?? {}).flatMap(([level, messages]) =>
    level === "DEPRECATED" || level === "WARNING" || level === "ERROR" ? messages.map((message) => `${level}: ${message}`) : [],
  );
  const unexpectedRecoverable = recoverable.filter((message) => !(downloadFailed && (PACKAGE_STEPS.test(message) || DOWNLOAD_FAILURE.test(message))));
  const failures = [...unexpected, ...unexpectedRecoverable];
  const expected = errors.length - unexpected.length + recoverable.length - unexpectedRecoverable.length;
  return result("cloud-init", failures, `status ${facts.cloudInit.status ?? "?"}${expected > 0 ? `, ${expected} expected package-download failures` : ""}`);
}

/** The datasource cloud-init must report: the NoCloud seed carrying the node's documents. */
export const SEED_DATASOURCE = "nocloud";

export function judge(expectation: NodeExpectation, facts: Facts): CheckResult[] {
  // Without the seed nothing below says anything about the documents (and a failing check would
  // prove nothing either): the boot itself fails.
  const datasource = facts.cloudInit?.datasource ?? "";
  if (datasource !== SEED_DATASOURCE) {
    return [{ check: "boot", outcome: "fail", detail: `cloud-init did not read the node's documents from the seed (datasource: ${datasource || "none"}, status ${facts.cloudInit?.status ?? "unknown"})` }];
  }
  return [
    checkNetwork(expectation, facts),
    result("hostname", facts.hostname === expectation.hostname ? [] : [`hostname ${facts.hostname}, not ${expectation.hostname}`], expectation.hostname),
    checkFiles(expectation, facts),
    checkDisks(expectation, facts),
    checkSysctls(expectation, facts),
    checkModules(expectation, facts),
    result("swap", facts.swaps.length === 0 ? [] : [`swap in use: ${facts.swaps.join("; ")}`], "off"),
    checkCloudInit(facts),
  ];
}
