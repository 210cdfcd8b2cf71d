import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expectationsOf, probeOf, scriptDisks, scsiUnitOf, sysctlLines } from "../../tools/verify-boot/expectations";
import { labelledRoleOf, onePerShape, poolOf, roleOf } from "../../tools/verify-boot/select";

const NETWORK = `version: 2
ethernets:
  node:
    match:
      driver: vmxnet3
    dhcp4: false
    addresses:
      - 10.20.0.41/23
    routes:
      - to: default
        via: 10.20.0.1
    nameservers:
      addresses: [10.20.0.2, 10.20.0.3]
      search: [emis.local]
`;

const META = "instance-id: n1\nlocal-hostname: n1-meta\n";

const PREP = `#!/bin/bash
set -euo pipefail
swapoff -a
modprobe overlay
modprobe br_netfilter
sysctl --system
curl -fsSL "https://pkgs.k8s.io/core:/stable:/v1.35/deb/Release.key" | gpg --dearmor -o /k.gpg
apt-get update
`;

function storageUserData(devices: readonly [string, string]): string {
  return `#cloud-config
hostname: emis-prod-storage-1
disk_setup:
  ${devices[0]}: {table_type: gpt, layout: true, overwrite: false}
  ${devices[1]}: {table_type: gpt, layout: true, overwrite: false}
fs_setup:
  - {label: strata-hdd-1, filesystem: ext4, device: ${devices[0]}, partition: auto}
  - {label: strata-ssd-2, filesystem: xfs, device: ${devices[1]}, partition: auto}
mounts:
  - [LABEL=strata-hdd-1, /var/lib/strata/disks/hdd-1, ext4, "defaults,nofail", "0", "2"]
  - [LABEL=strata-ssd-2, /srv/ssd, xfs, "defaults,nofail", "0", "2"]
write_files:
  - path: /etc/modules-load.d/kubernetes.conf
    permissions: "0644"
    content: |
      overlay
      br_netfilter
  - path: /etc/sysctl.d/90-kubernetes.conf
    owner: root:root
    permissions: "0644"
    content: |
      # comment
      net.bridge.bridge-nf-call-iptables = 1
      net.ipv4.ip_forward=1
  - path: /etc/strata/kubeadm.yaml
    permissions: "0600"
    content: "x"
  - path: /usr/local/sbin/strata-node-prep.sh
    permissions: "0755"
    content: ${JSON.stringify(PREP)}
  - path: /usr/local/sbin/strata-kubeadm-join.sh
    permissions: "0755"
    content: "#!/bin/bash\\nkubeadm join\\n"
runcmd:
  - /usr/local/sbin/strata-node-prep.sh && /usr/local/sbin/strata-kubeadm-join.sh
`;
}

const LB_USER_DATA = `#cloud-config
hostname: lb-1
write_files:
  - path: /etc/sysctl.d/90-load-balancer.conf
    permissions: "0644"
    content: "net.ipv4.ip_nonlocal_bind = 1\\n"
  - path: /usr/local/sbin/strata-load-balancer.sh
    permissions: "0755"
    content: "#!/bin/bash\\napt-get update\\napt-get install -y haproxy\\nsysctl --system\\n"
runcmd:
  - /usr/local/sbin/strata-load-balancer.sh
`;

