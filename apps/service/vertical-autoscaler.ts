/**
 * Pure: a VerticalPodAutoscaler (autoscaling.k8s.io/v1, the vertical-pod-autoscaler chart's
 * `crds/vpa-v1-crd-gen.yaml`) in recommendation mode for one Deployment.
 */

export interface VerticalAutoscalerInput {
  /** The Deployment's name; the VerticalPodAutoscaler takes the same name. */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * `updateMode: "Off"`: the recommender writes its recommendation to the object's status and no
 * component acts on it (one of the CRD's enum: Off, Initial, Recreate, InPlaceOrRecreate, InPlace, Auto). The HPA
 * scales the same Deployment on CPU; a VPA that applied its recommendation would fight it, which
 * is why strata only records it (`kubectl get vpa`, Grafana).
 */
export function verticalAutoscalerManifest(input: VerticalAutoscalerInput) {
  return {
    apiVersion: "autoscaling.k8s.io/v1",
    kind: "VerticalPodAutoscaler",
    metadata: { name: input.name, namespace: input.namespace, labels: { ...input.labels } },
    spec: {
      targetRef: { apiVersion: "apps/v1", kind: "Deployment", name: input.name },
      updatePolicy: { updateMode: "Off" },
      resourcePolicy: { containerPolicies: [{ containerName: "*", controlledResources: ["cpu", "memory"] }] },
    },
  };
}
