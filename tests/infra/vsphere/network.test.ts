/**
 * First-boot network (issue 8, item 1): the NIC keeps its kernel name, netplan matches it by driver,
 * and keepalived and kube-vip get the interface that carries the node's address, found at boot.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { parse } from "yaml";
import { nodeDocuments } from "../../../infra/vsphere/bootstrap";
import { INTERFACE_PLACEHOLDER, netplan, nodeInterfaceFunction } from "../../../infra/vsphere/network";
import { bootstrapPlan } from "../../../infra/vsphere/plan";
import { nodeSpecs } from "../../../infra/vsphere/pools";
import { cloudConfig, fileIn, type Metadata } from "./docs";
import { FAKE_MATERIAL, parsedInfra } from "./fixtures";

describe("vSphere first-boot network", () => {
  const prod = parsedInfra("vsphere-prod.yaml");
  const prodNodes = nodeSpecs(prod);
  const prodPlan = bootstrapPlan(prod, prodNodes);
  const dev = parsedInfra("vsphere-dev.yaml");
  const devNodes = nodeSpecs(dev);
  const devPlan = bootstrapPlan(dev, devNodes);

  it("never renames the NIC: cloud-init applies set-name on first boot only with a MAC match", () => {
    for (const node of prodNodes) {
      const meta = parse(nodeDocuments(node, prodPlan, FAKE_MATERIAL).metadata) as Metadata & { network: { ethernets: Record<string, Record<string, unknown>> } };
      for (const [id, nic] of Object.entries(meta.network.ethernets)) {
        expect(nic, `${node.name} ${id}`).to.not.have.property("set-name");
        expect(nic.match, `${node.name} ${id}`).to.deep.equal({ driver: "vmxnet3" });
      }
    }
  });

  it("names no interface in keepalived's or kube-vip's staged configuration, only the boot-time placeholder", () => {
    const lb = cloudConfig(nodeDocuments(prodNodes.find((n) => n.role === "load-balancer")!, prodPlan, FAKE_MATERIAL).userData);
    const keepalived = fileIn(lb, "/etc/strata/keepalived.conf")!;
    expect([...keepalived.matchAll(/\b(?:interface|dev)\s+(\S+)/g)].map((m) => m[1])).to.deep.equal([INTERFACE_PLACEHOLDER, INTERFACE_PLACEHOLDER]);
    const lbScript = fileIn(lb, "/usr/local/sbin/strata-load-balancer.sh")!;
    expect(lbScript).to.include('NODE_ADDRESS="10.20.0.5"').and.include("install_for_interface /etc/strata/keepalived.conf /etc/keepalived/keepalived.conf 0600");
    expect(lbScript).to.not.include("install -m 0600 /etc/strata/keepalived.conf");

    const cp = cloudConfig(nodeDocuments(devNodes[0]!, devPlan, FAKE_MATERIAL).userData);
    const pod = parse(fileIn(cp, "/etc/strata/kube-vip.yaml")!) as { spec: { containers: { env: { name: string; value: string }[] }[] } };
    expect(pod.spec.containers[0]!.env).to.deep.include({ name: "vip_interface", value: INTERFACE_PLACEHOLDER });
    expect(fileIn(cp, "/usr/local/sbin/strata-kubeadm-init.sh")).to.include(`NODE_ADDRESS="${devNodes[0]!.address}"`);
  });

  it("keeps the address, route and resolvers on the matched NIC", () => {
    const doc = netplan({ address: "10.0.0.5", prefixLength: 24, gateway: "10.0.0.1", dnsServers: ["10.0.0.2"], searchDomains: [] });
    expect(doc.ethernets.node).to.deep.equal({
      match: { driver: "vmxnet3" },
      dhcp4: false,
      dhcp6: false,
      addresses: ["10.0.0.5/24"],
      routes: [{ to: "default", via: "10.0.0.1" }],
      nameservers: { addresses: ["10.0.0.2"] },
    });
  });

  it("installs a staged file with the interface that carries the node address (run in bash with a stand-in ip)", () => {
    const dir = mkdtempSync(join(tmpdir(), "strata-iface-"));
    try {
      // The stand-in answers like `ip -o -4 addr show to <address>/32` on a node whose NIC is ens192.
      writeFileSync(join(dir, "ip"), ['#!/bin/sh', 'if [ "$6" = "10.0.0.5/32" ]; then', '  echo "2: ens192    inet 10.0.0.5/24 brd 10.0.0.255 scope global ens192\\       valid_lft forever preferred_lft forever"', "fi", ""].join("\n"));
      chmodSync(join(dir, "ip"), 0o755);
      writeFileSync(join(dir, "staged.conf"), `interface ${INTERFACE_PLACEHOLDER}\n10.0.0.10/24 dev ${INTERFACE_PLACEHOLDER}\n`);
      const script = [...nodeInterfaceFunction("10.0.0.5"), `install_for_interface "${dir}/staged.conf" "${dir}/target.conf" 0600`].join("\n");
      const out = execFileSync("bash", ["-euo", "pipefail", "-c", script], { env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ""}` }, encoding: "utf8" });
      expect(out).to.equal(`node address 10.0.0.5 is on ens192: installing ${dir}/target.conf\n`);
      expect(readFileSync(join(dir, "target.conf"), "utf8")).to.equal("interface ens192\n10.0.0.10/24 dev ens192\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
