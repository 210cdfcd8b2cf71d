/** issue #21: the break-glass login: its config checks and what cloud-init creates on the nodes. */
import { expect } from "chai";
import { parse } from "yaml";
import { ConfigError } from "../../../config/errors";
import { parseConfig } from "../../../config/schema";
import type { RawSecretKey } from "../../../config/infra/vsphere/connection";
import { nodeDocuments } from "../../../infra/vsphere/bootstrap";
import { bootstrapPlan } from "../../../infra/vsphere/plan";
import { nodeSpecs } from "../../../infra/vsphere/pools";
import { FAKE_MATERIAL, rawInfra, VSPHERE_CONNECTION, withFixedWorkers } from "./fixtures";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBreakGlassKeyForTests break-glass";
const HASH = "$y$j9T$abcdefghijklmnop$0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef";
const SECRET_HASH: RawSecretKey = { isSet: true, isSecret: true };

function parseWith(breakGlass: unknown, hash?: RawSecretKey) {
  // Fixed workers: the prod stack's autoscaled workers have no Pulumi VMs to render documents for.
  const infra = withFixedWorkers(rawInfra()) as { vsphere: Record<string, unknown> };
  infra.vsphere["breakGlass"] = breakGlass;
  return parseConfig({ environment: "prod", infra, hasKubeconfig: false, vsphere: { ...VSPHERE_CONNECTION, ...(hash === undefined ? {} : { breakGlassPasswordHash: hash }) } });
}

function problems(breakGlass: unknown, hash?: RawSecretKey): readonly string[] {
  try {
    parseWith(breakGlass, hash);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

interface User {
  readonly name: string;
  readonly lock_passwd?: boolean;
  readonly hashed_passwd?: string;
  readonly ssh_authorized_keys?: string[];
  readonly sudo?: string;
}

describe("vSphere break-glass access", () => {
  it("issue #21: accepts SSH keys alone, and a console password whose hash is a secret key", () => {
    expect(problems({ sshAuthorizedKeys: [KEY] })).to.deep.equal([]);
    expect(problems({ sshAuthorizedKeys: [KEY], consolePassword: true }, SECRET_HASH)).to.deep.equal([]);
  });

  it("issue #21: refuses the console password's hash stored in clear, missing, or set without consolePassword", () => {
    expect(problems({ sshAuthorizedKeys: [KEY], consolePassword: true }, { isSet: true, isSecret: false })).to.deep.equal([
      'strata:vsphereBreakGlassPasswordHash: is stored in clear (got a plain value); store it encrypted with `pulumi config set --secret strata:vsphereBreakGlassPasswordHash "$(mkpasswd -m yescrypt)"`',
    ]);
    expect(problems({ sshAuthorizedKeys: [KEY], consolePassword: true })).to.deep.equal([
      'strata:vsphereBreakGlassPasswordHash: is required with strata:infra.vsphere.breakGlass.consolePassword true (got nothing); set it with `pulumi config set --secret strata:vsphereBreakGlassPasswordHash "$(mkpasswd -m yescrypt)"`',
    ]);
    expect(problems({ sshAuthorizedKeys: [KEY] }, SECRET_HASH)[0]).to.match(/^strata:vsphereBreakGlassPasswordHash: is set but strata:infra\.vsphere\.breakGlass\.consolePassword is not true/);
  });

  it("refuses a break-glass login without keys, with a malformed key, or named like adminUser", () => {
    expect(problems({ sshAuthorizedKeys: [] })[0]).to.match(/^strata:infra\.vsphere\.breakGlass\.sshAuthorizedKeys: must list at least one key/);
    expect(problems({ sshAuthorizedKeys: ["AAAA nokind"] })[0]).to.match(/^strata:infra\.vsphere\.breakGlass\.sshAuthorizedKeys\[0\]: must be an OpenSSH public key line/);
    const admin = (rawInfra() as { vsphere: { adminUser?: string } }).vsphere.adminUser ?? "strata";
    expect(problems({ user: admin, sshAuthorizedKeys: [KEY] })).to.deep.equal([`strata:infra.vsphere.breakGlass.user: is adminUser too (got "${admin}"); give the break-glass login its own name, e.g. breakglass`]);
  });

  describe("on the nodes", () => {
    const config = parseWith({ sshAuthorizedKeys: [KEY], consolePassword: true }, SECRET_HASH);
    if (config.infra?.backend !== "vsphere") throw new Error("not vSphere");
    const infra = config.infra;
    const nodes = nodeSpecs(infra);
    const plan = bootstrapPlan(infra, nodes);
    const material = { ...FAKE_MATERIAL, breakGlassPasswordHash: HASH };
    const usersOf = (role: string, stage: "bootstrap" | "running") => {
      const userData = nodeDocuments(nodes.find((n) => n.role === role)!, plan, material, stage).userData;
      return (parse(userData.replace(/^#cloud-config\n/, "")) as { users: User[]; ssh_pwauth: boolean }).users;
    };

    it("issue #21: creates the break-glass sudo login with its own keys on every role, beside adminUser", () => {
      for (const role of ["control-plane", "worker", "load-balancer"]) {
        const users = usersOf(role, "bootstrap");
        expect(users.map((u) => u.name), role).to.deep.equal([infra.vsphere.adminUser, "breakglass"]);
        expect(users[1], role).to.deep.include({ sudo: "ALL=(ALL) NOPASSWD:ALL", ssh_authorized_keys: [KEY] });
      }
    });

    it("issue #21: sets the console password from the hash in bootstrap documents only; running ones keep it locked", () => {
      expect(usersOf("worker", "bootstrap")[1]).to.deep.include({ lock_passwd: false, hashed_passwd: HASH });
      const running = usersOf("worker", "running")[1]!;
      expect(running.lock_passwd).to.equal(true);
      expect(running).to.not.have.property("hashed_passwd");
      const userData = nodeDocuments(nodes.find((n) => n.role === "control-plane")!, plan, material, "running").userData;
      expect(userData).to.not.include(HASH);
      expect(userData).to.include("ssh_pwauth: false");
    });

    it("leaves the password locked without consolePassword, whatever the material holds", () => {
      const keysOnly = parseWith({ sshAuthorizedKeys: [KEY] });
      if (keysOnly.infra?.backend !== "vsphere") throw new Error("not vSphere");
      const keysOnlyNodes = nodeSpecs(keysOnly.infra);
      const userData = nodeDocuments(keysOnlyNodes[0]!, bootstrapPlan(keysOnly.infra, keysOnlyNodes), material).userData;
      expect(userData).to.not.include(HASH);
    });
  });
});
