import { expect } from "chai";
import { parse } from "yaml";
import { userData } from "../../../infra/vsphere/cloud-init";

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
});
