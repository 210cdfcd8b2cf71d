/**
 * The infra facts the capacity check needs, from this stack's infra slice (before the infra layer
 * declares anything) or from an infra contract (another stack's). The pools come from the same
 * pure functions the backends publish them with, so both paths agree.
 */
import type { InfraConfig } from "../../config/infra";
import type { InfraOutputs } from "../../lib/contracts";
import { nodePoolOf } from "../../infra/eks/node-pool";
import { describedPools } from "../../infra/existing/pools";
import { describePools, nodeSpecs } from "../../infra/vsphere/pools";
import type { InfraFacts } from "./index";

export function infraFactsOfConfig(infra: InfraConfig): InfraFacts {
  switch (infra.backend) {
    case "vsphere":
      return { backend: "vsphere", nodePools: describePools(infra, nodeSpecs(infra)), karpenter: false };
    case "eks":
      return { backend: "eks", nodePools: Object.entries(infra.eks.nodeGroups).map(([name, group]) => nodePoolOf(name, group)), karpenter: infra.eks.enableKarpenter };
    case "existing":
      return { backend: "existing", nodePools: describedPools(infra.existing), karpenter: false };
  }
}

export function infraFactsOfContract(infra: InfraOutputs): InfraFacts {
  return { backend: infra.backend, nodePools: infra.nodePools, karpenter: infra.eks?.karpenter !== undefined };
}
