/**
 * Pure: node-exporter's textfile collector on vSphere nodes, where strata's own timers (etcd
 * snapshots, kubeadm certificate renewal: infra/vsphere/control-plane-maintenance.ts) record their
 * runs as `*.prom` files in /var/lib/node_exporter/textfile_collector.
 *
 * The prometheus-node-exporter chart (4.56.1, kube-prometheus-stack's dependency) mounts the host's
 * root at /host/root (`hostRootFsMount.enabled`, default true; templates/daemonset.yaml), so the
 * host folder is read there. `extraArgs` replaces the list kube-prometheus-stack sets, so its two
 * filesystem filters (kube-prometheus-stack values.yaml, `prometheus-node-exporter.extraArgs`) are
 * repeated.
 */
import { TEXTFILE_DIR } from "../../infra/vsphere/control-plane-maintenance";

const STACK_DEFAULT_ARGS = [
  "--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run/containerd/.+|var/lib/docker/.+|var/lib/kubelet/.+)($|/)",
  "--collector.filesystem.fs-types-exclude=^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs|erofs)$",
];

/** `prometheus-node-exporter` values that turn the textfile collector on. */
export function nodeTextfileValues(): { readonly extraArgs: readonly string[] } {
  return { extraArgs: [...STACK_DEFAULT_ARGS, `--collector.textfile.directory=/host/root${TEXTFILE_DIR}`] };
}
