/**
 * `strata:infra.vsphere`: VMs cloned from an Ubuntu template on vSphere and bootstrapped into an
 * HA kubeadm cluster. Cross-field rules (addresses, CIDRs, tiers, quorum) live in
 * `checks.ts`, which depends on this file, so this file reads as the list of keys.
 */
import { z } from "zod";
import { DATA_DISK_PURPOSES, POOL_ROLES } from "../../../lib/contracts";
import { cidr, count, dnsLabel, dnsSubdomain, ipv4, labels, namedMap, strictObject, taint } from "../../common";
import { infraCommon } from "../common";
import { poolAutoscaling } from "./autoscaling";
import { ADDRESS_RANGE } from "./address-range";
import { breakGlass } from "./break-glass";
import { etcdSnapshots } from "./etcd-snapshots";
import { nodeProxy, registryMirrors } from "./node-egress";
import { vcenterCa } from "./trust";

const addressRange = z.string().superRefine((value, ctx) => {
  const match = ADDRESS_RANGE.exec(value);
  if (!match || !ipv4.safeParse(match[1]).success || !ipv4.safeParse(match[2]).success) {
    ctx.addIssue({ code: "custom", message: "must be an address range; write first-last, e.g. 10.20.0.11-10.20.0.19" });
  }
});

export const datastoreTier = strictObject({
  datastore: z.string().min(1).describe("Datastore name in the datacenter."),
  thinProvisioned: z.boolean().default(true).describe("Thin-provision disks on this tier."),
});

export const nodeNetwork = strictObject({
  portGroup: z.string().min(1).describe("Port group (standard or distributed) the NICs attach to."),
  cidr: cidr.describe("Node subnet; every static address of the pools on this network must lie inside."),
  gateway: ipv4.describe("Default gateway, inside `cidr`."),
  dnsServers: z.array(ipv4).min(1).describe("DNS resolvers written to netplan."),
  searchDomains: z.array(dnsSubdomain()).default([]).describe("DNS search domains."),
});

export const dataDisk = strictObject({
  sizeGi: count(1).describe("Disk size, GiB."),
  tier: z.string().min(1).describe("Key of `vsphere.datastoreTiers` the disk is placed on."),
  purpose: z
    .enum(DATA_DISK_PURPOSES)
    .optional()
    .describe("Storage pools only: what the disk holds, `object` (object-store data, HDD) or `object-fast` (object-store metadata/index, SSD); mounted at /var/lib/strata/disks/<purpose>-<k> (k counts the pool's disks of that purpose from 1) and published as a local storage class of that name. Without it: mounted at /var/lib/strata/disks/<tier>-<n>, no class."),
});

export const vspherePool = strictObject({
  role: z.enum(POOL_ROLES).describe("What the pool is for; load-balancer VMs run HAProxy + keepalived and do not join the cluster."),
  count: count(0).describe("VMs in the pool; raise it to scale out. 0 for an autoscaled pool (see `autoscaling`)."),
  cpus: count(1).describe("vCPUs per VM."),
  memoryGi: count(1).describe("Memory per VM, GiB."),
  osDiskGi: count(20).describe("OS disk size, GiB; at least the template's disk."),
  osDiskTier: z.string().min(1).optional().describe("Tier of the OS disk and VM home; defaults to vsphere.defaultTier."),
  dataDisks: z.array(dataDisk).default([]).describe("Extra disks, each partitioned, formatted ext4 and mounted on first boot: by purpose (see `purpose`), else at /var/lib/strata/disks/<tier>-<n> (n counts the pool's data disks from 1 and is the disk's SCSI unit)."),
  network: z.string().min(1).default("nodes").describe("Key of `vsphere.networks`."),
  addresses: z.array(ipv4).optional().describe("Static addresses, one per node in order; either this or `addressRange`."),
  addressRange: addressRange.optional().describe("Static addresses as `first-last`; may hold more than `count` to leave room for scaling."),
  labels: labels.default({}).describe("Kubernetes labels the kubelet registers (node.strata.io/pool and node.strata.io/role are added)."),
  taints: z.array(taint).default([]).describe("Kubernetes taints the node registers with."),
  antiAffinity: z.boolean().default(false).describe("Keep the pool's VMs on different ESXi hosts with a DRS anti-affinity rule."),
  autoscaling: poolAutoscaling
    .optional()
    .describe("Worker pools only: machine-controller creates the pool's VMs (same template, network, folder, datastore and labels/taints) and cluster-autoscaler keeps between min and max of them. The pool then has count 0, no static addresses (DHCP on its network) and no data disks. See infra/vsphere/README.md, \"Autoscaled pools\"."),
});

