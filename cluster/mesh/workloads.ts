/**
 * Pure: the ztunnel pods the ztunnel chart (Istio 1.30.3) renders, as the connection check and
 * Prometheus see them: labels `app: ztunnel` and `app.kubernetes.io/name: ztunnel`, and
 * `istio.io/dataplane-mode: none` (templates/daemonset.yaml); container port `ztunnel-stats`
 * 15020, which serves `/stats/prometheus` (istio/istio pkg/test/kube/dump.go reads it there).
 */
import type { ScrapeTarget } from "../../lib/contracts";
import type { WorkloadDeclaration } from "../../lib/connections";

export const ZTUNNEL_LABELS = { app: "ztunnel", "app.kubernetes.io/name": "ztunnel", "istio.io/dataplane-mode": "none" } as const;
const STATS = { port: "ztunnel-stats", number: 15020, path: "/stats/prometheus" } as const;

export function ztunnelWorkload(namespace: string): WorkloadDeclaration {
  return { id: `${namespace}/ztunnel`, pods: { namespace, labels: { ...ZTUNNEL_LABELS } }, containerPorts: { [STATS.port]: STATS.number } };
}

/** ztunnel's L4 metrics (connections, bytes, mTLS by source and destination workload). */
export function ztunnelScrapeTarget(namespace: string): ScrapeTarget {
  return { name: "ztunnel", namespace, kind: "pods", selector: { app: ZTUNNEL_LABELS.app }, port: STATS.port, path: STATS.path };
}
