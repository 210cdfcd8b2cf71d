/** `vsphere:index/role:Role`: a vCenter role, a named set of privileges granted through permissions. */
import * as pulumi from "@pulumi/pulumi";
import { PLUGINS } from "../../../lib/catalog";

export const ROLE_TYPE = "vsphere:index/role:Role";

export interface RoleArgs {
  /** Role name, unique in the vCenter. */
  readonly name: pulumi.Input<string>;
  /**
   * Privilege ids (`Datastore.FileManagement`); vCenter adds `System.Anonymous`, `System.Read`
   * and `System.View` to every role by itself.
   */
  readonly rolePrivileges: pulumi.Input<pulumi.Input<string>[]>;
}

export class Role extends pulumi.CustomResource {
  public declare readonly name: pulumi.Output<string>;
  public declare readonly rolePrivileges: pulumi.Output<string[]>;

  constructor(name: string, args: RoleArgs, opts?: pulumi.CustomResourceOptions) {
    super(ROLE_TYPE, name, { ...args }, { ...opts, version: PLUGINS.vsphere });
  }
}
