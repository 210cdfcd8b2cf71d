import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { verticalAutoscalerManifest } from "../../apps/service/vertical-autoscaler";
import { clusterDemand } from "../../apps/capacity/cluster-demand";
import { RECOMMENDER_SIZE, vpaValues } from "../../cluster/vpa/values";
import { CHARTS } from "../../lib/catalog";
import { placementFor } from "../../lib/placement";
import { VPA_STATE_METRICS_RULE, VPA_TARGET_SERIES, vpaStateMetricsResource, withVpaStateMetrics } from "../../platform/observability/vpa-state-metrics";
import { backupStateMetricsValues } from "../../platform/observability/backup-state-metrics";
import { DASHBOARDS } from "../../platform/observability/dashboards";
import { chartValuesHardened, HELM_RELEASE } from "../../policy/kubernetes/chart-values";
import { chartNameOf, loadChartReference } from "../../tools/verify/chart-reference";
import { loadCrds } from "../../tools/verify/crds";
import { customResourceFindings } from "../../tools/verify/custom-resources";
import { valueKeyFindings } from "../../tools/verify/helm-values";
import { check, resource } from "../policy/fixtures";
import { clusterConfig, VSPHERE_POOLS } from "./fixtures";
import { chartReference } from "./reference";

const VPA_CRD = join(chartReference(), "vertical-pod-autoscaler", "crds", "vpa-v1-crd-gen.yaml");
const values = vpaValues({ recommenderReplicas: 2, placement: placementFor(VSPHERE_POOLS)("system") });

interface SchemaNode {
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
}
function vpaSchema(): SchemaNode {
  const crds = parseAllDocuments(readFileSync(VPA_CRD, "utf8")).map((d) => d.toJS() as { spec: { names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: SchemaNode } }[] } });
  const crd = crds.find((c) => c.spec.names.kind === "VerticalPodAutoscaler");
  const schema = crd?.spec.versions.find((v) => v.name === "v1")?.schema.openAPIV3Schema;
  if (schema === undefined) throw new Error("no VerticalPodAutoscaler v1 schema in the reference CRD");
  return schema;
}
/** Walks object properties, stepping into array items where the path meets an array. */
function has(schema: SchemaNode, path: readonly string[]): boolean {
  let node: SchemaNode | undefined = schema;
  for (const key of path) {
    if (node?.properties?.[key] === undefined && node?.items !== undefined) node = node.items;
    node = node?.properties?.[key];
    if (node === undefined) return false;
  }
  return true;
}

