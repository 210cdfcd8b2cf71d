import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { CHARTS } from "../../lib/catalog";
import { CHART_DEFAULT_EXCEPTIONS } from "../../policy/kubernetes/allow-list";
import { CHART_PODS, chartValuesHardened, HELM_RELEASE, valueAt } from "../../policy/kubernetes/chart-values";
import { defaultChartsDir } from "../../tools/verify/reference-dir";
import { check, resource } from "./fixtures";

const release = (chart: string, values: Record<string, unknown>) => resource(HELM_RELEASE, { chart, name: chart.slice(chart.lastIndexOf("/") + 1), namespace: "ops", version: "1.0.0", values });
const sized = { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } };

describe("policy: Helm release values (issue #24: chart-installed workloads)", () => {
  it("issue #24: describes the pod components of every chart lib/catalog.ts pins", () => {
    for (const pin of Object.values(CHARTS)) expect(CHART_PODS, pin.chart).to.have.property(pin.chart);
  });

  it("issue #24: accepts a release whose values size every component, whatever the chart source form", async () => {
    expect(await check(chartValuesHardened, [release("oci://ghcr.io/example/charts/psmdb-operator", { resources: sized })])).to.deep.equal([]);
  });

  it("issue #24: refuses a component left unsized without an allow-listed chart default, naming the values path", async () => {
    const found = await check(chartValuesHardened, [release("redis-ha", { redis: { resources: sized }, sentinel: { resources: { requests: { cpu: "10m" } } }, haproxy: { enabled: false } })]);
    expect(found.map((v) => v.message)).to.deep.equal([
      "Helm release ops/redis-ha (chart redis-ha): component sentinel has no sentinel.resources.requests.memory, sentinel.resources.limits.memory; set them in the release values, or allow-list the chart default in CHART_DEFAULT_EXCEPTIONS",
    ]);
  });

  it("issue #24: an allow-listed chart default (cert-manager's controllers) passes unsized", async () => {
    expect(await check(chartValuesHardened, [release("cert-manager", {})])).to.deep.equal([]);
  });

  it("issue #24: refuses a chart nobody described", async () => {
    expect((await check(chartValuesHardened, [release("https://charts.example.com/mystery", {})])).map((v) => v.message)).to.deep.equal([
      "Helm release ops/mystery (chart mystery): the chart's pod components are not described; add them to CHART_PODS in policy/kubernetes/chart-values.ts",
    ]);
  });

  it("issue #24: refuses securityContext values that weaken a pod, at any depth", async () => {
    const values = {
      resources: sized,
      podSecurityContext: { runAsUser: 0, seccompProfile: { type: "Unconfined" } },
      webhook: { containerSecurityContext: { privileged: true, allowPrivilegeEscalation: true, capabilities: { add: ["NET_BIND_SERVICE", "SYS_ADMIN"] } }, resources: sized },
      cainjector: { securityContext: { runAsNonRoot: false, seccompProfile: { type: "RuntimeDefault" } }, resources: sized },
    };
    expect((await check(chartValuesHardened, [release("cert-manager", values)])).map((v) => v.message.replace("Helm release ops/cert-manager (chart cert-manager): values ", ""))).to.deep.equal([
      "podSecurityContext sets runAsUser: 0",
      "podSecurityContext sets seccompProfile.type: Unconfined",
      "webhook.containerSecurityContext sets privileged: true",
      "webhook.containerSecurityContext sets allowPrivilegeEscalation: true",
      "webhook.containerSecurityContext sets capabilities.add SYS_ADMIN (only NET_BIND_SERVICE may be added)",
      "cainjector.securityContext sets runAsNonRoot: false",
    ]);
  });

  it("issue #24: every allow-listed chart default names a described component and is what the chart's values.yaml says", function () {
    const charts = defaultChartsDir();
    if (!existsSync(charts)) this.skip();
    for (const entry of CHART_DEFAULT_EXCEPTIONS) {
      const label = `${entry.chart}/${entry.component}`;
      const pod = CHART_PODS[entry.chart]?.find((p) => p.component === entry.component);
      expect(pod?.resources, label).to.equal(entry.path);
      const valuesFile = join(charts, entry.chart, "values.yaml");
      const chartValues: unknown = existsSync(valuesFile) ? parse(readFileSync(valuesFile, "utf8")) : undefined;
      // undefined: the chart, or the subchart holding the path, is not in the reference data.
      expect(valueAt(chartValues, entry.path), `${label}: record the chart's default`).to.deep.equal(entry.chartDefault);
    }
  });
});
