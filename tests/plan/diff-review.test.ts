/**
 * issue #27: a reviewer-grade plan diff. Old → new values per changed path (secrets as
 * `[secret] changed`) in the text and the `--json` document; a rotated `secure:` value shown on
 * the resources that receive it (the offline plan sees stand-ins, so it said "0 to update"); a
 * parentless password filed under the layer that uses it, not infra; warnings for a Kubernetes
 * downgrade or skipped minor, a protected resource replaced, and data deleted.
 */
import { expect } from "chai";
import type { CapturedRecord } from "../../tools/engine/capture";
import type { PlanDocument, PlannedResource } from "../../tools/engine/plan-document";
import { diffPlans, formatDiff } from "../../tools/plan/diff";
import { changedSecureKeys, secretReceivers, secureCiphertexts } from "../../tools/plan/secret-changes";

const resource = (urn: string, type: string, inputs: Record<string, unknown>, extra: Partial<PlannedResource> = {}): PlannedResource => ({
  urn,
  type,
  name: urn.split("::").pop() ?? urn,
  parent: "urn:apps",
  dependencies: [],
  provider: "",
  protect: false,
  custom: true,
  version: "",
  inputs,
  ...extra,
});
const appsLayer = resource("urn:apps", "strata:apps:AppsLayer", {}, { parent: "", custom: false });
const plan = (resources: PlannedResource[], kubernetesVersion = "1.35"): PlanDocument => ({ project: "strata", stack: "prod", resources: [appsLayer, ...resources], outputs: { infra: { kubernetesVersion } } });

