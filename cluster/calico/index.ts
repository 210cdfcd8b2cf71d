import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { helmRelease } from "../../lib/helm";
import type { Placement } from "../../lib/contracts";
import { installationSpec, tigeraOperatorValues, type CalicoEncapsulation } from "./values";

export interface CalicoArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Namespace the operator runs in (privileged). */
  readonly namespace: string;
  /** Pod CIDR kubeadm was initialised with. */
  readonly podCidr: string;
  /** IP pool encapsulation. @default "VXLANCrossSubnet" */
  readonly encapsulation?: CalicoEncapsulation;
  /** Where Typha and the operator run. @default - anywhere */
  readonly controlPlane?: Placement;
  /** Resources the releases wait for (the namespace). @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

const DEFAULTS = {
  encapsulation: "VXLANCrossSubnet" as CalicoEncapsulation,
  controlPlane: { nodeSelector: {}, tolerations: [] } as Placement,
};

/** Calico CNI: the CRD chart, the tigera-operator chart and the `default` Installation. */
export class Calico extends pulumi.ComponentResource {
  /** The operator release; the CNI is usable once its Installation reconciles. */
  public readonly operator: k8s.helm.v3.Release;

  constructor(name: string, args: CalicoArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:Calico", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    const controlPlane = args.controlPlane ?? DEFAULTS.controlPlane;
    const crds = helmRelease(`${name}-crds`, { chart: "calico-crds", namespace: args.namespace, releaseName: "calico-crds" }, { ...childOpts, dependsOn: args.dependsOn ?? [] });
    this.operator = helmRelease(
      `${name}-operator`,
      { chart: "tigera-operator", namespace: args.namespace, releaseName: "calico", values: tigeraOperatorValues(controlPlane) },
      { ...childOpts, dependsOn: [crds] },
    );
    new k8s.apiextensions.CustomResource(
      `${name}-installation`,
      {
        apiVersion: "operator.tigera.io/v1",
        kind: "Installation",
        metadata: { name: "default" },
        spec: installationSpec({ podCidr: args.podCidr, encapsulation: args.encapsulation ?? DEFAULTS.encapsulation, controlPlane }),
      },
      { ...childOpts, dependsOn: [crds, this.operator] },
    );
    this.registerOutputs({ operator: this.operator.status });
  }
}
