/**
 * Deployment order as `pulumi up` would walk it: a resource waits for its dependencies and its
 * provider. Components are grouping only; a dependency on one means a dependency on everything
 * under it. Levels group what can be created in parallel; the longest chain is the critical path.
 */
import type { PlannedResource } from "./plan-document";

export interface DeploymentOrder {
  /** URNs of provider-managed resources by level (level 0 waits for nothing). */
  readonly levels: readonly (readonly string[])[];
  /** The longest dependency chain, first to last. */
  readonly criticalPath: readonly string[];
}

function providerUrn(reference: string): string {
  const at = reference.lastIndexOf("::");
  return at > 0 ? reference.slice(0, at) : reference;
}

/** For each provider-managed resource, the provider-managed resources it waits for. */
export function waitsFor(resources: readonly PlannedResource[]): Map<string, string[]> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const children = new Map<string, string[]>();
  for (const r of resources) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r.urn]);

  const customUnder = (urn: string, seen = new Set<string>()): string[] => {
    if (seen.has(urn)) return [];
    seen.add(urn);
    const resource = byUrn.get(urn);
    if (resource === undefined) return [];
    if (resource.custom) return [urn];
    return (children.get(urn) ?? []).flatMap((child) => customUnder(child, seen));
  };

  const result = new Map<string, string[]>();
  for (const r of resources.filter((r) => r.custom)) {
    const direct = [...r.dependencies, ...(r.provider ? [providerUrn(r.provider)] : [])];
    result.set(r.urn, [...new Set(direct.flatMap((urn) => customUnder(urn)))].filter((urn) => urn !== r.urn));
  }
  return result;
}

export function deploymentOrder(resources: readonly PlannedResource[]): DeploymentOrder {
  const custom = resources.filter((r) => r.custom);
  const waits = waitsFor(resources);

  const level = new Map<string, number>();
  const previous = new Map<string, string | undefined>();
  const visit = (urn: string, stack: Set<string>): number => {
    const known = level.get(urn);
    if (known !== undefined) return known;
    if (stack.has(urn)) throw new Error(`dependency cycle through ${urn}`);
    stack.add(urn);
    let best = -1;
    let via: string | undefined;
    for (const dep of waits.get(urn) ?? []) {
      const depLevel = visit(dep, stack);
      if (depLevel > best) [best, via] = [depLevel, dep];
    }
    stack.delete(urn);
    level.set(urn, best + 1);
    previous.set(urn, via);
    return best + 1;
  };
  custom.forEach((r) => visit(r.urn, new Set()));

  const levels: string[][] = [];
  for (const r of custom) {
    const l = level.get(r.urn) ?? 0;
    (levels[l] ??= []).push(r.urn);
  }
  let tail = custom.reduce<string | undefined>((best, r) => (best === undefined || (level.get(r.urn) ?? 0) > (level.get(best) ?? 0) ? r.urn : best), undefined);
  const criticalPath: string[] = [];
  while (tail !== undefined) {
    criticalPath.unshift(tail);
    tail = previous.get(tail);
  }
  return { levels, criticalPath };
}
