/**
 * What each node boots with, by role: the first control-plane node gets the CAs and `kubeadm
 * init`; other nodes a join document; load balancers HAProxy + keepalived. Pure: the component
 * calls it inside one `apply` per node once the secrets are known.
 *
 * Two stages: `bootstrap` documents carry each role's key material; `running` documents (what a
 * VM's configuration keeps once the cluster is up) carry none of the cluster's keys, and the
 * first control plane's is a control-plane join like the others' (see infra/vsphere/README.md,
 * "What stays in VM configuration and who can read it").
 */
import { ENCRYPTION_CONFIG, encryptionConfiguration } from "./encryption";
import { haproxyConfig } from "./haproxy";
import { HAPROXY_CHECK_SCRIPT, haproxyCheckScript, keepalivedConfig } from "./keepalived";
import { type KubeadmCluster, type KubeadmJoinSecrets, type KubeadmSecrets, kubeadmConfigFor } from "./kubeadm";
import { kubeVipManifest, SUPER_ADMIN_CONF, ADMIN_CONF } from "./kube-vip";
import { type NodeNetworkSettings, netplan } from "./network";
import { isKubernetesNode, type NodeSpec } from "./pools";
import { dataDiskMounts, dataDiskScript } from "./data-disks";
import { type BreakGlassUser, KERNEL_FILES, LOAD_BALANCER_SYSCTLS, metadata, type NodeUserData, userData, type WriteFile } from "./cloud-init";
import { LB_SYNC_ENABLE, LB_SYNC_SCRIPT, lbSyncScript, lbSyncUnits, loadBalancerGuestinfo, VRRP_PASSWORD_FILE } from "./lb-sync";
import * as sh from "./scripts";
import { type NodeProxy, proxyFiles, registryMirrorFiles } from "./node-egress";
import { controlPlaneMaintenanceFiles, ENABLE_TIMERS_SCRIPT, type EtcdSnapshotSettings } from "./control-plane-maintenance";

export interface BootstrapPlan {
  readonly cluster: KubeadmCluster;
  readonly endpoint: sh.EndpointSettings;
  readonly pins: sh.PackagePins;
  readonly loadBalancerPins: { readonly haproxy: string; readonly keepalived: string };
  readonly kubeVipImage: string;
  readonly adminUser: string;
  readonly sshAuthorizedKeys: readonly string[];
  /** Gateway and resolvers per node network name. */
  readonly networks: Readonly<Record<string, Omit<NodeNetworkSettings, "address" | "prefixLength">>>;
  /** Every control-plane node (HAProxy backends). */
  readonly controlPlane: readonly NodeSpec[];
  /** Every load-balancer node; empty means kube-vip on the control plane. */
  readonly loadBalancers: readonly NodeSpec[];
  /** Where HAProxy sends 80/443. @default - unset; required when there are load-balancer nodes */
  readonly gatewayAddress?: string;
  /** VRRP router id of the load-balancer pair. */
  readonly vrrpRouterId: number;
  /** Prefix length the VIP is added with (the control-plane network's). */
  readonly vipPrefixLength: number;
  /** HTTP(S) proxy of every node, `NO_PROXY` complete. @default - none */
  readonly proxy?: NodeProxy;
  /** containerd mirror URL by registry host. @default {} */
  readonly registryMirrors?: Readonly<Record<string, string>>;
  /** etcd snapshots the control planes' timer takes. @default - no maintenance timers */
  readonly etcdSnapshots?: EtcdSnapshotSettings;
  /** The break-glass login; `consolePassword` takes the hash from the material. @default - none */
  readonly breakGlass?: { readonly user: string; readonly sshAuthorizedKeys: readonly string[]; readonly consolePassword: boolean };
}

/** PEM material of the cluster's CAs and service-account keys. */
export interface ClusterPkiPem {
  readonly caCert: string;
  readonly caKey: string;
  readonly etcdCaCert: string;
  readonly etcdCaKey: string;
  readonly frontProxyCaCert: string;
  readonly frontProxyCaKey: string;
  readonly saKey: string;
  readonly saPub: string;
}

/**
 * `bootstrap`: the documents of a VM created before the cluster runs (the first control plane
 * initialises it with the CAs). `rejoin`: a control plane created while the cluster runs (a
 * replacement): a control-plane join with the certificate key and the encryption key, no CA key.
 * `running`: what a VM's configuration keeps once it is part of the running cluster; cloud-init
 * never reads it again (same instance-id), so it holds nothing secret beyond the join token.
 */
export type DocumentStage = "bootstrap" | "rejoin" | "running";

/**
 * Files that hold the cluster's long-lived key material: the CA and service-account private keys,
 * the certificate key (decrypts the control-plane certificates kubeadm uploads) and the Secrets
 * encryption configuration. None of them is in a `running` document.
 */
export const KEY_MATERIAL_FILES: readonly string[] = [
  "/etc/kubernetes/pki/ca.key",
  "/etc/kubernetes/pki/etcd/ca.key",
  "/etc/kubernetes/pki/front-proxy-ca.key",
  "/etc/kubernetes/pki/sa.key",
  sh.CERTIFICATE_KEY_FILE,
  ENCRYPTION_CONFIG,
];