/** A vCenter login, `user@domain`. */
const vcenterLogin = (example: string) =>
  z.string().regex(/^[^@\s\\]+@[^@\s\\]+$/, { error: `must be a vCenter login, user@domain; e.g. ${example}` });

/** A vCenter user or group as permissions name it. */
export const vcenterPrincipal = strictObject({
  principal: z
    .string()
    .regex(/^[^\\\s]+\\[^\\]+$/, { error: "must name a vCenter user or group as DOMAIN\\name; e.g. VSPHERE.LOCAL\\k8s-admins" })
    .describe("User or group as vCenter names it in permissions, `DOMAIN\\name` (e.g. `VSPHERE.LOCAL\\k8s-admins`, `EMIS\\vmware-admins`)."),
  group: z.boolean().default(true).describe("Whether `principal` is a group."),
});

export const vsphereAccounts = strictObject({
  manageRoles: z
    .boolean()
    .default(true)
    .describe("Create the CSI driver's vCenter roles and set the cluster VM folder's permissions (the provisioning account then needs Authorization.ModifyRoles on the root vCenter and Authorization.ModifyPermissions on the folder's parent). When false, a vCenter administrator does both by hand (infra/vsphere/README.md)."),
  cpi: strictObject({ user: vcenterLogin("svc-k8s-cpi@vsphere.local").describe("vCenter login of the cloud provider (read-only); its password is the secret key `strata:vsphereCpiPassword`.") })
    .optional()
    .describe("The cloud provider's own account. Required in prod; elsewhere the cloud provider falls back to the provisioning account (`vsphere:user`) with a warning."),
  csi: strictObject({ user: vcenterLogin("svc-k8s-csi@vsphere.local").describe("vCenter login of the CSI driver (CNS roles); its password is the secret key `strata:vsphereCsiPassword`.") })
    .optional()
    .describe("The CSI driver's own account. Required in prod; elsewhere the driver falls back to the provisioning account (`vsphere:user`) with a warning."),
  machineController: strictObject({
    user: vcenterLogin("svc-k8s-mc@vsphere.local").describe(
      "vCenter login of machine-controller (clones, configures and deletes the autoscaled pools' VMs in the cluster's folder); its password is the secret key `strata:vsphereMachineControllerPassword`.",
    ),
  })
    .optional()
    .describe("machine-controller's own account, used only when a pool has `autoscaling`. Required in prod when a pool autoscales; elsewhere machine-controller falls back to the provisioning account (`vsphere:user`) with a warning."),
});

