/**
 * Pure: what a load test needs when its namespace is in the ambient mesh. The runners stay in the
 * mesh, so their calls carry mTLS like the apps' and meet the target's AuthorizationPolicy:
 *
 * - a ServiceAccount of the test's own, named in the TestRun for the initializer, starter and
 *   runners (`serviceAccountName` in each of the three in the TestRun CRD; grafana/k6-docs,
 *   set-up-distributed-k6/usage/common-options.md, "Service account"), so the target admits the
 *   test by identity (`cluster.local/ns/<ns>/sa/<sa>`) rather than every pod running as `default`;
 * - a workload `PeerAuthentication` keeping the runners' REST API port PERMISSIVE under the
 *   namespace's STRICT mode: the k6-operator controller polls it from the operators namespace,
 *   outside the mesh (as ../service/mesh-policies.ts does for the metrics port). The
 *   NetworkPolicy (./network.ts) still admits that port from the controller and the run's own pods only.
 */
import { TRUST_DOMAIN } from "../service/mesh-policies";
import { K6_RUNNER_API_PORT, runnerPodLabels } from "./values";

/** How the mesh meets one load test; absent when its namespace is not meshed. */
export interface LoadTestMesh {
  /** Whether the target's Service routes through its namespace's waypoint (the target's `resilience`). */
  readonly viaWaypoint: boolean;
  /** Whether the namespace requires mTLS (then the runners' API port is kept PERMISSIVE for the controller). */
  readonly strictMtls: boolean;
}

const LABELS = (name: string) => ({ "app.kubernetes.io/name": name, "app.kubernetes.io/component": "load-test", "app.kubernetes.io/managed-by": "strata" });

/** The ServiceAccount every pod of a load test runs as in a meshed namespace. */
export function loadTestServiceAccountName(name: string): string {
  return `load-test-${name}`;
}

/** The mesh identity of a load test's pods. */
export function loadTestPrincipal(namespace: string, name: string): string {
  return `${TRUST_DOMAIN}/ns/${namespace}/sa/${loadTestServiceAccountName(name)}`;
}

/** No API token: the run's pods never call the Kubernetes API (the TestRun also turns automounting off). */
export function loadTestServiceAccountManifest(name: string, namespace: string) {
  return {
    apiVersion: "v1" as const,
    kind: "ServiceAccount" as const,
    metadata: { name: loadTestServiceAccountName(name), namespace, labels: LABELS(name) },
    automountServiceAccountToken: false,
  };
}

/** The runners' API port accepts the controller's plaintext; every other port of theirs keeps the namespace's mode. */
export function runnerApiPeerAuthenticationManifest(name: string, namespace: string) {
  return {
    apiVersion: "security.istio.io/v1",
    kind: "PeerAuthentication",
    metadata: { name: `load-test-${name}-runner-api`, namespace, labels: LABELS(name) },
    spec: { selector: { matchLabels: runnerPodLabels(name) }, portLevelMtls: { [String(K6_RUNNER_API_PORT)]: { mode: "PERMISSIVE" } } },
  };
}
