/** The vCenter connection (`vsphere:*`) is checked with the rest of the config, before any resource. */
import { expect } from "chai";
import { ConfigError } from "../../config/errors";
import { parseConfig, type RawConfig } from "../../config/schema";
import type { RawVsphereConnection } from "../../config/infra/vsphere/connection";
import { rawInfra, VSPHERE_CONNECTION as CONNECTION } from "../infra/vsphere/fixtures";

function problemsOf(vsphere: RawVsphereConnection | undefined): readonly string[] {
  const raw: RawConfig = { environment: "prod", infra: rawInfra(), hasKubeconfig: false, ...(vsphere === undefined ? {} : { vsphere }) };
  try {
    parseConfig(raw);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe("config: vCenter connection for the vsphere backend", () => {
  it("accepts server, user and a secret password, and defaults to verifying the certificate", () => {
    const config = parseConfig({ environment: "prod", infra: rawInfra(), hasKubeconfig: false, vsphere: CONNECTION });
    expect(config.vsphere).to.deep.equal({ server: "vcenter.emis.local", user: "svc-strata@vsphere.local", allowUnverifiedSsl: false });
  });

  it("names every missing key with the command that sets it", () => {
    expect(problemsOf({ hasPassword: false, passwordIsSecret: false })).to.deep.equal([
      "vsphere:vsphereServer: is required for the vsphere backend (got nothing); set it with `pulumi config set vsphere:vsphereServer vcenter.example.com`",
      "vsphere:user: is required for the vsphere backend (got nothing); set it with `pulumi config set vsphere:user svc-strata@vsphere.local`",
      "vsphere:password: is required for the vsphere backend (got nothing); set it with `pulumi config set --secret vsphere:password`",
      "strata:vsphereCpiPassword: is required with strata:infra.vsphere.accounts.cpi.user (got nothing); set it with `pulumi config set --secret strata:vsphereCpiPassword`",
      "strata:vsphereCsiPassword: is required with strata:infra.vsphere.accounts.csi.user (got nothing); set it with `pulumi config set --secret strata:vsphereCsiPassword`",
      "strata:vsphereMachineControllerPassword: is required with strata:infra.vsphere.accounts.machineController.user (got nothing); set it with `pulumi config set --secret strata:vsphereMachineControllerPassword`",
    ]);
  });

  it("refuses a password stored in clear and a malformed allowUnverifiedSsl", () => {
    expect(problemsOf({ ...CONNECTION, passwordIsSecret: false, allowUnverifiedSsl: "yes" })).to.deep.equal([
      "vsphere:password: is stored in clear (got a plain value); store it encrypted with `pulumi config set --secret vsphere:password`",
      'vsphere:allowUnverifiedSsl: must be true or false (got "yes")',
    ]);
  });

  it("does not ask for vCenter settings on other backends", () => {
    expect(() => parseConfig({ environment: "dev", infra: { backend: "existing", clusterName: "c", existing: { context: "kind" } }, hasKubeconfig: false })).not.to.throw();
  });
});
