/**
 * vSphere lookups (`vsphere:index/get*`): existing inventory the cluster is built into. Each is
 * an output-form invoke so its arguments may themselves be outputs of another lookup.
 */
import * as pulumi from "@pulumi/pulumi";
import { PLUGINS } from "../../../lib/catalog";

export interface LookupOptions {
  readonly provider?: pulumi.ProviderResource;
  readonly parent?: pulumi.Resource;
}

function invoke<T>(fn: string, args: pulumi.Inputs, opts: LookupOptions): pulumi.Output<T> {
  return pulumi.runtime.invokeOutput<T>(`vsphere:index/${fn}:${fn}`, args, { ...opts, version: PLUGINS.vsphere });
}

export interface GetDatacenterResult { readonly id: string; readonly name?: string }
export function getDatacenter(args: { name?: pulumi.Input<string> }, opts: LookupOptions = {}) {
  return invoke<GetDatacenterResult>("getDatacenter", args, opts);
}

export interface GetComputeClusterResult { readonly id: string; readonly name: string; readonly resourcePoolId: string; readonly datacenterId?: string }
export function getComputeCluster(args: { name: pulumi.Input<string>; datacenterId?: pulumi.Input<string> }, opts: LookupOptions = {}) {
  return invoke<GetComputeClusterResult>("getComputeCluster", args, opts);
}

export interface GetResourcePoolResult { readonly id: string; readonly name?: string }
export function getResourcePool(args: { name?: pulumi.Input<string>; datacenterId?: pulumi.Input<string> }, opts: LookupOptions = {}) {
  return invoke<GetResourcePoolResult>("getResourcePool", args, opts);
}

export interface GetDatastoreResult { readonly id: string; readonly name: string }
export function getDatastore(args: { name: pulumi.Input<string>; datacenterId?: pulumi.Input<string> }, opts: LookupOptions = {}) {
  return invoke<GetDatastoreResult>("getDatastore", args, opts);
}

export interface GetNetworkResult { readonly id: string; readonly name: string; readonly type: string }
export function getNetwork(args: { name: pulumi.Input<string>; datacenterId?: pulumi.Input<string> }, opts: LookupOptions = {}) {
  return invoke<GetNetworkResult>("getNetwork", args, opts);
}

export interface GetVirtualMachineDisk { readonly label: string; readonly size: number; readonly unitNumber: number; readonly thinProvisioned: boolean; readonly eagerlyScrub: boolean }
export interface GetVirtualMachineResult {
  readonly id: string;
  readonly uuid: string;
  readonly guestId: string;
  readonly firmware: string;
  readonly scsiType: string;
  readonly disks: GetVirtualMachineDisk[];
  readonly networkInterfaceTypes: string[];
  /** Virtual hardware version (e.g. 19). */
  readonly hardwareVersion?: number;
  /** vApp properties the template carries (an OVF import keeps them). */
  readonly vapp?: { readonly properties?: Readonly<Record<string, string>> };
}
export function getVirtualMachine(args: { name: pulumi.Input<string>; datacenterId?: pulumi.Input<string> }, opts: LookupOptions = {}) {
  return invoke<GetVirtualMachineResult>("getVirtualMachine", args, opts);
}

/**
 * A storage policy (SPBM profile) by its display name. The provider's read fails when no policy
 * has the name (terraform-provider-vsphere `data_source_vsphere_storage_policy.go`:
 * `spbm.PolicyIDByName` returns the error), so a misspelt name fails the preview.
 */
export interface GetPolicyResult { readonly id: string; readonly name: string }
export function getPolicy(args: { name: pulumi.Input<string> }, opts: LookupOptions = {}) {
  return invoke<GetPolicyResult>("getPolicy", args, opts);
}
