/**
 * Pure: PodDisruptionBudgets for the SeaweedFS parts that run more than one pod (the chart, 4.44,
 * renders none). A drain may take one pod of each at a time: 3 masters keep a Raft quorum with
 * one away, a volume server's data has its other copy on another server (replication `001`), the
 * S3 gateways are stateless. The single filer gets none: a budget of zero would block every drain
 * of its node; it restarts elsewhere only as fast as its volume allows (README).
 */
import type { ObjectStoreSettings } from "../../config/platform/object-store";
import { disruptionBudget } from "../data-service";
import { SEAWEEDFS_RELEASE } from "./values";
import { seaweedfsLabels, type SeaweedfsComponent } from "./workloads";

/** One budget (`maxUnavailable: 1`, the component's pods) per component with more than one pod. */
export function seaweedfsDisruptionBudgets(namespace: string, settings: Pick<ObjectStoreSettings, "masters" | "volumeServers" | "filers" | "gateways">): ReturnType<typeof disruptionBudget>[] {
  const replicas: Record<SeaweedfsComponent, number> = { master: settings.masters, volume: settings.volumeServers, filer: settings.filers, s3: settings.gateways };
  return (Object.keys(replicas) as SeaweedfsComponent[])
    .filter((component) => replicas[component] > 1)
    .map((component) => disruptionBudget(`${SEAWEEDFS_RELEASE}-${component}`, namespace, seaweedfsLabels(component)));
}