describe("plan diff for reviewers", () => {
  it("issue #27: carries old → new values per changed path, secrets as [secret] changed, in text and JSON", () => {
    const hpa = (max: number) => resource("urn::api-hpa", "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", { spec: { maxReplicas: max, minReplicas: 2 } });
    const secret = (data: string) => resource("urn::api-env", "kubernetes:core/v1:Secret", { metadata: { name: "api-env" }, stringData: data });
    const diff = diffPlans(plan([hpa(10), secret("[secret]")]), plan([hpa(12), { ...secret("[secret]"), inputs: { metadata: { name: "api-env", labels: { a: "b" } }, stringData: "[secret]" } }]));
    const update = diff.changes.find((c) => c.name === "api-hpa");
    expect(update?.values).to.deep.equal([{ path: "spec.maxReplicas", before: 10, after: 12 }]);
    expect((JSON.parse(JSON.stringify(diff)) as typeof diff).changes[0]?.values?.[0]).to.deep.equal({ path: "spec.maxReplicas", before: 10, after: 12 });
    expect(formatDiff(diff, "t")).to.include("         spec.maxReplicas: 10 → 12").and.include('         metadata.labels: (none) → {"a":"b"}');
    const onSecret = diffPlans(plan([secret("[secret]")]), plan([resource("urn::api-env", "kubernetes:core/v1:Secret", { metadata: { name: "api-env" }, stringData: { JWT_KEY: "[secret]" } })]));
    expect(onSecret.changes[0]?.values).to.deep.equal([{ path: "stringData", secret: true }]);
    expect(formatDiff(onSecret, "t")).to.include("stringData: [secret] changed").and.not.include("JWT_KEY");
  });

  it("issue #27: a rotated secure: value shows on the Secret that receives it and the Deployment that rolls with it", () => {
    const before = "config:\n  strata:apps:\n    services:\n      api:\n        env:\n          JWT_KEY:\n            secure: v1:AAAA\n";
    const after = before.replace("v1:AAAA", "v1:BBBB");
    const changed = changedSecureKeys(secureCiphertexts(before, "strata"), secureCiphertexts(after, "strata"));
    expect(changed).to.deep.equal(["strata:apps.services.api.env.JWT_KEY"]);
    const standIn = "mock-secret-config-strata-apps-services-api-env-JWT-KEY";
    const captured = (r: PlannedResource, raw: Record<string, unknown>): CapturedRecord => ({ ...r, dependencies: [...r.dependencies], ignoreChanges: [], inputs: { ...r.inputs }, rawInputs: raw });
    const envSecret = resource("urn::api-env", "kubernetes:core/v1:Secret", { metadata: { name: "api-env" }, stringData: "[secret]" });
    const deployment = resource("urn::api", "kubernetes:apps/v1:Deployment", { spec: { template: { metadata: { annotations: { "strata.io/env-secret-sha256": "[secret]" } } } } }, { dependencies: ["urn::api-env"] });
    const unrelated = resource("urn::web-env", "kubernetes:core/v1:Secret", { stringData: "[secret]" });
    const receivers = secretReceivers(
      [captured(envSecret, { stringData: { JWT_KEY: standIn } }), captured(deployment, { ...deployment.inputs }), captured(unrelated, { stringData: { OTHER: "x" } })],
      { "strata:apps.services.api.env.JWT_KEY": standIn },
      changed,
    );
    const same = plan([envSecret, deployment, unrelated]);
    // Without the ciphertext comparison, both plans are equal: the defect.
    expect(diffPlans(same, same).changes).to.deep.equal([]);
    const diff = diffPlans(same, same, { secretReceivers: receivers });
    expect(diff.changes.map((c) => [c.change, c.name, c.fromSecrets])).to.deep.equal([
      ["update", "api-env", ["strata:apps.services.api.env.JWT_KEY"]],
      ["update", "api", ["strata:apps.services.api.env.JWT_KEY"]],
    ]);
    expect(formatDiff(diff, "t")).to.include("0 to create, 0 to replace, 2 to update").and.include("         changed (from secret strata:apps.services.api.env.JWT_KEY)");
  });

  it("issue #27: warns of a Kubernetes downgrade and a skipped minor", () => {
    expect(diffPlans(plan([], "1.35"), plan([], "1.34")).warnings).to.deep.equal([
      "Kubernetes 1.35 → 1.34: would downgrade the cluster from 1.35, which Kubernetes does not support; keep 1.35 or move up one minor",
    ]);
    expect(diffPlans(plan([], "1.33"), plan([], "1.35")).warnings[0]).to.contain("would skip minors after 1.33");
    expect(diffPlans(plan([], "1.34"), plan([], "1.35")).warnings).to.deep.equal([]);
    expect(formatDiff(diffPlans(plan([], "1.35"), plan([], "1.34")), "t").split("\n")[2]).to.match(/^ {2}warning: Kubernetes 1\.35 → 1\.34: would downgrade/);
  });

  it("warns of a protected resource replaced and of data deleted", () => {
    const pvc = resource("urn::data-0", "kubernetes:core/v1:PersistentVolumeClaim", { spec: {} });
    const cluster = (name: string) => resource("urn::eks", "aws:eks/cluster:Cluster", { name }, { protect: true });
    const diff = diffPlans(plan([pvc, cluster("a")]), plan([cluster("b")]));
    expect(diff.warnings).to.include("deletes kubernetes:core/v1:PersistentVolumeClaim data-0, which holds data: its contents are lost unless backed up and restored");
    expect(diff.warnings.some((w) => w.startsWith("replaces protected aws:eks/cluster:Cluster eks: the engine refuses"))).to.equal(true);
  });

  it("issue #27: files a parentless password under the layer that uses it, not infra", () => {
    const password = resource("urn::grafana-password", "random:index/randomPassword:RandomPassword", { length: 32 }, { parent: "" });
    const user = resource("urn::grafana-secret", "kubernetes:core/v1:Secret", { stringData: "[secret]" }, { dependencies: ["urn::grafana-password"] });
    const diff = diffPlans(plan([user]), plan([user, password]));
    expect(diff.changes.map((c) => [c.name, c.layer])).to.deep.equal([["grafana-password", "apps"]]);
  });
});
