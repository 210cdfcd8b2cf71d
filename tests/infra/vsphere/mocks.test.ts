/** The vSphere mocks return state shaped like the provider's, so code reading outputs sees real-looking values. */
import { expect } from "chai";
import { guestinfo, metadata } from "../../../infra/vsphere/cloud-init";
import { netplan } from "../../../infra/vsphere/network";
import { vsphereMocks } from "../../../tools/engine/mock-state/vsphere";

const resource = (type: string, name: string, inputs: Record<string, unknown>) =>
  vsphereMocks.resources[type]!({ type, name, inputs, provider: "", custom: true });
const call = (fn: string, inputs: Record<string, unknown>) =>
  vsphereMocks.calls[`vsphere:index/${fn}:${fn}`]!({ token: fn, inputs });

describe("vSphere mocks", () => {
  it("report the VM's static address, a moid and a stable BIOS UUID", () => {
    const meta = metadata("c-w-1", netplan({ address: "10.0.0.21", prefixLength: 24, gateway: "10.0.0.1", dnsServers: ["10.0.0.2"], searchDomains: [] }));
    const vm = resource("vsphere:index/virtualMachine:VirtualMachine", "c-w-1", { name: "c-w-1", extraConfig: guestinfo("#cloud-config\n", meta) });
    expect(vm.state).to.include({ defaultIpAddress: "10.0.0.21", powerState: "on" });
    expect(vm.state["moid"]).to.match(/^vm-\d+$/);
    expect(vm.id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(resource("vsphere:index/virtualMachine:VirtualMachine", "c-w-1", { name: "c-w-1" }).id).to.equal(vm.id);
  });

  it("describe the template the way getVirtualMachine does", () => {
    const template = call("getVirtualMachine", { name: "ubuntu-24.04" });
    expect(template).to.include({ guestId: "ubuntu64Guest", firmware: "efi", scsiType: "pvscsi" });
    expect(template["networkInterfaceTypes"]).to.deep.equal(["vmxnet3"]);
    expect(call("getComputeCluster", { name: "c1" })["resourcePoolId"]).to.match(/^resgroup-\d+$/);
    expect(call("getDatastore", { name: "ds" })["id"]).to.match(/^datastore-\d+$/);
  });
});
