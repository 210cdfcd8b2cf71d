/**
 * Pure pieces the data services of part 2 share: resolved sizes, the backup target handed to
 * an operator, anti-affinity and spread over distinct nodes, and a PodMonitor for metrics.
 */
import type { Placement } from "../lib/contracts";
import { standardLabels } from "../lib/labels";

/** Requests and limits of a container, in Kubernetes units. */
export interface ContainerResources {
  readonly cpuMillis: number;
  readonly memoryMi: number;
  readonly limitCpuMillis: number;
  readonly limitMemoryMi: number;
}

/** `{ requests, limits }` in Kubernetes quantities. */
export function quantities(r: ContainerResources): { requests: { cpu: string; memory: string }; limits: { cpu: string; memory: string } } {
  return { requests: { cpu: `${r.cpuMillis}m`, memory: `${r.memoryMi}Mi` }, limits: { cpu: `${r.limitCpuMillis}m`, memory: `${r.limitMemoryMi}Mi` } };
}

/** Where an operator writes backups: one bucket of the object store, under a per-service prefix. */
export interface BackupTarget {
  /** S3 API URL, `http(s)://host[:port]`. */
  readonly endpoint: string;
  readonly region: string;
  readonly bucket: string;
  /** Folder inside the bucket, e.g. `mysql/orders`. */
  readonly prefix: string;
  readonly forcePathStyle: boolean;
  /**
   * Secret (in the service's namespace) with `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`.
   * @default - none: the writer's service account carries a cloud identity (IRSA on EKS)
   */
  readonly credentialsSecret?: string;
  /** Key of the endpoint's CA certificates in `credentialsSecret`, when it is not publicly trusted. @default - publicly trusted */
  readonly caBundleKey?: string;
}

/** Schedule and retention of an operator's backups. */
export interface BackupPlan {
  /** Cron, UTC. */
  readonly schedule: string;
  /** Backups kept (one a day: the retention in days). */
  readonly keep: number;
}

/** Kubernetes' well-known node label: one pod of a set per node. */
export const HOSTNAME_KEY = "kubernetes.io/hostname";

/** Required anti-affinity: no two pods matching `matchLabels` on one node. */
export function requiredAntiAffinity(matchLabels: Readonly<Record<string, string>>) {
  return {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { ...matchLabels } }, topologyKey: HOSTNAME_KEY }],
    },
  };
}

/** nodeSelector and tolerations as plain mutable objects for a custom resource. */
export function placementFields(placement: Placement): { nodeSelector: Record<string, string>; tolerations: Record<string, string>[] } {
  return {
    nodeSelector: { ...placement.nodeSelector },
    tolerations: placement.tolerations.map((t) => ({ ...t })),
  };
}

/** A PodMonitor for pods matching `matchLabels` in `namespace`, scraping the named port. */
export function podMonitor(name: string, namespace: string, matchLabels: Readonly<Record<string, string>>, port: string, path = "/metrics") {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PodMonitor",
    metadata: { name, namespace, labels: standardLabels({ name, component: "metrics" }) },
    spec: {
      selector: { matchLabels: { ...matchLabels } },
      namespaceSelector: { matchNames: [namespace] },
      podMetricsEndpoints: [{ port, path, interval: "30s" }],
    },
  };
}

/** A policy/v1 PodDisruptionBudget allowing one pod of the set down at a time. */
export function disruptionBudget(name: string, namespace: string, matchLabels: Readonly<Record<string, string>>) {
  return {
    metadata: { name, namespace, labels: standardLabels({ name, component: "disruption-budget" }) },
    spec: { maxUnavailable: 1, selector: { matchLabels: { ...matchLabels } } },
  };
}

/** `host:port` of an S3 URL, and whether it is TLS (what S3-compatible clients such as PBM's minio type take). */
export function splitEndpoint(url: string): { hostPort: string; secure: boolean } {
  const match = /^(https?):\/\/([^/]+)\/?$/.exec(url);
  if (match === null) throw new Error(`object store endpoint "${url}" is not an http(s)://host[:port] URL`);
  return { hostPort: match[2] ?? "", secure: match[1] === "https" };
}

/**
 * Plain (non-secret) Secret entries for `data`, base64-encoded. Kept apart from `stringData`,
 * which holds only the secret entries: a secret value anywhere in `stringData` makes the whole
 * property secret, and its plain neighbours (host names, user names) would count as secrets too.
 */
export function plainSecretData(entries: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).map(([key, value]) => [key, Buffer.from(value, "utf8").toString("base64")]));
}
