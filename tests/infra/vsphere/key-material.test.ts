/**
 * issue #20: the cluster's key material (CA and service-account keys, the certificate key, the
 * Secrets encryption key) must not stay in the VMs' configuration once the cluster runs. The
 * `running` documents are what a bootstrapped cluster's VMs keep; `bootstrap` documents are what a
 * first boot needs.
 */
import { gunzipSync } from "node:zlib";
import { expect } from "chai";
import { parse } from "yaml";
import { type DocumentStage, KEY_MATERIAL_FILES, nodeDocuments } from "../../../infra/vsphere/bootstrap";
import { GUESTINFO, guestinfo } from "../../../infra/vsphere/cloud-init";
import { ENCRYPTION_CONFIG } from "../../../infra/vsphere/encryption";
import { bootstrapPlan } from "../../../infra/vsphere/plan";
import { nodeSpecs } from "../../../infra/vsphere/pools";
import { CERTIFICATE_KEY_FILE } from "../../../infra/vsphere/scripts";
import { cloudConfig, fileIn, initOf, joinOf, type Metadata } from "./docs";
import { FAKE_MATERIAL, parsedInfra } from "./fixtures";

const prod = parsedInfra("vsphere-prod.yaml");
const nodes = nodeSpecs(prod);
const plan = bootstrapPlan(prod, nodes);
const controlPlanes = nodes.filter((n) => n.role === "control-plane");
const first = controlPlanes[0]!;

/** Every secret value of the fake material that counts as the cluster's key material. */
const KEY_VALUES = [
  FAKE_MATERIAL.pki.caKey,
  FAKE_MATERIAL.pki.etcdCaKey,
  FAKE_MATERIAL.pki.frontProxyCaKey,
  FAKE_MATERIAL.pki.saKey,
  FAKE_MATERIAL.secrets.certificateKey,
  FAKE_MATERIAL.encryptionKey,
];

/** What vCenter would keep: the user-data decoded back from the guestinfo extraConfig. */
function keptUserData(name: string, stage: DocumentStage): string {
  const node = nodes.find((n) => n.name === name)!;
  const docs = nodeDocuments(node, plan, FAKE_MATERIAL, stage);
  const extra = guestinfo(docs.userData, docs.metadata);
  return gunzipSync(Buffer.from(extra[GUESTINFO.userdata]!, "base64")).toString();
}

describe("vSphere key material in VM configuration", () => {
  it("issue #20: no running VM's guestinfo carries a CA key, the SA key, the certificate key or the encryption key", () => {
    for (const node of nodes) {
      const text = keptUserData(node.name, "running");
      for (const value of KEY_VALUES) expect(text.includes(value), `${node.name} keeps ${value.slice(0, 8)}…`).to.equal(false);
      const config = cloudConfig(text);
      for (const path of KEY_MATERIAL_FILES) expect(fileIn(config, path), `${node.name} ${path}`).to.equal(undefined);
    }
  });

  it("issue #20: the first control plane's running documents join the cluster, never initialise a second one", () => {
    const config = cloudConfig(keptUserData(first.name, "running"));
    expect(() => initOf(config)).to.throw(/no InitConfiguration/);
    const join = joinOf(config);
    expect(join.controlPlane?.localAPIEndpoint.advertiseAddress).to.equal(first.address);
    expect(join.controlPlane).to.not.have.property("certificateKey");
    expect(config.runcmd[0]).to.contain("strata-kubeadm-join.sh").and.not.contain("strata-kubeadm-init.sh");
  });

  it("the first boot still has what kubeadm init needs: the CAs, the SA key, the certificate key and the encryption key", () => {
    const config = cloudConfig(keptUserData(first.name, "bootstrap"));
    expect(fileIn(config, "/etc/kubernetes/pki/ca.key")).to.equal(FAKE_MATERIAL.pki.caKey);
    expect(fileIn(config, "/etc/kubernetes/pki/etcd/ca.key")).to.equal(FAKE_MATERIAL.pki.etcdCaKey);
    expect(fileIn(config, "/etc/kubernetes/pki/front-proxy-ca.key")).to.equal(FAKE_MATERIAL.pki.frontProxyCaKey);
    expect(fileIn(config, "/etc/kubernetes/pki/sa.key")).to.equal(FAKE_MATERIAL.pki.saKey);
    expect(initOf(config).certificateKey).to.equal(FAKE_MATERIAL.secrets.certificateKey);
    expect(fileIn(config, ENCRYPTION_CONFIG)).to.contain(FAKE_MATERIAL.encryptionKey);
    for (const cp of controlPlanes.slice(1)) {
      const joining = cloudConfig(keptUserData(cp.name, "bootstrap"));
      expect(joinOf(joining).controlPlane?.certificateKey, cp.name).to.equal(FAKE_MATERIAL.secrets.certificateKey);
      expect(fileIn(joining, CERTIFICATE_KEY_FILE), cp.name).to.equal(`${FAKE_MATERIAL.secrets.certificateKey}\n`);
      expect(fileIn(joining, ENCRYPTION_CONFIG), cp.name).to.contain(FAKE_MATERIAL.encryptionKey);
    }
  });

  it("a control plane created while the cluster runs (rejoin) joins with the certificate and encryption keys, without any CA key", () => {
    for (const cp of controlPlanes) {
      const config = cloudConfig(keptUserData(cp.name, "rejoin"));
      expect(() => initOf(config), cp.name).to.throw(/no InitConfiguration/);
      expect(joinOf(config).controlPlane?.certificateKey, cp.name).to.equal(FAKE_MATERIAL.secrets.certificateKey);
      expect(fileIn(config, ENCRYPTION_CONFIG), cp.name).to.contain(FAKE_MATERIAL.encryptionKey);
      for (const value of [FAKE_MATERIAL.pki.caKey, FAKE_MATERIAL.pki.etcdCaKey, FAKE_MATERIAL.pki.frontProxyCaKey, FAKE_MATERIAL.pki.saKey]) {
        expect(JSON.stringify(config).includes(value), `${cp.name} carries ${value}`).to.equal(false);
      }
    }
  });

  it("workers and load balancers keep the same documents in every stage (they hold no cluster key)", () => {
    for (const node of nodes.filter((n) => n.role !== "control-plane")) {
      expect(keptUserData(node.name, "running"), node.name).to.equal(keptUserData(node.name, "bootstrap"));
      expect(keptUserData(node.name, "rejoin"), node.name).to.equal(keptUserData(node.name, "bootstrap"));
    }
  });

  it("the metadata asks cloud-init to clear the user-data from the guest's view of guestinfo once read", () => {
    // cloud-init's DataSourceVMware (redact_keys / guestinfo_redact_keys) sets each listed key to
    // "---" and its .encoding to " " with `vmware-rpctool info-set`: a runtime-only change.
    for (const node of nodes) {
      const meta = parse(nodeDocuments(node, plan, FAKE_MATERIAL, "running").metadata) as Metadata;
      expect(meta.redact, node.name).to.deep.equal(["userdata", "vendordata"]);
    }
  });
});
