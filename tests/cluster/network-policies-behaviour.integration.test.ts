/**
 * strata's NetworkPolicies by behaviour (issue #9, "NetworkPolicies, by behaviour"): the rendered
 * policies of the vSphere prod stack and the EKS dev stack, run through the evaluator
 * (tools/netpol) against probe pods and addresses built from each stack's own contracts.
 * Both stacks set `networkPolicies.appsInternetEgress: true` and an ACME e-mail.
 */
import { expect } from "chai";
import { hostAt } from "../../lib/cidr";
import type { ClusterNetwork, NodePool } from "../../lib/contracts";
import { REPO_ROOT, type RunResult } from "../../tools/engine/run";
import { LOKI_POD_LABELS } from "../../platform/observability/logs-values";
import { ALERTMANAGER_POD_LABELS, OPERATOR_POD_LABELS, PROMETHEUS_POD_LABELS } from "../../platform/observability/prometheus-values";
import { TEMPO_POD_LABELS } from "../../platform/observability/traces-values";
import { KEDA_APPS } from "../../platform/keda/values";
import { policiesFrom, type Endpoint, type NetworkPolicyObject } from "../../tools/netpol/evaluate";
import { allowedPairs, formatMatrix, sourcesReaching, type Source, type Target } from "../../tools/netpol/matrix";
import { planStack } from "../harness";

interface World {
  readonly policies: NetworkPolicyObject[];
  readonly network: ClusterNetwork;
  readonly namespaces: { gateway: string; operators: string; data: string; monitoring: string; backup: string; apps: string[] };
  /** Namespaces with strata policies: platform, apps, add-ons. */
  readonly managed: string[];
  /** A pod in a namespace, with an address from the pod range (the VPC on EKS). */
  readonly pod: (namespace: string, labels?: Record<string, string>) => Endpoint;
  /** Where the API server answers at the control plane, and where its webhook calls come from. */
  readonly controlPlane: { readonly address: string; readonly port: number };
  /** A node that is not a control-plane node (kubelet, node-exporter). */
  readonly node: string;
}

let probe = 10;
function world(result: RunResult, managedAddons: readonly string[]): World {
  const cluster = result.outputs.cluster as { namespaces: World["namespaces"] };
  const infra = result.outputs.infra as { backend: string; network: ClusterNetwork; nodePools: NodePool[] };
  const network = infra.network;
  const nodeCidr = network.nodeCidr as string;
  const podRange = network.podCidr ?? nodeCidr;
  const ns = cluster.namespaces;
  const cpAddress = infra.nodePools.find((p) => p.role === "control-plane")?.addresses[0] ?? hostAt(nodeCidr, 500);
  // A node on the node network: a worker's address, or (prod's workers autoscale on DHCP, issue #21)
  // another non-control-plane node's.
  const nodeAddress = (roles: readonly string[]) => infra.nodePools.find((p) => roles.includes(p.role) && p.addresses.length > 0)?.addresses[0];
  const workerAddress = nodeAddress(["worker"]) ?? nodeAddress(["storage", "database"]) ?? hostAt(nodeCidr, 600);
  return {
    policies: policiesFrom(result.resources),
    network,
    namespaces: ns,
    managed: [ns.gateway, ns.operators, ns.data, ns.monitoring, ns.backup, ...ns.apps, ...managedAddons],
    pod: (namespace, labels = { app: "probe" }) => ({ kind: "pod", namespace, labels, ip: hostAt(podRange, 4000 + probe++) }),
    controlPlane: { address: cpAddress, port: infra.backend === "eks" ? 443 : (network.apiServerPort ?? 6443) },
    node: workerAddress,
  };
}

const address = (ip: string): Endpoint => ({ kind: "address", ip });
const INTERNET = "203.0.113.10";

/**
 * The monitoring namespace's pods as their charts and the Prometheus Operator label them
 * (platform/observability: each constant cites its template); Grafana as the grafana subchart
 * labels it.
 */
const MONITORING_PODS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  alertmanager: ALERTMANAGER_POD_LABELS,
  prometheus: PROMETHEUS_POD_LABELS,
  "prometheus-operator": OPERATOR_POD_LABELS,
  grafana: { "app.kubernetes.io/name": "grafana", "app.kubernetes.io/instance": "kube-prometheus-stack" },
  loki: LOKI_POD_LABELS,
  tempo: TEMPO_POD_LABELS,
};

