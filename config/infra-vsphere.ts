/**
 * `strata:infra.vsphere`: VMs cloned from an Ubuntu template on vSphere and bootstrapped into an
 * HA kubeadm cluster. Cross-field rules (addresses, CIDRs, tiers, quorum) live in
 * `infra-vsphere-checks.ts` so this file reads as the list of keys.
 */
import { z } from "zod";
import { POOL_ROLES } from "../lib/contracts";
import { cidr, count, dnsLabel, dnsSubdomain, ipv4, labels, namedMap, strictObject, taint } from "./common";
import { infraCommon } from "./infra-common";
import { ADDRESS_RANGE, vsphereChecks } from "./infra-vsphere-checks";

const addressRange = z.string().superRefine((value, ctx) => {
  const match = ADDRESS_RANGE.exec(value);
  if (!match || !ipv4.safeParse(match[1]).success || !ipv4.safeParse(match[2]).success) {
    ctx.addIssue({ code: "custom", message: "must be an address range; write first-last, e.g. 10.20.0.11-10.20.0.19" });
  }
});

export const datastoreTier = strictObject({
  /** Datastore name in the datacenter. */
  datastore: z.string().min(1),
  /** Thin-provision disks on this tier. @default true */
  thinProvisioned: z.boolean().default(true),
});

export const nodeNetwork = strictObject({
  /** Port group (standard or distributed) the NICs attach to. */
  portGroup: z.string().min(1),
  /** Node subnet; every static address of the pools on this network must lie inside. */
  cidr,
  /** Default gateway, inside `cidr`. */
  gateway: ipv4,
  /** DNS resolvers written to netplan. */
  dnsServers: z.array(ipv4).min(1),
  /** DNS search domains. @default [] */
  searchDomains: z.array(dnsSubdomain()).default([]),
});

export const dataDisk = strictObject({
  sizeGi: count(1),
  /** Key of `vsphere.datastoreTiers` the disk is placed on. */
  tier: z.string().min(1),
});

export const vspherePool = strictObject({
  role: z.enum(POOL_ROLES),
  count: count(0),
  cpus: count(1),
  memoryGi: count(1),
  osDiskGi: count(20),
  /** Tier of the OS disk and VM home. @default - vsphere.defaultTier */
  osDiskTier: z.string().min(1).optional(),
  /** Extra disks, left unformatted for storage and database operators. @default [] */
  dataDisks: z.array(dataDisk).default([]),
  /** Key of `vsphere.networks`. @default "nodes" */
  network: z.string().min(1).default("nodes"),
  /** Static addresses, one per node in order; either this or `addressRange`. */
  addresses: z.array(ipv4).optional(),
  /** Static addresses as `first-last`; may hold more than `count` to leave room for scaling. */
  addressRange: addressRange.optional(),
  labels: labels.default({}),
  taints: z.array(taint).default([]),
  /** Keep the pool's VMs on different ESXi hosts with a DRS anti-affinity rule. @default false */
  antiAffinity: z.boolean().default(false),
});

export const vsphereSettings = strictObject({
  /** Datacenter the cluster is built in. */
  datacenter: z.string().min(1),
  /** Compute cluster (DRS) the VMs run on. */
  computeCluster: z.string().min(1),
  /** Resource pool path. @default - the compute cluster's root pool */
  resourcePool: z.string().min(1).optional(),
  /** VM folder created for the cluster, relative to the datacenter's vm folder. @default - strata/<clusterName> */
  folder: z.string().min(1).optional(),
  /** Template VM (Ubuntu 24.04 cloud image with open-vm-tools) the nodes are cloned from. */
  template: z.string().min(1),
  /** Datastores by tier name (e.g. `ssd`, `hdd`); pools and disks reference the keys. */
  datastoreTiers: z.record(dnsLabel(), datastoreTier),
  /** Tier for OS disks unless a pool says otherwise. */
  defaultTier: z.string().min(1),
  /** Node networks by name; pools reference the keys. */
  networks: namedMap(nodeNetwork),
  /** The API (and, with load-balancer nodes, ingress) virtual address. */
  apiEndpoint: strictObject({
    /** Floating address held by keepalived (load-balancer nodes) or kube-vip. */
    vip: ipv4,
    /** DNS name of the VIP; kubeadm's controlPlaneEndpoint and the kubeconfig server. */
    dnsName: dnsSubdomain(),
  }),
  /** Address HAProxy forwards 80/443 to (the gateway's load-balancer IP). Required with load-balancer nodes. */
  gatewayAddress: ipv4.optional(),
  /** VRRP router id shared by the load-balancer pair; unique on the L2 segment. @default 51 */
  vrrpRouterId: z.number().int().min(1, { error: "must be a VRRP router id from 1 to 255" }).max(255, { error: "must be a VRRP router id from 1 to 255" }).default(51),
  /** Login user created on every node. @default "strata" */
  adminUser: dnsLabel(32).default("strata"),
  /** SSH public keys authorised for `adminUser`. @default [] */
  sshAuthorizedKeys: z.array(z.string().regex(/^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp\d+) /, { error: "must be an OpenSSH public key line" })).default([]),
  /** Change to mint a new join token (and revoke the old one) for nodes added from now on. @default "1" */
  bootstrapTokenRotation: z.string().min(1).default("1"),
  /** vSphere storage policy names the CSI storage classes bind to, by purpose (e.g. `default`, `database`). @default {} */
  storagePolicies: z.record(z.string().min(1), z.string().min(1)).default({}),
  /** Node pools keyed by name; the key prefixes VM names. */
  nodePools: namedMap(vspherePool),
});

const vsphereInfraObject = strictObject({
  backend: z.literal("vsphere"),
  ...infraCommon,
  vsphere: vsphereSettings,
});

export type VsphereInfraConfig = z.infer<typeof vsphereInfraObject>;

export const vsphereInfra = vsphereInfraObject.superRefine(vsphereChecks);
export type VsphereSettings = VsphereInfraConfig["vsphere"];
export type VspherePoolConfig = VsphereSettings["nodePools"][string];
