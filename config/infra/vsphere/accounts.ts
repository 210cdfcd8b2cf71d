/**
 * The vCenter accounts of the in-cluster vSphere clients: user names under
 * `strata:infra.vsphere.accounts`, passwords in the top-level secret keys
 * `strata:vsphereCpiPassword` / `strata:vsphereCsiPassword` / `strata:vsphereMachineControllerPassword`.
 * Prod refuses to run any of them on the provisioning account (`vsphere:user`, which creates and
 * deletes every VM of the stack); dev and staging fall back to it with a warning
 * (`infra/vsphere/cluster.ts`), so a lab needs one account only. machine-controller runs only
 * when a pool autoscales, so only then is its account required.
 */
import type { Environment } from "../../environment";
import type { VsphereSettings } from "./";
import { describeValue } from "../../errors";
import { type RawVsphereConnection, VSPHERE_ACCOUNT_KINDS, VSPHERE_ACCOUNT_PASSWORD_KEYS, type VsphereAccountKind } from "./connection";

export const VSPHERE_ACCOUNT_LABELS: Record<VsphereAccountKind, string> = { cpi: "cloud provider", csi: "CSI driver", machineController: "machine-controller" };
const LABELS = VSPHERE_ACCOUNT_LABELS;

/** The example login each account's messages suggest. */
const EXAMPLE_LOGINS: Record<VsphereAccountKind, string> = { cpi: "svc-k8s-cpi@vsphere.local", csi: "svc-k8s-csi@vsphere.local", machineController: "svc-k8s-mc@vsphere.local" };

/** The accounts a stack uses: the cloud provider's and the CSI driver's always, machine-controller's when a pool autoscales. */
export function vsphereAccountKindsInUse(settings: Pick<VsphereSettings, "nodePools">): VsphereAccountKind[] {
  const autoscales = Object.values(settings.nodePools).some((pool) => pool.autoscaling !== undefined);
  return VSPHERE_ACCOUNT_KINDS.filter((kind) => kind !== "machineController" || autoscales);
}

/** `svc-k8s-cpi@vsphere.local` → `VSPHERE.LOCAL\svc-k8s-cpi`, the form vCenter names principals in permissions. */
export function principalOf(login: string): string {
  const at = login.lastIndexOf("@");
  return at <= 0 ? login : `${login.slice(at + 1).toUpperCase()}\\${login.slice(0, at)}`;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Every problem with the accounts, each naming the key, the value and the fix. */
export function vsphereAccountProblems(settings: VsphereSettings, environment: Environment | undefined, raw: RawVsphereConnection | undefined): string[] {
  const problems: string[] = [];
  const provisioning = typeof raw?.user === "string" && raw.user.trim() !== "" ? raw.user : undefined;
  const inUse = vsphereAccountKindsInUse(settings);
  for (const kind of VSPHERE_ACCOUNT_KINDS) {
    const key = `strata:infra.vsphere.accounts.${kind}.user`;
    const passwordKey = `strata:${VSPHERE_ACCOUNT_PASSWORD_KEYS[kind]}`;
    const setPassword = `\`pulumi config set --secret ${passwordKey}\``;
    const setUser = `\`pulumi config set --path ${key} ${EXAMPLE_LOGINS[kind]}\``;
    const user = settings.accounts[kind]?.user;
    const password = raw?.accountPasswords?.[kind];
    if (password?.isSet === true && !password.isSecret) problems.push(`${passwordKey}: is stored in clear (got a plain value); store it encrypted with ${setPassword}`);
    if (user === undefined) {
      if (password?.isSet === true) problems.push(`${passwordKey}: is set but ${key} is not (got a password and no user); name the account with ${setUser}`);
      else if (environment === "prod" && inUse.includes(kind)) {
        problems.push(
          `${key}: is required in prod (got nothing); the ${LABELS[kind]} must not run on the provisioning account vsphere:user: create its account (infra/vsphere/README.md, "vCenter accounts and permissions"), then ${setUser} and ${setPassword}`,
        );
      }
      continue;
    }
    if (provisioning !== undefined && same(principalOf(user), principalOf(provisioning))) {
      problems.push(`${key}: is the provisioning account vsphere:user (got ${describeValue(user)}); give the ${LABELS[kind]} its own account, or (dev and staging only) remove the key to fall back to vsphere:user`);
    }
    if (password?.isSet !== true) problems.push(`${passwordKey}: is required with ${key} (got nothing); set it with ${setPassword}`);
  }
  // Each account holds only its own privileges: no two services share one.
  VSPHERE_ACCOUNT_KINDS.forEach((kind, i) => {
    const user = settings.accounts[kind]?.user;
    const earlier = VSPHERE_ACCOUNT_KINDS.slice(0, i).find((other) => {
      const otherUser = settings.accounts[other]?.user;
      return user !== undefined && otherUser !== undefined && same(principalOf(user), principalOf(otherUser));
    });
    if (earlier !== undefined) {
      problems.push(`strata:infra.vsphere.accounts.${kind}.user: is the ${LABELS[earlier]}'s account too (got ${describeValue(user)}); give each its own account, so each holds only its own privileges`);
    }
  });
  problems.push(...folderPrincipalProblems(settings, provisioning));
  return problems;
}

/** The folder's principals: each once, never the provisioning account, only where strata sets the permissions. */
function folderPrincipalProblems(settings: VsphereSettings, provisioning: string | undefined): string[] {
  const problems: string[] = [];
  const lists = [
    ["folderAdmins", settings.folderAdmins],
    ["folderNoAccess", settings.folderNoAccess],
  ] as const;
  if (!settings.accounts.manageRoles) {
    for (const [name, list] of lists) {
      if (list.length > 0) problems.push(`strata:infra.vsphere.${name}: needs accounts.manageRoles: true (got ${describeValue(list.map((p) => p.principal))}); strata sets the folder's permissions only when it manages them, otherwise grant them by hand`);
    }
    return problems;
  }
  const taken = new Map<string, string>();
  for (const kind of vsphereAccountKindsInUse(settings)) {
    const user = settings.accounts[kind]?.user;
    if (user !== undefined) taken.set(principalOf(user).toLowerCase(), `accounts.${kind}.user`);
  }
  for (const [name, list] of lists) {
    list.forEach((p, i) => {
      const key = `strata:infra.vsphere.${name}[${i}].principal`;
      const lower = p.principal.toLowerCase();
      if (provisioning !== undefined && lower === principalOf(provisioning).toLowerCase()) {
        problems.push(`${key}: is the provisioning account vsphere:user (got ${describeValue(p.principal)}); remove it: an explicit role on the folder would replace the rights it creates the VMs with`);
        return;
      }
      const earlier = taken.get(lower);
      if (earlier !== undefined) problems.push(`${key}: is already given a role on the folder by ${earlier} (got ${describeValue(p.principal)}); a principal holds one role per folder, list it once`);
      else taken.set(lower, `${name}[${i}]`);
    });
  }
  return problems;
}
