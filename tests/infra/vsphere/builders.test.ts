/**
 * The pure builders, without the engine: node specs from the prod example, the kubeadm documents
 * every node boots with, netplan, HAProxy/keepalived and kube-vip (issue 3, deliverables 2-6).
 */
import { createHash, generateKeyPairSync } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { expect } from "chai";
import { parse } from "yaml";
import { isInitNode, nodeDocuments } from "../../../infra/vsphere/bootstrap";
import { guestinfo } from "../../../infra/vsphere/cloud-init";
import { haproxyConfig } from "../../../infra/vsphere/haproxy";
import { keepalivedConfig } from "../../../infra/vsphere/keepalived";
import { nodeVmOptions, templateProblem } from "../../../infra/vsphere/node-vm";
import { bootstrapPlan, kubernetesRelease } from "../../../infra/vsphere/plan";
import { adminKubeconfig } from "../../../infra/vsphere/pki";
import { type NodeSpec, nodeSpecs } from "../../../infra/vsphere/pools";
import { discoveryHash, TOKEN_PATTERN, tokenKeepers } from "../../../infra/vsphere/tokens";
import { expiryDiff, stampExpiry } from "../../../infra/vsphere/token-expiry";
import { kubeadmInitScript } from "../../../infra/vsphere/scripts";
import type { JoinConfigurationDoc } from "../../../infra/vsphere/kubeadm";
import { type CloudConfig, cloudConfig, clusterOf, fileIn, initOf, joinOf, type Metadata } from "./docs";
import { autoscaledPools } from "../../../infra/vsphere/autoscaled-pools";
import { FAKE_MATERIAL, parsedFixedWorkersInfra, parsedInfra } from "./fixtures";

const FAKE = FAKE_MATERIAL;

interface KubeVipPod {
  readonly spec: { readonly volumes: { hostPath: { path: string } }[]; readonly containers: { env: { name: string; value: string }[] }[] };
}

