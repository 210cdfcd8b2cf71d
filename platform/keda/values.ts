/**
 * Pure: the keda chart's values. Every component (operator, metrics API server, admission
 * webhooks) runs `replicas` times, spread over nodes with a PodDisruptionBudget when there is
 * more than one, on the platform pools, with the restricted security context.
 */
import type { WorkloadDeclaration } from "../../lib/connections";
import type { Placement } from "../../lib/contracts";

/** Release name; the components' names (`keda-operator`, …) are the chart's defaults. */
export const KEDA_RELEASE = "keda";

/** The `app` label of each component's pods, as the chart sets it. */
export const KEDA_APPS = { operator: "keda-operator", metricsServer: "keda-operator-metrics-apiserver", webhooks: "keda-admission-webhooks" } as const;

/**
 * Container ports: the metrics API server serves `external.metrics.k8s.io` on 6443 (Service
 * 443), the admission webhooks on 9443, and the operator hands metrics to the API server over
 * gRPC on 9666.
 */
export const KEDA_PORTS = { metricsServer: 6443, webhooks: 9443, operatorGrpc: 9666 } as const;

/**
 * The operator's pods as the chart (`manager/deployment.yaml`) labels them (`app`, `name`,
 * `app.kubernetes.io/name`: the operator's name) with its gRPC port `metricsservice`: the
 * operator is what runs the ScaledObjects' Prometheus queries.
 */
export function kedaOperatorWorkload(namespace: string): WorkloadDeclaration {
  const labels = { app: KEDA_APPS.operator, name: KEDA_APPS.operator, "app.kubernetes.io/name": KEDA_APPS.operator };
  return { id: `${namespace}/${KEDA_APPS.operator}`, pods: { namespace, labels }, containerPorts: { metricsservice: KEDA_PORTS.operatorGrpc } };
}

/** UID/GID the KEDA images run as (non-root). */
const KEDA_UID = 1000;

export interface KedaValuesInput {
  /** Replicas of each component. */
  readonly replicas: number;
  /** Where the pods run (the platform pools). */
  readonly placement: Placement;
}

export function kedaValues(input: KedaValuesInput) {
  const container = { capabilities: { drop: ["ALL"] }, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, seccompProfile: { type: "RuntimeDefault" } };
  const pod = { runAsNonRoot: true, runAsUser: KEDA_UID, runAsGroup: KEDA_UID, fsGroup: KEDA_UID, seccompProfile: { type: "RuntimeDefault" } };
  const ha = input.replicas > 1;
  const spread = (app: string) => (ha ? [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { app } } }] : []);
  const budget = ha ? { minAvailable: 1 } : {};
  return {
    operator: { replicaCount: input.replicas },
    metricsServer: { replicaCount: input.replicas },
    webhooks: { replicaCount: input.replicas },
    podDisruptionBudget: { operator: budget, metricServer: budget, webhooks: budget },
    topologySpreadConstraints: { operator: spread(KEDA_APPS.operator), metricsServer: spread(KEDA_APPS.metricsServer), webhooks: spread(KEDA_APPS.webhooks) },
    securityContext: { operator: container, metricServer: container, webhooks: container },
    podSecurityContext: { operator: pod, metricServer: pod, webhooks: pod },
    nodeSelector: { ...input.placement.nodeSelector },
    tolerations: input.placement.tolerations.map((t) => ({ ...t })),
  };
}
