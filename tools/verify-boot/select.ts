/** Which rendered nodes to boot: the ones named, or one per distinct document shape. */
import { parse } from "yaml";

/** What a node does on first boot, from the scripts its `runcmd` calls. */
export function roleOf(userData: string): string {
  const doc = parse(userData) as { runcmd?: unknown[] } | null;
  const commands = (doc?.runcmd ?? []).map((entry) => (Array.isArray(entry) ? entry.join(" ") : String(entry))).join(" ");
  const scripts = [...commands.matchAll(/[\w./-]*\/([\w-]+)\.sh\b/g)].map((m) => m[1] ?? "");
  return scripts.filter((name) => name !== "strata-node-prep").sort().join("+") || "none";
}

/** Pool of a VM: its name without the trailing index (`emis-prod-workers-3` → `emis-prod-workers`). */
export function poolOf(vm: string): string {
  return vm.replace(/-\d+$/, "");
}

/** The node's strata role label (`node.strata.io/role=…` in its kubeadm configuration), if it has one. */
export function labelledRoleOf(userData: string): string | undefined {
  return /node\.strata\.io\/role=([\w.-]+)/.exec(userData)?.[1];
}

/**
 * One node per document shape: what it is (its strata role label, else its pool), what it runs on
 * first boot, and how many data disks it has. So: the first control plane and a joining one, one
 * worker, one storage node, one database node whatever the database, one load balancer. Nodes are
 * taken in natural name order.
 */
export function onePerShape(nodes: readonly { readonly name: string; readonly userData: string; readonly dataDisks: number }[]): string[] {
  const seen = new Set<string>();
  const chosen: string[] = [];
  for (const node of [...nodes].sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }))) {
    const key = `${labelledRoleOf(node.userData) ?? poolOf(node.name)}|${roleOf(node.userData)}|${node.dataDisks}`;
    if (seen.has(key)) continue;
    seen.add(key);
    chosen.push(node.name);
  }
  return chosen;
}
