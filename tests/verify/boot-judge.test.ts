import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { NodeExpectation } from "../../tools/verify-boot/expectations";
import { type CheckResult, type Facts, judge } from "../../tools/verify-boot/judge";
import { UsageError, parseBootArgs, renderNode, verdict } from "../../tools/verify-boot/cli";
import { parseFacts, qemuArgs } from "../../tools/verify-boot/vm";

const EXPECTED: NodeExpectation = {
  name: "s1",
  hostname: "s1",
  interfaces: [{ id: "node", matchDriver: "vmxnet3", addresses: ["10.20.0.41/23"], gateway: "10.20.0.1", nameservers: ["10.20.0.2", "10.20.0.3"], search: ["emis.local"] }],
  files: [
    { path: "/etc/strata/kubeadm.yaml", mode: "0600", owner: "root:root" },
    { path: "/usr/local/sbin/prep.sh", mode: "0755", owner: "root:root" },
  ],
  disks: [{ device: "/dev/disk/by-path/pci-0000:00:03.0-scsi-0:0:1:0", scsiUnit: 1, label: "hdd-1", filesystem: "ext4", partitioned: true, mountPoint: "/data/hdd-1" }],
  sysctls: { "net.ipv4.ip_forward": "1" },
  modules: ["overlay"],
  appliedAfterDownload: { sysctls: false, modules: false },
};

/** What the collector reports for a node that came up as its documents say (isolated network). */
const GOOD: Facts = {
  cloudInitFinished: true,
  hostname: "s1",
  interfaces: [
    { name: "lo", mac: "00:00:00:00:00:00", driver: null, addresses: ["127.0.0.1/8"], dns: [], domains: [] },
    { name: "ens3", mac: "52:54:00:12:34:56", driver: "vmxnet3", addresses: ["10.20.0.41/23"], dns: ["10.20.0.2", "10.20.0.3"], domains: ["emis.local"] },
  ],
  routes: [{ dst: "default", gateway: "10.20.0.1", dev: "ens3" }, { dst: "10.20.0.0/23", dev: "ens3" }],
  files: [
    { path: "/etc/strata/kubeadm.yaml", exists: true, mode: "0600", owner: "root:root" },
    { path: "/usr/local/sbin/prep.sh", exists: true, mode: "0755", owner: "root:root" },
  ],
  blockDevices: [
    { name: "sda", path: "/dev/sda", type: "disk", fstype: "ext4", label: "strata-root", pkname: null, mountpoint: "/" },
    { name: "sdb", path: "/dev/sdb", type: "disk", fstype: null, label: null, pkname: null, mountpoint: null },
    { name: "sdb1", path: "/dev/sdb1", type: "part", fstype: "ext4", label: "hdd-1", pkname: "sdb", mountpoint: "/data/hdd-1" },
  ],
  mounts: [{ target: "/", source: "/dev/sda", fstype: "ext4" }, { target: "/data/hdd-1", source: "/dev/sdb1", fstype: "ext4" }],
  byPath: { "/dev/disk/by-path/pci-0000:00:03.0-scsi-0:0:0:0": "/dev/sda", "/dev/disk/by-path/pci-0000:00:03.0-scsi-0:0:1:0": "/dev/sdb" },
  sysctls: { "net.ipv4.ip_forward": "1" },
  modules: { overlay: true },
  swaps: [],
  cloudInit: {
    datasource: "nocloud",
    status: "error",
    errors: ["('scripts_user', RuntimeError('Runparts: 1 failures (runcmd) in 1 attempted commands'))"],
    recoverable_errors: { WARNING: ["Failed to run module scripts_user (scripts in /var/lib/cloud/instance/scripts)"] },
  },
  cloudInitLog: [],
  cloudInitOutput: ["curl: (6) Could not resolve host: pkgs.k8s.io"],
};

const outcome = (results: readonly CheckResult[], check: string) => results.find((r) => r.check === check);

