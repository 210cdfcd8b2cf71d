/**
 * `vsphere:index/entityPermissions:EntityPermissions`: the explicit permissions of one inventory
 * entity. The provider owns every explicit permission on the entity: it reads them all back and
 * removes on update the ones not declared, so it is only ever declared on an entity strata owns.
 */
import * as pulumi from "@pulumi/pulumi";
import { PLUGINS } from "../../../lib/catalog";

export const ENTITY_PERMISSIONS_TYPE = "vsphere:index/entityPermissions:EntityPermissions";

export interface EntityPermission {
  /** Principal as vCenter stores it, `DOMAIN\name` (compared without case by the provider). */
  readonly userOrGroup: pulumi.Input<string>;
  readonly isGroup: pulumi.Input<boolean>;
  /** Whether the permission applies to the entity's children too. */
  readonly propagate: pulumi.Input<boolean>;
  /** Role id: a `Role` resource's id, or a system role's (`-1` Admin, `-2` ReadOnly, `-5` NoAccess). */
  readonly roleId: pulumi.Input<string>;
}

export interface EntityPermissionsArgs {
  /** Managed object id of the entity, e.g. a `Folder` resource's id (`group-v123`). */
  readonly entityId: pulumi.Input<string>;
  /** Managed object type: `Folder`, `Datacenter`, `Datastore`, `ClusterComputeResource`, … */
  readonly entityType: pulumi.Input<string>;
  /** At least one; sorted by `userOrGroup` as the provider reads them back. */
  readonly permissions: pulumi.Input<pulumi.Input<EntityPermission>[]>;
}

export class EntityPermissions extends pulumi.CustomResource {
  public declare readonly entityId: pulumi.Output<string>;
  public declare readonly entityType: pulumi.Output<string>;
  public declare readonly permissions: pulumi.Output<EntityPermission[]>;

  constructor(name: string, args: EntityPermissionsArgs, opts?: pulumi.CustomResourceOptions) {
    super(ENTITY_PERMISSIONS_TYPE, name, { ...args }, { ...opts, version: PLUGINS.vsphere });
  }
}
