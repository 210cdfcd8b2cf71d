/**
 * Pure: the systemd timers cloud-init writes on every control plane, so day-2 upkeep does not
 * wait for a person:
 *
 * - `strata-etcd-snapshot.timer`: `etcdctl snapshot save` inside the node's etcd static-pod
 *   container (the node has no etcd client; the registry.k8s.io/etcd image kubeadm runs carries
 *   etcdctl and etcdutl, and `crictl` comes with kubeadm's cri-tools dependency), checked with
 *   `etcdutl snapshot status`, kept `keepLocalDays` days.
 * - `strata-certs-renew.timer`: once a week, on a different weekday per control plane, `kubeadm
 *   certs renew all` when a leaf certificate expires within `CERT_RENEW_DAYS`, then a restart of
 *   the static pods the way kubeadm documents it (kubernetes.io/docs/tasks/administer-cluster/
 *   kubeadm/kubeadm-certs/, "Manual certificate renewal": move each manifest out of
 *   /etc/kubernetes/manifests, wait for the kubelet to stop the pod, move it back), one component
 *   at a time and only while etcd is healthy.
 *
 * Both write node-exporter textfile metrics (`TEXTFILE_DIR`), which the platform's alerts read.
 */
import { ETCD_SNAPSHOT_DIR, ETCD_SNAPSHOT_GLOB } from "../../lib/etcd-snapshots";
import type { WriteFile } from "./cloud-init";

const BIN = "/usr/local/sbin";
export const SNAPSHOT_DIR = ETCD_SNAPSHOT_DIR;
/** node-exporter's textfile collector reads `*.prom` here (the platform points it at the host's copy). */
export const TEXTFILE_DIR = "/var/lib/node_exporter/textfile_collector";
/** Renew when the first leaf certificate expires within this many days (they last 365). */
export const CERT_RENEW_DAYS = 90;
/** Seconds each wait for the kubelet or etcd gives up after. */
const WAIT_SECONDS = 300;

export interface EtcdSnapshotSettings {
  /** systemd `OnCalendar` expression. */
  readonly schedule: string;
  readonly keepLocalDays: number;
}

/** Path of kubeadm's etcd client certificate pair every control plane has. */
const ETCDCTL = [
  "etcdctl --endpoints=https://127.0.0.1:2379",
  "--cacert=/etc/kubernetes/pki/etcd/ca.crt",
  "--cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt",
  "--key=/etc/kubernetes/pki/etcd/healthcheck-client.key",
].join(" ");

/** `etcd_container`: the id of the running etcd static-pod container, or nothing. */
const ETCD_CONTAINER = ["etcd_container() {", "  crictl ps --name '^etcd$' --state running -q | head -n 1", "}", ""];

/** `write_metrics <file> <lines…>`: atomically, so node-exporter never reads half a file. */
const WRITE_METRICS = [
  "write_metrics() {",
  '  local file=$1',
  "  shift",
  `  install -d -m 0755 ${TEXTFILE_DIR}`,
  `  printf '%s\\n' "$@" > "${TEXTFILE_DIR}/.\${file}.tmp"`,
  `  mv "${TEXTFILE_DIR}/.\${file}.tmp" "${TEXTFILE_DIR}/\${file}"`,
  "}",
  "",
];

/**
 * The snapshot is written inside etcd's data directory (the only host path the container mounts
 * writable, at the same path: kubeadm's `etcd-data` hostPath /var/lib/etcd) and moved out at once.
 */
