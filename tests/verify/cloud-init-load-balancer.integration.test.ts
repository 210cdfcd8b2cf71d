/**
 * `npm run verify:cloud-init` on the load-balancer VMs: the HAProxy and keepalived configurations
 * are checked with the real tools. The tool runs are skipped where the tools (or root, for
 * keepalived) are missing; CI installs them and requires them.
 */
import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { type BootstrapMaterial, nodeDocuments } from "../../infra/vsphere/bootstrap";
import { bootstrapPlan } from "../../infra/vsphere/plan";
import { nodeSpecs } from "../../infra/vsphere/pools";
import { discoveryHash } from "../../infra/vsphere/tokens";
import { checkLoadBalancers, forThisHost } from "../../tools/verify-cloud-init/load-balancer";
import { installed } from "../../tools/verify-cloud-init/run";
import { parsedInfra } from "../infra/vsphere/fixtures";

const caKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();
/** The VRRP password as the plan writes it: redacted. */
const MATERIAL: BootstrapMaterial = {
  secrets: { token: "abcdef.0123456789abcdef", certificateKey: "a".repeat(64), caCertHash: discoveryHash(caKey) },
  pki: { caCert: "CA", caKey: "CAKEY", etcdCaCert: "ETCD", etcdCaKey: "ETCDKEY", frontProxyCaCert: "FP", frontProxyCaKey: "FPKEY", saKey: "SAKEY", saPub: "SAPUB" },
  vrrpPassword: "[secret]",
  encryptionKey: "[secret]",
};

const haveHaproxy = installed("haproxy", ["-v"]);
const haveKeepalived = installed("keepalived", ["--version"]) && process.getuid?.() === 0;

const planDirs: string[] = [];

/** The prod load balancers' user-data, written like `npm run plan -- --out`; `edit` changes it first. */
function plannedLoadBalancers(edit: (userData: string) => string = (text) => text): { out: string; files: string[] } {
  const infra = parsedInfra("vsphere-prod.yaml");
  const nodes = nodeSpecs(infra);
  const plan = bootstrapPlan(infra, nodes);
  const out = mkdtempSync(join(tmpdir(), "strata-lb-plan-"));
  planDirs.push(out);
  const files = plan.loadBalancers.map((node) => {
    const dir = join(out, "infra", "cloud-init", node.name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "user-data.yaml"), edit(nodeDocuments(node, plan, MATERIAL).userData));
    return join(dir, "user-data.yaml");
  });
  return { out, files };
}

describe("verify-cloud-init: HAProxy and keepalived configurations", () => {
  after(() => planDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  const keepalived = [
    "vrrp_script check {",
    '  script "/etc/keepalived/check.sh"',
    "}",
    "vrrp_instance vip {",
    "  interface eth0",
    "  authentication {",
    "    auth_pass [secret]",
    "  }",
    "  virtual_ipaddress {",
    "    10.0.0.10/24 dev eth0",
    "  }",
    "}",
  ].join("\n");

  it("stands in a valid dummy for a redacted secret and points scripts at their staged copies", () => {
    const staged = forThisHost(keepalived, new Map([["/etc/keepalived/check.sh", "/tmp/stage/check.sh"]]), ["eth0"]);
    expect(staged).to.include("auth_pass redacted").and.include('script "/tmp/stage/check.sh"').and.include("interface eth0");
  });

  it("swaps only an interface this host does not have, in the instance and the VIP", () => {
    const staged = forThisHost(keepalived, new Map(), ["ens3", "ens4"]);
    expect(staged).to.include("  interface ens3\n").and.include("10.0.0.10/24 dev ens3\n").and.not.include("eth0");
    expect(forThisHost(keepalived, new Map(), ["ens3", "eth0"])).to.include("interface eth0");
  });

  it("accepts the prod load balancers' rendered configurations", function () {
    if (!haveHaproxy || !haveKeepalived) this.skip();
    const { out, files } = plannedLoadBalancers();
    const result = checkLoadBalancers(out, files);
    expect(result.findings).to.deep.equal([]);
    expect(result.checked).to.deep.equal(["2 haproxy", "2 keepalived"]);
  });

  it("reports a broken HAProxy configuration with the path inside user-data and HAProxy's message", function () {
    if (!haveHaproxy) this.skip();
    const { out, files } = plannedLoadBalancers((text) => text.replace("balance roundrobin", "balance round-robin"));
    const findings = checkLoadBalancers(out, files).findings;
    expect(findings.map((f) => [f.file, f.tool])).to.deep.equal([
      ["infra/cloud-init/emis-prod-load-balancers-1/user-data.yaml#/etc/strata/haproxy.cfg", "haproxy -c"],
      ["infra/cloud-init/emis-prod-load-balancers-2/user-data.yaml#/etc/strata/haproxy.cfg", "haproxy -c"],
    ]);
    expect(findings[0]!.output).to.include("balance only supports");
  });

  it("reports a keepalived configuration whose tracked script the node is not given", function () {
    if (!haveKeepalived) this.skip();
    const { out, files } = plannedLoadBalancers((text) => text.replace("- path: /etc/keepalived/check-haproxy.sh", "- path: /etc/keepalived/elsewhere.sh"));
    const findings = checkLoadBalancers(out, files).findings.filter((f) => f.tool === "keepalived --config-test");
    expect(findings).to.have.length(2);
    expect(findings[0]!.output).to.include("Disabling track script check_haproxy");
  });
});
