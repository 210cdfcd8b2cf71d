/**
 * A NetworkPolicy evaluator: given rendered `networking.k8s.io/v1` NetworkPolicy objects, may a
 * connection from one endpoint to another on a port be opened? It implements the Kubernetes
 * semantics (https://kubernetes.io/docs/concepts/services-networking/network-policies/), rule by
 * rule; each rule below is quoted or paraphrased where it is applied:
 *
 * - R1 Isolation: a pod is isolated for ingress (egress) when at least one policy in its own
 *   namespace selects it (`spec.podSelector`) and lists `Ingress` (`Egress`) in `policyTypes`.
 *   A non-isolated direction allows everything.
 * - R2 Default `policyTypes`: when absent, `Ingress` always, plus `Egress` when the policy has an
 *   `egress` section.
 * - R3 Additive: policies never conflict; an isolated direction allows the union of the rules
 *   of every policy that selects the pod for that direction.
 * - R4 Both ends: a pod-to-pod connection needs the source's egress AND the destination's
 *   ingress to allow it. Endpoints that are not pods (node, host-network pod, external address)
 *   have no policies, so only the pod side is checked.
 * - R5 Empty vs absent: a rule whose `from`/`to` is empty or absent matches every peer; whose
 *   `ports` is empty or absent matches every port. A policy with `ingress: []` (or none at all
 *   with `Ingress` in `policyTypes`) allows nothing.
 * - R6 Peers: `podSelector` alone selects pods of the policy's namespace; `namespaceSelector`
 *   alone selects every pod of the matching namespaces; both in one peer element select the
 *   matching pods in the matching namespaces (AND); separate elements are OR. `ipBlock` matches
 *   addresses in `cidr` and in none of `except`. Empty selectors (`{}`) match everything.
 * - R7 Selectors: `matchLabels` and `matchExpressions` (`In`, `NotIn`, `Exists`, `DoesNotExist`)
 *   are ANDed; `NotIn` and `DoesNotExist` match when the key is absent.
 * - R8 Ports: `protocol` defaults to TCP; `port` absent matches every port of the protocol;
 *   `endPort` makes `port..endPort` an inclusive range; a named port matches when the
 *   destination pod declares a container port of that name, number and protocol (named ports
 *   never match a non-pod destination).
 * - R9 Namespaces always carry the immutable `kubernetes.io/metadata.name` label.
 * - R10 Traffic to or from a pod's own node is always allowed ("pods cannot block access from
 *   their resident node"); callers model that by not asking about it.
 *
 * Whether `ipBlock` also matches pod addresses is implementation-defined; Calico and the VPC CNI
 * agent match them, and so does this evaluator when the pod endpoint has an `ip`. Service
 * addresses are evaluated as given: kube-proxy translates a ClusterIP to a pod or node address
 * before most CNIs evaluate policy, so ask about the translated address as well.
 */
import { cidrContains } from "../../lib/cidr";

export type Labels = Readonly<Record<string, string>>;
export type Protocol = "TCP" | "UDP" | "SCTP";

export interface LabelSelector {
  readonly matchLabels?: Labels | null;
  readonly matchExpressions?: readonly { readonly key: string; readonly operator: string; readonly values?: readonly string[] | null }[] | null;
}
export interface PolicyPeerObject {
  readonly podSelector?: LabelSelector | null;
  readonly namespaceSelector?: LabelSelector | null;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] | null } | null;
}
export interface PolicyPortObject {
  readonly protocol?: string | null;
  readonly port?: number | string | null;
  readonly endPort?: number | null;
}
/** A NetworkPolicy as rendered (the plan's objects, the harness's `inputs`, or parsed YAML). */
export interface NetworkPolicyObject {
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: {
    readonly podSelector?: LabelSelector | null;
    readonly policyTypes?: readonly string[] | null;
    readonly ingress?: readonly { readonly from?: readonly PolicyPeerObject[] | null; readonly ports?: readonly PolicyPortObject[] | null }[] | null;
    readonly egress?: readonly { readonly to?: readonly PolicyPeerObject[] | null; readonly ports?: readonly PolicyPortObject[] | null }[] | null;
  };
}

/** A pod (not host-networked): its namespace, labels and, optionally, address and named ports. */
export interface PodEndpoint {
  readonly kind: "pod";
  readonly namespace: string;
  /** Labels of the namespace; `kubernetes.io/metadata.name` is always added (R9). @default {} */
  readonly namespaceLabels?: Labels;
  /** @default {} */
  readonly labels?: Labels;
  /** Pod address, matched against `ipBlock`s. @default - matches no ipBlock */
  readonly ip?: string;
  /** Named container ports by name. @default {} */
  readonly namedPorts?: Readonly<Record<string, { readonly port: number; readonly protocol?: Protocol }>>;
}
/** Anything that is not a policy-subject pod: a node, a host-network pod, an external address. */
export interface AddressEndpoint {
  readonly kind: "address";
  readonly ip: string;
}
export type Endpoint = PodEndpoint | AddressEndpoint;

export interface Connection {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly port: number;
  /** @default "TCP" */
  readonly protocol?: Protocol;
}

/** One direction's answer, with the policies that decided it (for failure messages). */
export interface DirectionVerdict {
  /** Whether any policy isolates the pod in this direction (false for non-pod endpoints). */
  readonly isolated: boolean;
  readonly allowed: boolean;
  /** `namespace/name` of the policies isolating the pod. */
  readonly selectedBy: readonly string[];
  /** `namespace/name` of the policies with a rule matching the connection. */
  readonly allowedBy: readonly string[];
}
export interface Verdict {
  readonly allowed: boolean;
  readonly egress: DirectionVerdict;
  readonly ingress: DirectionVerdict;
}