export function etcdSnapshotScript(settings: EtcdSnapshotSettings): string {
  return [
    "#!/bin/bash",
    "# Saves an etcd snapshot of this control plane, keeps the last days of them, and records the run for node-exporter.",
    "set -euo pipefail",
    "",
    `SNAPSHOT_DIR="${SNAPSHOT_DIR}"`,
    `KEEP_DAYS=${settings.keepLocalDays}`,
    "",
    ...ETCD_CONTAINER,
    ...WRITE_METRICS,
    "container=$(etcd_container)",
    'if [ -z "$container" ]; then',
    '  echo "strata: no running etcd container on this node; nothing to snapshot" >&2',
    "  exit 1",
    "fi",
    'name="etcd-$(hostname)-$(date -u +%Y%m%dT%H%M%SZ).db"',
    'staged="/var/lib/etcd/strata-${name}"',
    "trap 'rm -f \"$staged\"' EXIT",
    `crictl exec "$container" ${ETCDCTL} snapshot save "$staged"`,
    'crictl exec "$container" etcdutl snapshot status "$staged" --write-out table',
    'install -d -m 0700 "$SNAPSHOT_DIR"',
    'mv "$staged" "${SNAPSHOT_DIR}/${name}"',
    'chmod 0600 "${SNAPSHOT_DIR}/${name}"',
    `find "$SNAPSHOT_DIR" -maxdepth 1 -name "${ETCD_SNAPSHOT_GLOB}" -mtime +"$KEEP_DAYS" -delete`,
    'size=$(stat -c %s "${SNAPSHOT_DIR}/${name}")',
    "write_metrics strata_etcd_snapshot.prom \\",
    '  "# HELP strata_etcd_snapshot_last_success_timestamp_seconds When this control plane last saved an etcd snapshot." \\',
    '  "# TYPE strata_etcd_snapshot_last_success_timestamp_seconds gauge" \\',
    '  "strata_etcd_snapshot_last_success_timestamp_seconds $(date +%s)" \\',
    '  "# HELP strata_etcd_snapshot_size_bytes Size of the last etcd snapshot." \\',
    '  "# TYPE strata_etcd_snapshot_size_bytes gauge" \\',
    '  "strata_etcd_snapshot_size_bytes ${size}"',
    'echo "strata: saved ${SNAPSHOT_DIR}/${name} (${size} bytes)"',
    "",
  ].join("\n");
}

/** The leaf certificates `kubeadm certs renew all` renews, as files (kubeconfigs checked through admin.conf). */
const LEAF_CERTIFICATES = [
  "/etc/kubernetes/pki/apiserver.crt",
  "/etc/kubernetes/pki/apiserver-kubelet-client.crt",
  "/etc/kubernetes/pki/apiserver-etcd-client.crt",
  "/etc/kubernetes/pki/front-proxy-client.crt",
  "/etc/kubernetes/pki/etcd/server.crt",
  "/etc/kubernetes/pki/etcd/peer.crt",
  "/etc/kubernetes/pki/etcd/healthcheck-client.crt",
];

/** Static pods restarted after a renewal, etcd first (the others reconnect to it). */
const STATIC_PODS = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"];

export function certRenewalScript(): string {
  return [
    "#!/bin/bash",
    `# Renews kubeadm's leaf certificates when one expires within ${CERT_RENEW_DAYS} days, then restarts the control-plane static pods one at a time.`,
    "set -euo pipefail",
    "",
    `RENEW_DAYS=${CERT_RENEW_DAYS}`,
    `WAIT_SECONDS=${WAIT_SECONDS}`,
    "MANIFESTS=/etc/kubernetes/manifests",
    "# Outside the manifests folder: the kubelet would run anything left in it.",
    "PARKED=/etc/kubernetes/manifests-parked",
    `LEAVES=(${LEAF_CERTIFICATES.join(" ")})`,
    "",
    ...ETCD_CONTAINER,
    ...WRITE_METRICS,
    "admin_cert() {",
    "  grep 'client-certificate-data:' /etc/kubernetes/admin.conf | awk '{ print $2 }' | base64 -d",
    "}",
    "",
    "# The earliest notAfter among the leaves, in seconds since the epoch.",
    "earliest_expiry() {",
    '  { for file in "${LEAVES[@]}"; do openssl x509 -noout -enddate -in "$file"; done; admin_cert | openssl x509 -noout -enddate; } \\',
    "    | sed 's/^notAfter=//' | while read -r when; do date -d \"$when\" +%s; done | sort -n | head -n 1",
    "}",
    "",
    "record() {",
    "  write_metrics strata_kubeadm_certs.prom \\",
    '    "# HELP strata_kubeadm_certificate_expiry_timestamp_seconds Earliest expiry of the kubeadm leaf certificates on this control plane." \\',
    '    "# TYPE strata_kubeadm_certificate_expiry_timestamp_seconds gauge" \\',
    '    "strata_kubeadm_certificate_expiry_timestamp_seconds $(earliest_expiry)"',
    "}",
    "",
    "# wait_for <what> <command…>: until the command succeeds, at most WAIT_SECONDS.",
    "wait_for() {",
    "  local what=$1 waited=0",
    "  shift",
    '  until "$@"; do',
    '    if [ "$waited" -ge "$WAIT_SECONDS" ]; then',
    '      echo "strata: ${what}: still not after ${WAIT_SECONDS}s; stopping" >&2',
    "      return 1",
    "    fi",
    "    sleep 5",
    "    waited=$((waited + 5))",
    "  done",
    "}",
    "",
    "etcd_healthy() {",
    "  local container",
    "  container=$(etcd_container)",
    `  [ -n "$container" ] && crictl exec "$container" ${ETCDCTL} endpoint health --cluster >/dev/null 2>&1`,
    "}",
    "",
    'running() { [ -n "$(crictl ps --name "^$1\\$" --state running -q)" ]; }',
    'stopped() { ! running "$1"; }',
    "",
    'expiry=$(earliest_expiry)',
    'if [ "$expiry" -gt "$(( $(date +%s) + RENEW_DAYS * 86400 ))" ]; then',
    '  echo "strata: leaf certificates valid until $(date -u -d "@${expiry}"); nothing to renew"',
    "  record",
    "  exit 0",
    "fi",
    "# Never take a member down while the cluster is degraded: the next run tries again.",
    'wait_for "etcd cluster healthy before renewal" etcd_healthy',
    "kubeadm certs renew all",
    'install -d -m 0700 "$PARKED"',
    `for pod in ${STATIC_PODS.join(" ")}; do`,
    '  mv "${MANIFESTS}/${pod}.yaml" "${PARKED}/${pod}.yaml"',
    '  wait_for "${pod} stopped" stopped "$pod"',
    '  mv "${PARKED}/${pod}.yaml" "${MANIFESTS}/${pod}.yaml"',
    '  wait_for "${pod} running" running "$pod"',
    '  if [ "$pod" = etcd ]; then wait_for "etcd cluster healthy after restart" etcd_healthy; fi',
    "done",
    "record",
    'echo "strata: renewed; leaf certificates now valid until $(date -u -d "@$(earliest_expiry)")"',
    "",
  ].join("\n");
}

