/**
 * Proves each connection over the whole plan:
 * - route: the destination exists (a Service with that port leading to pods the plan or a
 *   component declares, pods with that named port, an external name, the API server);
 * - egress: the source's NetworkPolicies let it out to the destination;
 * - ingress: the destination's NetworkPolicies let it in (both ends, tools/netpol);
 * - mesh: where the destination is in the ambient mesh, its STRICT mTLS and AuthorizationPolicies
 *   admit the source (./mesh.ts);
 * - secrets: every Secret the client reads exists in the client's namespace with its keys;
 * - identity: on EKS, the client's IAM role allows its real call sequence (./aws.ts).
 * The API server is checked at both places it answers: its Service address (443) and the
 * control plane; and it calls webhooks from the control plane.
 */
import type { Endpoint, Labels } from "../netpol/evaluate";
import { evaluate } from "../netpol/evaluate";
import { checkAwsIdentity } from "./aws";
import { formatLabels, type Need } from "./derive";
import { HBONE_PORT } from "../../lib/mesh";
import { meshVerdict, portsOnTheWire, waypointOf, type MeshSource } from "./mesh";
import { podEndpoint, type Pods, type World } from "./world";

export type CheckName = "route" | "egress" | "ingress" | "mesh" | "secrets" | "identity";
export const CHECKS: readonly CheckName[] = ["route", "egress", "ingress", "mesh", "secrets", "identity"];

/** One check's verdict: passed, not applicable, or failed with the missing piece. */
export type Verdict = { readonly ok: true; readonly note?: string } | { readonly ok: false; readonly missing: string } | { readonly na: true };

export interface ConnectionResult {
  readonly source: string;
  readonly destination: string;
  readonly purpose: string;
  readonly origin: string;
  readonly checks: Readonly<Record<CheckName, Verdict>>;
}

const OK: Verdict = { ok: true };
const NA: Verdict = { na: true };
const fail = (missing: string): Verdict => ({ ok: false, missing });
export const failed = (v: Verdict): v is { ok: false; missing: string } => "ok" in v && !v.ok;

/** A resolved destination: where the packets land and on which port. */
interface Landing {
  readonly endpoint: Endpoint;
  readonly port: number;
  readonly label: string;
}

function describeSource(need: Need): string {
  if (need.from.kind === "api-server") return "api-server";
  return need.from.workload ?? `${need.from.namespace}/{${formatLabels(need.from.labels)}}`;
}

function describeDestination(need: Need): string {
  const to = need.to;
  switch (to.kind) {
    case "service":
      return `${to.namespace}/${to.name}:${to.port}`;
    case "pods":
      return `${to.namespace}/{${formatLabels(to.selector)}}:${to.port}`;
    case "external":
      return to.address === undefined ? `${to.name}:${to.port} (outside)` : `${to.name} ${to.address}:${to.port} (outside)`;
    case "api-server":
      return "api-server";
    case "mounted":
      return `(${to.description})`;
  }
}

function podsSelectedBy(world: World, namespace: string, selector: Labels): Pods[] {
  const entries = Object.entries(selector);
  if (entries.length === 0) return [];
  return world.pods.filter((p) => p.namespace === namespace && entries.every(([k, v]) => p.labels[k] === v));
}