describe("verify:boot: judging a booted node", () => {
  it("passes a node that carries its documents' network, files, disks, sysctls and modules", () => {
    const results = judge(EXPECTED, GOOD);
    expect(results.filter((r) => r.outcome !== "pass")).to.deep.equal([]);
    expect(outcome(results, "network")?.detail).to.equal("10.20.0.41/23 via 10.20.0.1 dns 10.20.0.2,10.20.0.3 on ens3 (vmxnet3)");
    expect(outcome(results, "cloud-init")?.detail).to.equal("status error, 2 expected package-download failures");
  });

  it("fails the network when the vmxnet3 NIC never got the address (first boot with set-name and no MAC)", () => {
    const legacy: Facts = { ...GOOD, interfaces: [{ name: "ens3", mac: "52:54:00:12:34:56", driver: "vmxnet3", addresses: [], dns: [], domains: [] }], routes: [] };
    const expectation = { ...EXPECTED, interfaces: [{ ...EXPECTED.interfaces[0]!, id: "eth0", setName: "eth0" }] };
    expect(outcome(judge(expectation, legacy), "network")).to.deep.equal({
      check: "network",
      outcome: "fail",
      detail: "no interface carries 10.20.0.41/23 (netplan eth0; interfaces: ens3 (vmxnet3, no address))",
    });
  });

  it("fails the network on a wrong name, route device, DNS or search domain", () => {
    const renamed = { ...EXPECTED, interfaces: [{ ...EXPECTED.interfaces[0]!, setName: "eth0" }] };
    expect(outcome(judge(renamed, GOOD), "network")?.detail).to.equal("the interface is named ens3, not eth0 (set-name)");
    const nic = GOOD.interfaces[1]!;
    const wrong: Facts = { ...GOOD, interfaces: [{ ...nic, dns: ["10.20.0.2"], domains: [] }, { name: "ens4", driver: "vmxnet3", addresses: [], dns: [], domains: [] }], routes: [{ dst: "default", gateway: "10.20.0.1", dev: "ens4" }] };
    expect(outcome(judge(EXPECTED, wrong), "network")?.detail).to.equal(
      "default route via 10.20.0.1 is on ens4, not ens3; ens3 DNS lacks 10.20.0.3 (has 10.20.0.2); ens3 search domains lack emis.local (has none)",
    );
    expect(outcome(judge(EXPECTED, { ...GOOD, routes: [] }), "network")?.detail).to.equal("no default route via 10.20.0.1");
  });

  it("fails a file with the wrong mode or owner, or missing", () => {
    const files = [{ path: "/etc/strata/kubeadm.yaml", exists: true, mode: "0644", owner: "root:adm" }, { path: "/usr/local/sbin/prep.sh", exists: false }];
    expect(outcome(judge(EXPECTED, { ...GOOD, files }), "files")?.detail).to.equal(
      "/etc/strata/kubeadm.yaml mode 0644, not 0600; /etc/strata/kubeadm.yaml owner root:adm, not root:root; /usr/local/sbin/prep.sh missing",
    );
  });

  it("fails data disks that are absent, unmounted, on the wrong disk or unpartitioned", () => {
    expect(outcome(judge(EXPECTED, { ...GOOD, byPath: {} }), "disks")?.detail).to.equal("/dev/disk/by-path/pci-0000:00:03.0-scsi-0:0:1:0 does not exist in the guest (by-path: none)");
    expect(outcome(judge(EXPECTED, { ...GOOD, mounts: [] }), "disks")?.detail).to.equal("nothing mounted at /data/hdd-1 (for /dev/disk/by-path/pci-0000:00:03.0-scsi-0:0:1:0)");
    const glob = { ...EXPECTED, disks: [{ ...EXPECTED.disks[0]!, device: "/dev/disk/by-path/*-scsi-0:0:1:0" }] };
    expect(outcome(judge(glob, GOOD), "disks")?.outcome).to.equal("pass");
    expect(outcome(judge({ ...glob, disks: [{ ...glob.disks[0]!, device: "/dev/disk/by-path/*-scsi-0:0:2:0" }] }, GOOD), "disks")?.detail).to.match(/^\/dev\/disk\/by-path\/\*-scsi-0:0:2:0 does not exist in the guest/);
    const onOsDisk: Facts = { ...GOOD, mounts: [{ target: "/data/hdd-1", source: "/dev/sda", fstype: "ext4" }] };
    expect(outcome(judge(EXPECTED, onOsDisk), "disks")?.detail).to.equal(
      "/data/hdd-1 is /dev/sda, not a partition of /dev/disk/by-path/pci-0000:00:03.0-scsi-0:0:1:0 (sdb); /dev/sda is labelled strata-root, not hdd-1",
    );
  });

  it("reports sysctls the bootstrap applies after a package download as not reached, otherwise as failed", () => {
    const unset: Facts = { ...GOOD, sysctls: { "net.ipv4.ip_forward": "0" }, modules: { overlay: false } };
    expect(outcome(judge(EXPECTED, unset), "sysctls")).to.deep.equal({ check: "sysctls", outcome: "fail", detail: "net.ipv4.ip_forward = 0, not 1" });
    expect(outcome(judge(EXPECTED, unset), "modules")).to.deep.equal({ check: "modules", outcome: "fail", detail: "overlay not loaded" });
    const late = judge({ ...EXPECTED, appliedAfterDownload: { sysctls: true, modules: true } }, unset);
    expect(outcome(late, "sysctls")?.outcome).to.equal("not-reached");
    expect(outcome(late, "modules")?.detail).to.equal("the bootstrap applies these only after a package download, which the isolated network stops (overlay not loaded)");
  });

  it("fails the boot, not a check, when cloud-init fell back instead of reading the seed", () => {
    const fallback: Facts = { ...GOOD, hostname: "localhost", cloudInit: { datasource: "", status: "done", errors: [] } };
    expect(judge(EXPECTED, fallback)).to.deep.equal([
      { check: "boot", outcome: "fail", detail: "cloud-init did not read the node's documents from the seed (datasource: none, status done)" },
    ]);
    expect(verdict([judge(EXPECTED, fallback)], "network")).to.equal(false);
  });

  it("fails swap, hostname, and cloud-init errors the isolated network does not explain", () => {
    const results = judge(EXPECTED, { ...GOOD, hostname: "localhost", swaps: ["/swap.img file 1048572 0 -2"] });
    expect(outcome(results, "hostname")?.detail).to.equal("hostname localhost, not s1");
    expect(outcome(results, "swap")?.detail).to.equal("swap in use: /swap.img file 1048572 0 -2");
    const schema: Facts = { ...GOOD, cloudInit: { datasource: "nocloud", status: "error", errors: [], recoverable_errors: { WARNING: ["Invalid cloud-config provided: Please run 'sudo cloud-init schema --system'"] } } };
    expect(outcome(judge(EXPECTED, schema), "cloud-init")?.detail).to.equal("WARNING: Invalid cloud-config provided: Please run 'sudo cloud-init schema --system'");
    const noDownload: Facts = { ...GOOD, cloudInitOutput: ["/usr/local/sbin/prep.sh: line 3: foo: command not found"] };
    expect(outcome(judge(EXPECTED, noDownload), "cloud-init")?.outcome).to.equal("fail");
    expect(outcome(judge(EXPECTED, { ...GOOD, cloudInitFinished: false }), "cloud-init")?.detail).to.equal("cloud-init did not finish (status error)");
  });
});

