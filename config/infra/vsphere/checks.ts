/**
 * Cross-field rules for `strata:infra.vsphere`: references between keys, address plans and
 * quorum. Each message reads `<problem>; <fix>`; the formatter adds the key path and the value.
 */
import type { z } from "zod";
import { cidrContains, cidrsOverlap, intToIp, ipToInt } from "../../common";
import { autoscalingChecks, isAutoscaled } from "./autoscaling";
import { ADDRESS_RANGE } from "./address-range";
import { vsphereInfraObject, type VsphereInfraConfig, type VspherePoolConfig } from "./";

type Ctx = z.core.$RefinementCtx<VsphereInfraConfig>;
type Path = (string | number)[];

/** The addresses a pool may use, in allocation order, or undefined when none are configured. */
export function poolAddressSpace(pool: Pick<VspherePoolConfig, "addresses" | "addressRange">): number[] | undefined {
  if (pool.addresses !== undefined) return pool.addresses.map(ipToInt);
  if (pool.addressRange === undefined) return undefined;
  if (!ADDRESS_RANGE.test(pool.addressRange)) return [];
  const [first, last] = pool.addressRange.split("-").map(ipToInt) as [number, number];
  if (last < first || last - first > 65535) return [];
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/**
 * Labels under kubernetes.io/k8s.io a kubelet may set on its own node: these exact keys and the
 * kubelet.kubernetes.io and node.kubernetes.io namespaces (the kubelet's own list; it refuses to
 * start with any other key in those domains).
 */
export const KUBELET_ALLOWED_LABELS = [
  "kubernetes.io/hostname",
  "kubernetes.io/instance-type",
  "kubernetes.io/os",
  "kubernetes.io/arch",
  "beta.kubernetes.io/instance-type",
  "beta.kubernetes.io/os",
  "beta.kubernetes.io/arch",
  "failure-domain.beta.kubernetes.io/zone",
  "failure-domain.beta.kubernetes.io/region",
  "failure-domain.kubernetes.io/zone",
  "failure-domain.kubernetes.io/region",
  "topology.kubernetes.io/zone",
  "topology.kubernetes.io/region",
] as const;

/** Label keys the kubelet refuses to register its node with. */
function restrictedLabel(key: string): boolean {
  const prefix = key.includes("/") ? key.split("/")[0]! : "";
  const inDomain = (domains: readonly string[]) => domains.some((domain) => prefix === domain || prefix.endsWith(`.${domain}`));
  if (!inDomain(["kubernetes.io", "k8s.io"])) return false;
  if ((KUBELET_ALLOWED_LABELS as readonly string[]).includes(key)) return false;
  return !inDomain(["kubelet.kubernetes.io", "node.kubernetes.io"]);
}

type Issue = (path: Path, message: string) => void;

export function vsphereChecks(infra: VsphereInfraConfig, ctx: Ctx): void {
  const issue: Issue = (path, message) => ctx.addIssue({ code: "custom", path, message });
  referenceChecks(infra, issue);
  const owners = new Map<number, string>();
  for (const [name, pool] of Object.entries(infra.vsphere.nodePools)) poolChecks(infra, name, pool, owners, issue);
  endpointChecks(infra, owners, issue);
  roleChecks(infra, issue);
}

/** Versions, tiers and networks that other keys refer to. */
function referenceChecks(infra: VsphereInfraConfig, issue: Issue): void {
  const vs = infra.vsphere;
  // kubernetesVersion: checked for every backend against lib/kubernetes-versions.ts (config/infra/index.ts).
  if (!Object.hasOwn(vs.datastoreTiers, vs.defaultTier)) issue(["vsphere", "defaultTier"], `is not a datastore tier; ${tierFix(infra)}`);
  for (const [name, net] of Object.entries(vs.networks)) {
    if (!cidrContains(net.cidr, net.gateway)) issue(["vsphere", "networks", name, "gateway"], `is outside ${net.cidr}; use the router address of that subnet`);
    for (const key of ["podCidr", "serviceCidr"] as const) {
      if (cidrsOverlap(infra.network[key], net.cidr)) {
        issue(["network", key], `overlaps node network vsphere.networks.${name} (${net.cidr}); choose a range disjoint from every node network`);
      }
    }
  }
}

function tierFix(infra: VsphereInfraConfig): string {
  return `use one of ${Object.keys(infra.vsphere.datastoreTiers).join(", ")} (keys of vsphere.datastoreTiers)`;
}

/** One pool: its references, names, labels and address plan; records which pool owns each address. */
function poolChecks(infra: VsphereInfraConfig, name: string, pool: VspherePoolConfig, owners: Map<number, string>, issue: Issue): void {
  const vs = infra.vsphere;
  const at: Path = ["vsphere", "nodePools", name];
  if (pool.osDiskTier !== undefined && !Object.hasOwn(vs.datastoreTiers, pool.osDiskTier)) issue([...at, "osDiskTier"], `is not a datastore tier; ${tierFix(infra)}`);
  pool.dataDisks.forEach((disk, i) => {
    if (!Object.hasOwn(vs.datastoreTiers, disk.tier)) issue([...at, "dataDisks", i, "tier"], `is not a datastore tier; ${tierFix(infra)}`);
    if (disk.purpose !== undefined && pool.role !== "storage") {
      issue([...at, "dataDisks", i, "purpose"], `is for storage pools' disks (this pool's role is ${pool.role}); remove purpose or move the disk to a storage pool`);
    }
  });
  const longest = `${infra.clusterName}-${name}-${Math.max(pool.count, 1)}`;
  if (longest.length > 63) issue(at, `makes node names like ${longest} longer than 63 characters; shorten the pool key or clusterName`);
  for (const key of Object.keys(pool.labels)) {
    if (restrictedLabel(key)) {
      issue([...at, "labels", key], "is in a kubernetes.io/k8s.io namespace the kubelet refuses to set on its node; use topology.kubernetes.io/zone or /region, node.kubernetes.io/…, or your own prefix, e.g. strata.io/");
    }
  }
  const net = vs.networks[pool.network];
  if (net === undefined) issue([...at, "network"], `is not a node network; use one of ${Object.keys(vs.networks).join(", ")} (keys of vsphere.networks)`);
  if (isAutoscaled(pool)) {
    autoscalingChecks(at, pool, issue);
    return; // its machines take DHCP addresses: no address plan
  }

  if (pool.addresses !== undefined && pool.addressRange !== undefined) {
    issue([...at, "addressRange"], "is set together with addresses; keep one of addresses or addressRange");
    return;
  }
  if (pool.addressRange !== undefined && !ADDRESS_RANGE.test(pool.addressRange)) return; // reported by the field itself
  const [rangeFirst, rangeLast] = (pool.addressRange ?? "").split("-").map(ipToInt);
  if (rangeFirst !== undefined && rangeLast !== undefined && rangeLast < rangeFirst) {
    issue([...at, "addressRange"], "ends before it starts; write first-last with the lower address first");
    return;
  }
  const space = poolAddressSpace(pool);
  const key = pool.addresses !== undefined ? "addresses" : "addressRange";
  if (space === undefined) {
    issue([...at, "addresses"], "is required: nodes get static addresses; set addresses (a list) or addressRange (first-last)");
    return;
  }
  if (space.length < pool.count) {
    const what = key === "addresses" ? `lists ${space.length} addresses` : `holds ${space.length} addresses`;
    issue([...at, key], `${what} but count is ${pool.count}; widen it to at least ${pool.count} addresses or lower count`);
  }
  const shared = new Map<string, number[]>();
  space.forEach((address, i) => {
    const path: Path = key === "addresses" ? [...at, key, i] : [...at, key];
    if (net !== undefined && !cidrContains(net.cidr, intToIp(address))) {
      issue(path, `has ${intToIp(address)} outside network ${pool.network} (${net.cidr}); use addresses inside that subnet`);
    }
    const other = owners.get(address);
    if (other === name) issue(path, `lists ${intToIp(address)} twice; give every node its own address`);
    else if (other !== undefined) shared.set(other, [...(shared.get(other) ?? []), address]);
    owners.set(address, name);
  });
  for (const [other, addresses] of shared) {
    const first = intToIp(addresses[0]!);
    const what = addresses.length === 1 ? `reuses ${first}` : `reuses ${addresses.length} addresses (from ${first})`;
    issue([...at, key], `${what} of pool ${other}; give every pool its own addresses`);
  }
}

/** The VIP and the gateway address must be free addresses; the VIP must sit on the control-plane subnet. */
function endpointChecks(infra: VsphereInfraConfig, owners: ReadonlyMap<number, string>, issue: Issue): void {
  const vs = infra.vsphere;
  const vip = vs.apiEndpoint.vip;
  const vipOwner = owners.get(ipToInt(vip));
  if (vipOwner !== undefined) {
    issue(["vsphere", "apiEndpoint", "vip"], `lies inside the addresses of pool ${vipOwner}; choose a free address no pool uses`);
  }
  const cpPool = Object.values(vs.nodePools).find((pool) => pool.role === "control-plane");
  const cpNet = cpPool === undefined ? undefined : vs.networks[cpPool.network];
  if (cpNet !== undefined && !cidrContains(cpNet.cidr, vip)) {
    issue(["vsphere", "apiEndpoint", "vip"], `is outside the control-plane network ${cpNet.cidr}; choose a free address in that subnet`);
  }
  if (vs.gatewayAddress === undefined) return;
  const gatewayOwner = owners.get(ipToInt(vs.gatewayAddress));
  if (gatewayOwner !== undefined) {
    issue(["vsphere", "gatewayAddress"], `lies inside the addresses of pool ${gatewayOwner}; use the gateway's own load-balancer address`);
  } else if (vs.gatewayAddress === vip) {
    issue(["vsphere", "gatewayAddress"], "is the API VIP; use the gateway's own load-balancer address");
  }
}

/** One control-plane pool with an odd count (etcd quorum); load balancers in pairs with a target. */
function roleChecks(infra: VsphereInfraConfig, issue: Issue): void {
  const vs = infra.vsphere;
  const pools = Object.entries(vs.nodePools);
  const controlPlanePools = pools.filter(([, pool]) => pool.role === "control-plane");
  const [cpName, cpPool] = controlPlanePools[0] ?? [];
  if (cpName === undefined || cpPool === undefined) {
    issue(["vsphere", "nodePools"], "has no control-plane pool; add a pool with role control-plane and count 1, 3 or 5");
  } else if (cpPool.count % 2 === 0) {
    issue(["vsphere", "nodePools", cpName, "count"], `has ${cpPool.count} control-plane nodes; etcd needs an odd count: give the control-plane pool count 1, 3 or 5`);
  }
  if (controlPlanePools.length > 1) {
    issue(["vsphere", "nodePools"], "has more than one control-plane pool; keep a single pool with role control-plane");
  }
  const balancerPools = pools.filter(([, pool]) => pool.role === "load-balancer");
  const balancers = balancerPools.reduce((sum, [, pool]) => sum + pool.count, 0);
  const lbName = balancerPools[0]?.[0];
  if (balancers === 1 && lbName !== undefined) {
    issue(["vsphere", "nodePools", lbName, "count"], "has 1 load-balancer node; VRRP fail-over needs a pair: use count 2, or 0 for kube-vip");
  }
  if (balancers > 0 && vs.gatewayAddress === undefined) {
    issue(["vsphere", "gatewayAddress"], "is required with load-balancer nodes: HAProxy forwards 80/443 there; set the gateway's load-balancer IP");
  }
  if (cpName !== undefined && cpPool !== undefined) {
    const controlPlanes = Array.from({ length: cpPool.count }, (_, i) => `${infra.clusterName}-${cpName}-${i + 1}`);
    vs.keyMaterialFor.forEach((name, i) => {
      if (!controlPlanes.includes(name)) {
        issue(["vsphere", "keyMaterialFor", i], `is not a control-plane VM; only control planes have key material: use one of ${controlPlanes.join(", ")}`);
      }
    });
  }
}

/** `strata:infra` with `backend: vsphere`: the keys (`./index.ts`) and the rules across them. */
export const vsphereInfra = vsphereInfraObject.superRefine(vsphereChecks);
