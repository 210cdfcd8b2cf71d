/**
 * Pure: alerts on the vSphere control planes' maintenance timers, from the textfile metrics they
 * write (infra/vsphere/control-plane-maintenance.ts; node-exporter reads them on vSphere only, so
 * on EKS the series are absent and nothing fires).
 */
import { alertRule as alert, type RuleGroup } from "../../lib/prometheus-rules";

/** Every accepted snapshot schedule runs at least daily (config/infra/vsphere/etcd-snapshots.ts); one hour of slack. */
export const SNAPSHOT_STALE_SECONDS = 25 * 3600;
/** Renewal runs weekly from 90 days before expiry: 30 days left means several runs failed. */
export const CERTIFICATE_ALERT_DAYS = 30;

export function controlPlaneMaintenanceAlerts(): RuleGroup {
  return {
    name: "strata.control-plane",
    rules: [
      alert(
        "StrataEtcdSnapshotStale",
        `(time() - strata_etcd_snapshot_last_success_timestamp_seconds > ${SNAPSHOT_STALE_SECONDS}) or ((time() - strata_maintenance_timers_enabled_timestamp_seconds > ${SNAPSHOT_STALE_SECONDS}) unless on (instance) strata_etcd_snapshot_last_success_timestamp_seconds)`,
        "15m",
        "critical",
        "A control plane has saved no etcd snapshot for more than 25 hours",
        "{{ $labels.instance }}: its strata-etcd-snapshot timer has not succeeded for over 25 hours (or never since it was enabled): a lost cluster could only be restored from an older snapshot.",
      ),
      alert(
        "StrataControlPlaneCertificatesExpiring",
        `strata_kubeadm_certificate_expiry_timestamp_seconds - time() < ${CERTIFICATE_ALERT_DAYS} * 86400`,
        "1h",
        "warning",
        "A control plane's kubeadm certificates expire within 30 days",
        "{{ $labels.instance }}: the earliest kubeadm leaf certificate expires {{ $value | humanizeDuration }} from now; the weekly strata-certs-renew timer should have renewed it 90 days before.",
      ),
    ],
  };
}