interface Kubeconfig {
  readonly clusters: { cluster: Record<string, string> }[];
  readonly users: { user: Record<string, string> }[];
}
describe("vSphere builders (prod example)", () => {
  const infra = parsedInfra("vsphere-prod.yaml");
  const nodes = nodeSpecs(infra);
  const plan = bootstrapPlan(infra, nodes);
  const docs = new Map(nodes.map((node) => [node.name, nodeDocuments(node, plan, FAKE)] as const));
  const userData = (node: NodeSpec): CloudConfig => cloudConfig(docs.get(node.name)!.userData);
  const byName = (name: string) => userData(nodes.find((n) => n.name === name)!);
  // prod's workers autoscale (issue #21): how a Pulumi worker VM boots is read from a fixed pool.
  const fixed = parsedFixedWorkersInfra();
  const fixedNodes = nodeSpecs(fixed);
  const fixedWorker = () => nodeDocuments(fixedNodes.find((n) => n.name === "emis-prod-workers-1")!, bootstrapPlan(fixed, fixedNodes), FAKE);

  it("sizes every node exactly as the seed hardware table", () => {
    const byPool = (pool: string) => nodes.filter((n) => n.pool === pool);
    const shape = (pool: string) => byPool(pool).map((n) => [n.cpus, n.memoryGi, n.disks.map((d) => `${d.sizeGi}/${d.tier}`).join("+")]);
    expect(shape("control-plane")).to.deep.equal(Array(3).fill([8, 16, "200/ssd"]));
    // issue #21: the EMIS seed's workers autoscale 6-20; machine-controller makes them, not Pulumi.
    expect(shape("workers")).to.deep.equal([]);
    expect(autoscaledPools(infra).map((p) => [p.pool, p.min, p.max, p.cpus, p.memoryGi, `${p.osDiskGi}/ssd`])).to.deep.equal([["workers", 6, 20, 16, 32, "500/ssd"]]);
    expect(shape("storage")).to.deep.equal(Array(3).fill([8, 16, "100/ssd+2048/hdd+200/ssd"]));
    expect(shape("mysql")).to.deep.equal(Array(3).fill([16, 64, "1024/ssd"]));
    expect(shape("mongodb")).to.deep.equal(Array(3).fill([16, 32, "1024/ssd"]));
    expect(shape("redis")).to.deep.equal(Array(3).fill([8, 32, "200/ssd"]));
    expect(shape("load-balancers")).to.deep.equal(Array(2).fill([4, 8, "40/ssd"]));
  });

  it("allocates static addresses in order from each pool's range", () => {
    expect(nodes.filter((n) => n.pool === "control-plane").map((n) => [n.name, n.address])).to.deep.equal([
      ["emis-prod-control-plane-1", "10.20.0.11"],
      ["emis-prod-control-plane-2", "10.20.0.12"],
      ["emis-prod-control-plane-3", "10.20.0.13"],
    ]);
    expect(new Set(nodes.map((n) => n.address)).size).to.equal(nodes.length);
  });

  it("gives every node the same endpoint, CIDRs, token, certificate key and CA hash", () => {
    const k8sNodes = nodes.filter((n) => n.role !== "load-balancer");
    const joins = k8sNodes.filter((n) => !isInitNode(n)).map((n) => joinOf(userData(n)));
    const first = userData(k8sNodes.find(isInitNode)!);
    const init = initOf(first);
    const cluster = clusterOf(first);
    expect(init.apiVersion).to.equal("kubeadm.k8s.io/v1beta4");
    expect(cluster).to.deep.include({ controlPlaneEndpoint: "k8s-master-lb.emis.local:6443", kubernetesVersion: "v1.35.3", clusterName: "emis-prod" });
    expect(cluster.networking).to.deep.equal({ podSubnet: "10.244.0.0/16", serviceSubnet: "10.96.0.0/12", dnsDomain: "cluster.local" });
    expect(init.bootstrapTokens[0]!.token).to.equal(FAKE.secrets.token);
    expect(init.certificateKey).to.equal(FAKE.secrets.certificateKey);
    // 2 more control planes and 12 storage/database nodes; the autoscaled workers join through OSM (issue #21).
    expect(joins).to.have.length(14);
    for (const join of joins) {
      expect(join.discovery.bootstrapToken).to.deep.equal({
        apiServerEndpoint: cluster.controlPlaneEndpoint,
        token: FAKE.secrets.token,
        caCertHashes: [FAKE.secrets.caCertHash],
      });
    }
    const cpJoins = joins.filter((j) => j.controlPlane !== undefined);
    expect(cpJoins.map((j) => j.controlPlane?.certificateKey)).to.deep.equal([FAKE.secrets.certificateKey, FAKE.secrets.certificateKey]);
  });

  it("registers labels via kubelet args (v1beta4 name/value list) and taints via nodeRegistration", () => {
    const mysql = joinOf(byName("emis-prod-mysql-1"));
    expect(mysql.nodeRegistration.kubeletExtraArgs).to.deep.equal([
      { name: "cloud-provider", value: "external" },
      { name: "node-ip", value: "10.20.0.51" },
      { name: "node-labels", value: "node.strata.io/pool=mysql,node.strata.io/role=database,strata.io/database=mysql" },
    ]);
    expect(mysql.nodeRegistration.taints).to.deep.equal([{ key: "strata.io/database", value: "mysql", effect: "NoSchedule" }]);
    const cp = joinOf(byName("emis-prod-control-plane-2"));
    expect(cp.nodeRegistration.taints).to.deep.equal([{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }]);
    const worker = joinOf(cloudConfig(fixedWorker().userData));
    expect(worker.nodeRegistration.taints).to.deep.equal([]);
  });

  it("runs every kubelet with the external cloud provider, in every kubeadm document a node can boot with", () => {
    const external = { name: "cloud-provider", value: "external" };
    const k8sNodes = nodes.filter((n) => n.role !== "load-balancer");
    const registrations = k8sNodes.flatMap((n) => {
      const config = userData(n);
      if (!isInitNode(n)) return [[n.name, joinOf(config).nodeRegistration] as const];
      // The first node also carries the join document it uses when it replaces a lost first node.
      const replacement = parse(fileIn(config, "/etc/strata/kubeadm-join.yaml")!) as JoinConfigurationDoc;
      return [[`${n.name} (init)`, initOf(config).nodeRegistration] as const, [`${n.name} (replacement join)`, replacement.nodeRegistration] as const];
    });
    expect(registrations).to.have.length(k8sNodes.length + 1);
    for (const [name, registration] of registrations) {
      expect(registration.kubeletExtraArgs.filter((arg) => arg.name === "cloud-provider"), name).to.deep.equal([external]);
    }
    // Nothing else may set it: the shared documents carry no kubelet cloud-provider setting.
    const first = userData(k8sNodes.find(isInitNode)!);
    expect(JSON.stringify(clusterOf(first))).to.not.include("cloud-provider");
    expect(fileIn(first, "/etc/strata/kubeadm.yaml")!.match(/cloud-provider/g)).to.have.length(1);
  });

  it("lets a replacement first node join the running cluster instead of initialising a second one", () => {
    const first = userData(nodes.find(isInitNode)!);
    const script = fileIn(first, "/usr/local/sbin/strata-kubeadm-init.sh")!;
    // Several rounds over the VIP and both peers must all stay silent before init.
    expect(script).to.include('targets=(10.20.0.10 10.20.0.12 10.20.0.13)\nfor round in $(seq 1 6); do\n  for target in "${targets[@]}"; do\n    if api_answers "$target"; then');
    expect(script).to.include("exec /usr/local/sbin/strata-kubeadm-join.sh");
    expect(script.indexOf("exec /usr/local/sbin/strata-kubeadm-join.sh")).to.be.lessThan(script.indexOf("kubeadm init --config"));
    expect(fileIn(first, "/usr/local/sbin/strata-kubeadm-join.sh")).to.include("kubeadm join --config /etc/strata/kubeadm-join.yaml");
    const join = parse(fileIn(first, "/etc/strata/kubeadm-join.yaml")!) as { kind: string; controlPlane?: { certificateKey: string } };
    expect(join.kind).to.equal("JoinConfiguration");
    expect(join.controlPlane?.certificateKey).to.equal(FAKE.secrets.certificateKey);
  });

  it("writes the strata-made CAs only on the first control-plane node", () => {
    const holders = nodes.filter((n) => fileIn(userData(n), "/etc/kubernetes/pki/ca.key") !== undefined).map((n) => n.name);
    expect(holders).to.deep.equal(["emis-prod-control-plane-1"]);
  });

  it("configures a static netplan v2 network and asks the datasource to clear the user-data", () => {
    const meta = parse(fixedWorker().metadata) as Metadata;
    expect(meta.redact).to.deep.equal(["userdata", "vendordata"]);
    expect(meta["local-hostname"]).to.equal("emis-prod-workers-1");
    expect(meta.network).to.deep.equal({
      version: 2,
      ethernets: {
        node: {
          match: { driver: "vmxnet3" },
          dhcp4: false,
          dhcp6: false,
          addresses: ["10.20.0.21/23"],
          routes: [{ to: "default", via: "10.20.0.1" }],
          nameservers: { addresses: ["10.20.0.2", "10.20.0.3"], search: ["emis.local"] },
        },
      },
    });
  });

  it("encodes the documents for the VMware datasource's guestinfo keys", () => {
    const extra = guestinfo("#cloud-config\n{}\n", "instance-id: x\n");
    expect(extra["guestinfo.userdata.encoding"]).to.equal("gzip+base64");
    expect(gunzipSync(Buffer.from(extra["guestinfo.userdata"]!, "base64")).toString()).to.equal("#cloud-config\n{}\n");
    expect(extra["guestinfo.metadata.encoding"]).to.equal("base64");
    expect(Buffer.from(extra["guestinfo.metadata"]!, "base64").toString()).to.equal("instance-id: x\n");
  });

  it("points HAProxy's health-checked API backends at every control-plane node and 80/443 at the gateway", () => {
    const cfg = fileIn(userData(nodes.find((n) => n.pool === "load-balancers")!), "/etc/strata/haproxy.cfg")!;
    expect(cfg).to.equal(haproxyConfig({ controlPlane: plan.controlPlane, apiServerPort: 6443, gatewayAddress: "10.20.1.200" }));
    const servers = cfg.split("\n").filter((line) => line.trim().startsWith("server "));
    expect(servers).to.deep.equal([
      "  server emis-prod-control-plane-1 10.20.0.11:6443 check check-ssl verify none inter 2s fall 3 rise 2",
      "  server emis-prod-control-plane-2 10.20.0.12:6443 check check-ssl verify none inter 2s fall 3 rise 2",
      "  server emis-prod-control-plane-3 10.20.0.13:6443 check check-ssl verify none inter 2s fall 3 rise 2",
      // PROXY protocol v2 carries the client's address to Envoy (per-client rate limits, logs).
      "  server gateway 10.20.1.200:80 send-proxy-v2 check inter 2s fall 3 rise 2",
      "  server gateway 10.20.1.200:443 send-proxy-v2 check inter 2s fall 3 rise 2",
    ]);
    expect(cfg).to.include("option httpchk GET /readyz");
  });

  it("pairs the load balancers over unicast VRRP holding the API VIP", () => {
    const [first, second] = plan.loadBalancers;
    const cfg = fileIn(userData(first!), "/etc/strata/keepalived.conf")!;
    expect(cfg).to.equal(keepalivedConfig({ routerId: 51, vip: "10.20.0.10", prefixLength: 23, self: "10.20.0.5", peers: ["10.20.0.6"], priority: 150, password: "vrrpPass" }));
    expect(fileIn(userData(second!), "/etc/strata/keepalived.conf")).to.include("priority 140");
    expect(fileIn(userData(first!), "/etc/kubernetes/manifests/kube-vip.yaml")).to.equal(undefined);
  });

  it("builds an admin kubeconfig from PEMs", () => {
    const kubeconfig = JSON.parse(adminKubeconfig("c", "https://10.0.0.1:6443", "CA", "CERT", "KEY")) as Kubeconfig;
    expect(kubeconfig.clusters[0]!.cluster).to.deep.equal({ server: "https://10.0.0.1:6443", "certificate-authority-data": Buffer.from("CA").toString("base64") });
    expect(kubeconfig.users[0]!.user["client-key-data"]).to.equal(Buffer.from("KEY").toString("base64"));
  });
});

