import { expect } from "chai";
import { parse } from "yaml";
import { dataDiskMounts, userData } from "../../../infra/vsphere/cloud-init";

describe("vSphere cloud-init user-data", () => {
  it("chains the bootstrap steps in one runcmd line, so kubeadm never runs after a failed node-prep", () => {
    const doc = parse(
      userData({
        hostname: "c-control-plane-1",
        adminUser: "strata",
        sshAuthorizedKeys: [],
        files: [],
        commands: ["/usr/local/sbin/strata-node-prep.sh", "/usr/local/sbin/strata-kubeadm-init.sh"],
      }).replace(/^#cloud-config\n/, ""),
    ) as { runcmd: unknown };
    expect(doc.runcmd).to.deep.equal(["/usr/local/sbin/strata-node-prep.sh && /usr/local/sbin/strata-kubeadm-init.sh"]);
  });

  it("partitions, formats and mounts data disks by label, never overwriting existing data", () => {
    const base = { hostname: "c-storage-1", adminUser: "strata", sshAuthorizedKeys: [], files: [], commands: ["/bin/true"] };
    const doc = parse(userData({ ...base, dataDisks: dataDiskMounts(["hdd-1", "ssd-2"]) }).replace(/^#cloud-config\n/, "")) as Record<string, unknown>;
    expect(doc.disk_setup).to.deep.equal({
      "/dev/sdb": { table_type: "gpt", layout: true, overwrite: false },
      "/dev/sdc": { table_type: "gpt", layout: true, overwrite: false },
    });
    expect(doc.fs_setup).to.deep.equal([
      { label: "strata-hdd-1", filesystem: "ext4", device: "/dev/sdb", partition: "auto", overwrite: false },
      { label: "strata-ssd-2", filesystem: "ext4", device: "/dev/sdc", partition: "auto", overwrite: false },
    ]);
    expect(doc.mounts).to.deep.equal([
      ["LABEL=strata-hdd-1", "/var/lib/strata/disks/hdd-1", "ext4", "defaults,nofail", "0", "2"],
      ["LABEL=strata-ssd-2", "/var/lib/strata/disks/ssd-2", "ext4", "defaults,nofail", "0", "2"],
    ]);
    const plain = parse(userData(base).replace(/^#cloud-config\n/, "")) as Record<string, unknown>;
    expect(plain).to.not.have.any.keys("disk_setup", "fs_setup", "mounts");
  });
});
