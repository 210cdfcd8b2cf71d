/**
 * The offline plan of the vSphere examples (issue 3, acceptance): exact VMs per pool, protection,
 * DRS anti-affinity, consistent kubeadm documents on every node, the readiness gate, and no
 * secret in clear anywhere in the plan, its outputs or its rendered files.
 */
import { expect } from "chai";
import { SECRET_PLACEHOLDER } from "../../../tools/engine/plan-document";
import { leaksIn } from "../../../tools/engine/leaks";
import type { RunResult } from "../../../tools/engine/run";
import { toPlanDocument } from "../../../tools/engine/run";
import { renderFiles } from "../../../tools/engine/write-out";
import { named, ofType } from "../../harness";
import { cloudConfigOfVm, clusterOf, initOf, joinOf } from "./docs";
import { planExample } from "./fixtures";

const VM = "vsphere:index/virtualMachine:VirtualMachine";
const RULE = "vsphere:index/computeClusterVmAntiAffinityRule:ComputeClusterVmAntiAffinityRule";

interface InfraOutput {
  readonly backend: string;
  readonly apiEndpoint: string;
  readonly vsphere: { readonly apiVip: string };
  readonly nodePools: readonly { name: string; count: number; cpuCores: number; memoryGi: number; addresses: string[] }[];
}

