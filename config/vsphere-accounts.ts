/**
 * The cloud provider's and the CSI driver's vCenter accounts: user names under
 * `strata:infra.vsphere.accounts`, passwords in the top-level secret keys
 * `strata:vsphereCpiPassword` / `strata:vsphereCsiPassword`. Prod refuses to run either on the
 * provisioning account (`vsphere:user`, which creates and deletes VMs); dev and staging fall back
 * to it with a warning (`infra/vsphere/cluster.ts`), so a lab needs one account only.
 */
import type { Environment } from "./schema";
import type { VsphereSettings } from "./infra-vsphere";
import { describeValue } from "./errors";
import { type RawVsphereConnection, VSPHERE_ACCOUNT_KINDS, VSPHERE_ACCOUNT_PASSWORD_KEYS, type VsphereAccountKind } from "./vsphere-connection";

const LABELS: Record<VsphereAccountKind, string> = { cpi: "cloud provider", csi: "CSI driver" };

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
  for (const kind of VSPHERE_ACCOUNT_KINDS) {
    const key = `strata:infra.vsphere.accounts.${kind}.user`;
    const passwordKey = `strata:${VSPHERE_ACCOUNT_PASSWORD_KEYS[kind]}`;
    const setPassword = `\`pulumi config set --secret ${passwordKey}\``;
    const setUser = `\`pulumi config set --path ${key} svc-k8s-${kind}@vsphere.local\``;
    const user = settings.accounts[kind]?.user;
    const password = raw?.accountPasswords?.[kind];
    if (password?.isSet === true && !password.isSecret) problems.push(`${passwordKey}: is stored in clear (got a plain value); store it encrypted with ${setPassword}`);
    if (user === undefined) {
      if (password?.isSet === true) problems.push(`${passwordKey}: is set but ${key} is not (got a password and no user); name the account with ${setUser}`);
      else if (environment === "prod") {
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
  const cpi = settings.accounts.cpi?.user;
  const csi = settings.accounts.csi?.user;
  if (cpi !== undefined && csi !== undefined && same(principalOf(cpi), principalOf(csi))) {
    problems.push(`strata:infra.vsphere.accounts.csi.user: is the cloud provider's account too (got ${describeValue(csi)}); give each its own account, so each holds only its own privileges`);
  }
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
  for (const kind of VSPHERE_ACCOUNT_KINDS) {
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
