/**
 * Storage nodes use their data disks (issue 8, item 6): disks found by SCSI unit, mounted by
 * purpose, and published to the cluster layer per purpose.
 */
import { expect } from "chai";
import { nodeDocuments } from "../../../infra/vsphere/bootstrap";
import { dataDiskMounts, dataDiskScript, dataDiskSets } from "../../../infra/vsphere/data-disks";
import { bootstrapPlan } from "../../../infra/vsphere/plan";
import { nodeSpecs } from "../../../infra/vsphere/pools";
import { cloudConfig, fileIn } from "./docs";
import { FAKE_MATERIAL, parsedInfra, rawInfra, VSPHERE_CONNECTION } from "./fixtures";
import { parseConfig } from "../../../config/schema";
import type { VsphereInfraConfig } from "../../../config/infra/vsphere";

describe("vSphere data disks", () => {
  const prod = parsedInfra("vsphere-prod.yaml");
  const nodes = nodeSpecs(prod);
  const plan = bootstrapPlan(prod, nodes);

  it("mounts each data disk by purpose (or tier) and SCSI unit, with a label unique on the node", () => {
    expect(dataDiskMounts([{ tier: "hdd", purpose: "object" }, { tier: "ssd", purpose: "object-fast" }, { tier: "ssd" }, { tier: "hdd", purpose: "object" }])).to.deep.equal([
      { unit: 1, fsLabel: "strata-disk1", mountPath: "/var/lib/strata/disks/object-1" },
      { unit: 2, fsLabel: "strata-disk2", mountPath: "/var/lib/strata/disks/object-fast-1" },
      { unit: 3, fsLabel: "strata-disk3", mountPath: "/var/lib/strata/disks/ssd-3" },
      { unit: 4, fsLabel: "strata-disk4", mountPath: "/var/lib/strata/disks/object-2" },
    ]);
  });

  it("finds disks by their stable by-path link, never by /dev/sdX order, and never formats a disk holding data", () => {
    const script = dataDiskScript(dataDiskMounts([{ tier: "hdd", purpose: "object" }]));
    expect(script).to.include('find /dev/disk/by-path -maxdepth 1 -name "*-scsi-0:0:${unit}:0"');
    expect(script).to.not.match(/\/dev\/sd[a-z]/);
    expect(script).to.include('if [ -z "$(blkid -o value -s TYPE "$part" || true)" ]; then');
    expect(script).to.include('echo "LABEL=${label} ${mount_path} ext4 defaults,nofail 0 2" >> /etc/fstab');
    expect(script.trimEnd().split("\n").at(-1)).to.equal("prepare_disk 1 strata-disk1 /var/lib/strata/disks/object-1");
  });

  it("prepares a storage node's disks before anything else runs, and leaves nodes without data disks alone", () => {
    const storage = cloudConfig(nodeDocuments(nodes.find((n) => n.name === "emis-prod-storage-1")!, plan, FAKE_MATERIAL).userData);
    expect(storage.runcmd[0]).to.match(/^\/usr\/local\/sbin\/strata-data-disks\.sh && \/usr\/local\/sbin\/strata-node-prep\.sh && /);
    const script = fileIn(storage, "/usr/local/sbin/strata-data-disks.sh")!;
    expect(script).to.include("prepare_disk 1 strata-disk1 /var/lib/strata/disks/object-1\nprepare_disk 2 strata-disk2 /var/lib/strata/disks/object-fast-1\n");
    // A node without data disks: a control plane (prod's workers autoscale, issue #21, and have no Pulumi VM).
    const worker = cloudConfig(nodeDocuments(nodes.find((n) => n.name === "emis-prod-control-plane-2")!, plan, FAKE_MATERIAL).userData);
    expect(fileIn(worker, "/usr/local/sbin/strata-data-disks.sh")).to.equal(undefined);
    expect(worker).to.not.have.any.keys("disk_setup", "fs_setup", "mounts");
  });

  it("publishes the prod storage disks by purpose: HDD for object data, SSD for its metadata", () => {
    expect(dataDiskSets(prod)).to.deep.equal({
      object: { pools: ["storage"], paths: ["/var/lib/strata/disks/object-1"] },
      "object-fast": { pools: ["storage"], paths: ["/var/lib/strata/disks/object-fast-1"] },
    });
    expect(dataDiskSets(parsedInfra("vsphere-dev.yaml"))).to.deep.equal({});
  });

  it("publishes only the paths every storage pool of a purpose has, whatever the disks' order", () => {
    const raw = rawInfra() as { vsphere: { nodePools: Record<string, Record<string, unknown>> } };
    raw.vsphere.nodePools["storage-b"] = {
      ...raw.vsphere.nodePools["storage"],
      addressRange: "10.20.1.41-10.20.1.49",
      dataDisks: [{ sizeGi: 100, tier: "ssd", purpose: "object-fast" }, { sizeGi: 100, tier: "hdd", purpose: "object" }, { sizeGi: 100, tier: "hdd", purpose: "object" }],
    };
    const config = parseConfig({ environment: "prod", infra: raw, hasKubeconfig: false, vsphere: { ...VSPHERE_CONNECTION, server: "vc" } });
    const sets = dataDiskSets(config.infra as VsphereInfraConfig);
    expect(sets.object).to.deep.equal({ pools: ["storage", "storage-b"], paths: ["/var/lib/strata/disks/object-1"] });
    expect(sets["object-fast"]).to.deep.equal({ pools: ["storage", "storage-b"], paths: ["/var/lib/strata/disks/object-fast-1"] });
  });
});