export interface BootstrapMaterial {
  readonly secrets: KubeadmSecrets;
  /** Secrets encryption key (32 bytes, base64) every control plane's API server uses. */
  readonly encryptionKey: string;
  readonly pki: ClusterPkiPem;
  readonly vrrpPassword: string;
  /** crypt(3) hash of the break-glass console password (`strata:vsphereBreakGlassPasswordHash`). @default - none */
  readonly breakGlassPasswordHash?: string;
}

const BIN = "/usr/local/sbin";
const script = (name: string, content: string): WriteFile => ({ path: `${BIN}/${name}.sh`, permissions: "0755", content });
const secret = (path: string, content: string): WriteFile => ({ path, permissions: "0600", content });

function pkiFiles(pki: ClusterPkiPem): WriteFile[] {
  const dir = "/etc/kubernetes/pki";
  return [
    { path: `${dir}/ca.crt`, permissions: "0644", content: pki.caCert },
    secret(`${dir}/ca.key`, pki.caKey),
    { path: `${dir}/etcd/ca.crt`, permissions: "0644", content: pki.etcdCaCert },
    secret(`${dir}/etcd/ca.key`, pki.etcdCaKey),
    { path: `${dir}/front-proxy-ca.crt`, permissions: "0644", content: pki.frontProxyCaCert },
    secret(`${dir}/front-proxy-ca.key`, pki.frontProxyCaKey),
    secret(`${dir}/sa.key`, pki.saKey),
    { path: `${dir}/sa.pub`, permissions: "0644", content: pki.saPub },
  ];
}

/** Whether the node runs `kubeadm init`: the first node of the control-plane pool. */
export function isInitNode(node: NodeSpec): boolean {
  return node.role === "control-plane" && node.index === 0;
}

function kubernetesFiles(node: NodeSpec, plan: BootstrapPlan, material: BootstrapMaterial, stage: DocumentStage): { files: WriteFile[]; commands: string[] } {
  // Once the cluster runs, the first control plane is one control plane among others: a
  // replacement joins (it must never initialise a second cluster) and needs no CA key, since
  // kubeadm join --control-plane downloads the shared certificates with the certificate key.
  const init = isInitNode(node) && stage === "bootstrap";
  const keys = stage !== "running";
  const controlPlane = node.role === "control-plane";
  // A running document has no certificate key: a control plane created from it could not join.
  const { certificateKey: _certificateKey, ...withoutCertificateKey } = material.secrets;
  const secrets: KubeadmJoinSecrets = keys ? material.secrets : withoutCertificateKey;
  const kubeVip = controlPlane && plan.loadBalancers.length === 0;
  const ignore = init && kubeVip ? ["DirAvailable--etc-kubernetes-manifests"] : [];
  const files: WriteFile[] = [
    ...KERNEL_FILES,
    secret(sh.KUBEADM_CONFIG, kubeadmConfigFor(plan.cluster, node, secrets, init, ignore)),
    script("strata-node-prep", sh.nodePrepScript(plan.pins)),
  ];
  if (init) {
    files.push(
      ...pkiFiles(material.pki),
      secret(sh.KUBEADM_JOIN_CONFIG, kubeadmConfigFor(plan.cluster, node, material.secrets, false)),
      script("strata-kubeadm-init", sh.kubeadmInitScript(plan.endpoint, kubeVip, node.address, plan.controlPlane.filter((n) => n.name !== node.name).map((n) => n.address))),
      script("strata-kubeadm-join", sh.kubeadmJoinScript(plan.endpoint, true, kubeVip, node.address, sh.KUBEADM_JOIN_CONFIG)),
    );
  } else {
    files.push(script("strata-kubeadm-join", sh.kubeadmJoinScript(plan.endpoint, controlPlane, kubeVip, node.address)));
  }
  if (controlPlane && keys) {
    files.push(
      secret(sh.CERTIFICATE_KEY_FILE, `${material.secrets.certificateKey}\n`),
      script("strata-upload-certs", sh.uploadCertsScript()),
      secret(ENCRYPTION_CONFIG, encryptionConfiguration(material.encryptionKey)),
    );
  }
  if (kubeVip) {
    const manifest = kubeVipManifest({ image: plan.kubeVipImage, vip: plan.endpoint.vip, apiServerPort: plan.endpoint.port, kubeconfig: init ? SUPER_ADMIN_CONF : ADMIN_CONF });
    files.push(secret(sh.KUBE_VIP_STAGED, manifest));
  }
  const commands = [`${BIN}/strata-node-prep.sh`, `${BIN}/${init ? "strata-kubeadm-init" : "strata-kubeadm-join"}.sh`];
  // Certificate renewal and etcd snapshots on timers, started once the node is part of the cluster.
  if (controlPlane && plan.etcdSnapshots !== undefined) {
    files.push(...controlPlaneMaintenanceFiles(node.index, plan.etcdSnapshots));
    commands.push(ENABLE_TIMERS_SCRIPT);
  }
  return { files, commands };
}

