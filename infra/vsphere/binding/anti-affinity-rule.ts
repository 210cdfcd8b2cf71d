/** `vsphere:index/computeClusterVmAntiAffinityRule:ComputeClusterVmAntiAffinityRule`: keep VMs on different hosts. */
import * as pulumi from "@pulumi/pulumi";
import { PLUGINS } from "../../../lib/catalog";

export const ANTI_AFFINITY_RULE_TYPE = "vsphere:index/computeClusterVmAntiAffinityRule:ComputeClusterVmAntiAffinityRule";

export interface ComputeClusterVmAntiAffinityRuleArgs {
  readonly computeClusterId: pulumi.Input<string>;
  /** Managed object ids of the VMs (the VirtualMachine resource ids). */
  readonly virtualMachineIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Rule name in the DRS configuration. */
  readonly name?: pulumi.Input<string>;
  /** @default true */
  readonly enabled?: pulumi.Input<boolean>;
  /** Refuse to power on a VM that would break the rule. @default false */
  readonly mandatory?: pulumi.Input<boolean>;
}

export class ComputeClusterVmAntiAffinityRule extends pulumi.CustomResource {
  public declare readonly name: pulumi.Output<string>;
  public declare readonly virtualMachineIds: pulumi.Output<string[]>;

  constructor(name: string, args: ComputeClusterVmAntiAffinityRuleArgs, opts?: pulumi.CustomResourceOptions) {
    super(ANTI_AFFINITY_RULE_TYPE, name, { ...args }, { ...opts, version: PLUGINS.vsphere });
  }
}
