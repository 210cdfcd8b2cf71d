/**
 * issue #20: the CPI's and the CSI driver's vCenter privileges are exactly what upstream
 * documents. The expected values below are read from the cited sources:
 * - kubernetes/cloud-provider-vsphere v1.35.1 `docs/book/vcp_roles.md`: the CPI's user gets the
 *   system role ReadOnly on the parents of the node VMs, nothing more;
 * - kubernetes-sigs/vsphere-csi-driver v3.7.3 `tests/e2e/config_secret_utils.go` (`userRoleMap`)
 *   and VMware's "vSphere Roles and Privileges" (Cloud Native Storage): CNS-DATASTORE
 *   `Datastore.FileManagement`, CNS-HOST-CONFIG-STORAGE `Host.Config.Storage` (file volumes on
 *   vSAN file services only), CNS-VM `VirtualMachine.Config.AddExistingDisk` and
 *   `VirtualMachine.Config.AddRemoveDevice`, CNS-SEARCH-AND-SPBM `Cns.Searchable` and
 *   `StorageProfile.View`, plus ReadOnly;
 * - govmomi `simulator/esx/authorization_manager.go`: system role ids NoAccess -5, ReadOnly -2, Admin -1.
 * - machine-controller (issue #21): KubeOne's "machine-controller vSphere requirements" roles
 *   `k8c-user-*` (kubermatic/docs), cut to the calls of machine-controller v1.66.2's vSphere
 *   provider (`pkg/cloudprovider/provider/vsphere/helper.go`, `provider.go`, `rule.go`): the clone
 *   checks `VirtualMachine.Provisioning.Clone` on the source, `VirtualMachine.Inventory.CreateFromExisting`
 *   on the target folder, `Datastore.AllocateSpace` on the datastore, `Resource.AssignVMToPool`
 *   on the resource pool and `Network.Assign` on the networks (vSphere API reference, `CloneVM_Task`).
 */
import { expect } from "chai";
import { folderPermissions } from "../../../infra/vsphere/permissions";
import {
  CLONING_PRIVILEGES,
  CPI_GRANTS,
  CSI_GRANTS,
  CSI_ROLE_PRIVILEGES,
  csiRoleName,
  MACHINE_CONTROLLER_GRANTS,
  MACHINE_CONTROLLER_ROLE_PRIVILEGES,
  SYSTEM_ROLE_IDS,
} from "../../../infra/vsphere/privileges";

const UPSTREAM_CSI_ROLES: Record<string, readonly string[]> = {
  "CNS-DATASTORE": ["Datastore.FileManagement"],
  "CNS-HOST-CONFIG-STORAGE": ["Host.Config.Storage"],
  "CNS-VM": ["VirtualMachine.Config.AddExistingDisk", "VirtualMachine.Config.AddRemoveDevice"],
  "CNS-SEARCH-AND-SPBM": ["Cns.Searchable", "StorageProfile.View"],
};

