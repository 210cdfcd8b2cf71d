/**
 * The vCenter accounts the in-cluster vSphere clients log in with: their own when
 * `strata:infra.vsphere.accounts.<kind>.user` is set, else (dev and staging only; the config
 * parser refuses it in prod) the provisioning account, with a warning. machine-controller's
 * account exists only when a pool autoscales.
 */
import * as pulumi from "@pulumi/pulumi";
import type { VsphereSettings } from "../../config/infra/vsphere";
import { VSPHERE_ACCOUNT_LABELS, vsphereAccountKindsInUse } from "../../config/infra/vsphere/accounts";
import { VSPHERE_ACCOUNT_PASSWORD_KEYS, type VsphereAccountKind } from "../../config/infra/vsphere/connection";
import type { VsphereAccount } from "../../lib/contracts";
import type { VsphereCredentials } from "./provider";

export interface ServiceAccounts {
  /** The accounts by kind: the CPI's and the CSI driver's always, machine-controller's when a pool autoscales. */
  readonly accounts: Readonly<Record<"cpi" | "csi", VsphereAccount>> & { readonly machineController?: VsphereAccount };
  /** Kinds that run on the provisioning account (no account of their own). */
  readonly fallback: readonly VsphereAccountKind[];
}

export function serviceAccounts(settings: VsphereSettings, credentials: VsphereCredentials): ServiceAccounts {
  const fallback: VsphereAccountKind[] = [];
  const entries = vsphereAccountKindsInUse(settings).map((kind): [VsphereAccountKind, VsphereAccount] => {
    const user = settings.accounts[kind]?.user;
    if (user === undefined) {
      fallback.push(kind);
      return [kind, { username: pulumi.output(credentials.user), password: pulumi.secret(credentials.password) }];
    }
    const password = credentials.accountPasswords?.[kind];
    if (password === undefined) throw new Error(`serviceAccounts: strata:${VSPHERE_ACCOUNT_PASSWORD_KEYS[kind]} is missing (the config parser requires it with accounts.${kind}.user)`);
    return [kind, { username: pulumi.output(user), password: pulumi.secret(password) }];
  });
  return { accounts: Object.fromEntries(entries) as unknown as ServiceAccounts["accounts"], fallback };
}

/** The warning a stack without its own accounts prints on every preview and update. */
export function fallbackWarning(fallback: readonly VsphereAccountKind[], provisioningUser: string): string | undefined {
  if (fallback.length === 0) return undefined;
  const keys = fallback.map((kind) => `strata:infra.vsphere.accounts.${kind}.user`).join(" and ");
  const who = fallback.map((kind) => (kind === "machineController" ? VSPHERE_ACCOUNT_LABELS[kind] : kind.toUpperCase())).join(" and ");
  return `vSphere: the ${who} log in as the provisioning account ${provisioningUser}, which can create and delete VMs; set ${keys} (and their password keys) to give them their own accounts (refused in prod)`;
}
