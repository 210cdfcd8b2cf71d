/**
 * Pure: the NetworkPolicies a load test needs in strata's default-deny namespaces. The runners
 * call the target's pods; the starter and the k6-operator controller call the runners' REST API.
 * DNS comes from each namespace's `allow-dns`; nothing here reaches outside the cluster.
 */
import { HBONE_PORT } from "../../lib/mesh";
import { waypointPeer } from "../service/network-policy";
import type { LoadTestMesh } from "./mesh";
import { K6_OPERATOR_POD_LABELS, K6_RUNNER_API_PORT, runnerPodLabels, testRunPodLabels } from "./values";

const NAMESPACE_LABEL = "kubernetes.io/metadata.name";
const inNamespace = (namespace: string, labels: Readonly<Record<string, string>>) => ({ namespaceSelector: { matchLabels: { [NAMESPACE_LABEL]: namespace } }, podSelector: { matchLabels: { ...labels } } });

export interface LoadTestPolicyInput {
  /** The TestRun's name. */
  readonly name: string;
  /** Namespace of the TestRun and of the target service. */
  readonly namespace: string;
  /** Labels of the target's pods. */
  readonly targetSelector: Readonly<Record<string, string>>;
  /** Container port the target's Service leads to. */
  readonly targetPort: number;
  /** Namespace of the k6-operator controller. */
  readonly operatorNamespace: string;
  /** The ambient mesh, when the namespace is in it. @default - not meshed */
  readonly mesh?: Pick<LoadTestMesh, "viaWaypoint">;
}

/**
 * Between meshed pods ztunnel carries each connection to HBONE 15008 of the destination pod and
 * NetworkPolicy applies to those packets (istio.io, "Ambient and Kubernetes NetworkPolicy"): the
 * run's own pods and the target are meshed, the controller is not.
 */
const hbone = (input: LoadTestPolicyInput) => (input.mesh === undefined ? [] : [{ protocol: "TCP", port: HBONE_PORT }]);

/** The run's pods: runners reach the target and each other's API (the starter too); the controller and the starter reach the runners. */
export function loadTestPolicyManifest(input: LoadTestPolicyInput) {
  const pods = testRunPodLabels(input.name);
  const api = [{ protocol: "TCP", port: K6_RUNNER_API_PORT }];
  return {
    apiVersion: "networking.k8s.io/v1" as const,
    kind: "NetworkPolicy" as const,
    metadata: { name: `load-test-${input.name}`, namespace: input.namespace },
    spec: {
      podSelector: { matchLabels: pods },
      policyTypes: ["Ingress", "Egress"],
      ingress:
        input.mesh === undefined
          ? [{ from: [{ podSelector: { matchLabels: pods } }, inNamespace(input.operatorNamespace, K6_OPERATOR_POD_LABELS)], ports: api }]
          : [
              { from: [{ podSelector: { matchLabels: pods } }], ports: [...api, ...hbone(input)] },
              { from: [inNamespace(input.operatorNamespace, K6_OPERATOR_POD_LABELS)], ports: api },
            ],
      egress: [
        { to: [{ podSelector: { matchLabels: { ...input.targetSelector } } }], ports: [{ protocol: "TCP", port: input.targetPort }, ...hbone(input)] },
        { to: [{ podSelector: { matchLabels: runnerPodLabels(input.name) } }], ports: [...api, ...hbone(input)] },
        // A call to a Service with a waypoint leaves as HBONE to the waypoint's pods.
        ...(input.mesh?.viaWaypoint === true ? [{ to: [waypointPeer(input.namespace)], ports: hbone(input) }] : []),
      ],
    },
  };
}

/** The target's pods admit the runners on the port its Service leads to (beside the app's own policy; policies add up). */
export function loadTestTargetPolicyManifest(input: LoadTestPolicyInput) {
  return {
    apiVersion: "networking.k8s.io/v1" as const,
    kind: "NetworkPolicy" as const,
    metadata: { name: `load-test-${input.name}-target`, namespace: input.namespace },
    spec: {
      podSelector: { matchLabels: { ...input.targetSelector } },
      policyTypes: ["Ingress"],
      ingress: [{ from: [{ podSelector: { matchLabels: runnerPodLabels(input.name) } }], ports: [{ protocol: "TCP", port: input.targetPort }, ...hbone(input)] }],
    },
  };
}

/** The controller polls each runner's API (`GET /v1/status` on the runner Service) in the TestRun namespaces. */
export function operatorToRunnersPolicyManifest(operatorNamespace: string, runNamespaces: readonly string[]) {
  return {
    apiVersion: "networking.k8s.io/v1" as const,
    kind: "NetworkPolicy" as const,
    metadata: { name: "k6-operator-to-runners", namespace: operatorNamespace },
    spec: {
      podSelector: { matchLabels: { ...K6_OPERATOR_POD_LABELS } },
      policyTypes: ["Egress"],
      egress: [
        {
          to: [{ namespaceSelector: { matchExpressions: [{ key: NAMESPACE_LABEL, operator: "In", values: [...new Set(runNamespaces)].sort() }] }, podSelector: { matchLabels: { app: "k6", runner: "true" } } }],
          ports: [{ protocol: "TCP", port: K6_RUNNER_API_PORT }],
        },
      ],
    },
  };
}