describe("infra: vSphere privileges of the CPI and CSI accounts", () => {
  it("issue #20: gives the CSI driver exactly the documented CNS roles, leaving out only the file-volume one", () => {
    const ours = Object.fromEntries(Object.entries(CSI_ROLE_PRIVILEGES).map(([role, privileges]) => [role.toUpperCase(), [...privileges]]));
    const { "CNS-HOST-CONFIG-STORAGE": fileVolumesOnly, ...blockVolumes } = UPSTREAM_CSI_ROLES;
    expect(fileVolumesOnly).to.deep.equal(["Host.Config.Storage"]);
    expect(ours).to.deep.equal(blockVolumes);
  });

  it("issue #20: gives the CPI the system ReadOnly role and nothing else", () => {
    expect([...new Set(CPI_GRANTS.map((g) => g.role))]).to.deep.equal(["ReadOnly"]);
    expect(CPI_GRANTS.map((g) => g.on)).to.include.members(["datacenter", "compute cluster and hosts", "datastores", "cluster VM folder"]);
  });

  it("grants each CSI role where the documentation says", () => {
    const where = Object.fromEntries(CSI_GRANTS.filter((g) => g.role !== "ReadOnly").map((g) => [g.role, [g.on, g.propagate]]));
    expect(where).to.deep.equal({ "cns-search-and-spbm": ["root vCenter", false], "cns-datastore": ["datastores", false], "cns-vm": ["cluster VM folder", true] });
  });

  it("uses the system roles' fixed ids and per-cluster names for its own roles", () => {
    expect(SYSTEM_ROLE_IDS).to.deep.equal({ admin: "-1", readOnly: "-2", noAccess: "-5" });
    expect(csiRoleName("emis-prod", "cns-vm")).to.equal("strata-emis-prod-cns-vm");
  });

  it("lists the folder's principals sorted as the provider reads them back, without the provisioning account", () => {
    const permissions = folderPermissions(
      { cpiUser: "svc-k8s-cpi@vsphere.local", csiUser: "svc-k8s-csi@vsphere.local", admins: [{ principal: "EMIS\\k8s-admins", group: true }], noAccess: [{ principal: "VSPHERE.LOCAL\\ReadOnlyUsers", group: true }] },
      "1001",
    );
    expect(permissions).to.deep.equal([
      { userOrGroup: "EMIS\\k8s-admins", isGroup: true, propagate: true, roleId: "-1" },
      { userOrGroup: "VSPHERE.LOCAL\\ReadOnlyUsers", isGroup: true, propagate: true, roleId: "-5" },
      { userOrGroup: "VSPHERE.LOCAL\\svc-k8s-cpi", isGroup: false, propagate: true, roleId: "-2" },
      { userOrGroup: "VSPHERE.LOCAL\\svc-k8s-csi", isGroup: false, propagate: true, roleId: "1001" },
    ]);
    expect(folderPermissions({ admins: [], noAccess: [] }, "1001")).to.deep.equal([]);
  });

  it("issue #21: gives machine-controller the cloning set, each privilege where the clone checks it", () => {
    const all = Object.values(MACHINE_CONTROLLER_ROLE_PRIVILEGES).flat();
    expect(all).to.include.members([...CLONING_PRIVILEGES]);
    const where = Object.fromEntries(MACHINE_CONTROLLER_GRANTS.filter((g) => g.role !== "ReadOnly").map((g) => [g.role, [g.on, g.propagate]]));
    expect(where).to.deep.equal({
      "mc-template": ["template VM", false],
      "mc-vm": ["cluster VM folder", true],
      "mc-datastore": ["datastores", false],
      "mc-cluster": ["compute cluster and hosts", true],
      "mc-network": ["port groups", false],
    });
    expect(MACHINE_CONTROLLER_ROLE_PRIVILEGES["mc-template"]).to.deep.equal(["VirtualMachine.Provisioning.Clone"]);
    expect(MACHINE_CONTROLLER_ROLE_PRIVILEGES["mc-vm"]).to.include.members(["VirtualMachine.Inventory.CreateFromExisting", "VirtualMachine.Inventory.Delete", "VirtualMachine.Interact.PowerOn", "VirtualMachine.Interact.PowerOff"]);
    // Nothing beyond the VMs' own lifecycle: no folders, roles, permissions or snapshots.
    expect(all.filter((p) => /^(Folder|Authorization|Global)\.|\.State\./.test(p))).to.deep.equal([]);
  });

  it("issue #21: puts machine-controller's account on the folder with its VM role", () => {
    const permissions = folderPermissions({ csiUser: "svc-k8s-csi@vsphere.local", machineControllerUser: "svc-k8s-mc@vsphere.local", admins: [], noAccess: [] }, "1001", "1002");
    expect(permissions).to.deep.equal([
      { userOrGroup: "VSPHERE.LOCAL\\svc-k8s-csi", isGroup: false, propagate: true, roleId: "1001" },
      { userOrGroup: "VSPHERE.LOCAL\\svc-k8s-mc", isGroup: false, propagate: true, roleId: "1002" },
    ]);
  });
});
