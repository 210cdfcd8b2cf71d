/**
 * The evaluator against the Kubernetes NetworkPolicy semantics, rule by rule (R1–R9 in
 * tools/netpol/evaluate.ts), mostly on the examples of
 * https://kubernetes.io/docs/concepts/services-networking/network-policies/.
 */
import { expect } from "chai";
import { cidrContains, firstHost, hostAt, parseCidr } from "../../lib/cidr";
import { evaluate, mayReach, policiesFrom, policyTypesOf, selectorMatches, type Endpoint, type NetworkPolicyObject } from "../../tools/netpol/evaluate";
import { allowedPairs, formatMatrix, sourcesReaching } from "../../tools/netpol/matrix";

const policy = (namespace: string, name: string, spec: NetworkPolicyObject["spec"]): NetworkPolicyObject => ({ metadata: { namespace, name }, spec });
const pod = (namespace: string, labels: Record<string, string> = {}, extra: Partial<Extract<Endpoint, { kind: "pod" }>> = {}): Endpoint => ({ kind: "pod", namespace, labels, ...extra });
const address = (ip: string): Endpoint => ({ kind: "address", ip });

// The docs' "test-network-policy" example.
const docsExample = policy("default", "test-network-policy", {
  podSelector: { matchLabels: { role: "db" } },
  policyTypes: ["Ingress", "Egress"],
  ingress: [
    {
      from: [{ ipBlock: { cidr: "172.17.0.0/16", except: ["172.17.1.0/24"] } }, { namespaceSelector: { matchLabels: { project: "myproject" } } }, { podSelector: { matchLabels: { role: "frontend" } } }],
      ports: [{ protocol: "TCP", port: 6379 }],
    },
  ],
  egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/24" } }], ports: [{ protocol: "TCP", port: 5978 }] }],
});
const db = pod("default", { role: "db" });