for (const scenario of [
  { label: "vSphere prod", run: { stack: "prod" }, eks: false, addons: ["tigera-operator", "metallb-system", "local-path-storage", "vmware-system-csi"], podIdentity: [] as string[] },
  { label: "EKS dev", run: { stack: "dev" }, eks: true, addons: [] as string[], podIdentity: ["velero"] },
]) {
  describe(`network policies by behaviour: ${scenario.label}`, () => {
    let w: World;
    let sources: Source[];
    before(async () => {
      w = world(await planStack(scenario.run), scenario.addons);
      sources = w.managed.map((namespace) => ({ name: namespace, endpoint: w.pod(namespace) }));
    });
    const others = (): Source[] => [
      { name: "kube-system", endpoint: w.pod("kube-system") },
      { name: "control-plane", endpoint: address(w.controlPlane.address) },
      { name: "node", endpoint: address(w.node) },
      { name: "internet", endpoint: address(INTERNET) },
    ];
    const eachNamespace = (names: readonly string[]) => names.map((n) => ({ name: n, endpoint: w.pod(n) }));

    it("every managed namespace exists in the plan with a default-deny", () => {
      const denied = w.policies.filter((p) => p.metadata.name === "default-deny").map((p) => p.metadata.namespace);
      // The platform's etcd snapshot upload (vSphere with a backup target) has a namespace and a
      // default-deny of its own; it reaches DNS and the target only (tests/platform/etcd-backup.test.ts).
      expect(denied).to.have.members([...w.managed, ...(scenario.eks ? [] : ["etcd-backup"])]);
    });

    it("DNS: every namespace reaches kube-dns on 53/UDP and 53/TCP, and no other resolver", () => {
      const dns = w.pod("kube-system", { "k8s-app": "kube-dns" });
      for (const protocol of ["UDP", "TCP"] as const) {
        expect(sourcesReaching(w.policies, sources, { name: "kube-dns", endpoint: dns, port: 53, protocol }), protocol).to.deep.equal(w.managed);
      }
      const resolvers = sourcesReaching(w.policies, sources, { name: "8.8.8.8:53", endpoint: address("8.8.8.8"), port: 53, protocol: "UDP" });
      expect(resolvers).to.deep.equal(scenario.addons.includes("vmware-system-csi") ? ["vmware-system-csi"] : []);
    });

    it("API server: reachable at its Service address and the control plane, from the platform and add-on namespaces only", () => {
      const service = hostAt(w.network.serviceCidr as string, 1);
      const platform = w.managed.filter((n) => !w.namespaces.apps.includes(n));
      const targets: Target[] = [
        { name: "service", endpoint: address(service), port: 443 },
        { name: "control-plane", endpoint: address(w.controlPlane.address), port: w.controlPlane.port },
      ];
      for (const target of targets) expect(sourcesReaching(w.policies, sources, target), target.name).to.deep.equal(platform);
    });

    it("API server ports lead nowhere else: not on the Internet, not on other Service addresses", () => {
      const elsewhere: Target[] = [
        { name: "internet:6443", endpoint: address(INTERNET), port: 6443 },
        { name: "other-service:443", endpoint: address(hostAt(w.network.serviceCidr as string, 99)), port: 443 },
      ];
      expect(allowedPairs(w.policies, sources, elsewhere)).to.deep.equal([]);
    });

    it("Internet: only the configured namespaces and monitoring pods, on the configured ports", () => {
      const targets: Target[] = [80, 443, 22, 8080].map((port) => ({ name: `internet:${port}`, endpoint: address(INTERNET), port }));
      const { operators, data, backup, monitoring, apps } = w.namespaces;
      const monitoringPods = Object.entries(MONITORING_PODS).map(([name, labels]) => ({ name: `${monitoring}/${name}`, endpoint: w.pod(monitoring, labels) }));
      const all = [...sources, ...monitoringPods];
      const csi = scenario.addons.includes("vmware-system-csi") ? ["vmware-system-csi → internet:443"] : [];
      const expected = [
        `${operators} → internet:80`, // ACME HTTP-01 self-check
        `${operators} → internet:443`, // ACME API
        `${data} → internet:443`, // object storage
        `${backup} → internet:443`, // object storage
        ...apps.map((app) => `${app} → internet:443`), // appsInternetEgress: true
        ...csi, // vCenter by name
        // issue #18: Alertmanager's receivers (Slack, PagerDuty, webhooks) are on the Internet.
        `${monitoring}/alertmanager → internet:443`,
        // issue #18: on EKS Loki and Tempo keep their data in S3 and get their credentials from STS
        // (IRSA); on vSphere their store is SeaweedFS in the data namespace.
        ...(scenario.eks ? [`${monitoring}/loki → internet:443`, `${monitoring}/tempo → internet:443`] : []),
      ];
      const pairs = allowedPairs(w.policies, all, targets);
      expect(pairs, formatMatrix(w.policies, all, targets)).to.have.members(expected);
      expect(pairs).to.have.length(expected.length);
    });

    it("the node/VPC network is inside the cluster: a node is reached only as the API server, the kubelet or vCenter's network", () => {
      const targets: Target[] = [443, 22].map((port) => ({ name: `node:${port}`, endpoint: address(w.node), port }));
      // EKS: the API endpoint's ENIs sit in the VPC's subnets beside nodes and pods, so the
      // platform namespaces' API rule admits the VPC on 443; the destinations' own ingress
      // policies are what keeps them from other pods. vSphere: only vCenter's 443 may be there.
      const expected = scenario.eks ? [w.namespaces.gateway, w.namespaces.operators, w.namespaces.data, w.namespaces.monitoring, w.namespaces.backup].map((n) => `${n} → node:443`) : ["vmware-system-csi → node:443"];
      expect(allowedPairs(w.policies, sources, targets)).to.deep.equal(expected);
      expect(sourcesReaching(w.policies, sources, { name: "kubelet", endpoint: address(w.node), port: 10250 })).to.deep.equal([w.namespaces.monitoring]);
    });

    it("every 'outside the cluster' except list holds the node/VPC CIDR, the pod and Service CIDRs and link-local", () => {
      const outside = w.policies.flatMap((p) =>
        [...(p.spec.egress ?? []).flatMap((r) => r.to ?? []), ...(p.spec.ingress ?? []).flatMap((r) => r.from ?? [])]
          .filter((peer) => (peer.ipBlock?.except ?? []).length > 0)
          .map((peer) => ({ where: `${p.metadata.namespace}/${p.metadata.name}`, except: peer.ipBlock?.except ?? [] })),
      );
      // The vCenter clients: the CSI controller and (prod's workers autoscale, issue #21) machine-controller and its webhook.
      const vcenterPolicies = ["vmware-system-csi/allow-external", "kube-system/machine-controller-allow-vcenter", "kube-system/machine-controller-webhook-allow-vcenter"];
      const vcenter = outside.filter((o) => vcenterPolicies.includes(o.where));
      const rest = outside.filter((o) => !vcenterPolicies.includes(o.where));
      expect(rest.length).to.be.greaterThan(3);
      const internal = [w.network.nodeCidr, w.network.podCidr, w.network.serviceCidr, "169.254.0.0/16"].filter((c): c is string => c !== undefined);
      for (const o of rest) expect(o.except, o.where).to.include.members(internal);
      // vCenter may sit on the node network: only the pod and Service ranges (and link-local) are excluded there.
      expect(vcenter.map((o) => o.except)).to.deep.equal(scenario.addons.includes("vmware-system-csi") ? Array(3).fill([w.network.podCidr, w.network.serviceCidr, "169.254.0.0/16"]) : []);
    });

    it("link-local: instance metadata is reachable from no namespace; the Pod Identity agent only where pods use it", () => {
      expect(sourcesReaching(w.policies, sources, { name: "imds", endpoint: address("169.254.169.254"), port: 80 })).to.deep.equal([]);
      expect(sourcesReaching(w.policies, sources, { name: "pod-identity", endpoint: address("169.254.170.23"), port: 80 })).to.deep.equal(scenario.podIdentity);
    });

    it("webhooks: the control plane reaches the webhook ports, other pods do not", () => {
      const { operators, gateway, monitoring, apps } = w.namespaces;
      const targets: Target[] = [
        { name: "cert-manager:10250", endpoint: w.pod(operators), port: 10250 },
        { name: "operators:9443", endpoint: w.pod(operators), port: 9443 },
        { name: "operators:443", endpoint: w.pod(operators), port: 443 },
        { name: "envoy-gateway:9443", endpoint: w.pod(gateway), port: 9443 },
        // issue #18: the Prometheus Operator serves its PrometheusRule/AlertmanagerConfig webhooks on 10250.
        { name: "prometheus-operator:10250", endpoint: w.pod(monitoring, OPERATOR_POD_LABELS), port: 10250 },
        ...(scenario.addons.includes("metallb-system") ? [{ name: "metallb:9443", endpoint: w.pod("metallb-system"), port: 9443 }] : []),
      ];
      const cp = [{ name: "cp", endpoint: address(w.controlPlane.address) }];
      const fromControlPlane = allowedPairs(w.policies, cp, targets);
      expect(fromControlPlane, formatMatrix(w.policies, cp, targets)).to.have.length(targets.length);
      expect(allowedPairs(w.policies, eachNamespace(apps), targets)).to.deep.equal([]);
      expect(allowedPairs(w.policies, [{ name: "internet", endpoint: address(INTERNET) }], targets)).to.deep.equal([]);
    });

    it("issue #18: the control plane reaches in monitoring only the Prometheus Operator's webhook port", () => {
      const { monitoring } = w.namespaces;
      const targets: Target[] = Object.entries(MONITORING_PODS).flatMap(([name, labels]) => [443, 9090, 9093, 10250].map((port) => ({ name: `${name}:${port}`, endpoint: w.pod(monitoring, labels), port })));
      const cp = [{ name: "cp", endpoint: address(w.controlPlane.address) }];
      expect(allowedPairs(w.policies, cp, targets)).to.deep.equal(["cp → prometheus-operator:10250"]);
    });

    it("gateway: clients reach the proxies' ports, not the controller's", () => {
      const proxy = w.pod(w.namespaces.gateway);
      const pairs = allowedPairs(w.policies, [{ name: "internet", endpoint: address(INTERNET) }], [10080, 10443, 18000, 19001].map((port) => ({ name: String(port), endpoint: proxy, port })));
      expect(pairs).to.deep.equal(["internet → 10080", "internet → 10443"]);
    });

    it("data: reached by operators, backup, monitoring and itself; an app pod only through the apps layer's policy for a service it uses", () => {
      const { data, operators, backup, monitoring, apps } = w.namespaces;
      const target = w.pod(data);
      const probes = [5432, 3306, 6379, 8333, 22, 443, 9187, 10250];
      const all = [...sources, ...others()];
      const pairs = allowedPairs(w.policies, all, probes.map((port) => ({ name: String(port), endpoint: target, port })));
      const expected = [operators, backup, monitoring, data].flatMap((from) => probes.map((port) => `${from} → ${port}`));
      expect(pairs, formatMatrix(w.policies, all, probes.map((port) => ({ name: String(port), endpoint: target, port })))).to.have.members(expected);
      expect(pairs).to.have.length(expected.length);
      expect(apps.length).to.be.greaterThan(0);
    });

    it("apps: a pod of no app is reached from nowhere; the apps layer opens each app's own ports", () => {
      const app = w.namespaces.apps[0] as string;
      const reaching = sourcesReaching(w.policies, [...sources, ...others()], { name: "app:8080", endpoint: w.pod(app), port: 8080 });
      expect(reaching).to.deep.equal([]);
    });
  });
}