const METADATA_NAME = "kubernetes.io/metadata.name";

/** R7: label selector semantics; an empty selector matches everything. */
export function selectorMatches(selector: LabelSelector | null | undefined, labels: Labels): boolean {
  if (selector === null || selector === undefined) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, expression.key);
    const values = expression.values ?? [];
    switch (expression.operator) {
      case "In":
        if (!has || !values.includes(labels[expression.key] as string)) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[expression.key] as string)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        throw new Error(`unknown label selector operator ${expression.operator}`);
    }
  }
  return true;
}

/** R2: the policy types a policy has, explicit or defaulted. */
export function policyTypesOf(policy: NetworkPolicyObject): readonly ("Ingress" | "Egress")[] {
  const explicit = policy.spec.policyTypes;
  if (explicit !== null && explicit !== undefined && explicit.length > 0) return explicit.filter((t): t is "Ingress" | "Egress" => t === "Ingress" || t === "Egress");
  return ["Ingress", ...(policy.spec.egress !== null && policy.spec.egress !== undefined ? (["Egress"] as const) : [])];
}

function namespaceLabelsOf(pod: PodEndpoint): Labels {
  return { ...(pod.namespaceLabels ?? {}), [METADATA_NAME]: pod.namespace };
}

/** R1: whether a policy selects a pod (same namespace, podSelector matches). */
function selects(policy: NetworkPolicyObject, pod: PodEndpoint): boolean {
  return policy.metadata.namespace === pod.namespace && selectorMatches(policy.spec.podSelector ?? {}, pod.labels ?? {});
}

/** R6: whether one peer element matches the endpoint on the other side, for a policy in `policyNamespace`. */
function peerMatches(peer: PolicyPeerObject, policyNamespace: string, other: Endpoint): boolean {
  if (peer.ipBlock !== null && peer.ipBlock !== undefined) {
    const ip = other.ip;
    if (ip === undefined) return false;
    return cidrContains(peer.ipBlock.cidr, ip) && !(peer.ipBlock.except ?? []).some((cidr) => cidrContains(cidr, ip));
  }
  if (other.kind !== "pod") return false;
  const hasNs = peer.namespaceSelector !== null && peer.namespaceSelector !== undefined;
  const hasPod = peer.podSelector !== null && peer.podSelector !== undefined;
  if (!hasNs && !hasPod) return false;
  const namespaceOk = hasNs ? selectorMatches(peer.namespaceSelector, namespaceLabelsOf(other)) : other.namespace === policyNamespace;
  return namespaceOk && (!hasPod || selectorMatches(peer.podSelector, other.labels ?? {}));
}

/** R8: whether one port entry matches the connection; named ports resolve on the destination pod. */
function portMatches(entry: PolicyPortObject, connection: Connection): boolean {
  const protocol = connection.protocol ?? "TCP";
  if ((entry.protocol ?? "TCP") !== protocol) return false;
  const port = entry.port;
  if (port === null || port === undefined) return true;
  if (typeof port === "number") return connection.port >= port && connection.port <= (entry.endPort ?? port);
  if (connection.to.kind !== "pod") return false;
  const named = connection.to.namedPorts?.[port];
  return named !== undefined && named.port === connection.port && (named.protocol ?? "TCP") === protocol;
}

function ruleMatches(peers: readonly PolicyPeerObject[] | null | undefined, ports: readonly PolicyPortObject[] | null | undefined, policyNamespace: string, other: Endpoint, connection: Connection): boolean {
  const peerOk = peers === null || peers === undefined || peers.length === 0 || peers.some((peer) => peerMatches(peer, policyNamespace, other));
  const portOk = ports === null || ports === undefined || ports.length === 0 || ports.some((entry) => portMatches(entry, connection));
  return peerOk && portOk;
}

function direction(policies: readonly NetworkPolicyObject[], kind: "Ingress" | "Egress", connection: Connection): DirectionVerdict {
  const subject = kind === "Egress" ? connection.from : connection.to;
  const other = kind === "Egress" ? connection.to : connection.from;
  if (subject.kind !== "pod") return { isolated: false, allowed: true, selectedBy: [], allowedBy: [] };
  const applying = policies.filter((p) => selects(p, subject) && policyTypesOf(p).includes(kind));
  const id = (p: NetworkPolicyObject) => `${p.metadata.namespace}/${p.metadata.name}`;
  const allowedBy = applying.filter((p) => {
    const namespace = p.metadata.namespace;
    if (kind === "Egress") return (p.spec.egress ?? []).some((rule) => ruleMatches(rule.to, rule.ports, namespace, other, connection));
    return (p.spec.ingress ?? []).some((rule) => ruleMatches(rule.from, rule.ports, namespace, other, connection));
  });
  return { isolated: applying.length > 0, allowed: applying.length === 0 || allowedBy.length > 0, selectedBy: applying.map(id), allowedBy: allowedBy.map(id) };
}

/** R4: the full answer for one connection. */
export function evaluate(policies: readonly NetworkPolicyObject[], connection: Connection): Verdict {
  const egress = direction(policies, "Egress", connection);
  const ingress = direction(policies, "Ingress", connection);
  return { allowed: egress.allowed && ingress.allowed, egress, ingress };
}

/** Whether the connection is allowed. */
export function mayReach(policies: readonly NetworkPolicyObject[], connection: Connection): boolean {
  return evaluate(policies, connection).allowed;
}

/** The NetworkPolicy objects among captured resources (the harness's `RunResult.resources`, the plan's resources). */
export function policiesFrom(resources: readonly { readonly type: string; readonly inputs: Record<string, unknown> }[]): NetworkPolicyObject[] {
  return resources.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy").map((r) => r.inputs as unknown as NetworkPolicyObject);
}