/** A oneshot service and its timer. */
function timer(name: string, description: string, onCalendar: string, randomizedDelay: string): WriteFile[] {
  return [
    {
      path: `/etc/systemd/system/${name}.service`,
      permissions: "0644",
      content: [`[Unit]`, `Description=${description}`, "After=kubelet.service", "", "[Service]", "Type=oneshot", `ExecStart=${BIN}/${name}.sh`, ""].join("\n"),
    },
    {
      path: `/etc/systemd/system/${name}.timer`,
      permissions: "0644",
      content: ["[Unit]", `Description=${description} (schedule)`, "", "[Timer]", `OnCalendar=${onCalendar}`, `RandomizedDelaySec=${randomizedDelay}`, "Persistent=true", "", "[Install]", "WantedBy=timers.target", ""].join("\n"),
    },
  ];
}

const WEEKDAYS = ["Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Mon"];

/** Enables the timers once the node has joined (the last first-boot command). */
export const ENABLE_TIMERS_SCRIPT = `${BIN}/strata-maintenance-timers.sh`;

/**
 * The files of control plane `index` (0-based): both scripts, their units and timers, and the
 * script that enables them. Renewals fall on a different weekday per control plane, so at most
 * one restarts its static pods on a given day.
 */
export function controlPlaneMaintenanceFiles(index: number, snapshots: EtcdSnapshotSettings): WriteFile[] {
  return [
    { path: `${BIN}/strata-etcd-snapshot.sh`, permissions: "0755", content: etcdSnapshotScript(snapshots) },
    ...timer("strata-etcd-snapshot", "strata: etcd snapshot", snapshots.schedule, "5min"),
    { path: `${BIN}/strata-certs-renew.sh`, permissions: "0755", content: certRenewalScript() },
    ...timer("strata-certs-renew", "strata: kubeadm leaf certificate renewal", `${WEEKDAYS[index % WEEKDAYS.length]} *-*-* 03:00:00`, "30min"),
    {
      path: ENABLE_TIMERS_SCRIPT,
      permissions: "0755",
      content: [
        "#!/bin/bash",
        "# Starts the control plane's maintenance timers once it runs, and records when (the stale-snapshot alert counts from here until the first snapshot).",
        "set -euo pipefail",
        "",
        ...WRITE_METRICS,
        "systemctl daemon-reload",
        "systemctl enable --now strata-etcd-snapshot.timer strata-certs-renew.timer",
        "write_metrics strata_maintenance_timers.prom \\",
        '  "# HELP strata_maintenance_timers_enabled_timestamp_seconds When this control plane enabled its etcd snapshot and certificate renewal timers." \\',
        '  "# TYPE strata_maintenance_timers_enabled_timestamp_seconds gauge" \\',
        '  "strata_maintenance_timers_enabled_timestamp_seconds $(date +%s)"',
        "",
      ].join("\n"),
    },
  ];
}
