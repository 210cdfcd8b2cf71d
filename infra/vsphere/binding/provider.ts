/**
 * The vSphere provider resource (`pulumi:providers:vsphere`), pinned to the plugin version in the
 * catalog. Property names follow the upstream provider schema.
 */
import * as pulumi from "@pulumi/pulumi";
import { PLUGINS } from "../../../lib/catalog";

export interface ProviderArgs {
  /** vCenter host name or address. */
  readonly vsphereServer: pulumi.Input<string>;
  readonly user: pulumi.Input<string>;
  /** Always a secret. */
  readonly password: pulumi.Input<string>;
  /** Accept a self-signed vCenter certificate. @default false */
  readonly allowUnverifiedSsl?: pulumi.Input<boolean>;
  /** API timeout in minutes. @default 5 */
  readonly apiTimeout?: pulumi.Input<number>;
}

export class Provider extends pulumi.ProviderResource {
  constructor(name: string, args: ProviderArgs, opts?: pulumi.ResourceOptions) {
    super("vsphere", name, { ...args, password: pulumi.secret(args.password) }, { ...opts, version: PLUGINS.vsphere });
  }
}