/** Where a destination leads, or the missing piece. */
function land(world: World, need: Need, index: number): { landings: Landing[] } | { missing: string } {
  const to = need.to;
  switch (to.kind) {
    case "api-server":
      return {
        landings: [
          { endpoint: { kind: "address", ip: world.apiServer.serviceAddress }, port: 443, label: "API server Service" },
          { endpoint: { kind: "address", ip: world.apiServer.controlPlaneAddress }, port: world.apiServer.controlPlanePort, label: "control plane" },
        ],
      };
    case "external":
      return { landings: [{ endpoint: { kind: "address", ip: to.address ?? world.outside }, port: to.port, label: to.address === undefined ? to.name : `${to.name} (${to.address})` }] };
    case "mounted":
      return { landings: [] };
    case "pods": {
      const landings = to.namespace
        .split(",")
        .flatMap((namespace) => podsSelectedBy(world, namespace, to.selector))
        .flatMap((pods): Landing[] => {
          const port = pods.containerPorts[to.port] ?? (/^\d+$/.test(to.port) ? Number(to.port) : undefined);
          return port === undefined ? [] : [{ endpoint: podEndpoint(world, pods, index), port, label: pods.id }];
        });
      if (landings.length === 0) return { missing: `no ${to.description} with a container port "${to.port}" in the plan or among the declared workloads` };
      return { landings };
    }
    case "service": {
      const service = world.services.find((s) => s.namespace === to.namespace && s.name === to.name);
      if (service === undefined) return { missing: `no Service ${to.namespace}/${to.name} in the plan or among the declared workloads` };
      const port = service.ports.find((p) => (typeof to.port === "number" ? p.port === to.port : p.name === to.port));
      if (port === undefined) return { missing: `Service ${to.namespace}/${to.name} has no port ${JSON.stringify(to.port)} (it has ${service.ports.map((p) => (p.name === undefined ? p.port : `${p.name}=${p.port}`)).join(", ") || "none"})` };
      const pods = service.workload !== undefined ? world.pods.filter((p) => p.id === service.workload) : service.selector === undefined ? [] : podsSelectedBy(world, service.namespace, service.selector);
      if (pods.length === 0) {
        return { missing: `Service ${to.namespace}/${to.name} selects no pods the plan or a component declares (selector ${formatLabels(service.selector ?? {}) || "none"})` };
      }
      const landings = pods.flatMap((p): Landing[] => {
        const target = port.targetPort ?? port.port;
        const number = typeof target === "number" ? target : p.containerPorts[target];
        return number === undefined ? [] : [{ endpoint: podEndpoint(world, p, index), port: number, label: p.id }];
      });
      if (landings.length === 0) return { missing: `Service ${to.namespace}/${to.name} targets container port "${String(port.targetPort)}", which its pods do not name` };
      // A Service labelled for a waypoint: meshed callers' calls reach the waypoint's pods first, on HBONE (./mesh.ts).
      const waypoint = need.direct === true ? undefined : waypointOf(world, service);
      if (waypoint === undefined) return { landings };
      if ("missing" in waypoint) return waypoint;
      return { landings: [...landings, ...waypoint.pods.map((p): Landing => ({ endpoint: podEndpoint(world, p, index), port: HBONE_PORT, label: `${p.id} (waypoint of ${service.name})` }))] };
    }
  }
}

/**
 * The source pods as the plan has them (every label, so each policy that selects them counts):
 * the declared workload, else every pod group in the namespace carrying the given labels.
 */
function sourceEndpoints(world: World, need: Need, index: number): { endpoints: MeshSource[] } | { missing: string } {
  const from = need.from;
  if (from.kind === "api-server") return { endpoints: [{ endpoint: { kind: "address", ip: world.apiServer.controlPlaneAddress } }] };
  const pods = from.workload !== undefined ? world.pods.filter((p) => p.id === from.workload) : podsCarrying(world, from.namespace, from.labels);
  if (pods.length === 0) return { missing: `no pods labelled ${formatLabels(from.labels)} in ${from.namespace} (the source) in the plan or among the declared workloads` };
  return { endpoints: pods.map((p, i) => ({ endpoint: podEndpoint(world, p, index * 10 + i + 10_000), ...(p.serviceAccount === undefined ? {} : { serviceAccount: p.serviceAccount }) })) };
}

function podsCarrying(world: World, namespace: string, labels: Labels): Pods[] {
  return world.pods.filter((p) => p.namespace === namespace && Object.entries(labels).every(([k, v]) => p.labels[k] === v));
}

function policyVerdicts(world: World, need: Need, from: Endpoint, landings: readonly Landing[]): { egress: Verdict; ingress: Verdict } {
  let egress: Verdict = OK;
  let ingress: Verdict = OK;
  for (const landing of landings) {
    // Between two meshed pods the packets travel to HBONE 15008 (./mesh.ts); both ports must pass.
    for (const wire of portsOnTheWire(from, landing.endpoint, landing.port, need.protocol)) {
      const why = wire.hbone ? " (HBONE: both ends are in the ambient mesh)" : "";
      const verdict = evaluate(world.policies, { from, to: landing.endpoint, port: wire.port, protocol: need.protocol });
      if (!verdict.egress.allowed && !failed(egress)) {
        egress = fail(`no NetworkPolicy of ${from.kind === "pod" ? from.namespace : "the source"} lets ${describeSource(need)} out to ${landing.label} on ${wire.port}/${need.protocol}${why} (isolated by ${verdict.egress.selectedBy.join(", ")})`);
      }
      if (!verdict.ingress.allowed && !failed(ingress)) {
        const where = landing.endpoint.kind === "pod" ? landing.endpoint.namespace : "the destination";
        ingress = fail(`no NetworkPolicy of ${where} admits ${describeSource(need)} to ${landing.label} on ${wire.port}/${need.protocol}${why} (isolated by ${verdict.ingress.selectedBy.join(", ")})`);
      }
    }
  }
  if (from.kind !== "pod") egress = NA;
  if (landings.every((l) => l.endpoint.kind !== "pod")) ingress = NA;
  return { egress, ingress };
}