export const vsphereSettings = strictObject({
  datacenter: z.string().min(1).describe("Datacenter the cluster is built in; the cloud provider and the CSI driver find the node VMs there."),
  computeCluster: z.string().min(1).describe("Compute cluster (DRS) the VMs run on."),
  resourcePool: z.string().min(1).optional().describe("Resource pool path; defaults to the compute cluster's root pool."),
  folder: z.string().min(1).optional().describe("VM folder created for the cluster, relative to the datacenter's vm folder; defaults to the cluster name."),
  template: z.string().min(1).describe("Template VM (Ubuntu 24.04 cloud image with open-vm-tools) the nodes are cloned from."),
  datastoreTiers: z.record(dnsLabel(), datastoreTier).describe("Datastores by tier name (e.g. `ssd`, `hdd`); pools and disks reference the keys."),
  defaultTier: z.string().min(1).describe("Tier for OS disks unless a pool says otherwise."),
  networks: namedMap(nodeNetwork).describe("Node networks by name; pools reference the keys."),
  apiEndpoint: strictObject({
    vip: ipv4.describe("Floating address held by keepalived (load-balancer nodes) or kube-vip."),
    dnsName: dnsSubdomain().describe("DNS name of the VIP; kubeadm's controlPlaneEndpoint."),
  }).describe("The API (and, with load-balancer nodes, ingress) virtual address."),
  gatewayAddress: ipv4.optional().describe("Address HAProxy forwards 80/443 to (the gateway's load-balancer IP). Required with load-balancer nodes."),
  vrrpRouterId: z.number().int().min(1, { error: "must be a VRRP router id from 1 to 255" }).max(255, { error: "must be a VRRP router id from 1 to 255" }).default(51).describe("VRRP router id shared by the load-balancer pair; unique on the L2 segment."),
  adminUser: dnsLabel(32).default("strata").describe("Login user created on every node."),
  sshAuthorizedKeys: z.array(z.string().regex(/^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp\d+) /, { error: "must be an OpenSSH public key line" })).default([]).describe("SSH public keys authorised for `adminUser`."),
  breakGlass: breakGlass.optional().describe("Break-glass login on every node (own SSH keys, optional console password); see infra/vsphere/README.md, \"Break-glass access\". @default - none"),
  bootstrapTokenRotation: z.string().min(1).default("1").describe("Change to mint a new join token (and revoke the old one) for nodes added from now on."),
  bootstrapped: z
    .boolean()
    .optional()
    .describe(
      "Whether the cluster has come up. Unset (the default), strata reads it from the stack's own last outputs (`vsphereBootstrapped`, set once the readiness gate passed): the `pulumi up` after the first successful one rewrites every VM's guestinfo in place (no reboot) without the cluster's key material (CA and service-account keys, certificate key, Secrets encryption key), and the first control plane's documents become a control-plane join. Set true or false to decide it yourself. See infra/vsphere/README.md, \"What stays in VM configuration and who can read it\".",
    ),
  keyMaterialFor: z
    .array(z.string().min(1))
    .default([])
    .describe(
      "Control-plane VM names whose documents carry the certificate key and the Secrets encryption key although `bootstrapped` is true: list a control plane in the `pulumi up` that replaces it (it needs both to join), and remove it once the node has joined.",
    ),
  vcenterThumbprint: z
    .string()
    .regex(/^([0-9A-Fa-f]{2}:){19}[0-9A-Fa-f]{2}$/, { error: "must be the SHA-1 fingerprint of vCenter's certificate, 20 hex bytes separated by colons; get it with `openssl s_client -connect <vcenter>:443 </dev/null | openssl x509 -noout -fingerprint -sha1`" })
    .optional()
    .describe("SHA-1 fingerprint of vCenter's TLS certificate. The cloud provider and the CSI driver then trust exactly that certificate (vCenter's certificate is usually signed by its own VMCA, which their images do not trust). Update it when vCenter's certificate is renewed."),
  vcenterCa: vcenterCa
    .optional()
    .describe(
      "PEM bundle of the CA(s) that sign vCenter's TLS certificate, usually vCenter's own VMCA root (from https://<vcenter>/certs/download.zip, certs/lin/*.0). Plain config (a CA certificate is public). Written beside the cloud provider's `vsphere.conf` (`caFile`) and into the CSI driver's config Secret (`ca-file`); survives vCenter's certificate renewals, unlike `vcenterThumbprint`. One of the two is required when `vsphere:allowUnverifiedSsl` is false.",
    ),
  proxy: nodeProxy
    .optional()
    .describe("HTTP(S) proxy the nodes reach the internet through: apt (package installs), containerd (image pulls) and the kubelet get it; `NO_PROXY` keeps the cluster's own addresses direct. @default - none: nodes connect directly"),
  registryMirrors: registryMirrors.default({}),
  etcdSnapshots: etcdSnapshots.default({ schedule: "*-*-* 00/6:00:00", keepLocalDays: 7 }),
  accounts: vsphereAccounts.default({ manageRoles: true }).describe("vCenter accounts of the cloud provider and the CSI driver, separate from the provisioning account (`vsphere:user`)."),
  folderAdmins: z.array(vcenterPrincipal).default([]).describe("Users or groups given Admin on the cluster's VM folder (with `accounts.manageRoles`)."),
  folderNoAccess: z
    .array(vcenterPrincipal)
    .default([])
    .describe("Users or groups that inherit access from above (e.g. a Read-only group on the vCenter root) and must lose it on the cluster's VM folder: each gets NoAccess there (with `accounts.manageRoles`)."),
  storagePolicies: z.record(z.string().min(1), z.string().min(1)).default({}).describe("vSphere storage policy names the CSI storage classes bind to, by purpose (e.g. `default`, `database`)."),
  nodePools: namedMap(vspherePool).describe("Node pools keyed by name; the key prefixes VM names."),
});

/** The keys only; `./checks.ts` adds the rules across them (`vsphereInfra`). */
export const vsphereInfraObject = strictObject({
  backend: z.literal("vsphere").describe("VMware vSphere VMs bootstrapped into an HA kubeadm cluster."),
  ...infraCommon,
  vsphere: vsphereSettings,
});

export type VsphereInfraConfig = z.infer<typeof vsphereInfraObject>;

export type VsphereSettings = VsphereInfraConfig["vsphere"];
export type VspherePoolConfig = VsphereSettings["nodePools"][string];
