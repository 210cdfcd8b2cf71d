/**
 * Where the vSphere control planes keep their etcd snapshots: the infra layer's timer writes them
 * (infra/vsphere/control-plane-maintenance.ts) and the platform layer's upload reads them
 * (platform/etcd-backup/), so both name the folder and the files from here.
 */

/** Folder on every control plane (root-only: 0700, each snapshot 0600; a snapshot holds every Secret). */
export const ETCD_SNAPSHOT_DIR = "/var/lib/strata/etcd-snapshots";

/** Shell glob of the snapshot files: `etcd-<node>-<UTC time>.db`. */
export const ETCD_SNAPSHOT_GLOB = "etcd-*.db";