describe("netpol evaluator: Kubernetes semantics", () => {
  it("R1: a pod no policy selects is not isolated in either direction", () => {
    const other = pod("default", { role: "cache" });
    expect(mayReach([docsExample], { from: pod("elsewhere"), to: other, port: 1 })).to.equal(true);
    expect(evaluate([docsExample], { from: other, to: address("8.8.8.8"), port: 53, protocol: "UDP" }).egress.isolated).to.equal(false);
  });

  it("R1: a policy selects pods of its own namespace only", () => {
    const dbElsewhere = pod("other", { role: "db" });
    expect(evaluate([docsExample], { from: pod("x"), to: dbElsewhere, port: 9 }).ingress.isolated).to.equal(false);
  });

  it("R2: without policyTypes, Ingress is implied, and Egress only with an egress section", () => {
    expect(policyTypesOf(policy("a", "p", { podSelector: {} }))).to.deep.equal(["Ingress"]);
    expect(policyTypesOf(policy("a", "p", { podSelector: {}, egress: [] }))).to.deep.equal(["Ingress", "Egress"]);
    expect(policyTypesOf(policy("a", "p", { podSelector: {}, policyTypes: ["Egress"] }))).to.deep.equal(["Egress"]);
    // Ingress-only by default: egress stays open.
    const ingressOnly = policy("a", "deny-ingress", { podSelector: {} });
    expect(mayReach([ingressOnly], { from: pod("a"), to: address("1.1.1.1"), port: 443 })).to.equal(true);
    expect(mayReach([ingressOnly], { from: pod("b"), to: pod("a"), port: 443 })).to.equal(false);
  });

  it("R3: policies are additive; any allowing policy suffices", () => {
    const deny = policy("a", "default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [], egress: [] });
    const allow = policy("a", "allow-https", { podSelector: {}, policyTypes: ["Egress"], egress: [{ ports: [{ port: 443 }] }] });
    const verdict = evaluate([deny, allow], { from: pod("a"), to: address("1.1.1.1"), port: 443 });
    expect(verdict.allowed).to.equal(true);
    expect(verdict.egress.selectedBy).to.deep.equal(["a/default-deny", "a/allow-https"]);
    expect(verdict.egress.allowedBy).to.deep.equal(["a/allow-https"]);
    expect(mayReach([deny, allow], { from: pod("a"), to: address("1.1.1.1"), port: 80 })).to.equal(false);
  });

  it("R4: a pod-to-pod connection needs the source's egress and the destination's ingress", () => {
    const egressDeny = policy("src", "deny", { podSelector: {}, policyTypes: ["Egress"] });
    const ingressDeny = policy("dst", "deny", { podSelector: {}, policyTypes: ["Ingress"] });
    const connection = { from: pod("src"), to: pod("dst"), port: 80 };
    expect(mayReach([], connection)).to.equal(true);
    expect(mayReach([egressDeny], connection)).to.equal(false);
    expect(mayReach([ingressDeny], connection)).to.equal(false);
    const egressAllow = policy("src", "allow", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: {} }] }] });
    expect(mayReach([egressDeny, egressAllow, ingressDeny], connection)).to.equal(false);
    const ingressAllow = policy("dst", "allow", { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "src" } } }] }] });
    expect(mayReach([egressDeny, egressAllow, ingressDeny, ingressAllow], connection)).to.equal(true);
  });

  it("R5: empty or absent peers and ports match everything; an empty rule list matches nothing", () => {
    const anyPeer = policy("a", "p", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [], ports: [{ port: 53, protocol: "UDP" }] }] });
    expect(mayReach([anyPeer], { from: pod("a"), to: address("9.9.9.9"), port: 53, protocol: "UDP" })).to.equal(true);
    const anyPort = policy("a", "p", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "9.9.9.0/24" } }] }] });
    expect(mayReach([anyPort], { from: pod("a"), to: address("9.9.9.9"), port: 12345, protocol: "SCTP" })).to.equal(true);
    const allowAll = policy("a", "allow-all", { podSelector: {}, policyTypes: ["Egress"], egress: [{}] });
    expect(mayReach([allowAll], { from: pod("a"), to: address("9.9.9.9"), port: 1 })).to.equal(true);
    const denyAll = policy("a", "deny-all", { podSelector: {}, policyTypes: ["Egress"], egress: [] });
    expect(mayReach([denyAll], { from: pod("a"), to: address("9.9.9.9"), port: 1 })).to.equal(false);
  });

  it("R6: the docs example — ipBlock with except, namespaceSelector, podSelector as alternatives", () => {
    const on = (from: Endpoint, port = 6379) => mayReach([docsExample], { from, to: db, port });
    expect(on(address("172.17.0.5"))).to.equal(true);
    expect(on(address("172.17.1.5"))).to.equal(false);
    expect(on(pod("team", {}, { namespaceLabels: { project: "myproject" } }))).to.equal(true);
    expect(on(pod("default", { role: "frontend" }))).to.equal(true);
    // podSelector alone means the policy's own namespace.
    expect(on(pod("team", { role: "frontend" }))).to.equal(false);
    expect(on(pod("default", { role: "frontend" }), 6380)).to.equal(false);
    expect(mayReach([docsExample], { from: db, to: address("10.0.0.7"), port: 5978 })).to.equal(true);
    expect(mayReach([docsExample], { from: db, to: address("10.0.1.7"), port: 5978 })).to.equal(false);
  });

  it("R6: namespaceSelector and podSelector in one element are ANDed, in two elements ORed", () => {
    const and = policy("db", "and", { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { user: "alice" } }, podSelector: { matchLabels: { role: "client" } } }] }] });
    const or = policy("db", "or", { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { user: "alice" } } }, { podSelector: { matchLabels: { role: "client" } } }] }] });
    const alicesClient = pod("alice", { role: "client" }, { namespaceLabels: { user: "alice" } });
    const alicesOther = pod("alice", { role: "other" }, { namespaceLabels: { user: "alice" } });
    const localClient = pod("db", { role: "client" });
    const to = pod("db");
    expect([alicesClient, alicesOther, localClient].map((from) => mayReach([and], { from, to, port: 1 }))).to.deep.equal([true, false, false]);
    expect([alicesClient, alicesOther, localClient].map((from) => mayReach([or], { from, to, port: 1 }))).to.deep.equal([true, true, true]);
  });

  it("R6: ipBlock also matches pod addresses when the pod's address is known", () => {
    const p = policy("a", "p", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "10.244.0.0/16" } }] }] });
    expect(mayReach([p], { from: pod("a"), to: pod("b", {}, { ip: "10.244.3.4" }), port: 80 })).to.equal(true);
    expect(mayReach([p], { from: pod("a"), to: pod("b"), port: 80 })).to.equal(false);
  });

  it("R7: matchLabels and matchExpressions, every operator, ANDed", () => {
    const labels = { app: "web", tier: "front" };
    expect(selectorMatches({}, labels)).to.equal(true);
    expect(selectorMatches({ matchLabels: { app: "web" } }, labels)).to.equal(true);
    expect(selectorMatches({ matchLabels: { app: "web", tier: "back" } }, labels)).to.equal(false);
    expect(selectorMatches({ matchExpressions: [{ key: "tier", operator: "In", values: ["front", "edge"] }] }, labels)).to.equal(true);
    expect(selectorMatches({ matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] }, labels)).to.equal(false);
    expect(selectorMatches({ matchExpressions: [{ key: "zone", operator: "NotIn", values: ["a"] }] }, labels)).to.equal(true);
    expect(selectorMatches({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["front"] }] }, labels)).to.equal(false);
    expect(selectorMatches({ matchExpressions: [{ key: "app", operator: "Exists" }] }, labels)).to.equal(true);
    expect(selectorMatches({ matchExpressions: [{ key: "app", operator: "DoesNotExist" }] }, labels)).to.equal(false);
    expect(selectorMatches({ matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["back"] }] }, labels)).to.equal(false);
    expect(() => selectorMatches({ matchExpressions: [{ key: "a", operator: "Gt", values: ["1"] }] }, labels)).to.throw("unknown label selector operator Gt");
  });

  it("R8: protocol defaults to TCP; endPort is an inclusive range; a missing port means every port of the protocol", () => {
    // The docs' endPort example: TCP 32000-32768 to 10.0.0.0/24.
    const range = policy("default", "multi-port-egress", {
      podSelector: { matchLabels: { role: "db" } },
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/24" } }], ports: [{ protocol: "TCP", port: 32000, endPort: 32768 }] }],
    });
    const to = address("10.0.0.9");
    expect([31999, 32000, 32768, 32769].map((port) => mayReach([range], { from: db, to, port }))).to.deep.equal([false, true, true, false]);
    expect(mayReach([range], { from: db, to, port: 32000, protocol: "UDP" })).to.equal(false);
    const udpOnly = policy("default", "udp", { podSelector: {}, policyTypes: ["Egress"], egress: [{ ports: [{ protocol: "UDP" }] }] });
    expect(mayReach([udpOnly], { from: db, to, port: 5353, protocol: "UDP" })).to.equal(true);
    expect(mayReach([udpOnly], { from: db, to, port: 5353 })).to.equal(false);
  });

  it("R8: named ports resolve on the destination pod, never on an address", () => {
    const web = policy("a", "p", { podSelector: {}, policyTypes: ["Egress", "Ingress"], egress: [{ ports: [{ port: "https" }] }], ingress: [{ ports: [{ port: "https" }] }] });
    const server = pod("a", {}, { namedPorts: { https: { port: 8443 } } });
    expect(mayReach([web], { from: pod("a"), to: server, port: 8443 })).to.equal(true);
    expect(mayReach([web], { from: pod("a"), to: server, port: 443 })).to.equal(false);
    expect(mayReach([web], { from: pod("a"), to: server, port: 8443, protocol: "UDP" })).to.equal(false);
    expect(mayReach([web], { from: pod("a"), to: address("1.2.3.4"), port: 8443 })).to.equal(false);
  });

  it("R9: every namespace matches its kubernetes.io/metadata.name label", () => {
    const p = policy("db", "p", { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["shop"] }] } }] }] });
    expect(mayReach([p], { from: pod("shop"), to: pod("db"), port: 1 })).to.equal(true);
    expect(mayReach([p], { from: pod("blog"), to: pod("db"), port: 1 })).to.equal(false);
  });

  it("reads NetworkPolicies out of captured resources", () => {
    const resources = [
      { type: "kubernetes:core/v1:Namespace", inputs: { metadata: { name: "a" } } },
      { type: "kubernetes:networking.k8s.io/v1:NetworkPolicy", inputs: { metadata: { name: "p", namespace: "a" }, spec: { podSelector: {} } } },
    ];
    expect(policiesFrom(resources).map((p) => p.metadata.name)).to.deep.equal(["p"]);
  });

  it("builds and prints matrices", () => {
    const sources = [
      { name: "frontend", endpoint: pod("default", { role: "frontend" }) },
      { name: "stranger", endpoint: pod("default", { role: "stranger" }) },
    ];
    const targets = [
      { name: "db:6379", endpoint: db, port: 6379 },
      { name: "db:22", endpoint: db, port: 22 },
    ];
    expect(allowedPairs([docsExample], sources, targets)).to.deep.equal(["frontend → db:6379"]);
    expect(sourcesReaching([docsExample], sources, targets[0]!)).to.deep.equal(["frontend"]);
    expect(formatMatrix([docsExample], sources, targets)).to.equal(["           1  2", "frontend   ✓  ·", "stranger   ·  ·", "", "1. db:6379", "2. db:22"].join("\n"));
  });
});

