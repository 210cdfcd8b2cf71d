/**
 * Pure: what Velero copies of each Kafka node. Strimzi 1.2.0 names a persistent-claim volume in
 * the pod spec `data-<id>` inside JBOD storage and `data` outside it
 * (cluster-operator/.../model/VolumeUtils.java `createVolumePrefix`, `createPodSetVolumes`), and
 * puts a node pool's `template.pod.metadata.annotations` on its pods (KafkaPool takes the pool's
 * pod template over the Kafka's; WorkloadUtils `createStatefulPod` merges its annotations).
 *
 * No hook: Kafka has no command that flushes and freezes its log directories while it runs, so
 * the copy is file-level, segment by segment while the broker appends. A restored node starts as
 * after an unclean shutdown: Kafka recovers the log segments after the last flushed checkpoint
 * and truncates an incomplete tail; the KRaft metadata log (on the same volume, `kraftMetadata:
 * shared`) does the same, and followers then truncate to their leader. Records written during the
 * copy may be missing.
 */
import type { PodVolumeBackup } from "../backups/pod-volumes";

/** The pod volume Strimzi gives a persistent-claim volume: `data-<id>` in JBOD storage, else `data`. */
export function kafkaDataVolume(id: number | undefined): string {
  return id === undefined ? "data" : `data-${id}`;
}

/** What Velero copies of each node of a pool whose JBOD storage has the volumes `ids`, file-level. */
export function kafkaVolumeBackup(ids: readonly number[]): PodVolumeBackup {
  return { volumes: ids.map((id) => kafkaDataVolume(id)) };
}
