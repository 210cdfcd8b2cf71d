/**
 * Issue #25 (Tartware extras): the plan of the Tartware example has VPA recommendations for every
 * service and the seed's k6 load test shipped (not started), and the paths the recommender and
 * the load test need are proven by the connection check.
 */
import { expect } from "chai";
import { parse } from "yaml";
import { loadCrds } from "../../tools/verify/crds";
import { customResourceFindings } from "../../tools/verify/custom-resources";
import { chartReference } from "../cluster/reference";
import { brokenConnections, proveConnections } from "../../tools/connections";
import type { PlanDocument, PlannedResource } from "../../tools/engine/plan-document";
import { REPO_ROOT, toPlanDocument } from "../../tools/engine/run";
import { planStack } from "../harness";

let tartware: Promise<PlanDocument> | undefined;
const plan = (): Promise<PlanDocument> => (tartware ??= planStack({ stack: "tartware", configFile: `${REPO_ROOT}/examples/tartware/Pulumi.tartware.yaml` }).then(toPlanDocument));

const meta = (r: PlannedResource) => (r.inputs["metadata"] ?? {}) as { name?: string; namespace?: string };
const ofKind = (p: PlanDocument, kind: string) => p.resources.filter((r) => r.inputs["kind"] === kind);
const release = (p: PlanDocument, chart: string) => p.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs["chart"] === chart);
const without = (p: PlanDocument, kind: string, namespace: string, name: string): PlanDocument => {
  const kept = p.resources.filter((r) => !(r.inputs["kind"] === kind && meta(r).name === name && meta(r).namespace === namespace));
  expect(kept.length, `${kind} ${namespace}/${name} is in the plan`).to.equal(p.resources.length - 1);
  return { ...p, resources: kept };
};

describe("Tartware extras (plan)", function () {
  this.timeout(600_000);

  it("issue #25: the seed's VPA recommendations: every Tartware Deployment has a VerticalPodAutoscaler with updateMode Off", async () => {
    const p = await plan();
    const deployments = ofKind(p, "Deployment").filter((r) => meta(r).namespace === "tartware").map((r) => meta(r).name);
    const vpas = ofKind(p, "VerticalPodAutoscaler").filter((r) => meta(r).namespace === "tartware");
    expect(deployments.length).to.be.greaterThan(0);
    expect(vpas.map((r) => (r.inputs["spec"] as { targetRef: { name: string } }).targetRef.name).sort()).to.deep.equal([...deployments].sort());
    for (const vpa of vpas) expect((vpa.inputs["spec"] as { updatePolicy: { updateMode: string } }).updatePolicy.updateMode, meta(vpa).name).to.equal("Off");
  });

  it("issue #25: installs the pinned VPA chart with the recommender only", async () => {
    const vpa = release(await plan(), "vertical-pod-autoscaler");
    expect(vpa, "the vertical-pod-autoscaler release").to.not.equal(undefined);
    const values = vpa?.inputs["values"] as { updater: { enabled: boolean }; admissionController: { enabled: boolean }; recommender: { enabled: boolean } };
    expect([values.recommender.enabled, values.updater.enabled, values.admissionController.enabled]).to.deep.equal([true, false, false]);
  });

  it("issue #25: the recommender's API server path is proven, and breaks without the operators namespace's API server egress", async () => {
    const p = await plan();
    const mine = (r: { readonly source: string }) => r.source === "operators/vpa-recommender";
    const results = (await proveConnections(p)).filter(mine);
    expect(results.map((r) => r.destination)).to.deep.equal(["api-server"]);
    expect(brokenConnections(results)).to.deep.equal([]);
    const broken = brokenConnections(await proveConnections(without(p, "NetworkPolicy", "operators", "allow-api-server"))).filter((b) => b.connection.startsWith("operators/vpa-recommender "));
    expect(broken.map((b) => b.message.split(":")[0])).to.deep.equal(["egress"]);
  });

  it("issue #25: the seed's k6 test ships as a TestRun in a ConfigMap (valid against the CRD), and no TestRun is created on up", async () => {
    const p = await plan();
    expect(ofKind(p, "TestRun"), "a TestRun object would start a run on every up").to.deep.equal([]);
    expect(release(p, "k6-operator"), "the k6-operator release").to.not.equal(undefined);
    const configMap = ofKind(p, "ConfigMap").find((r) => meta(r).name === "load-test-peak" && meta(r).namespace === "tartware");
    const data = configMap?.inputs["data"] as Record<string, string>;
    const testRun = parse(data["testrun.yaml"] ?? "") as { spec: { parallelism: number; runner: { env: { name: string; value: string }[] } } };
    expect(customResourceFindings("TestRun peak", testRun, "k6.io", "v1alpha1", "TestRun", loadCrds(chartReference()))).to.deep.equal([]);
    expect(testRun.spec.parallelism).to.equal(10);
    expect(testRun.spec.runner.env).to.deep.equal([{ name: "TARGET_URL", value: "http://api-gateway.tartware.svc:8080" }]);
    // The seed's profile: 20k RPS from up to 5000 VUs.
    expect(data["script.js"]).to.match(/rate: 20000,/).and.match(/maxVUs: 5000,/);
  });

  it("issue #25: the runners' path to the API gateway is proven, and breaks without the target's load-test ingress", async () => {
    const p = await plan();
    const results = (await proveConnections(p)).filter((r) => r.purpose.startsWith("load test peak"));
    expect(results.length).to.equal(1 + 2 * 10);
    expect(brokenConnections(results)).to.deep.equal([]);
    const broken = brokenConnections(await proveConnections(without(p, "NetworkPolicy", "tartware", "load-test-peak-target"))).filter((b) => b.connection.startsWith("tartware/k6-peak-runners "));
    expect(broken.map((b) => `${b.connection}: ${b.message.split(":")[0]}`)).to.deep.equal(["tartware/k6-peak-runners → tartware/api-gateway:8080: ingress"]);
  });
});
