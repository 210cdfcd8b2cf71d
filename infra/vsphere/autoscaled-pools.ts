/**
 * The autoscaled pools as the cluster layer's MachineDeployments need them: the same template,
 * folder, datastore, network, size, labels and taints Pulumi's VMs of a pool get. Pure.
 */
import type { VsphereInfraConfig } from "../../config/infra/vsphere";
import type { AutoscaledVspherePool } from "../../lib/contracts";
import { describePools } from "./pools";

export function autoscaledPools(infra: VsphereInfraConfig): AutoscaledVspherePool[] {
  const vs = infra.vsphere;
  const described = describePools(infra, []);
  return Object.entries(vs.nodePools).flatMap(([name, pool]): AutoscaledVspherePool[] => {
    if (pool.autoscaling === undefined) return [];
    const tier = vs.datastoreTiers[pool.osDiskTier ?? vs.defaultTier];
    const network = vs.networks[pool.network];
    const shape = described.find((p) => p.name === name);
    if (tier === undefined || network === undefined || shape === undefined) throw new Error(`pool ${name}: tier or network missing; config validation should have caught this`);
    return [
      {
        pool: name,
        min: pool.autoscaling.min,
        max: pool.autoscaling.max,
        template: vs.template,
        computeCluster: vs.computeCluster,
        ...(vs.resourcePool === undefined ? {} : { resourcePool: vs.resourcePool }),
        folder: vs.folder ?? infra.clusterName,
        datastore: tier.datastore,
        portGroup: network.portGroup,
        cpus: pool.cpus,
        memoryGi: pool.memoryGi,
        osDiskGi: pool.osDiskGi,
        antiAffinity: pool.antiAffinity,
        labels: shape.labels,
        taints: shape.taints,
        sshAuthorizedKeys: vs.sshAuthorizedKeys,
      },
    ];
  });
}
