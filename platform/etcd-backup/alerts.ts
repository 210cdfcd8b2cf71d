/**
 * Pure: the alert on the etcd snapshot upload (objects.ts), from kube-state-metrics' CronJob
 * series (kube-state-metrics docs/cronjob-metrics.md: `kube_cronjob_status_last_successful_time`,
 * set once a Job of the CronJob has succeeded, and `kube_cronjob_created`). The series exist only
 * where the CronJob does (vSphere with a backup target), so elsewhere nothing fires.
 */
import { alertRule as alert, type RuleGroup } from "../../lib/prometheus-rules";
import { ETCD_BACKUP_NAMESPACE, ETCD_UPLOAD_NAME } from "./objects";

/** The snapshots are taken at least daily; one hour of slack, as StrataEtcdSnapshotStale. */
export const UPLOAD_STALE_SECONDS = 25 * 3600;

export function etcdUploadAlerts(): RuleGroup {
  const selector = `{namespace="${ETCD_BACKUP_NAMESPACE}", cronjob="${ETCD_UPLOAD_NAME}"}`;
  return {
    name: "strata.etcd-backup",
    rules: [
      alert(
        "StrataEtcdSnapshotUploadStale",
        `(time() - kube_cronjob_status_last_successful_time${selector} > ${UPLOAD_STALE_SECONDS}) or ((time() - kube_cronjob_created${selector} > ${UPLOAD_STALE_SECONDS}) unless on (namespace, cronjob) kube_cronjob_status_last_successful_time${selector})`,
        "15m",
        "critical",
        "No etcd snapshot has reached the backup target for more than 25 hours",
        `${ETCD_BACKUP_NAMESPACE}/${ETCD_UPLOAD_NAME} has not succeeded for over 25 hours (or never since it was created): a cluster lost with its control planes could only be restored from an older snapshot, or none.`,
      ),
    ],
  };
}