describe("vSphere builders (dev example: no load balancers)", () => {
  const infra = parsedInfra("vsphere-dev.yaml");
  const nodes = nodeSpecs(infra);
  const plan = bootstrapPlan(infra, nodes);
  const cp = cloudConfig(nodeDocuments(nodes[0]!, plan, FAKE).userData);

  it("runs kube-vip on the control plane with super-admin.conf during init", () => {
    const manifest = parse(fileIn(cp, "/etc/strata/kube-vip.yaml")!) as KubeVipPod;
    expect(manifest.spec.volumes[0]!.hostPath.path).to.equal("/etc/kubernetes/super-admin.conf");
    expect(manifest.spec.containers[0]!.env).to.deep.include({ name: "address", value: "192.168.50.10" });
    expect(fileIn(cp, "/usr/local/sbin/strata-kubeadm-init.sh")).to.include("sed -i 's#/etc/kubernetes/super-admin.conf#/etc/kubernetes/admin.conf#'");
    expect(initOf(cp).nodeRegistration.ignorePreflightErrors).to.deep.equal(["DirAvailable--etc-kubernetes-manifests"]);
  });

  it("holds the VIP with a static pod, which the kubelet starts although its node is not yet initialised by the cloud provider", () => {
    const manifest = parse(fileIn(cp, "/etc/strata/kube-vip.yaml")!) as KubeVipPod & { kind: string };
    expect(manifest.kind).to.equal("Pod");
    expect(fileIn(cp, "/usr/local/sbin/strata-kubeadm-init.sh")).to.include("install_for_interface /etc/strata/kube-vip.yaml /etc/kubernetes/manifests/kube-vip.yaml 0600");
    expect(initOf(cp).nodeRegistration.kubeletExtraArgs).to.deep.include({ name: "cloud-provider", value: "external" });
  });
});

