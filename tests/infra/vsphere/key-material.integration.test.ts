/**
 * issue #20: the first control plane's key material must leave the VMs' configuration once the
 * cluster is up. Plans of the prod stack: as on the first `up` (bootstrap documents), with
 * `vsphere.bootstrapped: true` (what every VM's guestinfo becomes on the next `up`), twice, and
 * with a control plane listed in `vsphere.keyMaterialFor` (its replacement).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { parse, stringify } from "yaml";
import { KEY_MATERIAL_FILES } from "../../../infra/vsphere/bootstrap";
import { VSPHERE_BOOTSTRAPPED_OUTPUT } from "../../../lib/own-stack";
import { ENCRYPTION_CONFIG } from "../../../infra/vsphere/encryption";
import { CERTIFICATE_KEY_FILE } from "../../../infra/vsphere/scripts";
import { type RunResult, runStack } from "../../../tools/engine/run";
import { ofType, planStack } from "../../harness";
import { type CloudConfig, cloudConfigOfVm, fileIn, initOf, joinOf } from "./docs";
import { planExample } from "./fixtures";

const VM = "vsphere:index/virtualMachine:VirtualMachine";
const ROOT = join(__dirname, "..", "..", "..");
const FIRST = "emis-prod-control-plane-1";
const SECOND = "emis-prod-control-plane-2";

/** Pulumi.prod.yaml with `strata:infra.vsphere` keys changed, written to a temporary file. */
function prodWith(dir: string, name: string, vsphere: Record<string, unknown>): string {
  const doc = parse(readFileSync(join(ROOT, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, { vsphere: Record<string, unknown> }> };
  const infra = doc.config["strata:infra"]!;
  infra.vsphere = { ...infra.vsphere, ...vsphere };
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(doc));
  return file;
}

const userData = (run: RunResult) => new Map(ofType(run, VM).map((vm) => [vm.name, cloudConfigOfVm(vm)] as const));

/**
 * Each VM's decoded documents with the values the engine's mocks invent afresh on every run (keys,
 * certificates, random secrets, the discovery hash) replaced by stand-ins: a real `up` reads them
 * back from the state, so what remains is exactly what could make a second run differ.
 */
function renderedDocuments(run: RunResult): Record<string, string> {
  const stable = (text: string) =>
    text
      .replace(/-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----/g, "<$1>")
      .replace(/mock-secret-[0-9a-zA-Z]+/g, "<secret>")
      .replace(/sha256:[0-9a-f]{64}/g, "<hash>");
  return Object.fromEntries(
    ofType(run, VM).map((vm) => {
      const extra = vm.rawInputs["extraConfig"] as Record<string, string>;
      return [vm.name, stable(`${Buffer.from(extra["guestinfo.metadata"]!, "base64").toString()}\n${JSON.stringify(cloudConfigOfVm(vm))}`)];
    }),
  );
}
const mentionsKey = (config: CloudConfig) => /PRIVATE KEY|certificateKey|secretbox/.test(JSON.stringify(config));

describe("infra: vSphere key material in VM configuration (prod plan)", () => {
  let dir: string;
  let firstUp: RunResult;
  let bootstrapped: RunResult;
  let replacing: RunResult;
  let afterFirstUp: RunResult;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "strata-key-material-"));
    [firstUp, bootstrapped, replacing, afterFirstUp] = await Promise.all([
      planExample("vsphere-prod.yaml"),
      planStack({ stack: "prod", configFile: prodWith(dir, "bootstrapped", { bootstrapped: true }) }),
      planStack({ stack: "prod", configFile: prodWith(dir, "replacing", { bootstrapped: true, keyMaterialFor: [SECOND] }) }),
      // The update after the first successful one: the stack's own outputs say the cluster came up.
      runStack({ stack: "prod", previousOutputs: { outputs: { [VSPHERE_BOOTSTRAPPED_OUTPUT]: true }, secretOutputNames: [] } }),
    ]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("the first up gives the first control plane what kubeadm init needs", () => {
    const first = userData(firstUp).get(FIRST)!;
    for (const path of KEY_MATERIAL_FILES) expect(fileIn(first, path), path).to.be.a("string").and.not.equal("");
    expect(fileIn(first, "/etc/kubernetes/pki/ca.key")).to.contain("PRIVATE KEY");
    expect(fileIn(first, CERTIFICATE_KEY_FILE)).to.equal(`${initOf(first).certificateKey}\n`);
  });

  it("issue #20: once bootstrapped, no VM's guestinfo carries a CA key, the SA key, the certificate key or the encryption key", () => {
    const docs = userData(bootstrapped);
    // 17 VMs: prod's workers autoscale 6-20 (issue #21) and are not Pulumi's.
    expect(docs.size).to.equal(17);
    for (const [name, config] of docs) {
      for (const path of KEY_MATERIAL_FILES) expect(fileIn(config, path), `${name} ${path}`).to.equal(undefined);
      expect(mentionsKey(config), name).to.equal(false);
    }
    expect(() => initOf(docs.get(FIRST)!)).to.throw(/no InitConfiguration/);
    expect(joinOf(docs.get(FIRST)!).controlPlane).to.not.equal(undefined);
  });

  it("issue #20: the first up records that the cluster came up; the next one drops the key material by itself", async () => {
    const fresh = await runStack({ stack: "prod" });
    expect(fresh.outputs[VSPHERE_BOOTSTRAPPED_OUTPUT]).to.equal(true);
    expect(fileIn(userData(fresh).get(FIRST)!, "/etc/kubernetes/pki/ca.key")).to.contain("PRIVATE KEY");
    expect(renderedDocuments(afterFirstUp)).to.deep.equal(renderedDocuments(bootstrapped));
  });

  it("vsphere.bootstrapped: false keeps the bootstrap documents whatever the stack's outputs say", async () => {
    const pinned = await runStack({ stack: "prod", configFile: prodWith(dir, "pinned", { bootstrapped: false }), previousOutputs: { outputs: { [VSPHERE_BOOTSTRAPPED_OUTPUT]: true }, secretOutputNames: [] } });
    expect(fileIn(userData(pinned).get(FIRST)!, "/etc/kubernetes/pki/ca.key")).to.contain("PRIVATE KEY");
  });

  it("an unchanged second run renders identical VM inputs (no diff)", async () => {
    const again = await runStack({ stack: "prod", configFile: join(dir, "bootstrapped.yaml") });
    expect(Object.keys(renderedDocuments(again))).to.have.length(17);
    expect(renderedDocuments(again)).to.deep.equal(renderedDocuments(bootstrapped));
    for (const vm of ofType(again, VM)) expect(vm.rawInputs["extraConfigRebootRequired"], vm.name).to.equal(false);
  });

  it("a control plane listed in keyMaterialFor gets the certificate and encryption keys to join, and only that one", () => {
    const docs = userData(replacing);
    const second = docs.get(SECOND)!;
    const certificateKey = joinOf(second).controlPlane?.certificateKey;
    expect(certificateKey).to.be.a("string").and.not.equal("");
    expect(fileIn(second, CERTIFICATE_KEY_FILE)).to.equal(`${certificateKey}\n`);
    expect(fileIn(second, ENCRYPTION_CONFIG)).to.contain("secretbox");
    expect(JSON.stringify(second)).to.not.contain("PRIVATE KEY");
    const others = renderedDocuments(replacing);
    const before = renderedDocuments(bootstrapped);
    for (const name of Object.keys(before).filter((n) => n !== SECOND)) expect(others[name], name).to.equal(before[name]);
    expect(others[SECOND]).to.not.equal(before[SECOND]);
  });
});
