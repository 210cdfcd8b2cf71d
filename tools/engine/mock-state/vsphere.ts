/**
 * Realistic vSphere state: managed object ids (`vm-1234`, `datastore-42`), BIOS UUIDs, and the
 * static address a VM's guest reports once cloud-init has configured its network.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { stampExpiry, type TokenExpiryInputs } from "../../../infra/vsphere/token-expiry";
import type { ProviderMocks } from "./types";

/** Stable number from a name, so ids do not change between runs. */
function stableNumber(text: string, modulo = 9000): number {
  return (createHash("sha256").update(text).digest().readUInt32BE(0) % modulo) + 1000;
}

function stableUuid(text: string): string {
  const hex = createHash("sha256").update(text).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A string input (name, path) or the fallback. */
function text(inputs: Record<string, unknown>, key: string, fallback: string): string {
  const value = inputs[key];
  return typeof value === "string" ? value : fallback;
}

/** The address netplan gives the VM, read back from the metadata in guestinfo. */
function staticAddress(inputs: Record<string, unknown>): string | undefined {
  const extra = inputs["extraConfig"] as Record<string, string> | undefined;
  const encoded = extra?.["guestinfo.metadata"];
  if (typeof encoded !== "string") return undefined;
  const match = /addresses:\s*\n\s*-\s*(\d+\.\d+\.\d+\.\d+)\//.exec(Buffer.from(encoded, "base64").toString("utf8"));
  return match?.[1];
}

function virtualMachine(args: pulumi.runtime.MockResourceArgs) {
  const inputs = args.inputs as Record<string, unknown>;
  const name = text(inputs, "name", args.name);
  const moid = `vm-${stableNumber(name)}`;
  const address = staticAddress(inputs);
  return {
    id: stableUuid(`vm:${name}`),
    state: {
      moid,
      uuid: stableUuid(`vm:${name}`),
      vmxPath: `${name}/${name}.vmx`,
      powerState: "on",
      changeVersion: "2026-11-22T00:00:00.000000Z",
      vmwareToolsStatus: "guestToolsRunning",
      rebootRequired: false,
      imported: false,
      ...(address === undefined ? {} : { defaultIpAddress: address, guestIpAddresses: [address] }),
    },
  };
}

const TEMPLATE_DISK = { label: "Hard disk 1", size: 20, unitNumber: 0, thinProvisioned: true, eagerlyScrub: false };

export const vsphereMocks: ProviderMocks = {
  resources: {
    "vsphere:index/virtualMachine:VirtualMachine": virtualMachine,
    // The readiness gate's provider code never runs under mocks; it reports ready as a real
    // create would once /readyz answered.
    "pulumi-nodejs:dynamic/strata:ApiReadiness": () => ({ state: { ready: true } }),
    // The join token's expiry runs the provider's own stamping: a create at this moment.
    "pulumi-nodejs:dynamic/strata:TokenExpiry": (args) => {
      const state = stampExpiry(args.inputs as unknown as TokenExpiryInputs, Date.now());
      return { id: state.tokenId, state: { ...state } };
    },
    "vsphere:index/folder:Folder": (args) => ({ id: `group-v${stableNumber(text(args.inputs, "path", ""))}`, state: {} }),
    "vsphere:index/computeClusterVmAntiAffinityRule:ComputeClusterVmAntiAffinityRule": (args) => ({
      id: `domain-c${stableNumber("cluster")}:${stableUuid(text(args.inputs, "name", args.name))}`,
      state: { enabled: args.inputs["enabled"] ?? true, mandatory: args.inputs["mandatory"] ?? false },
    }),
  },
  calls: {
    "vsphere:index/getDatacenter:getDatacenter": (args) => ({
      id: `datacenter-${stableNumber(text(args.inputs, "name", "dc"))}`,
      name: args.inputs["name"],
      virtualMachines: [],
    }),
    "vsphere:index/getComputeCluster:getComputeCluster": (args) => ({
      id: `domain-c${stableNumber(text(args.inputs, "name", ""))}`,
      name: args.inputs["name"],
      datacenterId: args.inputs["datacenterId"],
      resourcePoolId: `resgroup-${stableNumber(text(args.inputs, "name", ""))}`,
    }),
    "vsphere:index/getResourcePool:getResourcePool": (args) => ({
      id: `resgroup-${stableNumber(text(args.inputs, "name", "root"))}`,
      name: args.inputs["name"],
      datacenterId: args.inputs["datacenterId"],
    }),
    "vsphere:index/getDatastore:getDatastore": (args) => ({
      id: `datastore-${stableNumber(text(args.inputs, "name", ""))}`,
      name: args.inputs["name"],
      datacenterId: args.inputs["datacenterId"],
      stats: { capacity: "10995116277760", free: "5497558138880" },
    }),
    "vsphere:index/getNetwork:getNetwork": (args) => ({
      id: `dvportgroup-${stableNumber(text(args.inputs, "name", ""))}`,
      name: args.inputs["name"],
      type: "DistributedVirtualPortgroup",
      datacenterId: args.inputs["datacenterId"],
    }),
    "vsphere:index/getPolicy:getPolicy": (args) => ({ id: stableUuid(`policy:${text(args.inputs, "name", "")}`), name: args.inputs["name"] }),
    "vsphere:index/getVirtualMachine:getVirtualMachine": (args) => ({
      id: stableUuid(`template:${text(args.inputs, "name", "")}`),
      uuid: stableUuid(`template:${text(args.inputs, "name", "")}`),
      moid: `vm-${stableNumber(text(args.inputs, "name", ""))}`,
      name: args.inputs["name"],
      guestId: "ubuntu64Guest",
      firmware: "efi",
      scsiType: "pvscsi",
      scsiBusSharing: "noSharing",
      hardwareVersion: 19,
      numCpus: 2,
      memory: 4096,
      disks: [TEMPLATE_DISK],
      networkInterfaceTypes: ["vmxnet3"],
      networkInterfaces: [{ adapterType: "vmxnet3", networkId: "dvportgroup-1001", macAddress: "00:50:56:aa:bb:cc", bandwidthShareCount: 50, externalPortId: "", physicalFunction: "" }],
      guestIpAddresses: [],
    }),
  },
};