describe("join secrets and versions", () => {
  it("keeps running VMs when the template changes, manages their guestinfo, and deletes before replacing (day 2)", () => {
    // issue #20: extraConfig is not ignored, so key material can leave a running VM's configuration.
    expect(nodeVmOptions(true)).to.deep.equal({
      protect: true,
      deleteBeforeReplace: true,
      ignoreChanges: ["clone", "guestId", "firmware", "scsiType", "disks[0].thinProvisioned", "disks[0].eagerlyScrub"],
    });
    expect(nodeVmOptions(false).protect).to.equal(false);
  });

  it("hashes the CA's SubjectPublicKeyInfo like kubeadm does", () => {
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
    const der = publicKey.export({ type: "spki", format: "der" });
    const expected = `sha256:${createHash("sha256").update(der).digest("hex")}`;
    expect(discoveryHash(pem)).to.equal(expected).and.match(/^sha256:[0-9a-f]{64}$/);
    expect(() => discoveryHash("not a pem")).to.throw(/cannot compute the kubeadm discovery hash/);
  });

  it("mints a new token when a pool grows or the rotation changes, whatever the node order", () => {
    const base = tokenKeepers({ tokenRotation: "1", nodeNames: ["c-w-1", "c-cp-1"] });
    expect(tokenKeepers({ tokenRotation: "1", nodeNames: ["c-cp-1", "c-w-1"] })).to.deep.equal(base);
    expect(tokenKeepers({ tokenRotation: "1", nodeNames: ["c-cp-1", "c-w-1", "c-w-2"] })).to.not.deep.equal(base);
    expect(tokenKeepers({ tokenRotation: "2", nodeNames: ["c-w-1", "c-cp-1"] })).to.not.deep.equal(base);
  });

  it("issue #21: stamps a join token's expiry when it is created and stamps it again for a new token id", () => {
    expect(stampExpiry({ tokenId: "abcdef", ttlHours: 24 }, Date.UTC(2026, 0, 31, 12, 0, 0, 500)).expiration).to.equal("2026-02-01T12:00:00Z");
    expect(expiryDiff({ tokenId: "abcdef", ttlHours: 24 }, { tokenId: "abcdef", ttlHours: 24 })).to.deep.include({ changes: false, replaces: [] });
    expect(expiryDiff({ tokenId: "abcdef", ttlHours: 24 }, { tokenId: "uvwxyz", ttlHours: 24 })).to.deep.include({ changes: true, replaces: ["tokenId"] });
  });

  it("keeps the join token and certificate key out of kubeadm init's output", () => {
    expect(kubeadmInitScript({ host: "api", vip: "10.0.0.10", port: 6443 }, false, "10.0.0.11")).to.include(
      "kubeadm init --config /etc/strata/kubeadm.yaml --upload-certs --skip-token-print --skip-certificate-key-print",
    );
  });

  it("accepts only kubeadm-shaped tokens", () => {
    expect(TOKEN_PATTERN.test("abcdef.0123456789abcdef")).to.equal(true);
    expect(TOKEN_PATTERN.test("ABCDEF.0123456789abcdef")).to.equal(false);
  });

  it("resolves a minor to the catalog's pinned package and honours an explicit patch", () => {
    expect(kubernetesRelease("1.35")).to.deep.equal({ version: "1.35.3", channel: "v1.35", package: "1.35.3-1.1" });
    expect(kubernetesRelease("1.35.1")).to.deep.equal({ version: "1.35.1", channel: "v1.35", package: "1.35.1-1.1" });
  });
});

