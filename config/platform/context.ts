/** What the platform slices are checked against, derived from the infra and cluster slices of the same stack. */
import type { ClusterConfig } from "../cluster";
import type { InfraConfig } from "../infra";
import type { PlatformContext } from "./common";
import type { Environment } from "../environment";

/**
 * Pools and storage purposes as the infra and cluster layers will build them. Without the infra
 * slice (another stack owns it) they are unknown, and the platform layer checks the contract instead.
 */
export function platformContext(environment: Environment, infra: InfraConfig | undefined, cluster: ClusterConfig | undefined): PlatformContext {
  if (infra === undefined) return { environment };
  switch (infra.backend) {
    case "vsphere":
      return {
        environment,
        backend: "vsphere",
        pools: Object.entries(infra.vsphere.nodePools).map(([name, p]) => ({ name, role: p.role, count: p.autoscaling?.min ?? p.count })),
        // Storage pools' purposed data disks become local classes of the same name (`object`, `object-fast`).
        storagePurposes: [
          "default",
          "database",
          "local",
          ...new Set(Object.values(infra.vsphere.nodePools).flatMap((p) => p.dataDisks.flatMap((d) => (d.purpose === undefined ? [] : [d.purpose])))),
        ],
      };
    case "eks":
      return {
        environment,
        backend: "eks",
        pools: Object.entries(infra.eks.nodeGroups).map(([name, g]) => ({ name, role: g.role, count: g.desiredSize ?? g.minSize })),
        storagePurposes: ["default", "database", ...(cluster?.eks.io2 === undefined ? [] : ["database-io2"])],
        s3Buckets: Object.entries(infra.eks.buckets).filter(([, b]) => b.enabled).map(([purpose]) => purpose),
      };
    case "existing":
      return {
        environment,
        backend: "existing",
        pools: Object.entries(infra.existing.nodePools).map(([name, p]) => ({ name, role: p.role, count: p.count })),
        ...(cluster === undefined ? {} : { storagePurposes: Object.entries(cluster.existing.storageClasses).filter(([, v]) => v !== undefined).map(([k]) => k) }),
      };
  }
}
