/**
 * Load-balancer configuration on day 2: the rendered HAProxy and keepalived files travel in
 * guestinfo keys, and `strata-lb-sync.sh` (run by a timer) applies a changed, valid file with a
 * reload. The script runs here against stand-ins on PATH: `vmware-rpctool` answers from files,
 * `systemctl` and `keepalived` record their calls, `ip` reports the node's interface; `haproxy` is
 * a stand-in too (the real binary checks the rendered file in the last test when installed).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { type BootstrapMaterial, nodeDocuments } from "../../../infra/vsphere/bootstrap";
import { LB_SYNC_ENABLE, LB_SYNC_GUESTINFO, LB_SYNC_SCRIPT, lbSyncScript, VRRP_PASSWORD_FILE, VRRP_PASSWORD_PLACEHOLDER } from "../../../infra/vsphere/lb-sync";
import { INTERFACE_PLACEHOLDER } from "../../../infra/vsphere/network";
import { bootstrapPlan } from "../../../infra/vsphere/plan";
import { nodeSpecs } from "../../../infra/vsphere/pools";
import { parseConfig } from "../../../config/schema";
import { cloudConfig, fileIn } from "./docs";
import { FAKE_MATERIAL, parsedInfra, rawInfra, VSPHERE_CONNECTION } from "./fixtures";

const ADDRESS = "10.20.0.5";
const IFACE = "ens192";

/** A temp dir with stand-in tools on PATH and the files a load balancer has after its first boot. */
class FakeLoadBalancer {
  readonly dir = mkdtempSync(join(tmpdir(), "strata-lb-sync-"));
  readonly haproxy = join(this.dir, "haproxy.cfg");
  readonly keepalived = join(this.dir, "keepalived.conf");
  readonly password = join(this.dir, "vrrp-password");
  private readonly bin = join(this.dir, "bin");
  private readonly calls = join(this.dir, "calls");

