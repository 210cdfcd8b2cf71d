/**
 * Pure: the Velero pods the velero chart (12.1.0) renders for strata's values, as the connection
 * check sees them (lib/connections.ts), and their path to an in-cluster object store. From
 * vmware-tanzu/helm-charts velero-12.1.0:
 * - server: pod labels `name: velero` and `app.kubernetes.io/{name, instance}`, container port
 *   `http-monitoring` 8085 with metrics on (templates/deployment.yaml); Service `<fullname>` with
 *   `http-monitoring` (templates/service.yaml);
 * - node agent: pod labels `name: node-agent`, `role: node-agent` and the same
 *   `app.kubernetes.io/{name, instance}` (templates/node-agent-daemonset.yaml); it mounts the
 *   same credentials Secret and uploads volume data itself (kopia).
 * Both read the S3 keys from the credentials Secret (`credential.key` of the
 * BackupStorageLocation, the `cloud` file).
 */
import { type ConnectionDeclaration, type ConnectionTarget, fromWorkload, serviceOfHost, type WorkloadDeclaration } from "../../lib/connections";
import { CREDENTIALS_FILE_KEY } from "./values";

const METRICS_PORT = 8085;

/** `velero.name` and the release: both `velero` for strata's release. */
export function veleroLabels(release = "velero"): Record<string, string> {
  return { "app.kubernetes.io/name": "velero", "app.kubernetes.io/instance": release };
}

export interface VeleroWorkloads {
  readonly server: WorkloadDeclaration;
  readonly nodeAgent?: WorkloadDeclaration;
}

export function veleroWorkloads(namespace: string, options: { readonly nodeAgent: boolean; readonly metrics: boolean }): VeleroWorkloads {
  const ports: Record<string, number> = options.metrics ? { "http-monitoring": METRICS_PORT } : {};
  return {
    server: { id: `${namespace}/velero`, pods: { namespace, labels: { name: "velero", ...veleroLabels() } }, containerPorts: ports, services: options.metrics ? [{ name: "velero", ports, labels: veleroLabels() }] : [] },
    ...(options.nodeAgent ? { nodeAgent: { id: `${namespace}/node-agent`, pods: { namespace, labels: { name: "node-agent", role: "node-agent", ...veleroLabels() } }, containerPorts: ports } } : {}),
  };
}

/** The in-cluster Service behind an S3 URL such as `http://seaweedfs-s3.data.svc:8333`, or undefined outside the cluster. */
export function storeService(url: string): { readonly namespace: string; readonly name: string; readonly port: number } | undefined {
  const parsed = new URL(url);
  const service = serviceOfHost(parsed.hostname);
  if (service === undefined) return undefined;
  return { ...service, port: parsed.port === "" ? (parsed.protocol === "https:" ? 443 : 80) : Number(parsed.port) };
}

/** Each Velero workload → the store (its in-cluster S3 Service, or the external target), reading the keys from `credentialsSecret`. */
export function veleroStoreConnections(workloads: VeleroWorkloads, store: ConnectionTarget, credentialsSecret: string): ConnectionDeclaration[] {
  return [workloads.server, ...(workloads.nodeAgent === undefined ? [] : [workloads.nodeAgent])].map((w) => ({
    purpose: w === workloads.server ? "backups to the object store" : "volume data to the object store (kopia)",
    from: fromWorkload(w),
    to: store,
    secrets: [{ name: credentialsSecret, keys: [CREDENTIALS_FILE_KEY] }],
  }));
}

/**
 * Each Velero workload → the API server. The server reads the objects it backs up and runs the
 * pre-backup hooks as `pods/exec` through it (velero `internal/hook/item_hook_handler.go`); the
 * node agents watch their PodVolumeBackups there and find each pod's volume under the kubelet's
 * pod directory on their own node (a hostPath, no network path to the pod).
 */
export function veleroApiServerConnections(workloads: VeleroWorkloads): ConnectionDeclaration[] {
  return [
    { purpose: "Velero server: backed-up objects and pre-backup hooks (pods/exec)", from: fromWorkload(workloads.server), to: { kind: "api-server" } },
    ...(workloads.nodeAgent === undefined ? [] : [{ purpose: "Velero node agents: PodVolumeBackups to run", from: fromWorkload(workloads.nodeAgent), to: { kind: "api-server" } } as const]),
  ];
}
