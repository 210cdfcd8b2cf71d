/** vSphere backend add-ons: the cloud provider, Calico, MetalLB, the vSphere CSI driver and local volumes. */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterConfig } from "../config/cluster";
import { ConfigError, describeValue } from "../config/errors";
import type { DataDiskPurpose, InfraOutputs, NodePool, Placement, StoragePurpose, VsphereExtras } from "../lib/contracts";
import { POOL_NAME_LABEL, placementFor } from "../lib/placement";
import { Calico } from "./calico";
import { LocalVolumes } from "./local-volumes";
import { MetalLb } from "./metallb";
import { blockContains } from "./metallb/values";
import { StorageClasses } from "./storage";
import { vsphereStorageClasses } from "./storage/values";
import { VsphereCpi } from "./vsphere-cpi";
import { VsphereCsi } from "./vsphere-csi";
import type { Exposure } from "./gateway/values";

/** Namespaces the vSphere add-ons run in (privileged: host networking, host paths, CSI). */
export const VSPHERE_SYSTEM_NAMESPACES = { calico: "tigera-operator", metallb: "metallb-system", localVolumes: "local-path-storage", csi: "vmware-system-csi" } as const;

export interface VsphereAddons {
  /** Everything that needs pod networking waits on this. */
  readonly cni: pulumi.Resource;
  readonly storageClasses: Partial<Record<StoragePurpose, string>>;
  readonly exposure: Exposure;
  /** Resources the gateway waits for (MetalLB). */
  readonly gatewayDependsOn: pulumi.Resource[];
}

/** Checks the MetalLB pool against the infra layer before anything is declared. */
export function checkLoadBalancerAddresses(addresses: readonly string[], vsphere: VsphereExtras): void {
  const key = "strata:cluster.vsphere.loadBalancerAddresses";
  if (addresses.length === 0) {
    throw new ConfigError([`${key}: is required on the vsphere backend (got []); list the CIDRs or ranges MetalLB may assign${vsphere.ingressAddress ? `, including the ingress address ${vsphere.ingressAddress}` : ""}`]);
  }
  const ingress = vsphere.ingressAddress;
  if (ingress !== undefined && !addresses.some((block) => blockContains(block, ingress))) {
    throw new ConfigError([`${key}: does not contain the ingress address ${ingress} the load-balancer nodes forward to (got ${describeValue(addresses)}); add a block that includes it`]);
  }
}

/** Placement of one pool by name: its pool label and the tolerations of its taints. */
function poolPlacement(pool: NodePool): Placement {
  return {
    nodeSelector: { [POOL_NAME_LABEL]: pool.name },
    tolerations: pool.taints.map((t) =>
      t.value === undefined ? { key: t.key, operator: "Exists" as const, effect: t.effect } : { key: t.key, operator: "Equal" as const, value: t.value, effect: t.effect },
    ),
  };
}

/**
 * Where node-local volumes go: each data-disk purpose on the storage pools that carry it; `local`
 * on the database pools and on storage pools without purposed disks (their OS disk).
 */
export function localVolumeTargets(pools: readonly NodePool[], vsphere: VsphereExtras) {
  const sets = Object.entries(vsphere.dataDisks ?? {}) as [DataDiskPurpose, { pools: readonly string[]; paths: readonly string[] }][];
  const withDisks = new Set(sets.flatMap(([, set]) => set.pools));
  const byName = (name: string) => pools.filter((pool) => pool.name === name);
  const local = pools.filter((pool) => pool.role === "database" || (pool.role === "storage" && !withDisks.has(pool.name)));
  return {
    local: local.map(poolPlacement),
    dataDisks: Object.fromEntries(sets.map(([purpose, set]) => [purpose, { targets: set.pools.flatMap(byName).map(poolPlacement), paths: set.paths }])),
  };
}

export function vsphereAddons(
  name: string,
  config: ClusterConfig,
  infra: InfraOutputs,
  vsphere: VsphereExtras,
  deps: {
    readonly provider: k8s.Provider;
    readonly parent: pulumi.Resource;
    /** PriorityClasses every add-on's pods use. */
    readonly priorityClasses: readonly pulumi.Resource[];
    /** The namespace object of a name (empty when strata does not declare it). */
    readonly namespace: (name: string) => pulumi.Resource[];
  },
): VsphereAddons {
  const options = config.vsphere;
  checkLoadBalancerAddresses(options.loadBalancerAddresses, vsphere);
  const podCidr = infra.network.podCidr;
  if (podCidr === undefined) throw new Error("infra.network.podCidr is missing; the vSphere backend must report the pod CIDR kubeadm was initialised with");
  const opts = { parent: deps.parent };
  const placement = placementFor(infra.nodePools);
  // First: until the CPI initialises a node, its kubelet's uninitialised taint keeps every other
  // pod off it. The CPI needs no pod network (host network, node DNS), so Calico can follow it.
  const cpi = new VsphereCpi(`${name}-vsphere-cpi`, { provider: deps.provider, vsphere, controlPlane: placement("control-plane") }, opts);
  const calico = new Calico(
    `${name}-calico`,
    {
      provider: deps.provider,
      namespace: VSPHERE_SYSTEM_NAMESPACES.calico,
      podCidr,
      encapsulation: options.calicoEncapsulation,
      controlPlane: placement("system"),
      dependsOn: [...deps.namespace(VSPHERE_SYSTEM_NAMESPACES.calico), ...deps.priorityClasses, cpi],
    },
    opts,
  );
  const afterCni = (namespace: string): pulumi.Resource[] => [...deps.namespace(namespace), ...deps.priorityClasses, calico];
  const metallb = new MetalLb(
    `${name}-metallb`,
    { provider: deps.provider, namespace: VSPHERE_SYSTEM_NAMESPACES.metallb, addresses: options.loadBalancerAddresses, dependsOn: afterCni(VSPHERE_SYSTEM_NAMESPACES.metallb) },
    opts,
  );
  const csi = new VsphereCsi(
    `${name}-vsphere-csi`,
    { provider: deps.provider, clusterName: infra.clusterName, vsphere, dependsOn: [...afterCni(VSPHERE_SYSTEM_NAMESPACES.csi), cpi] },
    opts,
  );
  const classes = new StorageClasses(`${name}-storage`, { provider: deps.provider, classes: vsphereStorageClasses(vsphere.storagePolicies), dependsOn: [csi] }, opts);
  const localTargets = localVolumeTargets(infra.nodePools, vsphere);
  const local = new LocalVolumes(
    `${name}-local-volumes`,
    {
      provider: deps.provider,
      namespace: VSPHERE_SYSTEM_NAMESPACES.localVolumes,
      path: options.localVolumePath,
      targets: localTargets.local,
      dataDisks: localTargets.dataDisks,
      dependsOn: afterCni(VSPHERE_SYSTEM_NAMESPACES.localVolumes),
    },
    opts,
  );
  return {
    cni: calico,
    storageClasses: { ...classes.names, ...local.storageClassNames },
    exposure: { kind: "metallb", pool: metallb.poolName, ...(vsphere.ingressAddress ? { address: vsphere.ingressAddress } : {}) },
    gatewayDependsOn: [metallb],
  };
}