describe("verify:boot: command line, report and QEMU arguments", () => {
  it("parses the options and rejects bad ones with the flag named", () => {
    const options = parseBootArgs(["--out", "o", "--node", "a", "--network-config", "n.yaml", "--expect-failure", "network", "--jobs", "3"], { XDG_CACHE_HOME: "/c" });
    expect(options).to.deep.include({ outs: ["o"], nodes: ["a"], networkConfig: "n.yaml", expectFailure: "network", jobs: 3, accel: "auto", cache: "/c/strata/verify-boot", deadline: 600 });
    expect(parseBootArgs(["--out", "a", "--out", "b", "--one-per-shape"]).outs).to.deep.equal(["a", "b"]);
    expect(parseBootArgs(["--image-only", "--cache", "/c"])).to.deep.include({ imageOnly: true, outs: [], cache: "/c" });
    expect(() => parseBootArgs([])).to.throw(UsageError, "missing --out <plan output folder>");
    expect(() => parseBootArgs(["--out", "o", "--network-config", "n.yaml"])).to.throw(UsageError, "--network-config needs exactly one --node");
    expect(() => parseBootArgs(["--out", "o", "--expect-failure", "dns"])).to.throw(UsageError, "--expect-failure: unknown check (got dns); one of network, hostname, files, disks, sysctls, modules, swap, cloud-init");
    expect(() => parseBootArgs(["--out", "o", "--jobs", "0"])).to.throw(UsageError, "--jobs: expected a positive whole number (got 0)");
    expect(() => parseBootArgs(["--out", "o", "--one-per-shape", "--node", "a"])).to.throw(UsageError, "--one-per-shape and --node exclude each other");
  });

  it("passes only when nothing failed, or with --expect-failure only when that check failed on every VM", () => {
    const pass: CheckResult[] = [{ check: "network", outcome: "pass", detail: "" }, { check: "sysctls", outcome: "not-reached", detail: "" }];
    const netFail: CheckResult[] = [{ check: "network", outcome: "fail", detail: "" }];
    const noBoot: CheckResult[] = [{ check: "boot", outcome: "fail", detail: "" }];
    expect(verdict([pass, pass])).to.equal(true);
    expect(verdict([pass, netFail])).to.equal(false);
    expect(verdict([netFail], "network")).to.equal(true);
    expect(verdict([netFail, pass], "network")).to.equal(false);
    expect(verdict([noBoot], "network")).to.equal(false);
    expect(verdict([])).to.equal(false);
    expect(renderNode("s1", 42, [...pass, ...netFail])).to.equal("s1 (42 s)\n  ✓ network: \n  – sysctls: not reached: \n  ✗ network: ");
  });

  it("gives the VM a vmxnet3 NIC on a restricted user network and the disks on PVSCSI at their units", () => {
    const args = qemuArgs({
      image: { root: "/i/root.img", kernel: "/i/vmlinuz", initrd: "/i/initrd.img" },
      accel: "tcg",
      seed: "/w/seed.iso",
      dataDisks: [{ file: "/w/d1.img", scsiUnit: 1 }, { file: "/w/d2.img", scsiUnit: 2 }],
      mac: "00:50:56:aa:00:01",
      console: "/w/console.log",
      facts: "/w/facts.log",
      deadline: 300,
      memoryMiB: 1024,
    }).join(" ");
    expect(args).to.include("-netdev user,id=net0,restrict=on -device vmxnet3,netdev=net0,mac=00:50:56:aa:00:01");
    expect(args).to.include("-device pvscsi,id=pvscsi0");
    expect(args).to.include("-drive file=/i/root.img,if=none,id=os,format=raw,snapshot=on -device scsi-hd,drive=os,bus=pvscsi0.0,scsi-id=0");
    expect(args).to.include("-device scsi-hd,drive=data0,bus=pvscsi0.0,scsi-id=1");
    expect(args).to.include("-device scsi-hd,drive=data1,bus=pvscsi0.0,scsi-id=2");
    expect(args).to.include("-serial file:/w/facts.log");
    expect(args).to.include("strata.deadline=300");
    expect(args).not.to.match(/hostfwd|guestfwd|-netdev (tap|bridge)/);
  });

  it("reads the collector's facts between the markers, the last report winning", () => {
    expect(parseFacts('noise\nSTRATA-FACTS-BEGIN\n{"a":1}\nSTRATA-FACTS-END\nSTRATA-FACTS-BEGIN\n{"a":2}\nSTRATA-FACTS-END\n')).to.deep.equal({ a: 2 });
    expect(parseFacts("STRATA-FACTS-BEGIN\n{\"a\":")).to.equal(undefined);
    expect(parseFacts("")).to.equal(undefined);
  });
});

