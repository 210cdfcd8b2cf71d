import { expect } from "chai";
import { errorsOf, formatFinding, formatSummary, verifyPlan, warningsOf } from "../../tools/verify/index";
import { FIXTURE_CHARTS, deployment, planOf, planned, release } from "./plans";

const widget = (spec: Record<string, unknown>) =>
  planned("kubernetes:widgets.example.test/v1:Widget", "widget", { apiVersion: "widgets.example.test/v1", kind: "Widget", metadata: { name: "w" }, spec });

describe("verify: verifyPlan over a whole plan", () => {
  it("finds nothing wrong in a correct plan and counts what it checked", async () => {
    const plan = planOf(
      release("demo", { values: { replicaCount: 2, podAnnotations: { a: "b" } } }),
      widget({ size: 2 }),
      planned("kubernetes:apps/v1:Deployment", "web", deployment()),
      planned("kubernetes:core/v1:Namespace", "apps", { apiVersion: "v1", kind: "Namespace", metadata: { name: "apps" } }),
      planned("strata:cluster:Namespaces", "namespaces", {}, false),
      planned("kubernetes:yaml/v2:ConfigFile", "csi", { file: "https://example.test/csi.yaml" }),
      planned("kubernetes:apps/v1:DeploymentPatch", "patch", { metadata: { name: "coredns" }, spec: { replicas: 3 } }),
      planned("pulumi:providers:kubernetes", "k8s", { kubeconfig: "[secret]" }),
    );
    const report = await verifyPlan(plan, FIXTURE_CHARTS);
    expect(report.findings).to.deep.equal([]);
    expect(report.checked).to.deep.equal({ helmReleases: 1, customResources: 1, kubernetesObjects: 2 });
  });

  it("reports each kind of problem once, naming the resource", async () => {
    const plan = planOf(
      release("demo", { version: "1.2.4", values: { replicaCount: 0, unknownKey: true } }),
      widget({ mode: "fast" }),
      planned("kubernetes:things.example.test/v1:Thing", "thing", { apiVersion: "things.example.test/v1", kind: "Thing", spec: {} }),
      planned("kubernetes:core/v1:Namespace", "apps", { apiVersion: "v1", kind: "Namespace", metadata: { name: 42 } }),
    );
    const report = await verifyPlan(plan, FIXTURE_CHARTS);
    expect(report.findings.map(formatFinding)).to.deep.equal([
      'error chart-version kubernetes:helm.sh/v3:Release demo: version: pinned "1.2.4" differs from the reference release "1.2.3" (SOURCE.txt chart_version)',
      "error helm-values kubernetes:helm.sh/v3:Release demo: unknownKey: unknown value key: not in demo-app/values.yaml",
      "error helm-schema kubernetes:helm.sh/v3:Release demo: replicaCount: must be >= 1 (demo-app/values.schema.json)",
      "error custom-resource kubernetes:widgets.example.test/v1:Widget widget: spec.size: required field is missing (CRD Widget v1, widgets-operator/crds/widgets.yaml)",
      "warning custom-resource kubernetes:things.example.test/v1:Thing thing: not checked: no CRD for Thing (things.example.test) in the chart reference data",
      "error kubernetes-schema kubernetes:core/v1:Namespace apps: metadata.name: must be string",
    ]);
    expect(errorsOf(report)).to.have.length(5);
    expect(warningsOf(report)).to.have.length(1);
    expect(formatSummary(report)).to.equal("5 error(s), 1 warning(s); checked 1 Helm release(s), 2 custom resource(s), 1 Kubernetes object(s), 0 connection(s)");
  });

  it("takes apiVersion and kind from the inputs of a generic CustomResource token", async () => {
    const generic = planned("kubernetes:apiextensions.k8s.io/v1:CustomResource", "generic", {
      apiVersion: "widgets.example.test/v1",
      kind: "Widget",
      metadata: { name: "w" },
      spec: {},
    });
    const report = await verifyPlan(planOf(generic), FIXTURE_CHARTS);
    expect(report.findings.map((finding) => finding.path)).to.deep.equal(["spec.size"]);
  });

  it("warns about a release whose chart has no reference data or no values.yaml", async () => {
    const plan = planOf(release("unknown", { chart: "no-such-chart" }), release("manifests", { chart: "manifest-only", values: { a: 1 } }));
    const report = await verifyPlan(plan, FIXTURE_CHARTS);
    expect(report.findings.map((finding) => [finding.severity, finding.resource, finding.path])).to.deep.equal([
      ["warning", "kubernetes:helm.sh/v3:Release unknown", "chart"],
      ["error", "kubernetes:helm.sh/v3:Release manifests", "version"],
      ["warning", "kubernetes:helm.sh/v3:Release manifests", "repositoryOpts.repo"],
      ["warning", "kubernetes:helm.sh/v3:Release manifests", "values"],
    ]);
  });

  it("checks the metadata of a custom resource as Kubernetes ObjectMeta", async () => {
    const labelled = planned("kubernetes:widgets.example.test/v1:Widget", "widget", {
      apiVersion: "widgets.example.test/v1",
      kind: "Widget",
      metadata: { name: "w", labels: { replicas: 3 }, owner: "platform" },
      spec: { size: 1 },
    });
    const report = await verifyPlan(planOf(labelled), FIXTURE_CHARTS);
    expect(report.findings.map((finding) => [finding.check, finding.path, finding.message])).to.deep.equal([
      ["kubernetes-schema", "metadata.labels.replicas", "must be string"],
      ["kubernetes-schema", "metadata.owner", "unknown field (not in the Kubernetes schema)"],
    ]);
  });

  it("warns that values which are secret as a whole were not checked", async () => {
    const report = await verifyPlan(planOf(release("demo", { values: "[secret]" })), FIXTURE_CHARTS);
    expect(report.findings.map((finding) => [finding.severity, finding.path, finding.message])).to.deep.equal([
      ["warning", "values", "values not checked: the whole values input is secret; wrap only the secret leaves with pulumi.secret()"],
    ]);
  });

  it("refuses a chart folder that does not exist", async () => {
    let message = "";
    await verifyPlan(planOf(), "/nonexistent/charts").catch((error: unknown) => {
      message = error instanceof Error ? error.message : String(error);
    });
    expect(message).to.equal("chart reference folder not found: /nonexistent/charts");
  });
});
