/**
 * Pure: the TestRun (k6.io/v1alpha1, `../shared/reference/charts/k6-operator/crds/k6.io_testruns.yaml`)
 * of one load test and the ConfigMap that ships it with its script.
 */
import type { LoadTestSpec } from "../../config/apps/load-test";
import type { Placement } from "../../lib/contracts";

/** Keys of the load test's ConfigMap. */
export const SCRIPT_KEY = "script.js";
export const TEST_RUN_KEY = "testrun.yaml";

export interface TestRunInput {
  readonly name: string;
  readonly namespace: string;
  readonly spec: LoadTestSpec;
  /** In-cluster URL of the target Service, given to the runners as TARGET_URL. */
  readonly targetUrl: string;
  /** ConfigMap holding the script under `SCRIPT_KEY`. */
  readonly configMap: string;
  /** Where the runners run. */
  readonly placement: Placement;
  /** The ServiceAccount every pod of the run runs as (./mesh.ts). @default - the namespace's `default` */
  readonly serviceAccountName?: string;
}

/** Restricted Pod Security for every pod of the run (the app namespaces enforce `restricted`); the k6 image runs as user 12345. */
const POD_SECURITY = { runAsNonRoot: true, runAsUser: 12345, runAsGroup: 12345, seccompProfile: { type: "RuntimeDefault" } };
const CONTAINER_SECURITY = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };
/** The CRD types `automountServiceAccountToken` as a string the operator reads with strconv.ParseBool (pkg/resources/jobs/runner.go). */
const hardened = { securityContext: POD_SECURITY, containerSecurityContext: CONTAINER_SECURITY, automountServiceAccountToken: "false" };

/**
 * `cleanup: post` deletes the run's jobs and pods when it finishes, so the next run is a fresh
 * `kubectl apply` of the same manifest. Runners need no API access (no service account token).
 */
export function testRunManifest(input: TestRunInput) {
  const { spec } = input;
  const pod = { ...hardened, ...(input.serviceAccountName === undefined ? {} : { serviceAccountName: input.serviceAccountName }) };
  return {
    apiVersion: "k6.io/v1alpha1",
    kind: "TestRun",
    metadata: { name: input.name, namespace: input.namespace, labels: { "app.kubernetes.io/name": input.name, "app.kubernetes.io/component": "load-test", "app.kubernetes.io/managed-by": "strata" } },
    spec: {
      parallelism: spec.parallelism,
      script: { configMap: { name: input.configMap, file: SCRIPT_KEY } },
      ...(spec.arguments === "" ? {} : { arguments: spec.arguments }),
      cleanup: "post",
      initializer: { ...pod },
      starter: { ...pod },
      runner: {
        ...pod,
        env: [{ name: "TARGET_URL", value: input.targetUrl }],
        nodeSelector: { ...input.placement.nodeSelector },
        tolerations: input.placement.tolerations.map((t) => ({ ...t })),
        resources: {
          requests: { cpu: `${spec.runner.cpuMillis}m`, memory: `${spec.runner.memoryMi}Mi` },
          limits: { cpu: `${spec.runner.cpuMillis * 2}m`, memory: `${spec.runner.memoryMi}Mi` },
        },
      },
    },
  };
}