  constructor(running: { haproxy: string; keepalived: string }, vrrpPassword: string) {
    mkdirSync(join(this.dir, "guestinfo"));
    mkdirSync(this.bin);
    writeFileSync(this.haproxy, running.haproxy);
    writeFileSync(this.keepalived, running.keepalived);
    writeFileSync(this.password, vrrpPassword);
    const tool = (name: string, body: string) => {
      writeFileSync(join(this.bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(this.bin, name), 0o755);
    };
    // `vmware-rpctool "info-get guestinfo.<key>"`: the value, or exit 1 when the key is unset (open-vm-tools' rpctool fails then).
    tool("vmware-rpctool", `key=\${1#info-get }\n[ -f "${this.dir}/guestinfo/$key" ] || exit 1\ncat "${this.dir}/guestinfo/$key"`);
    tool("systemctl", `echo "systemctl $*" >> "${this.calls}"`);
    // Configuration tests: a file containing "bogus" is refused, like a real parse error.
    tool("haproxy", `echo "haproxy $*" >> "${this.calls}"\n! grep -q bogus "$3"`);
    tool("keepalived", `echo "keepalived $*" >> "${this.calls}"\n! grep -q bogus "$3"`);
    tool("ip", `echo "2: ${IFACE}    inet ${ADDRESS}/23 brd 10.20.1.255 scope global ${IFACE}"`);
    tool("sleep", "exit 0");
  }

  /** Sets (base64) or unsets a guestinfo key. */
  guestinfo(key: string, value: string | undefined): void {
    const file = join(this.dir, "guestinfo", key);
    if (value === undefined) rmSync(file, { force: true });
    else writeFileSync(file, value);
  }

  run(): { status: number | null; stdout: string; stderr: string; calls: string[] } {
    const script = join(this.dir, "sync.sh");
    writeFileSync(script, lbSyncScript(ADDRESS, { haproxyConfig: this.haproxy, keepalivedConfig: this.keepalived, vrrpPasswordFile: this.password }));
    const result = spawnSync("bash", [script], { env: { ...process.env, PATH: `${this.bin}:${process.env.PATH ?? ""}` }, encoding: "utf8" });
    const calls = existsSync(this.calls) ? readFileSync(this.calls, "utf8").trimEnd().split("\n") : [];
    rmSync(this.calls, { force: true });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
  }

  /** Candidate files left in the config directory. */
  leftovers(): string[] {
    return spawnSync("sh", ["-c", `ls "${this.dir}" | grep strata- || true`], { encoding: "utf8" }).stdout.trim().split("\n").filter(Boolean);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const b64 = (text: string) => Buffer.from(text).toString("base64");

/** The prod stack's first load balancer, rendered with `controlPlaneCount` control planes. */
function firstLoadBalancer(controlPlaneCount = 3, material: BootstrapMaterial = FAKE_MATERIAL) {
  const raw = rawInfra("vsphere-prod.yaml") as { vsphere: { nodePools: Record<string, { count: number }> } };
  raw.vsphere.nodePools["control-plane"]!.count = controlPlaneCount;
  const config = parseConfig({ environment: "prod", infra: raw, hasKubeconfig: false, vsphere: VSPHERE_CONNECTION });
  if (config.infra?.backend !== "vsphere") throw new Error("not a vSphere config");
  const nodes = nodeSpecs(config.infra);
  const plan = bootstrapPlan(config.infra, nodes);
  const node = plan.loadBalancers[0]!;
  return nodeDocuments(node, plan, material);
}

/** What `strata-load-balancer.sh` installs on first boot from the staged files. */
function firstBootFiles(docs: ReturnType<typeof firstLoadBalancer>) {
  const config = cloudConfig(docs.userData);
  return {
    haproxy: fileIn(config, "/etc/strata/haproxy.cfg")!,
    keepalived: fileIn(config, "/etc/strata/keepalived.conf")!.split(INTERFACE_PLACEHOLDER).join(IFACE),
  };
}

describe("vSphere load balancers: configuration changes reach them through guestinfo", () => {
  const docs = firstLoadBalancer();
  let lb: FakeLoadBalancer;
  beforeEach(() => {
    lb = new FakeLoadBalancer(firstBootFiles(docs), FAKE_MATERIAL.vrrpPassword);
    for (const key of Object.values(LB_SYNC_GUESTINFO)) lb.guestinfo(key, docs.guestinfo![key]);
  });
  afterEach(() => lb.remove());

  it("carries both files in guestinfo, the VRRP password as a placeholder, and starts the timer on first boot", () => {
    expect(Object.keys(docs.guestinfo!).sort()).to.deep.equal([LB_SYNC_GUESTINFO.haproxy, LB_SYNC_GUESTINFO.keepalived]);
    const keepalived = Buffer.from(docs.guestinfo![LB_SYNC_GUESTINFO.keepalived]!, "base64").toString();
    expect(keepalived).to.include(`auth_pass ${VRRP_PASSWORD_PLACEHOLDER}`).and.not.include(FAKE_MATERIAL.vrrpPassword);
    const config = cloudConfig(docs.userData);
    expect(fileIn(config, VRRP_PASSWORD_FILE)).to.equal(FAKE_MATERIAL.vrrpPassword);
    expect(config.write_files.find((f) => f.path === VRRP_PASSWORD_FILE)!.permissions).to.equal("0600");
    expect(fileIn(config, LB_SYNC_SCRIPT)).to.equal(lbSyncScript(ADDRESS));
    expect(fileIn(config, "/etc/systemd/system/strata-lb-sync.timer")).to.include("OnUnitActiveSec=1min").and.include("WantedBy=timers.target");
    expect(fileIn(config, "/etc/systemd/system/strata-lb-sync.service")).to.include(`ExecStart=${LB_SYNC_SCRIPT}`);
    expect(config.runcmd).to.deep.equal([`/usr/local/sbin/strata-load-balancer.sh && ${LB_SYNC_ENABLE}`]);
  });

  it("unchanged: what first boot installed equals the guestinfo files, so nothing is touched or reloaded", () => {
    const before = { haproxy: readFileSync(lb.haproxy, "utf8"), keepalived: readFileSync(lb.keepalived, "utf8") };
    const result = lb.run();
    expect(result.status, result.stderr).to.equal(0);
    expect(result.calls).to.deep.equal([]);
    expect(result.stdout + result.stderr).to.equal("");
    expect({ haproxy: readFileSync(lb.haproxy, "utf8"), keepalived: readFileSync(lb.keepalived, "utf8") }).to.deep.equal(before);
    expect(lb.leftovers()).to.deep.equal([]);
  });

  it("changed and valid: replaces the file after the check and reloads only that daemon", () => {
    const grown = firstLoadBalancer(5).guestinfo![LB_SYNC_GUESTINFO.haproxy]!;
    lb.guestinfo(LB_SYNC_GUESTINFO.haproxy, grown);
    const result = lb.run();
    expect(result.status, result.stderr).to.equal(0);
    expect(readFileSync(lb.haproxy, "utf8")).to.equal(Buffer.from(grown, "base64").toString()).and.include("emis-prod-control-plane-5 10.20.0.15:6443");
    expect(statSync(lb.haproxy).mode & 0o777).to.equal(0o644);
    expect(result.calls).to.have.length(2);
    expect(result.calls[0]).to.match(new RegExp(`^haproxy -c -f ${lb.haproxy}\\.strata-\\w+$`));
    expect(result.calls[1]).to.equal("systemctl reload haproxy");
    expect(result.stdout).to.equal(`strata-lb-sync: ${lb.haproxy} replaced from ${LB_SYNC_GUESTINFO.haproxy}; haproxy reloaded\n`);
    expect(lb.leftovers()).to.deep.equal([]);
    // The next run finds nothing to do.
    expect(lb.run().calls).to.deep.equal([]);
  });

  it("changed keepalived settings get the node's interface and the VRRP password filled in, stay 0600, and reload keepalived", () => {
    const changed = Buffer.from(docs.guestinfo![LB_SYNC_GUESTINFO.keepalived]!, "base64").toString().replace("advert_int 1", "advert_int 2");
    lb.guestinfo(LB_SYNC_GUESTINFO.keepalived, b64(changed));
    const result = lb.run();
    expect(result.status, result.stderr).to.equal(0);
    const installed = readFileSync(lb.keepalived, "utf8");
    expect(installed).to.include("advert_int 2").and.include(`interface ${IFACE}`).and.include(`auth_pass ${FAKE_MATERIAL.vrrpPassword}`);
    expect(installed).to.not.include(INTERFACE_PLACEHOLDER).and.not.include(VRRP_PASSWORD_PLACEHOLDER);
    expect(statSync(lb.keepalived).mode & 0o777).to.equal(0o600);
    expect(result.calls.map((c) => c.replace(/\.strata-\w+$/, ""))).to.deep.equal([`keepalived -t -f ${lb.keepalived}`, "systemctl reload keepalived"]);
  });

  it("changed and invalid: keeps the running file, does not reload, logs why and exits non-zero", () => {
    const running = readFileSync(lb.haproxy, "utf8");
    lb.guestinfo(LB_SYNC_GUESTINFO.haproxy, b64(`${running}\nbogus directive\n`));
    const result = lb.run();
    expect(result.status).to.equal(1);
    expect(readFileSync(lb.haproxy, "utf8")).to.equal(running);
    expect(result.calls.filter((c) => c.startsWith("systemctl"))).to.deep.equal([]);
    expect(result.stderr).to.equal(`strata-lb-sync: the ${lb.haproxy} in ${LB_SYNC_GUESTINFO.haproxy} fails 'haproxy -c -f'; keeping the running one\n`);
    expect(lb.leftovers()).to.deep.equal([]);
  });

  it("undecodable or absent keys leave the files alone (a VM configured before the keys existed)", () => {
    lb.guestinfo(LB_SYNC_GUESTINFO.keepalived, "%%% not base64 %%%");
    lb.guestinfo(LB_SYNC_GUESTINFO.haproxy, undefined);
    const result = lb.run();
    expect(result.status).to.equal(1);
    expect(result.stderr).to.equal(`strata-lb-sync: ${LB_SYNC_GUESTINFO.keepalived} is not valid base64; keeping ${lb.keepalived}\n`);
    expect(result.calls).to.deep.equal([]);
  });

  it("never installs a keepalived file without its VRRP password", () => {
    const running = readFileSync(lb.keepalived, "utf8");
    rmSync(lb.password);
    lb.guestinfo(LB_SYNC_GUESTINFO.keepalived, b64(Buffer.from(docs.guestinfo![LB_SYNC_GUESTINFO.keepalived]!, "base64").toString().replace("advert_int 1", "advert_int 2")));
    const result = lb.run();
    expect(result.status).to.equal(1);
    expect(result.stderr).to.equal(`strata-lb-sync: no VRRP password in ${lb.password}; keeping ${lb.keepalived}\n`);
    expect(readFileSync(lb.keepalived, "utf8")).to.equal(running);
    expect(result.calls).to.deep.equal([]);
  });

  it("issue #21: a control plane added to the pool changes the load balancers' guestinfo key, not only their first-boot user-data", () => {
    const grown = firstLoadBalancer(5);
    const before = Buffer.from(docs.guestinfo![LB_SYNC_GUESTINFO.haproxy]!, "base64").toString();
    const after = Buffer.from(grown.guestinfo![LB_SYNC_GUESTINFO.haproxy]!, "base64").toString();
    expect(after).to.not.equal(before);
    const servers = (cfg: string) => cfg.split("\n").filter((line) => /^\s+server emis-prod-control-plane-\d/.test(line)).map((line) => line.trim().split(" ")[1]);
    expect(servers(before)).to.deep.equal(["emis-prod-control-plane-1", "emis-prod-control-plane-2", "emis-prod-control-plane-3"]);
    expect(servers(after)).to.deep.equal([1, 2, 3, 4, 5].map((n) => `emis-prod-control-plane-${n}`));
    expect(after).to.equal(firstBootFiles(grown).haproxy);
  });

  it("passes shellcheck", function () {
    if (spawnSync("shellcheck", ["--version"]).status !== 0) this.skip();
    const check = spawnSync("shellcheck", ["--severity=style", "-s", "bash", "-"], { input: lbSyncScript(ADDRESS), encoding: "utf8" });
    expect(check.status, check.stdout).to.equal(0);
  });

  it("the rendered HAProxy file passes the real `haproxy -c`, and a broken one does not", function () {
    if (spawnSync("haproxy", ["-v"]).status !== 0) this.skip();
    const good = join(lb.dir, "real.cfg");
    writeFileSync(good, Buffer.from(parsedInfraGuestinfo(), "base64").toString());
    const ok = spawnSync("haproxy", ["-c", "-f", good], { encoding: "utf8" });
    expect(ok.status, ok.stderr).to.equal(0);
    writeFileSync(good, `${readFileSync(good, "utf8")}\nbackend broken\n  bogus directive\n`);
    expect(spawnSync("haproxy", ["-c", "-f", good]).status).to.not.equal(0);
  });
});

/** The prod stack's (3 control planes) haproxy key, as the plan renders it. */
function parsedInfraGuestinfo(): string {
  const infra = parsedInfra("vsphere-prod.yaml");
  const nodes = nodeSpecs(infra);
  const plan = bootstrapPlan(infra, nodes);
  return nodeDocuments(plan.loadBalancers[0]!, plan, FAKE_MATERIAL).guestinfo![LB_SYNC_GUESTINFO.haproxy]!;
}