describe("template preflight", () => {
  const good = { id: "t", uuid: "u", guestId: "ubuntu64Guest", firmware: "efi", scsiType: "pvscsi", disks: [{ size: 20, label: "disk0", unitNumber: 0, thinProvisioned: true, eagerlyScrub: false }], networkInterfaceTypes: ["vmxnet3"], hardwareVersion: 19 };
  const problem = (t: Partial<typeof good> & { vapp?: { properties?: Record<string, string> } }) => templateProblem({ ...good, ...t }, "ubuntu-24.04", { pool: "workers" }, 40);

  it("accepts an Ubuntu template with hardware 15 or later and no vApp properties", () => {
    expect(problem({})).to.equal(undefined);
    expect(problem({ hardwareVersion: 15, vapp: { properties: {} } })).to.equal(undefined);
  });

  it("refuses vApp properties, which would make cloud-init read the OVF datasource instead of guestinfo", () => {
    expect(problem({ vapp: { properties: { "user-data": "", hostname: "ubuntuguest" } } })).to.equal(
      "template ubuntu-24.04 has vApp properties (hostname, user-data); cloud-init's OVF datasource would read them instead of strata's guestinfo documents: disable vApp options on the template (Edit Settings > vApp Options) and convert it again",
    );
  });

  it("refuses hardware older than the CSI driver supports", () => {
    expect(problem({ hardwareVersion: 14 })).to.equal(
      "template ubuntu-24.04 has virtual hardware version 14; the vSphere CSI driver needs 15 or later: upgrade the template's compatibility (Actions > Compatibility > Upgrade VM Compatibility)",
    );
  });

  it("still refuses the wrong guest OS and a disk bigger than the pool's OS disk", () => {
    expect(problem({ guestId: "windows9_64Guest" })).to.match(/^template ubuntu-24.04 has guestId windows9_64Guest; /);
    expect(problem({ disks: [{ ...good.disks[0]!, size: 50 }] })).to.equal(
      "pool workers: osDiskGi 40 is smaller than the template's 50 GB disk; raise strata:infra.vsphere.nodePools.workers.osDiskGi",
    );
  });
});

