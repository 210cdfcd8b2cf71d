/** Pure: metrics-server chart values. */
import type { Placement } from "../../lib/contracts";

/** Two replicas with a PDB so HPAs keep working through node drains. */
export function metricsServerValues(options: { readonly replicas: number; readonly placement: Placement; readonly kubeletInsecureTls: boolean }) {
  return {
    replicas: options.replicas,
    podDisruptionBudget: { enabled: options.replicas > 1, minAvailable: 1 },
    nodeSelector: { ...options.placement.nodeSelector },
    tolerations: options.placement.tolerations.map((t) => ({ ...t })),
    args: options.kubeletInsecureTls ? ["--kubelet-insecure-tls"] : [],
  };
}
