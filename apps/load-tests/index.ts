/**
 * `LoadTests`: the k6-operator and, per `strata:apps.loadTests.<name>`, a ConfigMap holding the k6
 * script and the TestRun manifest, plus the NetworkPolicies and declared connections a run needs.
 * The TestRun itself is not created: the k6-operator starts a test as soon as a TestRun exists
 * (internal/controller/testrun_controller.go at v1.6.0 moves a TestRun with no stage straight to
 * initialization; `spec.paused` only starts the runners paused until its own starter resumes
 * them), so creating it on `pulumi up` would load the services on every deployment. An operator runs it on demand (apps/README.md, Load tests):
 * `kubectl -n <ns> get configmap load-test-<name> -o jsonpath='{.data.testrun\.yaml}' | kubectl apply -f -`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import type { LoadTestSpec } from "../../config/apps/load-test";
import { declareConnection, declareWorkload, type PodGroup } from "../../lib/connections";
import type { Placement } from "../../lib/contracts";
import { helmRelease } from "../../lib/helm";
import { type LoadTestMesh, loadTestServiceAccountManifest, loadTestServiceAccountName, runnerApiPeerAuthenticationManifest } from "./mesh";
import { loadTestPolicyManifest, loadTestTargetPolicyManifest, operatorToRunnersPolicyManifest } from "./network";
import { SCRIPT_KEY, TEST_RUN_KEY, testRunManifest } from "./test-run";
import { K6_OPERATOR_POD_LABELS, K6_OPERATOR_RELEASE, K6_RUNNER_API_PORT, k6OperatorValues, runnerPodLabels, runnerServiceName, testRunPodLabels } from "./values";

/** One load test with its target resolved by the apps layer. */
export interface LoadTestTarget {
  readonly name: string;
  readonly spec: LoadTestSpec;
  /** The target service's namespace; the TestRun runs there. */
  readonly namespace: string;
  /** The target's Service name and port, and the container port it leads to. */
  readonly service: string;
  readonly servicePort: number;
  readonly containerPort: number;
  /** Labels of the target's pods. */
  readonly selector: Readonly<Record<string, string>>;
  /** Where the runners run (the target's pool). */
  readonly placement: Placement;
  /** The ambient mesh, when the namespace is in it (./mesh.ts). @default - not meshed */
  readonly mesh?: LoadTestMesh;
}

export interface LoadTestsArgs {
  readonly provider: k8s.Provider;
  /** Namespace of the k6-operator controller (strata's operators namespace). */
  readonly operatorNamespace: string;
  /** Where the controller runs. */
  readonly operatorPlacement: Placement;
  readonly tests: readonly LoadTestTarget[];
}

/** The name of a load test's ConfigMap (script and TestRun manifest). */
export const loadTestConfigMapName = (name: string): string => `load-test-${name}`;

