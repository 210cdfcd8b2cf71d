/**
 * `strata:infra.vsphere` is rejected before any resource exists, with the key, the value and the
 * fix named (issue 3, "Bad vSphere config ... rejected with the key named").
 */
import { expect } from "chai";
import { problemsOf, rawInfra, withFixedWorkers } from "./fixtures";

type Path = readonly (string | number)[];
/** Sets (or, with REMOVE, deletes) the value at a path of the raw prod `strata:infra` value. */
type Mutation = readonly [Path, unknown];
const REMOVE = Symbol("remove");

/** The cases below check the rules of fixed pools, which prod's autoscaled workers (issue #21) no longer exercise. */
const fixedPoolInfra = () => withFixedWorkers(rawInfra());
const PROD_WORKERS = (fixedPoolInfra()["vsphere"] as { nodePools: Record<string, object> }).nodePools["workers"];

function problems([path, value]: Mutation): string[] {
  const infra = fixedPoolInfra();
  const parent = path.slice(0, -1).reduce<Record<string | number, unknown>>((node, key) => node[key] as Record<string | number, unknown>, infra);
  const last = path[path.length - 1]!;
  if (value === REMOVE) delete parent[last];
  else parent[last] = value;
  return problemsOf(infra);
}

describe("vSphere config validation", () => {
  it("accepts the labels the kubelet may set on itself", () => {
    const infra = rawInfra() as { vsphere: { nodePools: Record<string, { labels: Record<string, string> }> } };
    infra.vsphere.nodePools["workers"]!.labels = { "topology.kubernetes.io/zone": "a", "topology.kubernetes.io/region": "r", "node.kubernetes.io/instance-type": "large", "strata.io/x": "y" };
    expect(problemsOf(infra)).to.deep.equal([]);
  });

  it("accepts both examples", () => {
    expect(problemsOf(rawInfra("vsphere-prod.yaml"))).to.deep.equal([]);
    expect(problemsOf(rawInfra("vsphere-dev.yaml"), "dev")).to.deep.equal([]);
  });

  const cases: [string, Mutation, string[]][] = [
    ["a missing datacenter", [["vsphere", "datacenter"], REMOVE], ["strata:infra.vsphere.datacenter: is required (got nothing); expected a string"]],
    [
      "an address range too small for the pool",
      [["vsphere", "nodePools", "workers", "addressRange"], "10.20.0.21-10.20.0.25"],
      ['strata:infra.vsphere.nodePools.workers.addressRange: holds 5 addresses but count is 6; widen it to at least 6 addresses or lower count (got "10.20.0.21-10.20.0.25")'],
    ],
    [
      "an address list shorter than the count",
      [["vsphere", "nodePools", "load-balancers", "addresses"], ["10.20.0.5"]],
      ['strata:infra.vsphere.nodePools.load-balancers.addresses: lists 1 addresses but count is 2; widen it to at least 2 addresses or lower count (got ["10.20.0.5"])'],
    ],
    [
      "a VIP inside a pool's range",
      [["vsphere", "apiEndpoint", "vip"], "10.20.0.13"],
      ['strata:infra.vsphere.apiEndpoint.vip: lies inside the addresses of pool control-plane; choose a free address no pool uses (got "10.20.0.13")'],
    ],
    [
      "a VIP outside the control-plane network",
      [["vsphere", "apiEndpoint", "vip"], "10.30.0.10"],
      ['strata:infra.vsphere.apiEndpoint.vip: is outside the control-plane network 10.20.0.0/23; choose a free address in that subnet (got "10.30.0.10")'],
    ],
    [
      "an even control-plane count",
      [["vsphere", "nodePools", "control-plane", "count"], 2],
      ["strata:infra.vsphere.nodePools.control-plane.count: has 2 control-plane nodes; etcd needs an odd count: give the control-plane pool count 1, 3 or 5 (got 2)"],
    ],
    [
      "a zero control-plane count",
      [["vsphere", "nodePools", "control-plane", "count"], 0],
      ["strata:infra.vsphere.nodePools.control-plane.count: has 0 control-plane nodes; etcd needs an odd count: give the control-plane pool count 1, 3 or 5 (got 0)"],
    ],
    [
      "no control-plane pool at all",
      [["vsphere", "nodePools", "control-plane"], REMOVE],
      [
        'strata:infra.vsphere.nodePools: has no control-plane pool; add a pool with role control-plane and count 1, 3 or 5 (got {"workers":{"role":"worker","count":6,"cpus":16,"memoryGi":32,"osDiskGi":500,...)',
      ],
    ],
    [
      "addresses shared by two pools",
      [["vsphere", "nodePools", "redis", "addressRange"], "10.20.0.65-10.20.0.73"],
      ['strata:infra.vsphere.nodePools.redis.addressRange: reuses 5 addresses (from 10.20.0.65) of pool mongodb; give every pool its own addresses (got "10.20.0.65-10.20.0.73")'],
    ],
    [
      "a node address outside the node network",
      [["vsphere", "nodePools", "load-balancers", "addresses"], ["10.20.0.5", "10.30.0.6"]],
      ['strata:infra.vsphere.nodePools.load-balancers.addresses[1]: has 10.30.0.6 outside network nodes (10.20.0.0/23); use addresses inside that subnet (got "10.30.0.6")'],
    ],
    [
      "a pod CIDR overlapping the node network",
      [["network", "podCidr"], "10.20.0.0/16"],
      ['strata:infra.network.podCidr: overlaps node network vsphere.networks.nodes (10.20.0.0/23); choose a range disjoint from every node network (got "10.20.0.0/16")'],
    ],
    [
      "a service CIDR overlapping the node network",
      [["network", "serviceCidr"], "10.16.0.0/12"],
      ['strata:infra.network.serviceCidr: overlaps node network vsphere.networks.nodes (10.20.0.0/23); choose a range disjoint from every node network (got "10.16.0.0/12")'],
    ],
    [
      "an unknown datastore tier on a data disk",
      [["vsphere", "nodePools", "storage", "dataDisks", 0, "tier"], "nvme"],
      ['strata:infra.vsphere.nodePools.storage.dataDisks[0].tier: is not a datastore tier; use one of ssd, hdd (keys of vsphere.datastoreTiers) (got "nvme")'],
    ],
    [
      "an unknown default tier",
      [["vsphere", "defaultTier"], "fast"],
      ['strata:infra.vsphere.defaultTier: is not a datastore tier; use one of ssd, hdd (keys of vsphere.datastoreTiers) (got "fast")'],
    ],
    [
      "an unknown node network",
      [["vsphere", "nodePools", "workers", "network"], "storage"],
      ['strata:infra.vsphere.nodePools.workers.network: is not a node network; use one of nodes (keys of vsphere.networks) (got "storage")'],
    ],
    [
      "a pool without static addresses",
      [["vsphere", "nodePools", "workers", "addressRange"], REMOVE],
      ["strata:infra.vsphere.nodePools.workers.addresses: is required: nodes get static addresses; set addresses (a list) or addressRange (first-last) (got nothing)"],
    ],
    [
      "both an address list and a range",
      [["vsphere", "nodePools", "workers", "addresses"], ["10.20.0.21"]],
      ['strata:infra.vsphere.nodePools.workers.addressRange: is set together with addresses; keep one of addresses or addressRange (got "10.20.0.21-10.20.0.40")'],
    ],
    [
      "a malformed address range",
      [["vsphere", "nodePools", "workers", "addressRange"], "10.20.0.21..10.20.0.40"],
      ['strata:infra.vsphere.nodePools.workers.addressRange: must be an address range; write first-last, e.g. 10.20.0.11-10.20.0.19 (got "10.20.0.21..10.20.0.40")'],
    ],
    [
      "an address range written backwards",
      [["vsphere", "nodePools", "workers", "addressRange"], "10.20.0.40-10.20.0.21"],
      ['strata:infra.vsphere.nodePools.workers.addressRange: ends before it starts; write first-last with the lower address first (got "10.20.0.40-10.20.0.21")'],
    ],
    [
      "a tier name that only exists on Object.prototype",
      [["vsphere", "defaultTier"], "constructor"],
      ['strata:infra.vsphere.defaultTier: is not a datastore tier; use one of ssd, hdd (keys of vsphere.datastoreTiers) (got "constructor")'],
    ],
    [
      "a single load-balancer node",
      [["vsphere", "nodePools", "load-balancers", "count"], 1],
      ["strata:infra.vsphere.nodePools.load-balancers.count: has 1 load-balancer node; VRRP fail-over needs a pair: use count 2, or 0 for kube-vip (got 1)"],
    ],
    [
      "load-balancer nodes without a gateway address",
      [["vsphere", "gatewayAddress"], REMOVE],
      ["strata:infra.vsphere.gatewayAddress: is required with load-balancer nodes: HAProxy forwards 80/443 there; set the gateway's load-balancer IP (got nothing)"],
    ],
    [
      "a gateway address inside a pool",
      [["vsphere", "gatewayAddress"], "10.20.0.25"],
      ['strata:infra.vsphere.gatewayAddress: lies inside the addresses of pool workers; use the gateway\'s own load-balancer address (got "10.20.0.25")'],
    ],
    [
      "a gateway address equal to the API VIP",
      [["vsphere", "gatewayAddress"], "10.20.0.10"],
      ['strata:infra.vsphere.gatewayAddress: is the API VIP; use the gateway\'s own load-balancer address (got "10.20.0.10")'],
    ],
    [
      "a node label the kubelet may not set",
      [["vsphere", "nodePools", "mysql", "labels", "node-role.kubernetes.io/db"], ""],
      ['strata:infra.vsphere.nodePools.mysql.labels.node-role.kubernetes.io/db: is in a kubernetes.io/k8s.io namespace the kubelet refuses to set on its node; use topology.kubernetes.io/zone or /region, node.kubernetes.io/…, or your own prefix, e.g. strata.io/ (got "")'],
    ],
    [
      "a topology label the kubelet does not allow (only region and zone)",
      [["vsphere", "nodePools", "storage", "labels", "topology.kubernetes.io/rack"], "r1"],
      ['strata:infra.vsphere.nodePools.storage.labels.topology.kubernetes.io/rack: is in a kubernetes.io/k8s.io namespace the kubelet refuses to set on its node; use topology.kubernetes.io/zone or /region, node.kubernetes.io/…, or your own prefix, e.g. strata.io/ (got "r1")'],
    ],
    [
      "a data-disk purpose on a pool that is not a storage pool",
      [["vsphere", "nodePools", "mysql", "dataDisks"], [{ sizeGi: 100, tier: "ssd", purpose: "object" }]],
      ["strata:infra.vsphere.nodePools.mysql.dataDisks[0].purpose: is for storage pools' disks (this pool's role is database); remove purpose or move the disk to a storage pool (got \"object\")"],
    ],
    [
      "a vCenter thumbprint that is not a SHA-1 fingerprint",
      [["vsphere", "vcenterThumbprint"], "AB:CD"],
      [
        'strata:infra.vsphere.vcenterThumbprint: must be the SHA-1 fingerprint of vCenter\'s certificate, 20 hex bytes separated by colons; get it with `openssl s_client -connect <vcenter>:443 </dev/null | openssl x509 -noout -fingerprint -sha1` (got "AB:CD")',
      ],
    ],
    [
      "an unknown data-disk purpose",
      [["vsphere", "nodePools", "storage", "dataDisks", 0, "purpose"], "cache"],
      ['strata:infra.vsphere.nodePools.storage.dataDisks[0].purpose: must be one of "object", "object-fast" (got "cache")'],
    ],
    [
      "a Kubernetes minor without pinned packages",
      [["kubernetesVersion"], "1.31"],
      ['strata:infra.kubernetesVersion: is not a Kubernetes minor strata supports on the vsphere backend; use 1.35 (lib/kubernetes-versions.ts lists the pins each needs) (got "1.31")'],
    ],
    [
      "Kubernetes 1.36, which needs containerd 2.x the node packages do not cover yet",
      [["kubernetesVersion"], "1.36"],
      ['strata:infra.kubernetesVersion: is not a Kubernetes minor strata supports on the vsphere backend; use 1.35 (lib/kubernetes-versions.ts lists the pins each needs) (got "1.36")'],
    ],
    [
      "a gateway outside its network",
      [["vsphere", "networks", "nodes", "gateway"], "10.21.0.1"],
      ['strata:infra.vsphere.networks.nodes.gateway: is outside 10.20.0.0/23; use the router address of that subnet (got "10.21.0.1")'],
    ],
    [
      "node names longer than a DNS label",
      [["vsphere", "nodePools", "a-very-long-pool-name-that-keeps-going-on-and-on-and-on"], { ...PROD_WORKERS, addressRange: "10.20.1.21-10.20.1.40" }],
      [
        "strata:infra.vsphere.nodePools.a-very-long-pool-name-that-keeps-going-on-and-on-and-on: makes node names like emis-prod-a-very-long-pool-name-that-keeps-going-on-and-on-and-on-6 longer than 63 characters; shorten the pool key or clusterName (got {\"role\":\"worker\",\"count\":6,\"cpus\":16,\"memoryGi\":32,\"osDiskGi\":500,\"addressRan...)",
      ],
    ],
    [
      "key material for a VM that is not a control plane",
      [["vsphere", "keyMaterialFor"], ["emis-prod-workers-1"]],
      ['strata:infra.vsphere.keyMaterialFor[0]: is not a control-plane VM; only control planes have key material: use one of emis-prod-control-plane-1, emis-prod-control-plane-2, emis-prod-control-plane-3 (got "emis-prod-workers-1")'],
    ],
    [
      "a misspelt key",
      [["vsphere", "nodePool"], {}],
      [
        'strata:infra.vsphere.nodePool: unknown key; did you mean nodePools? (got "nodePool")',
      ],
    ],
  ];

  for (const [what, mutate, expected] of cases) {
    it(`rejects ${what}`, () => {
      expect(problems(mutate)).to.deep.equal(expected);
    });
  }
});
