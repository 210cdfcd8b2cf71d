/**
 * issue #23: the telemetry paths are declared, so the connection check proves them: every app to
 * the router collectors (the OTEL_EXPORTER_OTLP_ENDPOINT it gets), the router's OTLP metrics and
 * Tempo's generated metrics into each Prometheus replica (ValueVerse is a prod stack: two; the
 * per-replica writes are broken on purpose in stacks.integration.test.ts). Removing the apps'
 * egress policy breaks the first.
 */
import { expect } from "chai";
import { brokenConnections, proveConnections } from "../../tools/connections";
import type { PlanDocument } from "../../tools/engine/plan-document";
import { toPlanDocument } from "../../tools/engine/run";
import { planStack } from "../harness";

const REPLICAS = ["prometheus-kube-prometheus-stack-prometheus-0", "prometheus-kube-prometheus-stack-prometheus-1"];

describe("issue #23: telemetry connections", function () {
  this.timeout(900_000);
  let plan: PlanDocument;
  before(async () => {
    plan = toPlanDocument(await planStack({ stack: "valueverse", configFile: "examples/valueverse.yaml" }));
  });

  it("proves app → router, router → each Prometheus replica and Tempo → each Prometheus replica", async () => {
    const results = await proveConnections(plan);
    const rows = results.map((r) => `${r.source} → ${r.destination} (${r.purpose})`);
    expect(rows).to.include.members([
      "apps/{app.kubernetes.io/name=backend} → monitoring/otel-router:4318 (OpenTelemetry export (OTLP/HTTP))",
      "apps/{app.kubernetes.io/name=frontend} → monitoring/otel-router:4318 (OpenTelemetry export (OTLP/HTTP))",
      ...REPLICAS.flatMap((pod) => [
        `monitoring/otel-router → monitoring/prometheus-operated:9090 (apps' OTLP metrics to Prometheus replica ${pod})`,
        `monitoring/tempo → monitoring/prometheus-operated:9090 (service graphs and span metrics (remote write) to Prometheus replica ${pod})`,
      ]),
      // Three Tempo pods on the traces bucket (ValueVerse is prod): their rings and their pushes to each other.
      "monitoring/tempo → monitoring/tempo-headless:7946 (Tempo pods gossip their rings (memberlist))",
      "monitoring/tempo → monitoring/tempo-headless:9095 (Tempo distributors push to the ingesters, queriers pull from the frontends (gRPC))",
    ]);
    expect(brokenConnections(results)).to.deep.equal([]);
  });

  it("breaks the apps' export without their egress policy to the monitoring namespace", async () => {
    const kept = plan.resources.filter((r) => {
      const metadata = r.inputs["metadata"] as { name?: string; namespace?: string } | undefined;
      return !(r.inputs["kind"] === "NetworkPolicy" && metadata?.name === "allow-otlp-to-monitoring" && metadata.namespace === "apps");
    });
    expect(kept.length).to.equal(plan.resources.length - 1);
    const broken = brokenConnections(await proveConnections({ ...plan, resources: kept })).map((b) => b.connection);
    expect(broken.some((c) => c.includes("otel-router:4318"))).to.equal(true);
  });

  it("issue #23: breaks the Tempo pods' paths to each other without the headless Service strata renders for them", async () => {
    const kept = plan.resources.filter((r) => !(r.inputs["kind"] === "Service" && (r.inputs["metadata"] as { name?: string } | undefined)?.name === "tempo-headless"));
    expect(kept.length).to.equal(plan.resources.length - 1);
    const broken = brokenConnections(await proveConnections({ ...plan, resources: kept })).map((b) => b.connection);
    expect(broken.filter((c) => c.includes("tempo-headless"))).to.have.length(2);
  });
});