describe("verify:boot: a real report", () => {
  it("judges what the collector reported from a storage node booted with its rendered documents", () => {
    const facts = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "boot", "storage-node-facts.json"), "utf8")) as Facts;
    const disk = (unit: number, mountPoint: string) => ({ device: `/dev/disk/by-path/*-scsi-0:0:${unit}:0`, scsiUnit: unit, label: `strata-disk${unit}`, filesystem: "ext4", partitioned: true, mountPoint });
    const expectation: NodeExpectation = {
      ...EXPECTED,
      name: "emis-prod-storage-1",
      hostname: "emis-prod-storage-1",
      files: facts.files.map((f) => ({ path: f.path, mode: f.path.endsWith(".sh") ? "0755" : f.path.endsWith("kubeadm.yaml") ? "0600" : "0644", owner: "root:root" })),
      disks: [disk(1, "/var/lib/strata/disks/object-1"), disk(2, "/var/lib/strata/disks/object-fast-1")],
      sysctls: { "net.bridge.bridge-nf-call-iptables": "1", "net.ipv4.ip_forward": "1" },
      modules: ["overlay", "br_netfilter"],
    };
    expect(judge(expectation, facts).map((r) => `${r.check} ${r.outcome}`)).to.deep.equal([
      "network pass", "hostname pass", "files pass", "disks pass", "sysctls pass", "modules pass", "swap pass", "cloud-init pass",
    ]);
    const swapped = judge({ ...expectation, disks: [disk(1, "/var/lib/strata/disks/object-fast-1")] }, facts);
    expect(swapped.find((r) => r.check === "disks")?.detail).to.equal(
      "/var/lib/strata/disks/object-fast-1 is /dev/sdc1, not a partition of /dev/disk/by-path/*-scsi-0:0:1:0 (sdb); /dev/sdc1 is labelled strata-disk2, not strata-disk1",
    );
  });
});
