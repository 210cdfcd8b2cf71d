/**
 * Pure: alerts for the app buckets' copier (bucket-backup.ts). `weed filer.backup` exports no
 * metrics of its own and retries failed uploads without exiting, and the filer's
 * `SeaweedFS_filer_last_send_timestamp_of_subscribe` moves only on events for it (filer.backup
 * asks for no idle heartbeats: `pb.FollowMetadata` without `OnIdleHeartbeat`), so a quiet bucket
 * would look stuck. What is left to watch is kube-state-metrics: the Deployment with no available
 * pod, and a copier that keeps restarting (a bad target, a missing Secret key).
 */
import { alertRule as alert, type RuleGroup } from "../../lib/prometheus-rules";
import { BUCKET_BACKUP_NAME } from "./bucket-backup-objects";

export function bucketBackupAlerts(): RuleGroup {
  return {
    name: "strata.object-store.backup",
    rules: [
      alert(
        "StrataBucketBackupDown",
        `kube_deployment_status_replicas_available{deployment="${BUCKET_BACKUP_NAME}"} < 1`,
        "15m",
        "critical",
        "App buckets are not being copied off the cluster",
        "{{ $labels.namespace }}/" + BUCKET_BACKUP_NAME + " has had no available pod for 15 minutes: new and changed files in the app buckets reach no backup.",
      ),
      alert(
        "StrataBucketBackupRestarting",
        `increase(kube_pod_container_status_restarts_total{pod=~"${BUCKET_BACKUP_NAME}-.+"}[30m]) > 3`,
        "0m",
        "warning",
        "A bucket copier keeps restarting",
        "Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} restarted more than 3 times in 30 minutes; read its log (the target's endpoint, keys or bucket).",
      ),
    ],
  };
}
