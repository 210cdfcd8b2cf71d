/**
 * Pure: what Velero copies of each RabbitMQ node. The cluster operator (v2.22.3,
 * internal/resource/statefulset.go) names the node's data claim and its pod volume `persistence`
 * (`defaultPVCName`, mounted at `/var/lib/rabbitmq/mnesia/`: the metadata store, quorum queue
 * and stream logs, message stores), and copies `override.statefulSet.spec.template.metadata`
 * onto the pod template (`applyStsOverride`), where the annotation goes.
 *
 * No hook: RabbitMQ has no command that makes its files consistent on disk while it runs, so
 * the copy is file-level, read while the node writes. A restore starts each node from its copy as
 * from an unclean shutdown: quorum queues and streams recover their Raft logs and catch up from
 * the other nodes where one is still whole; messages written during the copy may be lost or
 * delivered twice. It protects definitions and queued messages against the loss of the volumes,
 * not against the loss of a message in flight.
 */
import type { PodVolumeBackup } from "../backups/pod-volumes";

/** The node's data volume, as the operator names it in the pod spec. */
export const RABBITMQ_DATA_VOLUME = "persistence";

/** What Velero copies of each RabbitMQ node: its `persistence` volume, file-level. */
export function rabbitmqVolumeBackup(): PodVolumeBackup {
  return { volumes: [RABBITMQ_DATA_VOLUME] };
}