describe("infra: vSphere offline plan (prod example)", () => {
  let prod: RunResult;
  before(async () => {
    prod = await planExample("vsphere-prod.yaml");
  });
  const vms = () => ofType(prod, VM);
  const pool = (name: string) => vms().filter((vm) => vm.name.startsWith(`emis-prod-${name}-`));

  it("creates exactly the seed's VMs, sized per pool", () => {
    const shape = (name: string) =>
      pool(name).map((vm) => [vm.rawInputs["numCpus"], vm.rawInputs["memory"], (vm.rawInputs["disks"] as { size: number }[]).map((d) => d.size)]);
    // issue #21: the EMIS seed's workers autoscale 6-20: machine-controller makes them (a
    // MachineDeployment in the cluster layer), so Pulumi makes 17 VMs, none of them workers.
    expect(vms()).to.have.length(17);
    expect(shape("control-plane")).to.deep.equal(Array(3).fill([8, 16 * 1024, [200]]));
    expect(shape("workers")).to.deep.equal([]);
    expect(shape("storage")).to.deep.equal(Array(3).fill([8, 16 * 1024, [100, 2048, 200]]));
    expect(shape("mysql")).to.deep.equal(Array(3).fill([16, 64 * 1024, [1024]]));
    expect(shape("mongodb")).to.deep.equal(Array(3).fill([16, 32 * 1024, [1024]]));
    expect(shape("redis")).to.deep.equal(Array(3).fill([8, 32 * 1024, [200]]));
    expect(shape("load-balancers")).to.deep.equal(Array(2).fill([4, 8 * 1024, [40]]));
  });

  it("places storage data disks on their tiers, exposes disk UUIDs for the CSI driver and uses the NIC netplan matches", () => {
    const disks = pool("storage")[0]!.rawInputs["disks"] as { label: string; datastoreId?: string; unitNumber: number }[];
    const hdd = disks[1]!.datastoreId;
    expect(disks.map((d) => [d.label, d.unitNumber])).to.deep.equal([["disk0", 0], ["disk1", 1], ["disk2", 2]]);
    expect(hdd).to.not.equal(disks[2]!.datastoreId);
    for (const vm of vms()) {
      expect(vm.rawInputs["enableDiskUuid"], vm.name).to.equal(true);
      expect((vm.rawInputs["networkInterfaces"] as { adapterType: string }[])[0]!.adapterType, vm.name).to.equal("vmxnet3");
      expect(vm.rawInputs["folder"], vm.name).to.equal("emis-prod");
    }
  });

  it("keeps the cluster CAs and service-account key fixed once created, and protects them in prod", () => {
    const fixed = prod.resources.filter((r) => r.type.startsWith("tls:") && r.ignoreChanges.includes("*")).map((r) => r.name).sort();
    expect(fixed).to.deep.equal([
      "emis-prod-pki-ca", "emis-prod-pki-ca-key", "emis-prod-pki-etcd-ca", "emis-prod-pki-etcd-ca-key",
      "emis-prod-pki-front-proxy-ca", "emis-prod-pki-front-proxy-ca-key", "emis-prod-pki-sa-key",
    ]);
    for (const name of fixed) expect(prod.resources.find((r) => r.name === name)?.protect, name).to.equal(true);
    // The admin certificate must stay renewable.
    expect(prod.resources.find((r) => r.name === "emis-prod-pki-admin" && r.type === "tls:index/locallySignedCert:LocallySignedCert")?.ignoreChanges).to.deep.equal([]);
  });

  it("protects control-plane (etcd), database and storage VMs in prod, and nothing else", () => {
    const protectedVms = vms().filter((vm) => vm.protect).map((vm) => vm.name.replace(/-\d+$/, ""));
    expect([...new Set(protectedVms)].sort()).to.deep.equal(["emis-prod-control-plane", "emis-prod-mongodb", "emis-prod-mysql", "emis-prod-redis", "emis-prod-storage"]);
    expect(protectedVms).to.have.length(15);
  });

  it("changes control-plane VMs one at a time and ignores what a rebuilt template changes", () => {
    const cp = pool("control-plane");
    // Each through the previous one's health gate (rollout.integration.test.ts holds the chain, and
    // that plain worker pools are not chained).
    const gateOf = (vm: { readonly name: string }) => prod.resources.find((r) => r.name === `${vm.name}-healthy`)!;
    expect(cp[0]!.dependencies.filter((urn) => urn.includes("VirtualMachine") || urn.includes("ApiReadiness"))).to.deep.equal([]);
    expect(cp[1]!.dependencies).to.include(gateOf(cp[0]!).urn);
    expect(gateOf(cp[0]!).dependencies).to.include(cp[0]!.urn);
    expect(cp[2]!.dependencies).to.include(gateOf(cp[1]!).urn);
    for (const vm of vms()) {
      expect(vm.ignoreChanges, vm.name).to.include.members(["clone", "guestId", "firmware", "scsiType", "disks[0].thinProvisioned"]);
      // issue #20: guestinfo is managed, rewritten in place without a reboot.
      expect(vm.ignoreChanges, vm.name).to.not.include("extraConfig");
      expect(vm.rawInputs["extraConfigRebootRequired"], vm.name).to.equal(false);
    }
  });

  it("spreads control-plane, database, storage and load-balancer pools over ESXi hosts", () => {
    const rules = ofType(prod, RULE);
    const members = Object.fromEntries(rules.map((r) => [r.rawInputs["name"] as string, (r.rawInputs["virtualMachineIds"] as string[]).length]));
    expect(members).to.deep.equal({
      "emis-prod-control-plane": 3,
      "emis-prod-storage": 3,
      "emis-prod-mysql": 3,
      "emis-prod-mongodb": 3,
      "emis-prod-redis": 3,
      "emis-prod-load-balancers": 2,
    });
    for (const rule of rules) expect(rule.rawInputs["mandatory"], rule.urn).to.equal(false);
  });

  it("boots every node with consistent kubeadm documents", () => {
    const nodes = vms().filter((vm) => !vm.name.includes("load-balancers"));
    const first = cloudConfigOfVm(nodes.find((vm) => vm.name === "emis-prod-control-plane-1")!);
    const init = initOf(first);
    const cluster = clusterOf(first);
    const token = init.bootstrapTokens[0]!.token;
    const joins = nodes.filter((vm) => vm.name !== "emis-prod-control-plane-1").map((vm) => joinOf(cloudConfigOfVm(vm)));
    expect(cluster.controlPlaneEndpoint).to.equal("k8s-master-lb.emis.local:6443");
    expect(cluster.networking).to.deep.equal({ podSubnet: "10.244.0.0/16", serviceSubnet: "10.96.0.0/12", dnsDomain: "cluster.local" });
    const hashes = new Set(joins.map((j) => j.discovery.bootstrapToken.caCertHashes[0]));
    expect(hashes.size).to.equal(1);
    expect([...hashes][0]).to.match(/^sha256:[0-9a-f]{64}$/);
    for (const join of joins) {
      expect(join.discovery.bootstrapToken.token).to.equal(token);
      expect(join.discovery.bootstrapToken.apiServerEndpoint).to.equal(cluster.controlPlaneEndpoint);
      if (join.controlPlane !== undefined) expect(join.controlPlane.certificateKey).to.equal(init.certificateKey);
    }
    expect(joins.filter((j) => j.controlPlane !== undefined)).to.have.length(2);
  });

  it("hands cloud-init its documents through guestinfo, marked secret", () => {
    for (const vm of vms()) {
      expect(vm.inputs["extraConfig"], vm.name).to.equal(SECRET_PLACEHOLDER);
      // Load balancers also carry their current HAProxy and keepalived files (lb-sync.ts).
      const loadBalancer = vm.name.includes("load-balancers") ? ["guestinfo.strata.haproxy", "guestinfo.strata.keepalived"] : [];
      expect(Object.keys(vm.rawInputs["extraConfig"] as object).sort(), vm.name).to.deep.equal([
        "guestinfo.metadata",
        "guestinfo.metadata.encoding",
        ...loadBalancer,
        "guestinfo.userdata",
        "guestinfo.userdata.encoding",
      ]);
    }
  });

  it("gates the next layer on /readyz through the VIP after the control plane and load balancers exist", () => {
    const gate = named(prod, "pulumi-nodejs:dynamic/strata:ApiReadiness", "emis-prod-api-ready");
    expect(gate.rawInputs["url"]).to.equal("https://10.20.0.10:6443");
    expect(gate.inputs["keyPem"]).to.equal(SECRET_PLACEHOLDER);
    const gated = [...pool("control-plane"), ...pool("load-balancers")].map((vm) => vm.urn).sort();
    expect(gated.every((urn) => gate.dependencies.includes(urn))).to.equal(true);
    const token = ofType(prod, "kubernetes:core/v1:Secret").find((s) => s.name === "emis-prod-bootstrap-token")!;
    expect(token.dependencies).to.include(gate.urn);
  });

  it("gives the join token a 24-hour expiry, stamped per token id, and mints a new token when the node set changes", () => {
    const token = ofType(prod, "kubernetes:core/v1:Secret").find((s) => s.name === "emis-prod-bootstrap-token")!;
    const expiration = Date.parse((token.rawInputs["stringData"] as Record<string, string>)["expiration"]!);
    const hours = (expiration - Date.now()) / 3600_000;
    expect(hours).to.be.within(23, 24);
    expect(token.ignoreChanges).to.deep.equal([]);
    const expiry = named(prod, "pulumi-nodejs:dynamic/strata:TokenExpiry", "emis-prod-token-expiry");
    expect(token.dependencies).to.include(expiry.urn);
    const id = named(prod, "random:index/randomString:RandomString", "emis-prod-join-token-id");
    const keepers = id.rawInputs["keepers"] as Record<string, string>;
    expect(keepers["rotation"]).to.equal("1");
    // Pulumi's Kubernetes nodes: the autoscaled workers (6-20, issue #21) join with OSM's tokens.
    expect(keepers["nodes"]!.split(",")).to.have.length(15).and.include("emis-prod-storage-3").and.not.include("emis-prod-load-balancers-1");
    const init = initOf(cloudConfigOfVm(pool("control-plane")[0]!));
    expect(init.bootstrapTokens[0]!.ttl).to.equal("24h0m0s");
  });

  it("publishes the infra contract: pools with per-node capacity and addresses, VIP, endpoint", () => {
    const infra = prod.outputs["infra"] as InfraOutput;
    expect(infra.backend).to.equal("vsphere");
    expect(infra.apiEndpoint).to.equal("https://k8s-master-lb.emis.local:6443");
    expect(infra.vsphere.apiVip).to.equal("10.20.0.10");
    expect(infra.nodePools.map((p) => [p.name, p.count, p.cpuCores, p.memoryGi, p.addresses.length])).to.deep.equal([
      ["control-plane", 3, 8, 16, 3],
      // Autoscaled 6-20 (issue #21): count is min, addresses come from DHCP.
      ["workers", 6, 16, 32, 0],
      ["storage", 3, 8, 16, 3],
      ["mysql", 3, 16, 64, 3],
      ["mongodb", 3, 16, 32, 3],
      ["redis", 3, 8, 32, 3],
      ["load-balancers", 2, 4, 8, 2],
    ]);
  });

  it("renders each VM's cloud-init documents and scripts for plan --out", () => {
    const paths = renderFiles(prod).map((f) => f.path).filter((p) => p.startsWith("infra/cloud-init/emis-prod-control-plane-1/"));
    expect(paths.sort()).to.deep.equal([
      "infra/cloud-init/emis-prod-control-plane-1/meta-data.yaml",
      "infra/cloud-init/emis-prod-control-plane-1/network-config.yaml",
      "infra/cloud-init/emis-prod-control-plane-1/scripts/strata-certs-renew.sh",
      "infra/cloud-init/emis-prod-control-plane-1/scripts/strata-etcd-snapshot.sh",
      "infra/cloud-init/emis-prod-control-plane-1/scripts/strata-kubeadm-init.sh",
      "infra/cloud-init/emis-prod-control-plane-1/scripts/strata-kubeadm-join.sh",
      "infra/cloud-init/emis-prod-control-plane-1/scripts/strata-maintenance-timers.sh",
      "infra/cloud-init/emis-prod-control-plane-1/scripts/strata-node-prep.sh",
      "infra/cloud-init/emis-prod-control-plane-1/scripts/strata-upload-certs.sh",
      "infra/cloud-init/emis-prod-control-plane-1/user-data.yaml",
    ]);
  });

  it("shows no key, token or password in clear in the plan, its outputs or its rendered files", () => {
    expect(leaksIn(toPlanDocument(prod), prod.secrets)).to.deep.equal([]);
    const text = renderFiles(prod).map((f) => f.content).join("\n");
    expect(text).to.not.match(/PRIVATE KEY-----/);
    const long = prod.secrets.filter((s) => s.length >= 8);
    expect(long.filter((secret) => text.includes(secret))).to.deep.equal([]);
    expect(text).to.include("certificateKey: [secret]");
  });
});

describe("infra: vSphere offline plan (dev example)", () => {
  let dev: RunResult;
  before(async () => {
    dev = await planExample("vsphere-dev.yaml");
  });

  it("builds one control plane with kube-vip and two workers, nothing protected", () => {
    const vms = ofType(dev, VM);
    expect(vms.map((vm) => vm.name)).to.deep.equal(["strata-dev-control-plane-1", "strata-dev-workers-1", "strata-dev-workers-2"]);
    expect(vms.some((vm) => vm.protect)).to.equal(false);
    expect(ofType(dev, RULE)).to.have.length(0);
    const files = cloudConfigOfVm(vms[0]!).write_files.map((f) => f.path);
    expect(files).to.include("/etc/strata/kube-vip.yaml");
  });
});