describe("verify:boot: expectations read from the rendered documents", () => {
  it("takes address, gateway, DNS and the match rule from network-config, hostname from user-data", () => {
    const e = expectationsOf({ name: "n1", userData: storageUserData(["/dev/sdb", "/dev/sdc"]), metaData: META, networkConfig: NETWORK });
    expect(e.hostname).to.equal("emis-prod-storage-1");
    expect(e.interfaces).to.deep.equal([
      { id: "node", matchDriver: "vmxnet3", addresses: ["10.20.0.41/23"], gateway: "10.20.0.1", nameservers: ["10.20.0.2", "10.20.0.3"], search: ["emis.local"] },
    ]);
  });

  it("reads set-name and a MAC match when the netplan has them (legacy fixture)", () => {
    const legacy = readFileSync(join(__dirname, "..", "fixtures", "boot", "legacy-set-name-network-config.yaml"), "utf8");
    const e = expectationsOf({ name: "n1", userData: "#cloud-config\n", metaData: META, networkConfig: legacy });
    expect(e.interfaces[0]).to.include({ id: "eth0", setName: "eth0", matchDriver: "vmxnet3" });
    expect(e.hostname).to.equal("n1-meta");
    const mac = expectationsOf({ name: "n1", userData: "#cloud-config\n", metaData: META, networkConfig: NETWORK.replace("driver: vmxnet3", "macaddress: 00:50:56:AA:00:01") });
    expect(mac.interfaces[0]?.matchMac).to.equal("00:50:56:aa:00:01");
  });

  it("derives data disks, their SCSI units, filesystems and mount points from disk_setup/fs_setup/mounts", () => {
    const e = expectationsOf({ name: "n1", userData: storageUserData(["/dev/sdb", "/dev/sdc"]), metaData: META, networkConfig: NETWORK });
    expect(e.disks).to.deep.equal([
      { device: "/dev/sdb", scsiUnit: 1, label: "strata-hdd-1", filesystem: "ext4", partitioned: true, mountPoint: "/var/lib/strata/disks/hdd-1" },
      { device: "/dev/sdc", scsiUnit: 2, label: "strata-ssd-2", filesystem: "xfs", partitioned: true, mountPoint: "/srv/ssd" },
    ]);
    const byPath = expectationsOf({
      name: "n1",
      userData: storageUserData(["/dev/disk/by-path/pci-0000:03:00.0-scsi-0:0:1:0", "/dev/disk/by-path/pci-0000:03:00.0-scsi-0:0:2:0"]),
      metaData: META,
      networkConfig: NETWORK,
    });
    expect(byPath.disks.map((d) => [d.scsiUnit, d.mountPoint])).to.deep.equal([[1, "/var/lib/strata/disks/hdd-1"], [2, "/srv/ssd"]]);
  });

  it("reads data disks a boot script prepares by SCSI unit: unit, label and mount path from the calls", () => {
    const script = [
      "#!/bin/bash",
      "disk_link() {",
      "  local unit=$1 waited=0 links",
      "}",
      "prepare_disk() {",
      "  local unit=$1 label=$2 mount_path=$3 link part",
      '  part="${link}-part1"',
      '  mkfs.ext4 -q -L "$label" "$part"',
      "}",
      "",
      "prepare_disk 1 strata-disk1 /var/lib/strata/disks/object-1",
      "prepare_disk 3 strata-disk3 /var/lib/strata/disks/object-fast-1",
    ].join("\n");
    const userData = `#cloud-config\nwrite_files:\n  - path: /usr/local/sbin/disks.sh\n    permissions: "0755"\n    content: ${JSON.stringify(script)}\nruncmd:\n  - /usr/local/sbin/disks.sh\n`;
    const e = expectationsOf({ name: "n1", userData, metaData: META, networkConfig: NETWORK });
    expect(e.disks).to.deep.equal([
      { device: "/dev/disk/by-path/*-scsi-0:0:1:0", scsiUnit: 1, label: "strata-disk1", filesystem: "ext4", partitioned: true, mountPoint: "/var/lib/strata/disks/object-1" },
      { device: "/dev/disk/by-path/*-scsi-0:0:3:0", scsiUnit: 3, label: "strata-disk3", filesystem: "ext4", partitioned: true, mountPoint: "/var/lib/strata/disks/object-fast-1" },
    ]);
    expect(scriptDisks("prepare_disk 1 a /b\n")).to.deep.equal([]);
  });

  it("maps device names to SCSI units and rejects names that do not say which disk", () => {
    expect(scsiUnitOf("/dev/sdd")).to.equal(3);
    expect(scsiUnitOf("/dev/disk/by-path/pci-0000:00:05.0-scsi-0:0:4:0")).to.equal(4);
    expect(() => scsiUnitOf("/dev/disk/by-label/data")).to.throw("/dev/disk/by-label/data: cannot tell which SCSI unit this disk is; use /dev/sdX or /dev/disk/by-path/…-scsi-0:0:N:0");
  });

  it("lists every write_files file with mode and owner, and the sysctls and modules the files declare", () => {
    const e = expectationsOf({ name: "n1", userData: storageUserData(["/dev/sdb", "/dev/sdc"]), metaData: META, networkConfig: NETWORK });
    expect(e.files.map((f) => `${f.path} ${f.mode} ${f.owner}`)).to.deep.equal([
      "/etc/modules-load.d/kubernetes.conf 0644 root:root",
      "/etc/sysctl.d/90-kubernetes.conf 0644 root:root",
      "/etc/strata/kubeadm.yaml 0600 root:root",
      "/usr/local/sbin/strata-node-prep.sh 0755 root:root",
      "/usr/local/sbin/strata-kubeadm-join.sh 0755 root:root",
    ]);
    expect(e.sysctls).to.deep.equal({ "net.bridge.bridge-nf-call-iptables": "1", "net.ipv4.ip_forward": "1" });
    expect(e.modules).to.deep.equal(["overlay", "br_netfilter"]);
    expect(probeOf(e)).to.deep.equal({ files: e.files.map((f) => f.path), sysctls: ["net.bridge.bridge-nf-call-iptables", "net.ipv4.ip_forward"], modules: ["overlay", "br_netfilter"] });
    expect(sysctlLines("-kernel/panic = 10\n; x\n")).to.deep.equal({ "kernel.panic": "10" });
  });

  it("knows when the bootstrap applies sysctls or modules only after a package download", () => {
    const node = expectationsOf({ name: "n1", userData: storageUserData(["/dev/sdb", "/dev/sdc"]), metaData: META, networkConfig: NETWORK });
    expect(node.appliedAfterDownload).to.deep.equal({ sysctls: false, modules: false });
    const lb = expectationsOf({ name: "lb-1", userData: LB_USER_DATA, metaData: META, networkConfig: NETWORK });
    expect(lb.appliedAfterDownload).to.deep.equal({ sysctls: true, modules: false });
    expect(lb.sysctls).to.deep.equal({ "net.ipv4.ip_nonlocal_bind": "1" });
  });
});