describe("cluster security on the nodes", () => {
  const infra = parsedInfra("vsphere-prod.yaml");
  const nodes = nodeSpecs(infra);
  const plan = bootstrapPlan(infra, nodes);
  const docOf = (name: string) => cloudConfig(nodeDocuments(nodes.find((n) => n.name === name)!, plan, FAKE).userData);

  it("encrypts Secrets at rest with the strata key on every control plane, identity last for older Secrets", () => {
    for (const name of ["emis-prod-control-plane-1", "emis-prod-control-plane-2", "emis-prod-control-plane-3"]) {
      const file = docOf(name).write_files.find((f) => f.path === "/etc/kubernetes/encryption/config.yaml");
      expect(file?.permissions, name).to.equal("0600");
      const config = parse(file!.content) as { resources: { resources: string[]; providers: Record<string, { keys?: { name: string; secret: string }[] }>[] }[] };
      expect(config.resources[0]!.resources).to.deep.equal(["secrets"]);
      expect(config.resources[0]!.providers).to.deep.equal([{ secretbox: { keys: [{ name: "strata-1", secret: FAKE.encryptionKey }] } }, { identity: {} }]);
    }
    // Workers (a fixed pool: prod's autoscale, issue #21) get no encryption key.
    const fixed = parsedFixedWorkersInfra();
    const fixedNodes = nodeSpecs(fixed);
    const worker = cloudConfig(nodeDocuments(fixedNodes.find((n) => n.name === "emis-prod-workers-1")!, bootstrapPlan(fixed, fixedNodes), FAKE).userData);
    expect(fileIn(worker, "/etc/kubernetes/encryption/config.yaml")).to.equal(undefined);
    const apiServer = (clusterOf(docOf("emis-prod-control-plane-1")) as unknown as { apiServer: { extraArgs: unknown[]; extraVolumes: unknown[] } }).apiServer;
    expect(apiServer.extraArgs).to.deep.include({ name: "encryption-provider-config", value: "/etc/kubernetes/encryption/config.yaml" });
    expect(apiServer.extraVolumes).to.deep.equal([{ name: "encryption-config", hostPath: "/etc/kubernetes/encryption", mountPath: "/etc/kubernetes/encryption", readOnly: true, pathType: "DirectoryOrCreate" }]);
  });

  it("has kubelets request serving certificates from the cluster CA", () => {
    const kubelet = docOf("emis-prod-control-plane-1").write_files.find((f) => f.path === "/etc/strata/kubeadm.yaml")!.content.split("---\n").map((d) => parse(d) as Record<string, unknown>).find((d) => d["kind"] === "KubeletConfiguration");
    expect(kubelet).to.deep.include({ cgroupDriver: "systemd", serverTLSBootstrap: true });
  });

  it("issue #21: the API server verifies kubelets against the cluster CA that signs their serving certificates", () => {
    const cluster = clusterOf(docOf("emis-prod-control-plane-1")) as unknown as { certificatesDir?: string; apiServer: { extraArgs: { name: string; value: string }[] } };
    expect(cluster.apiServer.extraArgs.filter((a) => a.name === "kubelet-certificate-authority")).to.deep.equal([{ name: "kubelet-certificate-authority", value: "/etc/kubernetes/pki/ca.crt" }]);
    // kubeadm's default certificatesDir, where its cluster CA (the kubelet-serving signer's) lives.
    expect(cluster.certificatesDir).to.equal(undefined);
  });
});
