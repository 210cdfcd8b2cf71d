/** Looks up the existing vSphere inventory the cluster is placed into. */
import type * as pulumi from "@pulumi/pulumi";
import type { VsphereSettings } from "../../config/infra/vsphere";
import * as vsphere from "./binding";

export interface Inventory {
  readonly datacenterId: pulumi.Output<string>;
  readonly computeClusterId: pulumi.Output<string>;
  readonly resourcePoolId: pulumi.Output<string>;
  /** Datastore id by tier name. */
  readonly datastores: Readonly<Record<string, pulumi.Output<string>>>;
  /** Port group id by node network name. */
  readonly networks: Readonly<Record<string, pulumi.Output<string>>>;
  readonly template: pulumi.Output<vsphere.GetVirtualMachineResult>;
  /** Storage policy id by purpose (`vsphere.storagePolicies`): looked up so a wrong name fails the preview. */
  readonly storagePolicies: Readonly<Record<string, pulumi.Output<string>>>;
}

export function lookupInventory(settings: VsphereSettings, opts: vsphere.LookupOptions): Inventory {
  const datacenter = vsphere.getDatacenter({ name: settings.datacenter }, opts);
  const datacenterId = datacenter.id;
  const cluster = vsphere.getComputeCluster({ name: settings.computeCluster, datacenterId }, opts);
  const resourcePoolId =
    settings.resourcePool === undefined ? cluster.resourcePoolId : vsphere.getResourcePool({ name: settings.resourcePool, datacenterId }, opts).id;
  const datastores = Object.fromEntries(
    Object.entries(settings.datastoreTiers).map(([tier, ds]) => [tier, vsphere.getDatastore({ name: ds.datastore, datacenterId }, opts).id]),
  );
  const networks = Object.fromEntries(
    Object.entries(settings.networks).map(([name, net]) => [name, vsphere.getNetwork({ name: net.portGroup, datacenterId }, opts).id]),
  );
  const template = vsphere.getVirtualMachine({ name: settings.template, datacenterId }, opts);
  const storagePolicies = Object.fromEntries(
    Object.entries(settings.storagePolicies).map(([purpose, name]) => [purpose, vsphere.getPolicy({ name }, opts).id]),
  );
  return { datacenterId, computeClusterId: cluster.id, resourcePoolId, datastores, networks, template, storagePolicies };
}