describe("verify:boot: which nodes to boot", () => {
  it("names a node's role by the scripts runcmd calls, and its pool by the name without the index", () => {
    expect(roleOf(storageUserData(["/dev/sdb", "/dev/sdc"]))).to.equal("strata-kubeadm-join");
    expect(roleOf(LB_USER_DATA)).to.equal("strata-load-balancer");
    expect(roleOf("#cloud-config\n")).to.equal("none");
    expect(poolOf("emis-prod-workers-12")).to.equal("emis-prod-workers");
  });

  it("boots one node per shape: first and joining control plane, one worker, storage, database, load balancer", () => {
    const init = "#cloud-config\nruncmd:\n  - /usr/local/sbin/strata-node-prep.sh && /usr/local/sbin/strata-kubeadm-init.sh\n";
    const join = (role: string) => `#cloud-config\n# node-labels: node.strata.io/pool=x,node.strata.io/role=${role}\nruncmd:\n  - /usr/local/sbin/strata-node-prep.sh && /usr/local/sbin/strata-kubeadm-join.sh\n`;
    const nodes = [
      { name: "p-workers-10", userData: join("worker"), dataDisks: 0 },
      { name: "p-control-plane-3", userData: join("control-plane"), dataDisks: 0 },
      { name: "p-control-plane-1", userData: init, dataDisks: 0 },
      { name: "p-control-plane-2", userData: join("control-plane"), dataDisks: 0 },
      { name: "p-workers-2", userData: join("worker"), dataDisks: 0 },
      { name: "p-storage-1", userData: join("storage"), dataDisks: 2 },
      { name: "p-storage-2", userData: join("storage"), dataDisks: 2 },
      { name: "p-redis-1", userData: join("database"), dataDisks: 0 },
      { name: "p-mysql-1", userData: join("database"), dataDisks: 0 },
      { name: "p-load-balancers-1", userData: LB_USER_DATA, dataDisks: 0 },
      { name: "p-load-balancers-2", userData: LB_USER_DATA, dataDisks: 0 },
    ];
    expect(onePerShape(nodes)).to.deep.equal(["p-control-plane-1", "p-control-plane-2", "p-load-balancers-1", "p-mysql-1", "p-storage-1", "p-workers-2"]);
    expect(labelledRoleOf(join("storage"))).to.equal("storage");
    expect(labelledRoleOf(LB_USER_DATA)).to.equal(undefined);
  });
});