describe("VerticalPodAutoscaler (recommendation mode)", () => {
  describe("config", () => {
    it("is off unless a stack turns it on, with two recommenders when on", () => {
      expect(clusterConfig({}).vpa).to.deep.equal({ enabled: false, recommenderReplicas: 2 });
      expect(clusterConfig({ vpa: { enabled: true } }).vpa.enabled).to.equal(true);
    });
    it("refuses a recommender count below one and unknown keys, naming the key", () => {
      expect(() => clusterConfig({ vpa: { enabled: true, recommenderReplicas: 0 } })).to.throw(/vpa\.recommenderReplicas/);
      expect(() => clusterConfig({ vpa: { enabled: true, updateMode: "Auto" } })).to.throw(/vpa/);
    });
  });

  describe("chart values", () => {
    it("pins the reference chart version", () => {
      const ref = loadChartReference(chartReference(), chartNameOf(CHARTS["vertical-pod-autoscaler"].chart));
      expect(ref?.source?.chartVersions).to.include(CHARTS["vertical-pod-autoscaler"].version);
    });
    it("sets only keys of the chart's values.yaml", () => {
      const ref = loadChartReference(chartReference(), chartNameOf(CHARTS["vertical-pod-autoscaler"].chart));
      if (ref === undefined) throw new Error("no reference data for vertical-pod-autoscaler");
      expect(valueKeyFindings("vertical-pod-autoscaler", values, ref).map((f) => `${f.path}: ${f.message}`)).to.deep.equal([]);
    });
    it("runs the recommender only: no updater evicts and no admission webhook rewrites pods", () => {
      expect(values.updater.enabled).to.equal(false);
      expect(values.admissionController.enabled).to.equal(false);
      expect(values.recommender.enabled).to.equal(true);
    });
    it("requests resources for the recommender (the chart sets none) on the system pool, and passes the chart-values policy", async () => {
      expect(values.recommender.resources.requests).to.deep.equal({ cpu: "50m", memory: "500Mi" });
      expect(values.recommender.nodeSelector).to.deep.equal(placementFor(VSPHERE_POOLS)("system").nodeSelector);
      const release = resource(HELM_RELEASE, { chart: "vertical-pod-autoscaler", name: "vertical-pod-autoscaler", namespace: "operators", version: CHARTS["vertical-pod-autoscaler"].version, values });
      expect(await check(chartValuesHardened, [release])).to.deep.equal([]);
    });
  });

  describe("the per-Deployment object", () => {
    const vpa = verticalAutoscalerManifest({ name: "api", namespace: "apps", labels: { "app.kubernetes.io/name": "api" } });
    it("targets the Deployment with updateMode Off", () => {
      expect(vpa.spec.targetRef).to.deep.equal({ apiVersion: "apps/v1", kind: "Deployment", name: "api" });
      expect(vpa.spec.updatePolicy.updateMode).to.equal("Off");
    });
    it("is valid against the chart's VerticalPodAutoscaler CRD", () => {
      expect(customResourceFindings("VerticalPodAutoscaler api", vpa, "autoscaling.k8s.io", "v1", "VerticalPodAutoscaler", loadCrds(chartReference()))).to.deep.equal([]);
    });
    it("an update mode the CRD does not know is refused by the same check (the check can fail)", () => {
      const bad = { ...vpa, spec: { ...vpa.spec, updatePolicy: { updateMode: "Never" } } };
      expect(customResourceFindings("VerticalPodAutoscaler api", bad, "autoscaling.k8s.io", "v1", "VerticalPodAutoscaler", loadCrds(chartReference()))).to.not.deep.equal([]);
    });
  });

  describe("capacity", () => {
    it("counts the recommenders on the system pool only when VPA is on", () => {
      const on = clusterDemand(clusterConfig({ vpa: { enabled: true, recommenderReplicas: 3 } })).workloads.find((w) => w.owner === "vpa recommender");
      expect(on).to.deep.equal({ owner: "vpa recommender", target: { role: "system" }, pods: 3, perPod: { cpuMillis: RECOMMENDER_SIZE.cpuMillis, memoryMi: RECOMMENDER_SIZE.memoryMi } });
      expect(clusterDemand(clusterConfig({})).workloads.find((w) => w.owner === "vpa recommender")).to.equal(undefined);
    });
  });

  describe("recommendations in Grafana (kube-state-metrics custom resource state)", () => {
    const res = vpaStateMetricsResource();
    it("reads fields the pinned CRD has: labels, the recommendation list and each value", () => {
      const schema = vpaSchema();
      // metadata is the object's ObjectMeta (the CRD schema leaves it open); the rest must be in the schema.
      for (const path of Object.values(res.labelsFromPath).filter((p) => p[0] !== "metadata")) expect(has(schema, path), path.join(".")).to.equal(true);
      for (const metric of res.metrics) {
        const list = metric.each.gauge.path;
        expect(has(schema, list), list.join(".")).to.equal(true);
        for (const field of [...metric.each.gauge.labelsFromPath.container, ...[metric.each.gauge.valueFrom[0]!]]) expect(has(schema, [...list, field]), `${list.join(".")}[].${field}`).to.equal(true);
      }
      expect(res.groupVersionKind).to.deep.equal({ group: "autoscaling.k8s.io", version: "v1", kind: "VerticalPodAutoscaler" });
    });
    it("exports the target for cpu and memory under the series name the docs use", () => {
      const target = res.metrics.filter((m) => `kube_customresource_${m.name}` === VPA_TARGET_SERIES).map((m) => m.commonLabels.resource);
      expect(target).to.deep.equal(["cpu", "memory"]);
    });
    it("a Grafana dashboard shows the recommended CPU and memory beside the pods' requests", () => {
      const panels = DASHBOARDS["apps-vpa-recommendations.json"]?.panels ?? [];
      for (const resource of ["cpu", "memory"]) {
        expect(panels.some((p) => p.expr.includes(VPA_TARGET_SERIES) && p.expr.includes(`resource="${resource}"`)), `${resource} target`).to.equal(true);
        expect(panels.some((p) => p.expr.includes("kube_pod_container_resource_requests") && p.expr.includes(`resource="${resource}"`)), `${resource} requests`).to.equal(true);
      }
    });
    it("keeps the MySQL backup objects first and adds the VPA objects and their list/watch rule", () => {
      const merged = withVpaStateMetrics(backupStateMetricsValues());
      expect(merged.customResourceState.config.spec.resources).to.have.length(2);
      expect(merged.customResourceState.config.spec.resources[0]).to.deep.equal(backupStateMetricsValues().customResourceState.config.spec.resources[0]);
      expect(merged.rbac.extraRules).to.deep.include(VPA_STATE_METRICS_RULE);
    });
  });
});