describe("netpol evaluator: address arithmetic", () => {
  it("matches IPv4 and IPv6 ranges, never across families", () => {
    expect(cidrContains("10.20.0.0/23", "10.20.1.200")).to.equal(true);
    expect(cidrContains("10.20.0.0/23", "10.20.2.1")).to.equal(false);
    expect(cidrContains("0.0.0.0/0", "203.0.113.9")).to.equal(true);
    expect(cidrContains("169.254.170.23/32", "169.254.170.23")).to.equal(true);
    expect(cidrContains("fd00:ec2::/64", "fd00:ec2::23")).to.equal(true);
    expect(cidrContains("fd00:ec2::/64", "fd00:ec3::23")).to.equal(false);
    expect(cidrContains("0.0.0.0/0", "fd00:ec2::23")).to.equal(false);
    expect(parseCidr("10.96.7.9/12").network).to.equal(parseCidr("10.96.0.0/12").network);
    expect(() => parseCidr("10.0.0.0/33")).to.throw("not a CIDR: 10.0.0.0/33");
    expect(() => cidrContains("10.0.0.0/8", "10.0.0.256")).to.throw("not an IP address: 10.0.0.256");
  });

  it("names the first host of a range", () => {
    expect(firstHost("10.96.0.0/12")).to.equal("10.96.0.1");
    expect(firstHost("172.20.0.0/16")).to.equal("172.20.0.1");
    expect(hostAt("10.20.0.0/16", 258)).to.equal("10.20.1.2");
    expect(() => hostAt("10.20.0.0/24", 256)).to.throw("10.20.0.0/24 has no address at index 256");
  });
});
