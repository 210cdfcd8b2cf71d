/**
 * Issue #25 (Tartware extras): k6 load tests through the k6-operator. Config is checked at parse
 * time, the chart values exist upstream, the TestRun is valid against the operator's CRD and
 * shipped in a ConfigMap, never created, and the capacity check counts the runners.
 */
import { expect } from "chai";
import { K6_MEMORY_PER_VU_MI, LoadTestConfig } from "../../config/apps/load-test";
import { parseConfig, type RawConfig } from "../../config/schema";
import { loadTestDemand } from "../../apps/capacity/load-test-demand";
import { loadTestPrincipal, loadTestServiceAccountManifest, runnerApiPeerAuthenticationManifest } from "../../apps/load-tests/mesh";
import { loadTestPolicyManifest, loadTestTargetPolicyManifest, operatorToRunnersPolicyManifest } from "../../apps/load-tests/network";
import { authorizationPolicyManifest } from "../../apps/service/mesh-policies";
import { waypointAuthorizationManifest } from "../../apps/service/resilience";
import { HBONE_PORT } from "../../lib/mesh";
import { SCRIPT_KEY, testRunManifest } from "../../apps/load-tests/test-run";
import { K6_OPERATOR_POD_LABELS, K6_RUNNER_API_PORT, k6OperatorValues } from "../../apps/load-tests/values";
import { CHARTS } from "../../lib/catalog";
import { chartValuesHardened, HELM_RELEASE } from "../../policy/kubernetes/chart-values";
import { chartNameOf, loadChartReference } from "../../tools/verify/chart-reference";
import { loadCrds } from "../../tools/verify/crds";
import { customResourceFindings } from "../../tools/verify/custom-resources";
import { valueKeyFindings } from "../../tools/verify/helm-values";
import { chartReference } from "../cluster/reference";
import { validRaw } from "../config/valid-config";
import { problemsOf } from "../config/problems";
import { check, resource } from "../policy/fixtures";

const PLACEMENT = { nodeSelector: { "node.strata.io/role": "worker" }, tolerations: [] };
const API = { image: "ghcr.io/acme/api:1.4.2", port: 8080, resources: { cpuMillis: 100, memoryMi: 128, limitMemoryMi: 256 } };
const PEAK = { target: { service: "api" }, vus: 5000, parallelism: 10, runner: { cpuMillis: 1000, memoryMi: 2048 }, script: "export default function () {}" };
const withLoadTests = (loadTests: Record<string, unknown>): RawConfig => {
  const raw = validRaw();
  return { ...raw, apps: { services: { api: API }, loadTests } };
};
const K = "strata:apps.loadTests.peak";