export class LoadTests extends pulumi.ComponentResource {
  constructor(name: string, args: LoadTestsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:apps:LoadTests", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const operator = helmRelease(`${name}-k6-operator`, { chart: "k6-operator", releaseName: K6_OPERATOR_RELEASE, namespace: args.operatorNamespace, values: k6OperatorValues(args.operatorPlacement) }, child);
    const operatorPods: PodGroup = { namespace: args.operatorNamespace, labels: { ...K6_OPERATOR_POD_LABELS } };
    const operatorId = `${args.operatorNamespace}/k6-operator`;
    declareWorkload({ id: operatorId, pods: operatorPods });
    declareConnection({ purpose: "k6-operator watches TestRuns and creates their jobs", from: { kind: "pods", pods: operatorPods, workload: operatorId }, to: { kind: "api-server" } });
    new k8s.networking.v1.NetworkPolicy(`${name}-operator-to-runners`, operatorToRunnersPolicyManifest(args.operatorNamespace, args.tests.map((t) => t.namespace)), child);

    for (const test of args.tests) {
      const configMap = loadTestConfigMapName(test.name);
      const targetUrl = `http://${test.service}.${test.namespace}.svc:${test.servicePort}`;
      // In the mesh the run's pods get an identity of their own, which the target's AuthorizationPolicy admits.
      const serviceAccount = test.mesh === undefined ? undefined : new k8s.core.v1.ServiceAccount(`${name}-${test.name}-identity`, loadTestServiceAccountManifest(test.name, test.namespace), child);
      const testRun = testRunManifest({
        name: test.name,
        namespace: test.namespace,
        spec: test.spec,
        targetUrl,
        configMap,
        placement: test.placement,
        ...(test.mesh === undefined ? {} : { serviceAccountName: loadTestServiceAccountName(test.name) }),
      });
      new k8s.core.v1.ConfigMap(
        `${name}-${test.name}`,
        {
          metadata: { name: configMap, namespace: test.namespace, labels: { "app.kubernetes.io/name": test.name, "app.kubernetes.io/component": "load-test", "app.kubernetes.io/managed-by": "strata" } },
          data: { [SCRIPT_KEY]: test.spec.script, [TEST_RUN_KEY]: stringify(testRun) },
        },
        { ...child, dependsOn: [operator, ...(serviceAccount === undefined ? [] : [serviceAccount])] },
      );
      if (test.mesh?.strictMtls === true) new k8s.apiextensions.CustomResource(`${name}-${test.name}-runner-api-mtls`, runnerApiPeerAuthenticationManifest(test.name, test.namespace), child);
      const policy = {
        name: test.name,
        namespace: test.namespace,
        targetSelector: test.selector,
        targetPort: test.containerPort,
        operatorNamespace: args.operatorNamespace,
        ...(test.mesh === undefined ? {} : { mesh: { viaWaypoint: test.mesh.viaWaypoint } }),
      };
      new k8s.networking.v1.NetworkPolicy(`${name}-${test.name}-run`, loadTestPolicyManifest(policy), child);
      new k8s.networking.v1.NetworkPolicy(`${name}-${test.name}-target`, loadTestTargetPolicyManifest(policy), child);
      this.declare(test, operatorPods, operatorId);
    }
    this.registerOutputs({});
  }

  /** The run's pods exist only during a run; the connection check proves their paths from the plan's policies all the same. */
  private declare(test: LoadTestTarget, operatorPods: PodGroup, operatorId: string): void {
    const runners: PodGroup = { namespace: test.namespace, labels: runnerPodLabels(test.name) };
    const starter: PodGroup = { namespace: test.namespace, labels: testRunPodLabels(test.name) };
    const runnersId = `${test.namespace}/k6-${test.name}-runners`;
    const starterId = `${test.namespace}/k6-${test.name}-starter`;
    const services = Array.from({ length: test.spec.parallelism }, (_, i) => runnerServiceName(test.name, i + 1));
    const identity = test.mesh === undefined ? {} : { serviceAccount: loadTestServiceAccountName(test.name) };
    declareWorkload({ id: runnersId, pods: runners, containerPorts: { "http-api": K6_RUNNER_API_PORT }, services: services.map((s) => ({ name: s, ports: { "http-api": K6_RUNNER_API_PORT } })), ...identity });
    declareWorkload({ id: starterId, pods: starter, ...identity });
    declareConnection({ purpose: `load test ${test.name}`, from: { kind: "pods", pods: runners, workload: runnersId }, to: { kind: "service", namespace: test.namespace, name: test.service, port: test.servicePort } });
    for (const service of services) {
      declareConnection({ purpose: `load test ${test.name}: starter starts the runner`, from: { kind: "pods", pods: starter, workload: starterId }, to: { kind: "service", namespace: test.namespace, name: service, port: K6_RUNNER_API_PORT } });
      declareConnection({ purpose: `load test ${test.name}: k6-operator polls the runner`, from: { kind: "pods", pods: operatorPods, workload: operatorId }, to: { kind: "service", namespace: test.namespace, name: service, port: K6_RUNNER_API_PORT } });
    }
  }
}
