/**
 * The readiness gate's second half: every Kubernetes node strata declared must be registered and
 * Ready before an `up` reports success. Pure functions; `readiness.ts` feeds them the API's node
 * list. A node whose only problem is the missing pod network counts as up: the CNI is installed by
 * the cluster layer, after this gate, so on the first `up` no node can be Ready yet.
 */

export interface NodeCondition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

/** The part of a `v1.Node` the gate reads. */
export interface NodeItem {
  readonly metadata: { readonly name: string };
  readonly status?: { readonly conditions?: readonly NodeCondition[] };
}

/** The kubelet's wording while no CNI is configured (kubelet `runtime network not ready`). */
export const NO_POD_NETWORK = /NetworkPluginNotReady|cni plugin not initialized|network plugin is not ready/i;

/** Declared nodes that are not up, each with why (`name (not registered)`, `name (Ready=False: …)`), in declared order. */
export function nodesNotUp(declared: readonly string[], items: readonly NodeItem[]): string[] {
  const byName = new Map(items.map((item) => [item.metadata.name, item] as const));
  return declared.flatMap((name) => {
    const node = byName.get(name);
    if (node === undefined) return [`${name} (not registered)`];
    const ready = node.status?.conditions?.find((c) => c.type === "Ready");
    if (ready === undefined) return [`${name} (no Ready condition yet)`];
    if (ready.status === "True") return [];
    if (ready.status === "False" && NO_POD_NETWORK.test(ready.message ?? "")) return [];
    return [`${name} (Ready=${ready.status}${ready.reason === undefined ? "" : `: ${ready.reason}`})`];
  });
}

/** Lists the cluster's nodes, or says why it could not. */
export type NodeLister = () => Promise<readonly NodeItem[] | string>;

/**
 * Polls the node list until every declared node is up, or throws after `timeoutSeconds` naming
 * the missing nodes. Self-contained: dynamic providers are serialised as closures.
 */
export async function pollUntilNodesUp(
  declared: readonly string[],
  timeoutSeconds: number,
  list: NodeLister,
  pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => number = Date.now,
): Promise<void> {
  const deadline = now() + timeoutSeconds * 1000;
  for (;;) {
    const items = await list();
    const missing = typeof items === "string" ? [`node list unavailable: ${items}`] : nodesNotUp(declared, items);
    if (missing.length === 0) return;
    if (now() >= deadline) {
      throw new Error(
        `${missing.length} of ${declared.length} declared nodes were not up after ${timeoutSeconds}s: ${missing.join(", ")}; ` +
          "check those VMs' consoles and /var/log/cloud-init-output.log (kubeadm join), then run `pulumi up` again",
      );
    }
    await pause(10_000);
  }
}

/** The part of a `v1.Pod` the gate reads (kube-system static pods' mirrors). */
export interface PodItem {
  readonly metadata: { readonly name: string };
  readonly status?: { readonly phase?: string; readonly conditions?: readonly NodeCondition[] };
}

/** Lists kube-system pods, or says why it could not. */
export type PodLister = () => Promise<readonly PodItem[] | string>;

/** Declared pods that are not Ready, each with why, in declared order. */
export function podsNotReady(declared: readonly string[], items: readonly PodItem[]): string[] {
  const byName = new Map(items.map((item) => [item.metadata.name, item] as const));
  return declared.flatMap((name) => {
    const pod = byName.get(name);
    if (pod === undefined) return [`${name} (no pod yet)`];
    const ready = pod.status?.conditions?.find((c) => c.type === "Ready");
    return ready?.status === "True" ? [] : [`${name} (${pod.status?.phase ?? "no status"}, Ready=${ready?.status ?? "unknown"})`];
  });
}

/**
 * Polls kube-system until every declared pod is Ready, or throws after `timeoutSeconds` naming the
 * others. Used for a control plane's `kube-apiserver-<node>`: kubeadm's readiness probe on it is
 * the node's own `/readyz`, which includes its local etcd member.
 */
export async function pollUntilPodsReady(
  declared: readonly string[],
  timeoutSeconds: number,
  list: PodLister,
  pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => number = Date.now,
): Promise<void> {
  const deadline = now() + timeoutSeconds * 1000;
  for (;;) {
    const items = await list();
    const missing = typeof items === "string" ? [`pod list unavailable: ${items}`] : podsNotReady(declared, items);
    if (missing.length === 0) return;
    if (now() >= deadline) {
      throw new Error(
        `${missing.length} of ${declared.length} control-plane pods were not Ready after ${timeoutSeconds}s: ${missing.join(", ")}; ` +
          "on that node check `crictl ps -a`, `journalctl -u kubelet` and /var/log/cloud-init-output.log (kubeadm join), then run `pulumi up` again",
      );
    }
    await pause(10_000);
  }
}
