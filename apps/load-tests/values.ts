/**
 * Pure: the k6-operator chart's values and the facts of the pods it and its TestRuns create.
 * Keys: `../shared/reference/charts/k6-operator/values.yaml` (chart 4.6.0, operator 1.6.0);
 * pod facts: grafana/k6-operator at v1.6.0.
 */
import type { Placement } from "../../lib/contracts";

export const K6_OPERATOR_RELEASE = "k6-operator";

/** The controller's pod labels: `control-plane` and `k6-operator.selectorLabels` (charts/k6-operator/templates/deployment.yaml, _helpers.tpl). */
export const K6_OPERATOR_POD_LABELS = {
  "control-plane": "controller-manager",
  "app.kubernetes.io/name": "k6-operator",
  "app.kubernetes.io/instance": K6_OPERATOR_RELEASE,
} as const;

/** The controller's requests and limits: the chart's own defaults (values.yaml manager.resources), set explicitly so the policy sees them. */
export const K6_OPERATOR_SIZE = { cpuMillis: 100, memoryMi: 50, limitCpuMillis: 100, limitMemoryMi: 100 } as const;

/**
 * The REST API port every runner serves; the starter pod and the controller call it
 * (pkg/resources/jobs/runner.go `NewRunnerService` port `http-api` 6565, pkg/resources/containers/curl_start.go,
 * internal/controller/k6_start.go).
 */
export const K6_RUNNER_API_PORT = 6565;

/** Labels of every pod a TestRun creates (initializer, runners, starter): pkg/resources/jobs/helpers.go `newLabels`. */
export function testRunPodLabels(testRun: string): Record<string, string> {
  return { app: "k6", k6_cr: testRun };
}
/** Runner pods add `runner: "true"` (pkg/resources/jobs/runner.go). */
export function runnerPodLabels(testRun: string): Record<string, string> {
  return { ...testRunPodLabels(testRun), runner: "true" };
}
/** The Service in front of runner `index` (1-based): `<testrun>-service-<index>` (runner.go `NewRunnerService`). */
export function runnerServiceName(testRun: string, index: number): string {
  return `${testRun}-service-${index}`;
}

/**
 * Into strata's operators namespace, which strata creates (the chart's own Namespace is off);
 * CRDs from the chart (`installCRDs`), cluster-wide RBAC so TestRuns may sit in app namespaces.
 */
export function k6OperatorValues(placement: Placement) {
  return {
    installCRDs: true,
    namespace: { create: false },
    rbac: { namespaced: false },
    nodeSelector: { ...placement.nodeSelector },
    tolerations: placement.tolerations.map((t) => ({ ...t })),
    manager: {
      replicas: 1,
      resources: {
        requests: { cpu: `${K6_OPERATOR_SIZE.cpuMillis}m`, memory: `${K6_OPERATOR_SIZE.memoryMi}Mi` },
        limits: { cpu: `${K6_OPERATOR_SIZE.limitCpuMillis}m`, memory: `${K6_OPERATOR_SIZE.limitMemoryMi}Mi` },
      },
    },
  };
}
