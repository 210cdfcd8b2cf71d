/**
 * issue #18: a declared Service port leads to the container port its chart maps it to. Grafana's
 * Service listens on 80 and sends to the `grafana` container port 3000; NetworkPolicies see 3000
 * (tools/netpol: kube-proxy translates before the CNI evaluates policy), so a policy opening only
 * 3000 must admit a client of `kube-prometheus-stack-grafana:80`, and one opening only 80 must not.
 */
import { expect } from "chai";
import { proxyWorkload } from "../../cluster/gateway/workloads";
import { fromWorkload } from "../../lib/connections";
import { grafanaWorkload } from "../../platform/observability/workloads";
import { proveConnections } from "../../tools/connections";
import type { PlanDocument, PlannedResource } from "../../tools/engine/plan-document";

const policy = (namespace: string, name: string, spec: Record<string, unknown>): PlannedResource => ({
  urn: `urn:${namespace}:${name}`,
  type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  name,
  parent: "",
  dependencies: [],
  provider: "",
  protect: false,
  custom: true,
  version: "",
  inputs: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace }, spec },
});

function planWith(openPort: number, grafana = grafanaWorkload("monitoring")): PlanDocument {
  const proxies = proxyWorkload("gateway", "strata");
  return {
    project: "strata",
    stack: "t",
    outputs: {},
    resources: [
      policy("monitoring", "default-deny", { podSelector: {}, policyTypes: ["Ingress"] }),
      policy("monitoring", "allow-gateway", {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "gateway" } } }], ports: [{ protocol: "TCP", port: openPort }] }],
      }),
    ],
    connections: {
      workloads: [proxies, grafana],
      connections: [{ purpose: "route backend", from: fromWorkload(proxies), to: { kind: "service", namespace: "monitoring", name: "kube-prometheus-stack-grafana", port: 80 } }],
    },
  } as unknown as PlanDocument;
}

describe("connections: a declared Service port and its container port", () => {
  it("issue #18: admits the client where the policy opens the container port (3000), not the Service port (80)", async () => {
    const [opened] = await proveConnections(planWith(3000));
    expect(opened?.checks.route).to.deep.equal({ ok: true });
    expect(opened?.checks.ingress).to.deep.equal({ ok: true });
    const [closed] = await proveConnections(planWith(80));
    expect(closed?.checks.ingress).to.have.property("ok", false);
  });

  it("reports a Service port that leads to a container port the pods do not name", async () => {
    const grafana = grafanaWorkload("monitoring");
    const renamed = { ...grafana, containerPorts: { http: 3000 } };
    const [result] = await proveConnections(planWith(3000, renamed));
    expect(result?.checks.route).to.deep.equal({ ok: false, missing: 'Service monitoring/kube-prometheus-stack-grafana targets container port "grafana", which its pods do not name' });
  });
});