/**
 * The API services strata installs beside its webhooks, on the stack that runs them: KEDA's
 * `external.metrics.k8s.io` server (container 6443 behind its Service's 443) and admission
 * webhooks (9443), as the keda chart 2.20.2 labels their pods (`app`, platform/keda/values.ts).
 */
describe("network policies by behaviour: KEDA's metrics API and webhooks (tartware, vSphere)", () => {
  let w: World;
  before(async () => {
    w = world(await planStack({ stack: "tartware", configFile: `${REPO_ROOT}/examples/tartware/Pulumi.tartware.yaml` }), []);
  });

  it("the control plane reaches KEDA's metrics API server and webhooks and the Prometheus Operator's; the apps reach none", () => {
    const { operators, monitoring, apps } = w.namespaces;
    const targets: Target[] = [
      { name: "keda-metrics-apiserver:6443", endpoint: w.pod(operators, { app: KEDA_APPS.metricsServer }), port: 6443 },
      { name: "keda-admission-webhooks:9443", endpoint: w.pod(operators, { app: KEDA_APPS.webhooks }), port: 9443 },
      { name: "prometheus-operator:10250", endpoint: w.pod(monitoring, OPERATOR_POD_LABELS), port: 10250 },
    ];
    const cp = [{ name: "cp", endpoint: address(w.controlPlane.address) }];
    expect(allowedPairs(w.policies, cp, targets), formatMatrix(w.policies, cp, targets)).to.have.length(targets.length);
    expect(allowedPairs(w.policies, apps.map((n) => ({ name: n, endpoint: w.pod(n) })), targets)).to.deep.equal([]);
    // The KEDA operator's gRPC port is for the metrics API server beside it, not the control plane.
    expect(allowedPairs(w.policies, cp, [{ name: "keda-operator:9666", endpoint: w.pod(operators, { app: KEDA_APPS.operator }), port: 9666 }])).to.deep.equal([]);
  });
});
