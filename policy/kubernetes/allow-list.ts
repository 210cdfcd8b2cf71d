/**
 * The named exceptions to strata's Kubernetes policies, each with its reason. Node agents need the
 * host: a CNI programs the node's network, a CSI node plugin mounts volumes into kubelet's
 * directories, a layer-2 load-balancer speaker answers ARP on the node's interface. Anything not
 * listed here gets no exception. Add an entry only with the component's upstream reason.
 */

/** A relaxation a system component may need. */
export type Exception = "privileged" | "hostNamespaces" | "hostPath" | "runAsRoot" | "writableRootFilesystem";

export interface WorkloadException {
  readonly namespace: string;
  /** Workload name (Deployment, DaemonSet, ...) in that namespace. */
  readonly workload: string;
  readonly allows: readonly Exception[];
  readonly reason: string;
}

export const WORKLOAD_EXCEPTIONS: readonly WorkloadException[] = [
  {
    namespace: "calico-system",
    workload: "calico-node",
    allows: ["privileged", "hostNamespaces", "hostPath", "runAsRoot", "writableRootFilesystem"],
    reason: "CNI: programs routes, iptables/eBPF and the CNI binaries and config on every node (vSphere backend)",
  },
  {
    namespace: "vmware-system-csi",
    workload: "vsphere-csi-node",
    allows: ["privileged", "hostPath", "runAsRoot", "writableRootFilesystem"],
    reason: "CSI node plugin: attaches and mounts volumes under kubelet's directories with bidirectional mount propagation",
  },
  {
    namespace: "metallb-system",
    workload: "metallb-speaker",
    allows: ["hostNamespaces", "runAsRoot"],
    reason: "layer-2 speaker: answers ARP for service addresses on the node's own interface (host network, NET_RAW)",
  },
  {
    namespace: "local-path-storage",
    workload: "local-path-provisioner",
    allows: ["hostPath", "runAsRoot"],
    reason: "local volumes: its helper pods create and remove volume directories on the node's disk",
  },
];

export interface NamespaceException {
  readonly namespace: string;
  readonly reason: string;
}

/** Namespaces strata owns that carry no default-deny NetworkPolicy, and why. */
export const DEFAULT_DENY_EXCEPTIONS: readonly NamespaceException[] = [
  { namespace: "tigera-operator", reason: "the CNI operator runs on the host network before pod networking (and so NetworkPolicy) exists" },
  { namespace: "metallb-system", reason: "the speaker runs on the host network, where NetworkPolicy does not apply; the controller must reach the API server" },
  { namespace: "vmware-system-csi", reason: "CSI node plugins run on the host network; the controller talks to vCenter on addresses only the operator knows" },
  { namespace: "local-path-storage", reason: "node-local provisioner with no listener; its helper pods are created at runtime by the provisioner" },
];

export function exceptionFor(namespace: string, workload: string, what: Exception): WorkloadException | undefined {
  return WORKLOAD_EXCEPTIONS.find((e) => e.namespace === namespace && e.workload === workload && e.allows.includes(what));
}