function secretsVerdict(world: World, need: Need): Verdict {
  if (need.secrets.length === 0) return NA;
  if (need.from.kind !== "pods") return NA;
  const namespace = need.from.namespace;
  const outside: string[] = [];
  for (const wanted of need.secrets) {
    const found = world.secrets.filter((s) => s.namespace === namespace && s.name === wanted.name);
    if (found.length === 0 && wanted.madeOutsideStrata !== undefined) {
      outside.push(`Secret ${namespace}/${wanted.name} is made outside strata (${wanted.madeOutsideStrata}): not checked`);
      continue;
    }
    if (found.length === 0) return fail(`Secret ${wanted.name} is not in the client's namespace ${namespace}`);
    const opaque = found.find((s) => s.keys === "opaque");
    if (opaque !== undefined) return fail(`the keys of Secret ${namespace}/${wanted.name} are not readable in the plan (${opaque.origin} shows its data only as one secret value)`);
    const keys = new Set(found.flatMap((s) => (s.keys === "opaque" ? [] : s.keys)));
    const absent = wanted.keys.filter((k) => !keys.has(k));
    if (absent.length > 0) return fail(`Secret ${namespace}/${wanted.name} lacks key(s) ${absent.join(", ")}`);
  }
  return outside.length === 0 ? OK : { ok: true, note: outside.join("; ") };
}

/** The mesh's verdict over every source pod group and landing: the first refusal, else the first admission; NA where no destination is meshed. */
function meshVerdicts(world: World, need: Need, sources: readonly MeshSource[], landings: readonly Landing[]): Verdict {
  let admitted: Verdict = NA;
  for (const source of sources) {
    for (const landing of landings) {
      const verdict = meshVerdict(world, source, landing.endpoint, landing.port, need.protocol, { source: describeSource(need), destination: landing.label });
      if (verdict === undefined) continue;
      if (!verdict.ok) return fail(verdict.missing);
      if ("na" in admitted) admitted = verdict;
    }
  }
  return admitted;
}

/** The first failure of each direction over every source pod group. */
function merge(verdicts: readonly { egress: Verdict; ingress: Verdict }[]): { egress: Verdict; ingress: Verdict } {
  const first = (direction: "egress" | "ingress") => verdicts.map((v) => v[direction]).find(failed) ?? verdicts[0]?.[direction] ?? NA;
  return { egress: first("egress"), ingress: first("ingress") };
}

/** Every connection's verdicts, in the order the needs come. */
export async function checkConnections(world: World, needs: readonly Need[], plan: Parameters<typeof checkAwsIdentity>[0]): Promise<ConnectionResult[]> {
  const results: ConnectionResult[] = [];
  for (const [index, need] of needs.entries()) {
    const landed = land(world, need, index);
    const sources = sourceEndpoints(world, need, index);
    const missing = need.blocked ?? ("missing" in sources ? sources.missing : "missing" in landed ? landed.missing : undefined);
    const route: Verdict = missing !== undefined ? fail(missing) : OK;
    const mounted = need.to.kind === "mounted";
    const policy = mounted || "missing" in landed || "missing" in sources ? { egress: NA, ingress: NA } : merge(sources.endpoints.map((from) => policyVerdicts(world, need, from.endpoint, landed.landings)));
    const mesh = mounted || "missing" in landed || "missing" in sources ? NA : meshVerdicts(world, need, sources.endpoints, landed.landings);
    const identity: Verdict = need.aws === undefined ? NA : await checkAwsIdentity(plan, need.aws);
    results.push({
      source: describeSource(need),
      destination: describeDestination(need),
      purpose: need.purpose,
      origin: need.origin,
      checks: { route, egress: policy.egress, ingress: policy.ingress, mesh, secrets: secretsVerdict(world, need), identity },
    });
  }
  return results;
}
