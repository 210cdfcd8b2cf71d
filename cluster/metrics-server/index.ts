import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Placement } from "../../lib/contracts";
import { helmRelease } from "../../lib/helm";
import { metricsServerValues } from "./values";

export interface MetricsServerArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Replicas. @default 2 */
  readonly replicas?: number;
  /** Where the pods run. @default - anywhere */
  readonly placement?: Placement;
  /** Skip kubelet serving-certificate checks (kubeadm kubelets use self-signed certs unless rotated). @default false */
  readonly kubeletInsecureTls?: boolean;
  /** Resources the release waits for (the CNI). @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

const DEFAULTS = { replicas: 2, placement: { nodeSelector: {}, tolerations: [] } as Placement, kubeletInsecureTls: false };

/** metrics-server in kube-system: the resource metrics API HPAs read. */
export class MetricsServer extends pulumi.ComponentResource {
  constructor(name: string, args: MetricsServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:MetricsServer", name, {}, opts);
    const values = metricsServerValues({
      replicas: args.replicas ?? DEFAULTS.replicas,
      placement: args.placement ?? DEFAULTS.placement,
      kubeletInsecureTls: args.kubeletInsecureTls ?? DEFAULTS.kubeletInsecureTls,
    });
    helmRelease(`${name}-release`, { chart: "metrics-server", namespace: "kube-system", values }, { parent: this, provider: args.provider, dependsOn: args.dependsOn ?? [] });
    this.registerOutputs({});
  }
}
