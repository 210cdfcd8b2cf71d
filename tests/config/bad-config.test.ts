/**
 * Every bad config is rejected before any resource exists, with a message that names the key
 * path, the value and what is allowed. Each case asserts the exact text.
 */
import { expect } from "chai";
import type { RawConfig } from "../../config/schema";
import { validRaw } from "./valid-config";
import { problemsOf } from "./problems";

type Mutation = (raw: ReturnType<typeof validRaw>) => RawConfig;
const withInfra = (patch: Record<string, unknown>): Mutation => (raw) => ({ ...raw, infra: { ...raw.infra, ...patch } });
const withExisting = (patch: Record<string, unknown>): Mutation => (raw) => ({
  ...raw,
  infra: { ...raw.infra, existing: { ...(raw.infra.existing as object), ...patch } },
});
const withPool = (patch: Record<string, unknown>): Mutation =>
  withExisting({ nodePools: { general: { role: "worker", count: 2, cpuCores: 4, memoryGi: 8, ...patch } } });

const CASES: readonly [string, Mutation, string][] = [
  ["missing environment", ({ environment: _e, ...raw }) => raw, 'strata:environment: is required (got nothing); use one of "dev", "staging", "prod"'],
  ["unknown environment", (raw) => ({ ...raw, environment: "qa" }), 'strata:environment: must be one of "dev", "staging", "prod" (got "qa")'],
  ["layers not a list", (raw) => ({ ...raw, layers: "apps" }), 'strata:layers: must be a list (got "apps")'],
  ["unknown layer", (raw) => ({ ...raw, layers: ["infra", "network"] }), 'strata:layers[1]: must be one of "infra", "cluster", "platform", "apps" (got "network")'],
  ["empty layers", (raw) => ({ ...raw, layers: [] }), "strata:layers: must be at least 1 items (got [])"],
  [
    "layers with a gap",
    (raw) => ({ ...raw, layers: ["infra", "platform"] }),
    'strata:layers: must be consecutive layers of infra → cluster → platform → apps (got ["infra","platform"]); a stack cannot skip a layer between two it owns',
  ],
  [
    "apps-only stack without upstream",
    ({ infra: _i, ...raw }) => ({ ...raw, layers: ["apps"] }),
    'strata:upstreamStack: is required when strata:layers starts at "apps" (got nothing); name the stack that owns infra, cluster, platform',
  ],
  [
    "malformed upstream stack",
    ({ infra: _i, ...raw }) => ({ ...raw, layers: ["apps"], upstreamStack: "acme//prod" }),
    'strata:upstreamStack: must be a stack name: stack, project/stack or org/project/stack (got "acme//prod")',
  ],
  [
    "infra slice on a stack that does not own infra",
    (raw) => ({ ...raw, layers: ["cluster", "platform", "apps"], upstreamStack: "acme/strata/prod" }),
    'strata:infra: set, but strata:layers does not include "infra" (got ["cluster","platform","apps"]); remove strata:infra or own the infra layer',
  ],
  ["missing infra", ({ infra: _i, ...raw }) => raw, "strata:infra: is required (got nothing); expected a map of keys"],
  ["unknown backend", withInfra({ backend: "openstack" }), 'strata:infra.backend: must be one of "existing", "eks", "vsphere" (got "openstack")'],
  [
    "cluster name not DNS-1123",
    withInfra({ clusterName: "Strata_Prod" }),
    "strata:infra.clusterName: must be a DNS-1123 label; use lower-case letters, digits and '-', starting and ending with a letter or digit (got \"Strata_Prod\")",
  ],
  [
    "cluster name too long",
    withInfra({ clusterName: "a".repeat(41) }),
    `strata:infra.clusterName: must be at most 40 characters (got "${"a".repeat(41)}")`,
  ],
  [
    "unknown key in infra",
    withInfra({ clustername: "x" }),
    'strata:infra.clustername: unknown key; did you mean clusterName? (got "clustername")',
  ],
  [
    "Kubernetes version with a v",
    withInfra({ kubernetesVersion: "v1.35" }),
    "strata:infra.kubernetesVersion: must be a Kubernetes version such as 1.35 or 1.35.2 (no leading 'v') (got \"v1.35\")",
  ],
  ["malformed pod CIDR", withInfra({ network: { podCidr: "10.244.0.0/33" } }), 'strata:infra.network.podCidr: must be an IPv4 CIDR such as 10.244.0.0/16 (got "10.244.0.0/33")'],
  [
    "CIDR with host bits",
    withInfra({ network: { serviceCidr: "10.96.0.1/12" } }),
    'strata:infra.network.serviceCidr: has host bits set; use 10.96.0.0/12 (got "10.96.0.1/12")',
  ],
  [
    "overlapping pod and service CIDRs",
    withInfra({ network: { podCidr: "10.96.0.0/16", serviceCidr: "10.96.0.0/12" } }),
    'strata:infra.network.serviceCidr: overlaps network.podCidr 10.96.0.0/16; pod and service ranges must be disjoint (got "10.96.0.0/12")',
  ],
  ["API port out of range", withInfra({ network: { apiServerPort: 70000 } }), "strata:infra.network.apiServerPort: must be a port from 1 to 65535 (got 70000)"],
  ["API port zero", withInfra({ network: { apiServerPort: 0 } }), "strata:infra.network.apiServerPort: must be a port from 1 to 65535 (got 0)"],
  [
    "no way to reach an existing cluster",
    withExisting({ context: undefined }),
    "strata:infra.existing.context: is required when strata:kubeconfig is not set (got nothing); name a kubeconfig context, or set the kubeconfig with `pulumi config set --secret strata:kubeconfig < file`",
  ],
  ["pool count zero", withPool({ count: 0 }), "strata:infra.existing.nodePools.general.count: must be 1 or more (got 0)"],
  ["pool count fractional", withPool({ count: 2.5 }), "strata:infra.existing.nodePools.general.count: must be a whole number (got 2.5)"],
  ["pool count as text", withPool({ count: "3" }), 'strata:infra.existing.nodePools.general.count: must be a number (got "3")'],
  ["pool min > max", withPool({ count: 6, maxCount: 3 }), "strata:infra.existing.nodePools.general.maxCount: must be ≥ count (6) (got 3)"],
  [
    "pool role unknown",
    withPool({ role: "gpu" }),
    'strata:infra.existing.nodePools.general.role: must be one of "control-plane", "system", "worker", "storage", "database", "load-balancer" (got "gpu")',
  ],
  [
    "pool name not DNS-1123",
    withExisting({ nodePools: { General_Pool: { role: "worker", count: 1, cpuCores: 2, memoryGi: 4 } } }),
    "strata:infra.existing.nodePools.General_Pool: must be a DNS-1123 label; use lower-case letters, digits and '-', starting and ending with a letter or digit (got \"General_Pool\")",
  ],
  [
    "invalid label key",
    withPool({ labels: { "-bad": "x" } }),
    "strata:infra.existing.nodePools.general.labels.-bad: must be a Kubernetes label key: [prefix/]name, name ≤ 63 characters of letters, digits, '-', '_', '.' (got \"-bad\")",
  ],
  [
    "invalid taint effect",
    withPool({ taints: [{ key: "dedicated", value: "db", effect: "NoRun" }] }),
    'strata:infra.existing.nodePools.general.taints[0].effect: must be one of "NoSchedule", "PreferNoSchedule", "NoExecute" (got "NoRun")',
  ],
  [
    "invalid namespace name",
    (raw) => ({ ...raw, cluster: { namespaces: { monitoring: { name: "Monitoring" } } } }),
    "strata:cluster.namespaces.monitoring.name: must be a DNS-1123 label; use lower-case letters, digits and '-', starting and ending with a letter or digit (got \"Monitoring\")",
  ],
  [
    "duplicate namespace names",
    (raw) => ({ ...raw, cluster: { namespaces: { data: { name: "platform" }, operators: { name: "platform" } } } }),
    'strata:cluster.namespaces.data.name: duplicates the name of namespaces.operators; every namespace needs its own name (got "platform")',
  ],
  [
    "app namespace clashing with a platform namespace",
    (raw) => ({ ...raw, cluster: { appNamespaces: { monitoring: {} } } }),
    "strata:cluster.appNamespaces.monitoring: duplicates the name of namespaces.monitoring; choose another app namespace name (got {})",
  ],
  [
    "unknown Pod Security level",
    (raw) => ({ ...raw, cluster: { appNamespaces: { shop: { podSecurity: "strict" } } } }),
    'strata:cluster.appNamespaces.shop.podSecurity: must be one of "privileged", "baseline", "restricted" (got "strict")',
  ],
  [
    "unknown strata key",
    (raw) => ({ ...raw, unknownKeys: ["strata:clustr"] }),
    'strata:clustr: unknown key (got "strata:clustr"); did you mean strata:cluster?',
  ],
  ["unknown platform key", (raw) => ({ ...raw, platform: { postgress: {} } }), 'strata:platform.postgress: unknown key; did you mean postgres? (got "postgress")'],
];

describe("config: bad input is rejected with the key, the value and what is allowed", () => {
  for (const [title, mutate, message] of CASES) {
    it(title, () => {
      expect(problemsOf(mutate(validRaw()))).to.include(message);
    });
  }

  it("reports every problem at once, not just the first", () => {
    const problems = problemsOf({ ...withPool({ count: 0, cpuCores: 0 })(validRaw()), environment: "qa" });
    expect(problems).to.have.length(3);
  });

  it("has at least 20 distinct cases", () => {
    expect(new Set(CASES.map(([, , message]) => message)).size).to.be.at.least(20);
  });
});
