import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { declareConnection, declareWorkload } from "../../lib/connections";
import type { Placement } from "../../lib/contracts";
import { helmRelease } from "../../lib/helm";
import { RECOMMENDER_METRICS_PORT, RECOMMENDER_POD_LABELS, VPA_RELEASE, vpaValues } from "./values";

export interface VerticalPodAutoscalerArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Namespace of the release (strata's operators namespace: default-deny, API server egress allowed). */
  readonly namespace: string;
  /** Recommender replicas. @default 2 */
  readonly recommenderReplicas?: number;
  /** Where the recommender runs. @default - anywhere */
  readonly placement?: Placement;
  /** Resources the release waits for (the namespace, the CNI). @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

const DEFAULTS = { recommenderReplicas: 2, placement: { nodeSelector: {}, tolerations: [] } as Placement };

/**
 * The VPA recommender and the VerticalPodAutoscaler CRDs (the chart's `crds/` folder): resource
 * recommendations for the Deployments that have a VerticalPodAutoscaler, never applied to pods.
 */
export class VerticalPodAutoscaler extends pulumi.ComponentResource {
  /** The release; VerticalPodAutoscaler objects wait for it (it installs their CRD). */
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: VerticalPodAutoscalerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:VerticalPodAutoscaler", name, {}, opts);
    const values = vpaValues({ recommenderReplicas: args.recommenderReplicas ?? DEFAULTS.recommenderReplicas, placement: args.placement ?? DEFAULTS.placement });
    this.release = helmRelease(`${name}-release`, { chart: "vertical-pod-autoscaler", releaseName: VPA_RELEASE, namespace: args.namespace, values }, { parent: this, provider: args.provider, dependsOn: args.dependsOn ?? [] });
    const pods = { namespace: args.namespace, labels: { ...RECOMMENDER_POD_LABELS } };
    declareWorkload({ id: `${args.namespace}/vpa-recommender`, pods, containerPorts: { prometheus: RECOMMENDER_METRICS_PORT } });
    // Pod usage comes from the metrics API (metrics.k8s.io, served through the API server), and the
    // VPA objects, their checkpoints and the pods' owners are read and written there too.
    declareConnection({ purpose: "VPA recommender reads pod metrics and writes recommendations and checkpoints", from: { kind: "pods", pods, workload: `${args.namespace}/vpa-recommender` }, to: { kind: "api-server" } });
    this.registerOutputs({});
  }
}
