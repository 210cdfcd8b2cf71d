/**
 * Pure: machine-controller's `cluster.k8s.io/v1alpha1` CRDs. Upstream keeps them only inside its
 * example install manifest (`examples/machine-controller.yaml` @ v1.66.2, first three documents;
 * reference data `machine-controller/crds/machine-controller.yaml`), next to Deployments that run
 * `:latest`, so strata declares them here; `tests/cluster/machine-controller.test.ts` checks them
 * against that file. They carry no field schema (`x-kubernetes-preserve-unknown-fields`); the
 * MachineDeployment's scale subresource is what cluster-autoscaler's clusterapi provider scales
 * through. The printer columns are left out: they only change `kubectl get` output.
 */
import type { KubeObject } from "./controllers";

interface CrdShape {
  readonly kind: string;
  readonly plural: string;
  readonly shortName: string;
  readonly subresources?: Record<string, unknown>;
}

const SHAPES: readonly CrdShape[] = [
  { kind: "Machine", plural: "machines", shortName: "ma" },
  { kind: "MachineSet", plural: "machinesets", shortName: "ms", subresources: { status: {} } },
  {
    kind: "MachineDeployment",
    plural: "machinedeployments",
    shortName: "md",
    subresources: { scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas" }, status: {} },
  },
];

export function machineControllerCrds(): KubeObject[] {
  return SHAPES.map((shape) => ({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    // The group is not a *.k8s.io group approved through a KEP; the API server refuses it without this annotation.
    metadata: { name: `${shape.plural}.cluster.k8s.io`, annotations: { "api-approved.kubernetes.io": "unapproved, legacy API" } },
    spec: {
      group: "cluster.k8s.io",
      scope: "Namespaced",
      names: { kind: shape.kind, plural: shape.plural, singular: shape.kind.toLowerCase(), listKind: `${shape.kind}List`, shortNames: [shape.shortName] },
      versions: [
        {
          name: "v1alpha1",
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
          ...(shape.subresources === undefined ? {} : { subresources: shape.subresources }),
        },
      ],
    },
  }));
}
