/**
 * The explicit vSphere provider. Credentials live in the provider's own config namespace
 * (`vsphere:vsphereServer`, `vsphere:user`, `vsphere:password` as a secret,
 * `vsphere:allowUnverifiedSsl`); `config/load.ts` reads and checks them and the composition root
 * passes them in.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { VsphereAccountKind } from "../../config/infra/vsphere/connection";
import { Provider } from "./binding";

export interface VsphereCredentials {
  readonly server: string;
  readonly user: string;
  /** Always secret. */
  readonly password: pulumi.Output<string>;
  /** Accept a self-signed vCenter certificate. @default false */
  readonly allowUnverifiedSsl: boolean;
  /**
   * Passwords of the cloud provider's and the CSI driver's own accounts (`strata:vsphereCpiPassword`,
   * `strata:vsphereCsiPassword`), always secret; the config parser requires each whose user is set.
   * @default {}
   */
  readonly accountPasswords?: Readonly<Partial<Record<VsphereAccountKind, pulumi.Output<string>>>>;
  /** `strata:vsphereBreakGlassPasswordHash`, always secret; the parser requires it with `breakGlass.consolePassword`. @default - none */
  readonly breakGlassPasswordHash?: pulumi.Output<string>;
}

export function vsphereProvider(name: string, credentials: VsphereCredentials, opts: pulumi.ResourceOptions): Provider {
  return new Provider(
    `${name}-vsphere`,
    { vsphereServer: credentials.server, user: credentials.user, password: credentials.password, allowUnverifiedSsl: credentials.allowUnverifiedSsl },
    opts,
  );
}
