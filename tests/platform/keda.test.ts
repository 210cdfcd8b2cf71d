/**
 * Issue #13: KEDA's chart values and NetworkPolicies are pure. The policies are evaluated over
 * the cluster layer's default-deny in the operators and monitoring namespaces: the API server
 * reaches the metrics API server and the webhooks, the operator reaches Prometheus, nothing else.
 */
import { expect } from "chai";
import { kedaPolicies } from "../../platform/keda/network-policies";
import { KEDA_APPS, KEDA_PORTS, kedaValues } from "../../platform/keda/values";
import { mayReach, type NetworkPolicyObject, type PodEndpoint } from "../../tools/netpol/evaluate";

const placement = { nodeSelector: { "node.strata.io/role": "system" }, tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" as const, effect: "NoSchedule" as const }] };

describe("KEDA (platform)", () => {
  describe("values", () => {
    it("runs every component twice with a budget and a spread over nodes when HA", () => {
      const v = kedaValues({ replicas: 2, placement });
      expect([v.operator.replicaCount, v.metricsServer.replicaCount, v.webhooks.replicaCount]).to.deep.equal([2, 2, 2]);
      expect(v.podDisruptionBudget).to.deep.equal({ operator: { minAvailable: 1 }, metricServer: { minAvailable: 1 }, webhooks: { minAvailable: 1 } });
      expect(v.topologySpreadConstraints.metricsServer[0]?.labelSelector).to.deep.equal({ matchLabels: { app: KEDA_APPS.metricsServer } });
    });

    it("runs once without a budget (which would block every drain) in dev", () => {
      const v = kedaValues({ replicas: 1, placement });
      expect(v.podDisruptionBudget).to.deep.equal({ operator: {}, metricServer: {}, webhooks: {} });
      expect(v.topologySpreadConstraints.operator).to.deep.equal([]);
    });

    it("is restricted and placed on the platform pool", () => {
      const v = kedaValues({ replicas: 1, placement });
      for (const c of [v.securityContext.operator, v.securityContext.metricServer, v.securityContext.webhooks]) {
        expect(c).to.deep.equal({ capabilities: { drop: ["ALL"] }, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, seccompProfile: { type: "RuntimeDefault" } });
      }
      expect(v.podSecurityContext.operator).to.include({ runAsNonRoot: true, runAsUser: 1000 });
      expect([v.nodeSelector, v.tolerations]).to.deep.equal([placement.nodeSelector, placement.tolerations]);
    });
  });

  describe("NetworkPolicies", () => {
    const deny = (namespace: string): NetworkPolicyObject => ({ metadata: { name: "default-deny", namespace }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } });
    const policies = [
      deny("operators"),
      deny("monitoring"),
      ...kedaPolicies({ namespace: "operators", controlPlane: ["10.20.0.0/24"], prometheus: { namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "prometheus" }, port: 9090 } }).map(
        (p) => ({ metadata: { name: p.name, namespace: p.namespace }, spec: p.spec }) as NetworkPolicyObject,
      ),
    ];
    const pod = (namespace: string, labels: Record<string, string>): PodEndpoint => ({ kind: "pod", namespace, labels });
    const operator = pod("operators", { app: KEDA_APPS.operator });
    const metricsServer = pod("operators", { app: KEDA_APPS.metricsServer });
    const webhooks = pod("operators", { app: KEDA_APPS.webhooks });
    const prometheus = pod("monitoring", { "app.kubernetes.io/name": "prometheus" });
    const grafana = pod("monitoring", { "app.kubernetes.io/name": "grafana" });
    const apiServer = { kind: "address" as const, ip: "10.20.0.11" };
    const reach = (from: PodEndpoint | typeof apiServer, to: PodEndpoint, port: number) => mayReach(policies, { from, to, port, protocol: "TCP" });

    it("lets the API server call the metrics API server (6443) and the webhooks (9443)", () => {
      expect(reach(apiServer, metricsServer, KEDA_PORTS.metricsServer)).to.equal(true);
      expect(reach(apiServer, webhooks, KEDA_PORTS.webhooks)).to.equal(true);
    });

    it("keeps everyone else out: other sources, other ports, the operator's gRPC from outside", () => {
      expect(reach({ kind: "address", ip: "10.99.0.5" }, metricsServer, KEDA_PORTS.metricsServer)).to.equal(false);
      expect(reach(apiServer, operator, KEDA_PORTS.operatorGrpc)).to.equal(false);
      expect(reach(apiServer, metricsServer, 8080)).to.equal(false);
    });

    it("lets only the operator query Prometheus, only on its API port", () => {
      expect(reach(operator, prometheus, 9090)).to.equal(true);
      expect(reach(metricsServer, prometheus, 9090)).to.equal(false);
      expect(reach(operator, prometheus, 9093)).to.equal(false);
      expect(reach(operator, grafana, 9090)).to.equal(false);
    });
  });
});
