import { expect } from "chai";
import type { PlanDocument, PlannedResource } from "../../tools/engine/plan-document";
import type { ChartRead } from "../../tools/plan/chart-rolls";
import { chartRollFindings, formatUnrolled, podReads, unrolledWorkloads } from "../../tools/plan/rolling";

const resource = (type: string, inputs: Record<string, unknown>): PlannedResource => ({
  urn: `urn:${type}`,
  type,
  name: String((inputs["metadata"] as { name?: string } | undefined)?.name ?? "x"),
  parent: "",
  dependencies: [],
  provider: "",
  protect: false,
  custom: true,
  version: "",
  inputs,
});
const plan = (...resources: PlannedResource[]): PlanDocument => ({ project: "strata", stack: "t", resources, outputs: {} });
const secret = (name: string, namespace = "data") => resource("kubernetes:core/v1:Secret", { metadata: { name, namespace } });
const configMap = (name: string, namespace = "data") => resource("kubernetes:core/v1:ConfigMap", { metadata: { name, namespace } });
const podSpec = {
  containers: [{ env: [{ name: "K", valueFrom: { secretKeyRef: { name: "keys", key: "k" } } }], envFrom: [{ configMapRef: { name: "settings" } }] }],
  volumes: [{ name: "ca", secret: { secretName: "ca" } }, { name: "p", projected: { sources: [{ configMap: { name: "files" } }] } }],
  imagePullSecrets: [{ name: "registry" }],
};
const deployment = (annotations?: Record<string, string>) =>
  resource("kubernetes:apps/v1:Deployment", { metadata: { name: "copier", namespace: "data" }, spec: { template: { metadata: annotations === undefined ? {} : { annotations }, spec: podSpec } } });

describe("plan: workloads roll when the Secrets and ConfigMaps strata renders for them change", () => {
  it("reads env, envFrom, secret, configMap and projected volumes, not image pull secrets", () => {
    expect(podReads(podSpec)).to.deep.equal(["ConfigMap files", "ConfigMap settings", "Secret ca", "Secret keys"]);
  });

  it("reports a workload reading objects strata renders with no strata.io/*-sha256 digest, naming only those objects", () => {
    const found = unrolledWorkloads(plan(secret("keys"), configMap("settings"), secret("ca", "other"), deployment({ "strata.io/config-checksum": "abc" })));
    expect(found.map(formatUnrolled)).to.deep.equal([
      "Deployment data/copier reads ConfigMap settings, Secret keys (rendered by strata) but its pod template carries no strata.io/<what>-sha256 digest of them: a change would not roll its pods",
    ]);
  });

  it("passes a workload with a digest, one that reads only objects others create, and finds CronJob templates", () => {
    expect(unrolledWorkloads(plan(secret("keys"), deployment({ "strata.io/config-sha256": "abc" })))).to.deep.equal([]);
    expect(unrolledWorkloads(plan(deployment()))).to.deep.equal([]);
    const cronJob = resource("kubernetes:batch/v1:CronJob", { metadata: { name: "sync", namespace: "data" }, spec: { jobTemplate: { spec: { template: { spec: podSpec } } } } });
    expect(unrolledWorkloads(plan(secret("keys"), cronJob)).map((u) => u.workload)).to.deep.equal(["CronJob data/sync"]);
  });
});

describe("plan: Helm releases roll when the Secrets and ConfigMaps strata renders for them change", () => {
  const release = (values: Record<string, unknown>) => resource("kubernetes:helm.sh/v3:Release", { chart: "oci://example/charts/velero", name: "velero", namespace: "data", values });
  const table: Readonly<Record<string, readonly ChartRead[]>> = {
    velero: [
      { kind: "Secret", name: "keys", roll: { digest: { annotation: "strata.io/credentials-sha256", at: ["podAnnotations", "nodeAgent.podAnnotations"] } } },
      { kind: "ConfigMap", name: "settings", roll: { reloads: "watches it" } },
    ],
  };

  it("reports a rendered object named in the values that the table does not list, in the release's namespace only", () => {
    const found = chartRollFindings(plan(secret("other"), secret("elsewhere", "velero"), release({ credentials: { existingSecret: "other" }, extra: ["elsewhere"] })), table);
    expect(found).to.deep.equal([
      "release data/velero (chart velero) names Secret other (rendered by strata) in its values, but tools/plan/chart-rolls.ts does not say how its pods follow a change to it",
    ]);
  });

  it("reports a digest entry whose annotation is missing or empty at one of its paths, and passes one present at all", () => {
    const keys = secret("keys");
    expect(chartRollFindings(plan(keys, release({ existingSecret: "keys", podAnnotations: { "strata.io/credentials-sha256": "abc" }, nodeAgent: { podAnnotations: { "strata.io/credentials-sha256": "" } } })), table)).to.deep.equal([
      "release data/velero (chart velero) reads Secret keys (rendered by strata) but its values carry no strata.io/credentials-sha256 at nodeAgent.podAnnotations: a change would not roll its pods",
    ]);
    expect(chartRollFindings(plan(keys, configMap("settings"), release({ existingSecret: "keys", config: "settings", podAnnotations: { "strata.io/credentials-sha256": "abc" }, nodeAgent: { podAnnotations: { "strata.io/credentials-sha256": "abc" } } })), table)).to.deep.equal([]);
  });

  it("checks a digest entry the chart reads by a fixed name, and skips one strata does not render on this stack", () => {
    expect(chartRollFindings(plan(secret("keys"), release({})), table)).to.have.length(2);
    expect(chartRollFindings(plan(release({})), table)).to.deep.equal([]);
  });
});
