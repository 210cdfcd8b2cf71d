/**
 * What Prometheus scrapes of the cluster layer's add-ons (issue #18): the targets the cluster
 * layer publishes, the monitors the platform declares for them, and the pods the charts create.
 */
import { expect } from "chai";
import { certManagerControllerWorkload, certManagerScrapeTarget } from "../../cluster/cert-manager/metrics";
import { certManagerValues } from "../../cluster/cert-manager/values";
import { controllerScrapeTarget, proxiesScrapeTarget } from "../../cluster/gateway/metrics";
import { controllerWorkload, proxyWorkload } from "../../cluster/gateway/workloads";
import { envoyGatewayValues } from "../../cluster/gateway/values";
import { monitorManifest, scrapeDestination } from "../../platform/observability/scrape-targets";

const subset = (selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe("scrape targets of the cluster add-ons", () => {
  const gateway = { name: "strata", namespace: "gateway" };

  it("issue #18: cert-manager's controller is scraped through its metrics Service by a ServiceMonitor, not the chart's Prometheus annotations", () => {
    const target = certManagerScrapeTarget("operators");
    const monitor = monitorManifest(target, {});
    expect(monitor).to.deep.include({ kind: "ServiceMonitor", metadata: { name: "cert-manager", namespace: "operators", labels: {} } });
    expect(monitor.spec).to.deep.equal({
      selector: { matchLabels: { "app.kubernetes.io/name": "cert-manager", "app.kubernetes.io/instance": "cert-manager", "app.kubernetes.io/component": "controller" } },
      namespaceSelector: { matchNames: ["operators"] },
      endpoints: [{ port: "http-metrics", path: "/metrics", scheme: "http" }],
    });
    // The chart renders that Service only with `prometheus.enabled`, and its own ServiceMonitor stays off.
    expect(certManagerValues({ replicas: 2 }).prometheus).to.deep.equal({ enabled: true, servicemonitor: { enabled: false } });
    const workload = certManagerControllerWorkload("operators");
    expect(subset(target.selector, workload.pods.labels), "the monitor selects the controller's Service (labelled like its pods)").to.equal(true);
    expect(workload.services?.[0]?.ports).to.deep.equal({ "http-metrics": 9402 });
    expect(scrapeDestination(target)).to.deep.equal({ kind: "service", namespace: "operators", name: "cert-manager", port: "http-metrics" });
  });

  it("issue #18: the Envoy proxies' stats are scraped per pod on 19001 /stats/prometheus by a PodMonitor", () => {
    const target = proxiesScrapeTarget(gateway);
    const monitor = monitorManifest(target, {});
    expect(monitor.kind).to.equal("PodMonitor");
    expect(monitor.spec).to.deep.include({ namespaceSelector: { matchNames: ["gateway"] }, podMetricsEndpoints: [{ port: "metrics", path: "/stats/prometheus", scheme: "http" }] });
    expect(monitor.spec.selector.matchLabels).to.deep.equal({
      "app.kubernetes.io/name": "envoy",
      "app.kubernetes.io/component": "proxy",
      "app.kubernetes.io/managed-by": "envoy-gateway",
      "gateway.envoyproxy.io/owning-gateway-name": "strata",
      "gateway.envoyproxy.io/owning-gateway-namespace": "gateway",
    });
    const workload = proxyWorkload(gateway.namespace, gateway.name);
    expect(workload.id).to.equal("gateway/envoy-proxies");
    expect(subset(target.selector, workload.pods.labels)).to.equal(true);
    expect(workload.containerPorts?.metrics).to.equal(19001);
    expect(scrapeDestination(target)).to.deep.include({ kind: "pods", namespace: "gateway", port: "metrics" });
  });

  it("the Envoy Gateway controller is scraped on its Service's metrics port, which the chart values keep", () => {
    const target = controllerScrapeTarget("gateway");
    expect(monitorManifest(target, {}).spec).to.deep.include({ endpoints: [{ port: "metrics", path: "/metrics", scheme: "http" }] });
    const workload = controllerWorkload("gateway");
    expect(subset(target.selector, workload.pods.labels)).to.equal(true);
    expect(workload.services?.[0]).to.deep.include({ name: "envoy-gateway" });
    expect(workload.services?.[0]?.ports.metrics).to.equal(19001);
    // strata does not override the chart's `deployment.ports`, where `metrics` 19001 is declared.
    expect(envoyGatewayValues({ replicas: 2, placement: { nodeSelector: {}, tolerations: [] } }).deployment).to.not.have.property("ports");
  });
});
