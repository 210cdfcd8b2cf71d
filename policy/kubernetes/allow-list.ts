/**
 * The named exceptions to strata's Kubernetes policies, each with its reason. Node agents need the
 * host: a CNI programs the node's network, a CSI node plugin mounts volumes into kubelet's
 * directories, a layer-2 load-balancer speaker answers ARP on the node's interface. Anything not
 * listed here gets no exception. Add an entry only with the component's upstream reason.
 */

/** A relaxation a system component may need. */
export type Exception = "privileged" | "hostNamespaces" | "hostPorts" | "hostPath" | "runAsRoot" | "writableRootFilesystem" | "addedCapabilities" | "unconfinedSeccomp";

/**
 * Capabilities any container may add after dropping ALL. `NET_BIND_SERVICE` lets a non-root
 * process listen below port 1024 and grants nothing else (capabilities(7)); everything else is a
 * per-workload exception.
 */
export const ALLOWED_ADDED_CAPABILITIES: readonly string[] = ["NET_BIND_SERVICE"];

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
    allows: ["privileged", "hostNamespaces", "hostPorts", "hostPath", "runAsRoot", "writableRootFilesystem"],
    reason: "CNI: programs routes, iptables/eBPF and the CNI binaries and config on every node (vSphere backend); on the host network every container port is a host port",
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
    allows: ["hostNamespaces", "hostPorts", "runAsRoot"],
    reason: "layer-2 speaker: answers ARP for service addresses on the node's own interface (host network, so its memberlist and metrics ports are host ports; NET_RAW)",
  },
  {
    namespace: "local-path-storage",
    workload: "local-path-provisioner",
    allows: ["hostPath", "runAsRoot"],
    reason: "local volumes: its helper pods create and remove volume directories on the node's disk",
  },
  {
    namespace: "etcd-backup",
    workload: "etcd-snapshot-upload",
    allows: ["hostPath", "runAsRoot"],
    reason:
      "copies the control planes' etcd snapshots off the node: reads /var/lib/strata/etcd-snapshots read-only, whose files are root's alone (0600: a snapshot holds every Secret), so it runs as uid 0 with every capability dropped and a read-only root filesystem",
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

/**
 * A chart pod component whose requests and limits strata leaves (wholly or partly) to the chart.
 * `chartDefault` is the chart's values.yaml at `path` for the pinned version, exactly (a test
 * compares it with the chart reference data), so a chart upgrade that changes it is noticed;
 * undefined when the chart is not in the reference data.
 */
export interface ChartDefaultException {
  readonly chart: string;
  readonly component: string;
  readonly path: string;
  readonly chartDefault: Readonly<Record<string, unknown>> | undefined;
  readonly reason: string;
}

const UNSIZED_CONTROLLER = "chart default sets no requests or limits; a single controller with a small, steady footprint that strata has not measured yet. Size it in its component, then remove this entry";

export const CHART_DEFAULT_EXCEPTIONS: readonly ChartDefaultException[] = [
  { chart: "gateway-helm", component: "envoy-gateway", path: "deployment.envoyGateway.resources", chartDefault: { limits: { memory: "1024Mi" }, requests: { cpu: "100m", memory: "256Mi" } }, reason: "chart default sets CPU and memory requests and a memory limit" },
  { chart: "keda", component: "operator", path: "resources.operator", chartDefault: { limits: { cpu: 1, memory: "1000Mi" }, requests: { cpu: "100m", memory: "100Mi" } }, reason: "chart default sets CPU and memory requests and limits" },
  { chart: "keda", component: "metrics-server", path: "resources.metricServer", chartDefault: { limits: { cpu: 1, memory: "1000Mi" }, requests: { cpu: "100m", memory: "100Mi" } }, reason: "chart default sets CPU and memory requests and limits" },
  { chart: "keda", component: "webhooks", path: "resources.webhooks", chartDefault: { limits: { cpu: 1, memory: "1000Mi" }, requests: { cpu: "100m", memory: "100Mi" } }, reason: "chart default sets CPU and memory requests and limits" },
  { chart: "strimzi-kafka-operator", component: "operator", path: "resources", chartDefault: { limits: { memory: "384Mi", cpu: "1000m" }, requests: { memory: "384Mi", cpu: "200m" } }, reason: "chart default sets CPU and memory requests and limits" },
  { chart: "metrics-server", component: "metrics-server", path: "resources", chartDefault: { requests: { cpu: "100m", memory: "200Mi" } }, reason: "chart default sets CPU and memory requests but no memory limit; the memory limit is unmeasured. Set it in cluster/metrics-server, then remove this entry" },
  { chart: "vsphere-cpi", component: "cloud-controller-manager", path: "daemonset.resources", chartDefault: {}, reason: "strata sets the requests (cluster/vsphere-cpi) but no memory limit, which is unmeasured; it runs on control-plane nodes only. Set it there, then remove this entry" },
  { chart: "tigera-operator", component: "operator", path: "resources", chartDefault: {}, reason: UNSIZED_CONTROLLER },
  { chart: "metallb", component: "controller", path: "controller.resources", chartDefault: {}, reason: UNSIZED_CONTROLLER },
  { chart: "metallb", component: "speaker", path: "speaker.resources", chartDefault: {}, reason: "chart default sets no requests or limits; one speaker per node answering ARP, unmeasured. Size it in cluster/metallb, then remove this entry" },
  { chart: "cert-manager", component: "controller", path: "resources", chartDefault: {}, reason: UNSIZED_CONTROLLER },
  { chart: "cert-manager", component: "webhook", path: "webhook.resources", chartDefault: {}, reason: UNSIZED_CONTROLLER },
  { chart: "cert-manager", component: "cainjector", path: "cainjector.resources", chartDefault: {}, reason: UNSIZED_CONTROLLER },
  { chart: "aws-load-balancer-controller", component: "controller", path: "resources", chartDefault: {}, reason: UNSIZED_CONTROLLER },
  { chart: "local-path-provisioner", component: "provisioner", path: "resources", chartDefault: {}, reason: UNSIZED_CONTROLLER },
  { chart: "kubelet-csr-approver", component: "approver", path: "resources", chartDefault: undefined, reason: "chart not in the reference data (tests/cluster/values.test.ts checks its keys at v1.2.14); " + UNSIZED_CONTROLLER },
  { chart: "kube-prometheus-stack", component: "kube-state-metrics", path: "kube-state-metrics.resources", chartDefault: undefined, reason: "subchart whose values are not in the reference data; its footprint grows with the number of objects, unmeasured. Size it in platform/observability, then remove this entry" },
  { chart: "kube-prometheus-stack", component: "node-exporter", path: "prometheus-node-exporter.resources", chartDefault: undefined, reason: "subchart whose values are not in the reference data; one exporter per node, unmeasured. Size it in platform/observability, then remove this entry" },
];

export function chartDefaultExceptionFor(chart: string, component: string): ChartDefaultException | undefined {
  return CHART_DEFAULT_EXCEPTIONS.find((e) => e.chart === chart && e.component === component);
}
