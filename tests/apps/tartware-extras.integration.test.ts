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

  // With the mesh on (STRICT mTLS, AuthorizationPolicies from `callers`), the runners keep their
  // place in the mesh under an identity of their own (apps/load-tests/mesh.ts).
  const RUNNER_PRINCIPAL = "cluster.local/ns/tartware/sa/load-test-peak";
  const withoutPrincipal = (p: PlanDocument, namespace: string, name: string, principal: string): PlanDocument => {
    let found = false;
    const resources = p.resources.map((r) => {
      if (r.inputs["kind"] !== "AuthorizationPolicy" || meta(r).name !== name || meta(r).namespace !== namespace) return r;
      const spec = r.inputs["spec"] as { rules: { from?: { source: { principals?: string[] } }[] }[] };
      // An empty `principals` matches any source, so a source left with none goes, and a rule left with no source too.
      const rules = spec.rules.flatMap((rule) => {
        if (rule.from === undefined) return [rule];
        const from = rule.from.flatMap((f) => {
          if (f.source.principals === undefined) return [f];
          const principals = f.source.principals.filter((x) => x !== principal);
          return principals.length === 0 ? [] : [{ source: { ...f.source, principals } }];
        });
        return from.length === 0 ? [] : [{ ...rule, from }];
      });
      found ||= JSON.stringify(rules) !== JSON.stringify(spec.rules);
      return { ...r, inputs: { ...r.inputs, spec: { ...spec, rules } } };
    });
    expect(found, `AuthorizationPolicy ${namespace}/${name} names ${principal}`).to.equal(true);
    return { ...p, resources };
  };

  it("issue #26: with the mesh on, every load-test path is green: the runners call the gateway over mTLS as their own identity, the controller polls them in plaintext", async () => {
    const p = await plan();
    const results = (await proveConnections(p)).filter((r) => r.purpose.startsWith("load test peak"));
    expect(brokenConnections(results)).to.deep.equal([]);
    const runners = results.find((r) => r.source === "tartware/k6-peak-runners");
    expect(runners?.checks.mesh).to.deep.equal({ ok: true, note: "mTLS, authorized" });
    const polls = results.filter((r) => r.source === "operators/k6-operator");
    expect(polls.length).to.equal(10);
    for (const poll of polls) expect(poll.checks.mesh).to.deep.include({ ok: true }).and.to.have.property("note").that.matches(/^plaintext \(PERMISSIVE by PeerAuthentication tartware\/load-test-peak-runner-api\)/);
    const testRun = parse((ofKind(p, "ConfigMap").find((r) => meta(r).name === "load-test-peak")?.inputs["data"] as Record<string, string>)["testrun.yaml"] ?? "") as { spec: Record<string, { serviceAccountName?: string }> };
    expect(["initializer", "starter", "runner"].map((pod) => testRun.spec[pod]?.serviceAccountName)).to.deep.equal(["load-test-peak", "load-test-peak", "load-test-peak"]);
    expect(ofKind(p, "ServiceAccount").some((r) => meta(r).name === "load-test-peak" && meta(r).namespace === "tartware")).to.equal(true);
  });

  it("issue #26: the runners' path turns red when the target's AuthorizationPolicy no longer names the test's identity", async () => {
    const p = await plan();
    const broken = brokenConnections(await proveConnections(withoutPrincipal(p, "tartware", "api-gateway", RUNNER_PRINCIPAL))).filter((b) => b.connection.startsWith("tartware/k6-peak-runners "));
    expect(broken.map((b) => `${b.connection}: ${b.message.split(":")[0]}`)).to.deep.equal(["tartware/k6-peak-runners → tartware/api-gateway:8080: mesh"]);
    expect(broken[0]?.message).to.include("[cluster.local/ns/tartware/sa/load-test-peak]");
  });

  it("issue #26: the controller's polls turn red under STRICT mTLS without the runners' API PeerAuthentication", async () => {
    const p = await plan();
    const broken = brokenConnections(await proveConnections(without(p, "PeerAuthentication", "tartware", "load-test-peak-runner-api"))).filter((b) => b.connection.startsWith("operators/k6-operator "));
    expect(broken.length).to.equal(10);
    expect(broken.every((b) => b.message.startsWith("mesh: PeerAuthentication tartware/default requires mTLS"))).to.equal(true);
  });
});
