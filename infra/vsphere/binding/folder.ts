/** `vsphere:index/folder:Folder`: a vSphere inventory folder. */
import * as pulumi from "@pulumi/pulumi";
import { PLUGINS } from "../../../lib/catalog";

export const FOLDER_TYPE = "vsphere:index/folder:Folder";

export interface FolderArgs {
  /** Path relative to the datacenter's root folder of `type`, e.g. `strata/prod`. */
  readonly path: pulumi.Input<string>;
  /** `vm`, `host`, `datastore`, `network` or `datacenter`. */
  readonly type: pulumi.Input<"vm" | "host" | "datastore" | "network" | "datacenter">;
  readonly datacenterId?: pulumi.Input<string>;
  readonly tags?: pulumi.Input<pulumi.Input<string>[]>;
  readonly customAttributes?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class Folder extends pulumi.CustomResource {
  public declare readonly path: pulumi.Output<string>;
  public declare readonly type: pulumi.Output<string>;
  public declare readonly datacenterId: pulumi.Output<string | undefined>;

  constructor(name: string, args: FolderArgs, opts?: pulumi.CustomResourceOptions) {
    super(FOLDER_TYPE, name, { ...args }, { ...opts, version: PLUGINS.vsphere });
  }
}
