/**
 * The cloud provider's, the CSI driver's (issue #20) and machine-controller's (issue #21)
 * vCenter accounts: user names under `strata:infra.vsphere.accounts`, passwords in secret
 * top-level keys, never the provisioning account in prod. The prod stack's workers autoscale, so
 * it needs machine-controller's account too.
 */
import { expect } from "chai";
import { ConfigError } from "../../config/errors";
import { principalOf } from "../../config/infra/vsphere/accounts";
import { parseConfig } from "../../config/schema";
import type { RawVsphereConnection } from "../../config/infra/vsphere/connection";
import { rawInfra, VSPHERE_CONNECTION } from "../infra/vsphere/fixtures";

type Accounts = { cpi?: { user: string }; csi?: { user: string }; machineController?: { user: string }; manageRoles?: boolean };
const MC = { user: "svc-k8s-mc@vsphere.local" };

function problemsOf(environment: string, edit: (vsphere: Record<string, unknown>) => void, connection: RawVsphereConnection = VSPHERE_CONNECTION): readonly string[] {
  const infra = rawInfra() as { vsphere: Record<string, unknown> };
  edit(infra.vsphere);
  try {
    parseConfig({ environment, infra, hasKubeconfig: false, vsphere: connection });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}
const withAccounts = (accounts: Accounts) => (vsphere: Record<string, unknown>) => {
  vsphere["accounts"] = accounts;
};
const noPasswords: RawVsphereConnection = { ...VSPHERE_CONNECTION, accountPasswords: {} };

describe("config: the cloud provider's and the CSI driver's vCenter accounts", () => {
  it("accepts the prod stack: own accounts for both, passwords stored as secrets, roles managed by default", () => {
    expect(problemsOf("prod", () => undefined)).to.deep.equal([]);
    const infra = parseConfig({ environment: "prod", infra: rawInfra(), hasKubeconfig: false, vsphere: VSPHERE_CONNECTION }).infra;
    expect(infra?.backend === "vsphere" && infra.vsphere.accounts).to.deep.equal({
      manageRoles: true,
      cpi: { user: "svc-k8s-cpi@vsphere.local" },
      csi: { user: "svc-k8s-csi@vsphere.local" },
      machineController: { user: "svc-k8s-mc@vsphere.local" },
    });
  });

  it("issue #20: prod refuses to run the cloud provider and the CSI driver on the provisioning account", () => {
    expect(problemsOf("prod", withAccounts({}), noPasswords)).to.deep.equal([
      'strata:infra.vsphere.accounts.cpi.user: is required in prod (got nothing); the cloud provider must not run on the provisioning account vsphere:user: create its account (infra/vsphere/README.md, "vCenter accounts and permissions"), then `pulumi config set --path strata:infra.vsphere.accounts.cpi.user svc-k8s-cpi@vsphere.local` and `pulumi config set --secret strata:vsphereCpiPassword`',
      'strata:infra.vsphere.accounts.csi.user: is required in prod (got nothing); the CSI driver must not run on the provisioning account vsphere:user: create its account (infra/vsphere/README.md, "vCenter accounts and permissions"), then `pulumi config set --path strata:infra.vsphere.accounts.csi.user svc-k8s-csi@vsphere.local` and `pulumi config set --secret strata:vsphereCsiPassword`',
      'strata:infra.vsphere.accounts.machineController.user: is required in prod (got nothing); the machine-controller must not run on the provisioning account vsphere:user: create its account (infra/vsphere/README.md, "vCenter accounts and permissions"), then `pulumi config set --path strata:infra.vsphere.accounts.machineController.user svc-k8s-mc@vsphere.local` and `pulumi config set --secret strata:vsphereMachineControllerPassword`',
    ]);
  });

  it("issue #21: requires machine-controller's account in prod only when a pool autoscales", () => {
    const fixedWorkers = (vsphere: Record<string, unknown>) => {
      const pools = vsphere["nodePools"] as Record<string, Record<string, unknown>>;
      for (const pool of Object.values(pools)) {
        if (pool["autoscaling"] === undefined) continue;
        delete pool["autoscaling"];
        pool["count"] = 6;
      }
      delete (vsphere["accounts"] as Accounts).machineController;
    };
    const noMcPassword: RawVsphereConnection = { ...VSPHERE_CONNECTION, accountPasswords: { cpi: { isSet: true, isSecret: true }, csi: { isSet: true, isSecret: true } } };
    const problems = problemsOf("prod", fixedWorkers, noMcPassword);
    expect(problems.filter((p) => p.includes("machineController") || p.includes("MachineController"))).to.deep.equal([]);
    expect(problemsOf("prod", (v) => delete (v["accounts"] as Accounts).machineController, noMcPassword)).to.deep.equal([
      'strata:infra.vsphere.accounts.machineController.user: is required in prod (got nothing); the machine-controller must not run on the provisioning account vsphere:user: create its account (infra/vsphere/README.md, "vCenter accounts and permissions"), then `pulumi config set --path strata:infra.vsphere.accounts.machineController.user svc-k8s-mc@vsphere.local` and `pulumi config set --secret strata:vsphereMachineControllerPassword`',
    ]);
  });

  it("issue #21: refuses machine-controller's password stored in clear, and its account shared with another service", () => {
    const clear: RawVsphereConnection = { ...VSPHERE_CONNECTION, accountPasswords: { ...VSPHERE_CONNECTION.accountPasswords, machineController: { isSet: true, isSecret: false } } };
    expect(problemsOf("prod", () => undefined, clear)).to.deep.equal([
      "strata:vsphereMachineControllerPassword: is stored in clear (got a plain value); store it encrypted with `pulumi config set --secret strata:vsphereMachineControllerPassword`",
    ]);
    expect(problemsOf("prod", withAccounts({ cpi: { user: "svc-k8s-cpi@vsphere.local" }, csi: { user: "svc-k8s-csi@vsphere.local" }, machineController: { user: "svc-k8s-csi@vsphere.local" } }))).to.deep.equal([
      'strata:infra.vsphere.accounts.machineController.user: is the CSI driver\'s account too (got "svc-k8s-csi@vsphere.local"); give each its own account, so each holds only its own privileges',
    ]);
  });

  it("lets dev and staging fall back to the provisioning account", () => {
    expect(problemsOf("dev", withAccounts({}), noPasswords)).to.deep.equal([]);
    expect(problemsOf("staging", withAccounts({}), noPasswords)).to.deep.equal([]);
  });

  it("issue #20: refuses a password stored in clear, with the command that stores it encrypted", () => {
    const clear: RawVsphereConnection = { ...VSPHERE_CONNECTION, accountPasswords: { ...VSPHERE_CONNECTION.accountPasswords, cpi: { isSet: true, isSecret: false } } };
    expect(problemsOf("dev", () => undefined, clear)).to.deep.equal([
      "strata:vsphereCpiPassword: is stored in clear (got a plain value); store it encrypted with `pulumi config set --secret strata:vsphereCpiPassword`",
    ]);
  });

  it("wants a password with each user and a user with each password", () => {
    const onlyCsi: RawVsphereConnection = { ...VSPHERE_CONNECTION, accountPasswords: { csi: { isSet: true, isSecret: true } } };
    expect(problemsOf("dev", withAccounts({ cpi: { user: "svc-k8s-cpi@vsphere.local" } }), onlyCsi)).to.deep.equal([
      "strata:vsphereCpiPassword: is required with strata:infra.vsphere.accounts.cpi.user (got nothing); set it with `pulumi config set --secret strata:vsphereCpiPassword`",
      "strata:vsphereCsiPassword: is set but strata:infra.vsphere.accounts.csi.user is not (got a password and no user); name the account with `pulumi config set --path strata:infra.vsphere.accounts.csi.user svc-k8s-csi@vsphere.local`",
    ]);
  });

  it("refuses the provisioning account under another spelling, and one account for both services", () => {
    expect(problemsOf("prod", withAccounts({ cpi: { user: "SVC-STRATA@vsphere.local" }, csi: { user: "svc-k8s-csi@vsphere.local" }, machineController: MC }))).to.deep.equal([
      'strata:infra.vsphere.accounts.cpi.user: is the provisioning account vsphere:user (got "SVC-STRATA@vsphere.local"); give the cloud provider its own account, or (dev and staging only) remove the key to fall back to vsphere:user',
    ]);
    expect(problemsOf("prod", withAccounts({ cpi: { user: "svc-k8s@vsphere.local" }, csi: { user: "svc-k8s@vsphere.local" }, machineController: MC }))).to.deep.equal([
      'strata:infra.vsphere.accounts.csi.user: is the cloud provider\'s account too (got "svc-k8s@vsphere.local"); give each its own account, so each holds only its own privileges',
    ]);
  });

  it("checks the user names and the folder's principals as vCenter writes them", () => {
    expect(problemsOf("prod", withAccounts({ cpi: { user: "svc-k8s-cpi" }, csi: { user: "svc-k8s-csi@vsphere.local" }, machineController: MC }))).to.deep.equal([
      'strata:infra.vsphere.accounts.cpi.user: must be a vCenter login, user@domain; e.g. svc-k8s-cpi@vsphere.local (got "svc-k8s-cpi")',
    ]);
    expect(problemsOf("prod", (v) => (v["folderAdmins"] = [{ principal: "k8s-admins" }]))).to.deep.equal([
      'strata:infra.vsphere.folderAdmins[0].principal: must name a vCenter user or group as DOMAIN\\name; e.g. VSPHERE.LOCAL\\k8s-admins (got "k8s-admins")',
    ]);
  });

  it("lists each principal once on the folder, never the provisioning account", () => {
    const problems = problemsOf("prod", (v) => {
      v["folderAdmins"] = [{ principal: "VSPHERE.LOCAL\\svc-strata", group: false }, { principal: "EMIS\\k8s-admins" }];
      v["folderNoAccess"] = [{ principal: "emis\\K8S-ADMINS" }, { principal: "VSPHERE.LOCAL\\svc-k8s-cpi", group: false }];
    });
    expect(problems).to.deep.equal([
      'strata:infra.vsphere.folderAdmins[0].principal: is the provisioning account vsphere:user (got "VSPHERE.LOCAL\\\\svc-strata"); remove it: an explicit role on the folder would replace the rights it creates the VMs with',
      'strata:infra.vsphere.folderNoAccess[0].principal: is already given a role on the folder by folderAdmins[1] (got "emis\\\\K8S-ADMINS"); a principal holds one role per folder, list it once',
      'strata:infra.vsphere.folderNoAccess[1].principal: is already given a role on the folder by accounts.cpi.user (got "VSPHERE.LOCAL\\\\svc-k8s-cpi"); a principal holds one role per folder, list it once',
    ]);
  });

  it("sets folder principals only where strata manages the permissions", () => {
    expect(problemsOf("prod", (v) => {
      (v["accounts"] as Accounts).manageRoles = false;
      v["folderAdmins"] = [{ principal: "EMIS\\k8s-admins" }];
    })).to.deep.equal([
      'strata:infra.vsphere.folderAdmins: needs accounts.manageRoles: true (got ["EMIS\\\\k8s-admins"]); strata sets the folder\'s permissions only when it manages them, otherwise grant them by hand',
    ]);
  });

  it("names a login the way vCenter names principals in permissions", () => {
    expect(principalOf("svc-k8s-cpi@vsphere.local")).to.equal("VSPHERE.LOCAL\\svc-k8s-cpi");
    expect(principalOf("EMIS\\svc")).to.equal("EMIS\\svc");
  });
});