describe("load tests (k6-operator)", () => {
  describe("config", () => {
    it("accepts the seed's profile: 5000 VUs over 10 runners of 2 GiB", () => {
      const parsed = parseConfig(withLoadTests({ peak: PEAK }));
      expect(parsed.apps.loadTests["peak"]).to.include({ vus: 5000, parallelism: 10, arguments: "" });
    });
    it("issue #25: refuses runners too small for their share of the VUs, naming the key and the fix", () => {
      const perRunner = 5000 / 2;
      expect(problemsOf(withLoadTests({ peak: { ...PEAK, parallelism: 2 } }))).to.include(
        `${K}.runner.memoryMi: ${perRunner} VUs per runner need at least ${perRunner * K6_MEMORY_PER_VU_MI} MiB at ${K6_MEMORY_PER_VU_MI} MiB per VU (got 2048); raise runner.memoryMi or parallelism`,
      );
    });
    it("issue #25: refuses a target that is not an app service of the stack", () => {
      expect(problemsOf(withLoadTests({ peak: { ...PEAK, target: { service: "web" } } }))).to.include(`${K}.target.service: is not an app service of this stack (got "web"); use one of api`);
    });
    it("issue #25: refuses a worker as a target: it serves no port to load", () => {
      const raw = withLoadTests({ peak: PEAK });
      const worker = { kind: "worker", image: "ghcr.io/acme/consumer:1.4.2", resources: API.resources };
      const config = { ...raw, apps: { ...(raw.apps as Record<string, unknown>), services: { api: API, consumer: worker }, loadTests: { peak: { ...PEAK, target: { service: "consumer" } } } } };
      expect(problemsOf(config)).to.include(`${K}.target.service: a worker serves no port to load (got "consumer"); use one of api`);
    });
    it("refuses a parallelism of 0 and keys it does not know", () => {
      expect(LoadTestConfig.safeParse({ ...PEAK, parallelism: 0 }).success).to.equal(false);
      expect(LoadTestConfig.safeParse({ ...PEAK, schedule: "@daily" }).success).to.equal(false);
    });
  });

  describe("k6-operator chart values", () => {
    const values = k6OperatorValues(PLACEMENT);
    it("pins the reference chart version and sets only keys of its values.yaml", () => {
      const ref = loadChartReference(chartReference(), chartNameOf(CHARTS["k6-operator"].chart));
      if (ref === undefined) throw new Error("no reference data for k6-operator");
      expect(ref.source?.chartVersions).to.include(CHARTS["k6-operator"].version);
      expect(valueKeyFindings("k6-operator", values, ref).map((f) => `${f.path}: ${f.message}`)).to.deep.equal([]);
    });
    it("leaves the namespace to strata and sizes the controller, passing the chart-values policy", async () => {
      expect(values.namespace.create).to.equal(false);
      const release = resource(HELM_RELEASE, { chart: "k6-operator", name: "k6-operator", namespace: "operators", version: CHARTS["k6-operator"].version, values });
      expect(await check(chartValuesHardened, [release])).to.deep.equal([]);
    });
  });

  describe("the TestRun", () => {
    const spec = LoadTestConfig.parse(PEAK);
    const run = testRunManifest({ name: "peak", namespace: "apps", spec, targetUrl: "http://api.apps.svc:80", configMap: "load-test-peak", placement: PLACEMENT });
    it("is valid against the k6-operator's TestRun CRD", () => {
      expect(customResourceFindings("TestRun peak", run, "k6.io", "v1alpha1", "TestRun", loadCrds(chartReference()))).to.deep.equal([]);
    });
    it("the same check refuses a cleanup policy outside the CRD's enum (the check can fail)", () => {
      const bad = { ...run, spec: { ...run.spec, cleanup: "always" } };
      expect(customResourceFindings("TestRun peak", bad, "k6.io", "v1alpha1", "TestRun", loadCrds(chartReference()))).to.not.deep.equal([]);
    });
    it("reads the script from the ConfigMap, gives the runners the target and cleans up after a run", () => {
      expect(run.spec.script).to.deep.equal({ configMap: { name: "load-test-peak", file: SCRIPT_KEY } });
      expect(run.spec.runner.env).to.deep.equal([{ name: "TARGET_URL", value: "http://api.apps.svc:80" }]);
      expect(run.spec.parallelism).to.equal(10);
      expect(run.spec.cleanup).to.equal("post");
      expect(run.spec.runner.resources).to.deep.equal({ requests: { cpu: "1000m", memory: "2048Mi" }, limits: { cpu: "2000m", memory: "2048Mi" } });
    });
    it("runs every pod of the run under restricted Pod Security", () => {
      for (const pod of [run.spec.initializer, run.spec.starter, run.spec.runner]) {
        expect(pod.securityContext).to.include({ runAsNonRoot: true });
        expect(pod.containerSecurityContext).to.deep.equal({ allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
      }
    });
  });

  describe("NetworkPolicies", () => {
    const input = { name: "peak", namespace: "apps", targetSelector: { "app.kubernetes.io/name": "api" }, targetPort: 8080, operatorNamespace: "operators" };
    it("lets the run's pods reach the target's pods on its container port and the runners' API, and admits the controller", () => {
      const policy = loadTestPolicyManifest(input);
      expect(policy.spec.podSelector.matchLabels).to.deep.equal({ app: "k6", k6_cr: "peak" });
      expect(policy.spec.egress[0]).to.deep.equal({ to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "api" } } }], ports: [{ protocol: "TCP", port: 8080 }] });
      expect(policy.spec.ingress[0]?.ports).to.deep.equal([{ protocol: "TCP", port: K6_RUNNER_API_PORT }]);
    });
    it("opens the target to the runners only", () => {
      expect(loadTestTargetPolicyManifest(input).spec.ingress).to.deep.equal([{ from: [{ podSelector: { matchLabels: { app: "k6", k6_cr: "peak", runner: "true" } } }], ports: [{ protocol: "TCP", port: 8080 }] }]);
    });
    it("lets the controller reach the runners in the run namespaces only", () => {
      const policy = operatorToRunnersPolicyManifest("operators", ["apps", "apps"]);
      expect(policy.spec.podSelector.matchLabels).to.deep.equal(K6_OPERATOR_POD_LABELS);
      expect(policy.spec.egress[0]?.to[0]?.namespaceSelector.matchExpressions[0]?.values).to.deep.equal(["apps"]);
    });
  });

  describe("capacity", () => {
    it("counts the controller and each test's runners on the target's pool", () => {
      const apps = parseConfig(withLoadTests({ peak: PEAK })).apps;
      expect(loadTestDemand(apps).workloads).to.deep.equal([
        { owner: "k6-operator", target: { role: "system" }, pods: 1, perPod: { cpuMillis: 100, memoryMi: 50 } },
        { owner: "load test peak runners", target: { role: "worker" }, pods: 10, perPod: { cpuMillis: 1000, memoryMi: 2048 } },
      ]);
      expect(loadTestDemand({ ...apps, loadTests: {} }).workloads).to.deep.equal([]);
    });
  });

  describe("in the ambient mesh", () => {
    const crds = () => loadCrds(chartReference());
    const spec = LoadTestConfig.parse(PEAK);
    const input = { name: "peak", namespace: "apps", targetSelector: { "app.kubernetes.io/name": "api" }, targetPort: 8080, operatorNamespace: "operators" };
    const tcp = (port: number) => ({ protocol: "TCP", port });
    const waypoint = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "apps" } }, podSelector: { matchLabels: { "gateway.networking.k8s.io/gateway-name": "waypoint" } } };

    it("runs the initializer, starter and runners as the test's own ServiceAccount, valid against the TestRun CRD", () => {
      const run = testRunManifest({ name: "peak", namespace: "apps", spec, targetUrl: "http://api.apps.svc:80", configMap: "load-test-peak", placement: PLACEMENT, serviceAccountName: "load-test-peak" });
      expect([run.spec.initializer, run.spec.starter, run.spec.runner].map((pod) => (pod as { serviceAccountName?: string }).serviceAccountName)).to.deep.equal(["load-test-peak", "load-test-peak", "load-test-peak"]);
      expect(customResourceFindings("TestRun peak", run, "k6.io", "v1alpha1", "TestRun", crds())).to.deep.equal([]);
      expect(loadTestServiceAccountManifest("peak", "apps")).to.deep.include({ metadata: { name: "load-test-peak", namespace: "apps", labels: { "app.kubernetes.io/name": "peak", "app.kubernetes.io/component": "load-test", "app.kubernetes.io/managed-by": "strata" } }, automountServiceAccountToken: false });
      expect(loadTestPrincipal("apps", "peak")).to.equal("cluster.local/ns/apps/sa/load-test-peak");
    });

    it("outside the mesh the TestRun names no ServiceAccount (the namespace's default, as before)", () => {
      const run = testRunManifest({ name: "peak", namespace: "apps", spec, targetUrl: "http://api.apps.svc:80", configMap: "load-test-peak", placement: PLACEMENT });
      for (const pod of [run.spec.initializer, run.spec.starter, run.spec.runner]) expect(pod).to.not.have.property("serviceAccountName");
    });

    it("keeps the runners' API port PERMISSIVE for the controller outside the mesh, valid against Istio's PeerAuthentication CRD", () => {
      const peer = runnerApiPeerAuthenticationManifest("peak", "apps");
      expect(peer.spec).to.deep.equal({ selector: { matchLabels: { app: "k6", k6_cr: "peak", runner: "true" } }, portLevelMtls: { [String(K6_RUNNER_API_PORT)]: { mode: "PERMISSIVE" } } });
      expect(customResourceFindings("PeerAuthentication", peer, "security.istio.io", "v1", "PeerAuthentication", crds())).to.deep.equal([]);
      const bad = { ...peer, spec: { ...peer.spec, portLevelMtls: { "6565": { mode: "LOOSE" } } } };
      expect(customResourceFindings("PeerAuthentication", bad, "security.istio.io", "v1", "PeerAuthentication", crds())).to.not.deep.equal([]);
    });

    it("adds HBONE 15008 between the run's pods and to the target, and none for the controller outside the mesh", () => {
      const policy = loadTestPolicyManifest({ ...input, mesh: { viaWaypoint: false } });
      expect(policy.spec.ingress).to.deep.equal([
        { from: [{ podSelector: { matchLabels: { app: "k6", k6_cr: "peak" } } }], ports: [tcp(K6_RUNNER_API_PORT), tcp(HBONE_PORT)] },
        { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "operators" } }, podSelector: { matchLabels: K6_OPERATOR_POD_LABELS } }], ports: [tcp(K6_RUNNER_API_PORT)] },
      ]);
      expect(policy.spec.egress.map((rule) => rule.ports)).to.deep.equal([[tcp(8080), tcp(HBONE_PORT)], [tcp(K6_RUNNER_API_PORT), tcp(HBONE_PORT)]]);
      expect(loadTestTargetPolicyManifest({ ...input, mesh: { viaWaypoint: false } }).spec.ingress[0]?.ports).to.deep.equal([tcp(8080), tcp(HBONE_PORT)]);
    });

    it("lets the runners out to the namespace's waypoint on HBONE when the target routes through it", () => {
      const policy = loadTestPolicyManifest({ ...input, mesh: { viaWaypoint: true } });
      expect(policy.spec.egress[2]).to.deep.equal({ to: [waypoint], ports: [tcp(HBONE_PORT)] });
      expect(loadTestPolicyManifest({ ...input, mesh: { viaWaypoint: false } }).spec.egress).to.have.length(2);
    });

    it("renders the policies exactly as before without the mesh", () => {
      expect(loadTestPolicyManifest(input).spec).to.deep.equal({
        podSelector: { matchLabels: { app: "k6", k6_cr: "peak" } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: "k6", k6_cr: "peak" } } }, { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "operators" } }, podSelector: { matchLabels: K6_OPERATOR_POD_LABELS } }], ports: [tcp(K6_RUNNER_API_PORT)] }],
        egress: [
          { to: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "api" } } }], ports: [tcp(8080)] },
          { to: [{ podSelector: { matchLabels: { app: "k6", k6_cr: "peak", runner: "true" } } }], ports: [tcp(K6_RUNNER_API_PORT)] },
        ],
      });
    });

    it("the target's AuthorizationPolicy, and its waypoint-bound one, admit the test's identity on the app's port", () => {
      const target = { name: "api", namespace: "apps", spec: { port: 8080, metricsPort: 9090 }, labels: {}, selector: { "app.kubernetes.io/name": "api" }, callers: [{ namespace: "apps", app: "web" }], scraped: false, waypoint: "waypoint" };
      const authorization = authorizationPolicyManifest({ ...target, loadTesters: ["load-test-peak"] });
      const principals = { from: [{ source: { principals: ["cluster.local/ns/apps/sa/load-test-peak", "cluster.local/ns/apps/sa/web"] } }], to: [{ operation: { ports: ["8080"] } }] };
      expect(authorization.spec.rules).to.deep.include(principals);
      expect(waypointAuthorizationManifest(authorization, "api").spec.rules).to.deep.include({ from: principals.from });
      expect(customResourceFindings("AuthorizationPolicy", authorization, "security.istio.io", "v1", "AuthorizationPolicy", crds())).to.deep.equal([]);
      expect(JSON.stringify(authorizationPolicyManifest(target))).to.not.include("load-test-peak");
    });
  });
});