function loadBalancerFiles(node: NodeSpec, plan: BootstrapPlan, material: BootstrapMaterial): { files: WriteFile[]; commands: string[]; guestinfo: Record<string, string> } {
  if (plan.gatewayAddress === undefined) throw new Error("load-balancer nodes need vsphere.gatewayAddress; config validation should have caught this");
  const haproxy = haproxyConfig({ controlPlane: plan.controlPlane.map((n) => ({ name: n.name, address: n.address })), apiServerPort: plan.endpoint.port, gatewayAddress: plan.gatewayAddress });
  const keepalived = keepalivedConfig({
    routerId: plan.vrrpRouterId,
    vip: plan.endpoint.vip,
    prefixLength: plan.vipPrefixLength,
    self: node.address,
    peers: plan.loadBalancers.filter((n) => n.name !== node.name).map((n) => n.address),
    priority: 150 - node.index * 10,
    password: material.vrrpPassword,
  });
  const files: WriteFile[] = [
    LOAD_BALANCER_SYSCTLS,
    { path: `${sh.STRATA_DIR}/haproxy.cfg`, permissions: "0644", content: haproxy },
    secret(`${sh.STRATA_DIR}/keepalived.conf`, keepalived),
    { path: HAPROXY_CHECK_SCRIPT, permissions: "0755", content: haproxyCheckScript(plan.endpoint.port) },
    script("strata-load-balancer", sh.loadBalancerScript(plan.loadBalancerPins, node.address)),
    // Day 2: the configuration in guestinfo, applied by a timer (lb-sync.ts).
    secret(VRRP_PASSWORD_FILE, material.vrrpPassword),
    { path: LB_SYNC_SCRIPT, permissions: "0755", content: lbSyncScript(node.address) },
    ...lbSyncUnits(),
  ];
  return { files, commands: [`${BIN}/strata-load-balancer.sh`, LB_SYNC_ENABLE], guestinfo: loadBalancerGuestinfo(haproxy, keepalived, material.vrrpPassword) };
}

/** What a VM's guestinfo carries: cloud-init's documents and, on load balancers, their current configuration. */
export interface NodeDocuments {
  readonly userData: string;
  readonly metadata: string;
  /** Further guestinfo keys, read by the node after first boot (`lb-sync.ts`). @default {} */
  readonly guestinfo?: Readonly<Record<string, string>>;
}

/**
 * The break-glass login of a node. Its password hash, a verifier that can be tested offline, is in
 * `bootstrap` and `rejoin` documents only, never in `running` ones (what VM configuration keeps
 * once the cluster runs): cloud-init has set it at first boot already.
 */
function breakGlassUser(settings: NonNullable<BootstrapPlan["breakGlass"]>, material: BootstrapMaterial, stage: DocumentStage): BreakGlassUser {
  const hash = settings.consolePassword && stage !== "running" ? material.breakGlassPasswordHash : undefined;
  return { name: settings.user, sshAuthorizedKeys: settings.sshAuthorizedKeys, ...(hash === undefined ? {} : { passwordHash: hash }) };
}

/** The user-data and metadata documents of one node, at `stage` (@default "bootstrap"). */
export function nodeDocuments(node: NodeSpec, plan: BootstrapPlan, material: BootstrapMaterial, stage: DocumentStage = "bootstrap"): NodeDocuments {
  const net = plan.networks[node.network];
  if (net === undefined) throw new Error(`node ${node.name} is on unknown network ${node.network}`);
  const role: { files: WriteFile[]; commands: string[]; guestinfo?: Record<string, string> } = isKubernetesNode(node.role) ? kubernetesFiles(node, plan, material, stage) : loadBalancerFiles(node, plan, material);
  const mounts = dataDiskMounts(node.disks.slice(1));
  // Data disks first: local volumes and the object store live on them, and a disk that cannot be
  // prepared stops the node before it joins.
  const disks = mounts.length === 0 ? { files: [], commands: [] } : { files: [script("strata-data-disks", dataDiskScript(mounts))], commands: [`${BIN}/strata-data-disks.sh`] };
  // Proxy and mirrors first: every later step may download through them.
  const kubernetes = isKubernetesNode(node.role);
  const egress = [...proxyFiles(plan.proxy, kubernetes), ...(kubernetes ? registryMirrorFiles(plan.registryMirrors ?? {}) : [])];
  const doc: NodeUserData = {
    hostname: node.name,
    adminUser: plan.adminUser,
    sshAuthorizedKeys: plan.sshAuthorizedKeys,
    files: [...egress, ...disks.files, ...role.files],
    commands: [...disks.commands, ...role.commands],
    ...(plan.breakGlass === undefined ? {} : { breakGlass: breakGlassUser(plan.breakGlass, material, stage) }),
  };
  return {
    userData: userData(doc),
    metadata: metadata(node.name, netplan({ ...net, address: node.address, prefixLength: node.prefixLength })),
    ...(role.guestinfo === undefined ? {} : { guestinfo: role.guestinfo }),
  };
}
