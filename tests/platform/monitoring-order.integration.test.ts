/**
 * Monitors need the Prometheus Operator CRDs that the kube-prometheus-stack release installs in
 * the same `pulumi up`: a PodMonitor created first fails ("no matches for kind"), and a chart that
 * checks `.Capabilities` silently renders no ServiceMonitor. Every monitor, and every release whose
 * values turn on its chart's monitors, must wait for that release.
 */
import { expect } from "chai";
import type { CapturedRecord } from "../../tools/engine/capture";
import type { RunResult } from "../../tools/engine/run";
import { planStack } from "../harness";
import { exampleRun } from "../infra/vsphere/fixtures";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const MONITOR_KINDS = ["ServiceMonitor", "PodMonitor", "PrometheusRule"];
/** Charts whose values strata sets to render ServiceMonitors/PodMonitors. */
const CHARTS_WITH_MONITORS = ["seaweedfs", "redis-ha", "velero"];

function chartOf(resource: CapturedRecord): string {
  const chart = resource.inputs["chart"];
  return typeof chart === "string" ? chart : "";
}

function metricsRelease(result: RunResult) {
  const found = result.resources.find((r) => r.type === RELEASE && chartOf(r).endsWith("kube-prometheus-stack"));
  if (found === undefined) throw new Error("no kube-prometheus-stack release");
  return found;
}

function monitorsAndMonitoringReleases(result: RunResult) {
  const monitors = result.resources.filter((r) => MONITOR_KINDS.includes(typeof r.inputs["kind"] === "string" ? r.inputs["kind"] : ""));
  const releases = result.resources.filter((r) => r.type === RELEASE && CHARTS_WITH_MONITORS.some((chart) => chartOf(r).endsWith(chart)));
  return [...monitors, ...releases];
}

describe("platform: monitors wait for the Prometheus Operator CRDs", () => {
  for (const [label, run] of [
    ["prod (EMIS, vSphere)", () => planStack({ stack: "prod" })],
    ["dev (EKS)", () => planStack({ stack: "dev" })],
    ["vSphere dev example", () => planStack(exampleRun("vsphere-dev.yaml"))],
  ] as const) {
    it(`${label}: every monitor and monitor-rendering release depends on kube-prometheus-stack`, async () => {
      const result = await run();
      const crds = metricsRelease(result).urn;
      const waiting = monitorsAndMonitoringReleases(result);
      expect(waiting.length, "the stack declares monitors").to.be.greaterThan(2);
      for (const resource of waiting) {
        expect(resource.dependencies, `${resource.urn} waits for ${crds}`).to.include(crds);
      }
    });
  }

  it("kube-prometheus-stack waits for nothing of the object store, so there is no cycle", async () => {
    const prod = await planStack({ stack: "prod" });
    const store = prod.resources.find((r) => r.type === RELEASE && chartOf(r).endsWith("seaweedfs"));
    expect(store, "prod runs SeaweedFS").to.not.equal(undefined);
    expect(metricsRelease(prod).dependencies).to.not.include(store?.urn);
  });
});
