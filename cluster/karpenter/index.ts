import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KARPENTER_AMI_ALIAS } from "../../lib/catalog";
import type { EksExtras, NodePool, Placement } from "../../lib/contracts";
import { helmRelease } from "../../lib/helm";
import { CONTROLLER_SERVICE_ACCOUNTS } from "../../lib/service-accounts";
import { karpenterValues, nodeClassSpec, nodePoolSpec, workerHeadroom } from "./values";

export interface KarpenterArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** EKS cluster name. */
  readonly clusterName: string;
  /** EKS extras from the infra layer (subnets, security group, KMS key). */
  readonly eks: EksExtras;
  /** IAM role of the nodes Karpenter launches. */
  readonly nodeRoleName: pulumi.Input<string>;
  /** Node pools from the infra layer; worker pools size the NodePool limits. */
  readonly pools: readonly NodePool[];
  /** Where the controller runs (the system pool). */
  readonly controllerPlacement: Placement;
  /** SQS interruption queue name. @default - interruption handling off */
  readonly interruptionQueue?: pulumi.Input<string>;
  /** Node ceiling; 0 declares no NodePool. @default - worker pools' maxCount − count */
  readonly maxNodes?: number;
  /** vCPU ceiling. @default - worker headroom × cores */
  readonly maxCpuCores?: number;
  /** Memory ceiling. @default - worker headroom × memory */
  readonly maxMemoryGi?: number;
  /** @default ["on-demand"] */
  readonly capacityTypes?: readonly string[];
  /** @default ["c","m","r"] */
  readonly instanceCategories?: readonly string[];
  /** @default "10m" */
  readonly consolidateAfter?: string;
  /** vCPU bounds of the instances the NodePool may launch. @default { min: 2, max: 32 } */
  readonly instanceCpu?: { readonly min: number; readonly max: number };
  /** @default - catalog KARPENTER_AMI_ALIAS */
  readonly amiAlias?: string;
  /** Controller replicas. @default 2 */
  readonly controllerReplicas?: number;
  /** Resources the release waits for. @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

const DEFAULTS = { capacityTypes: ["on-demand"], instanceCategories: ["c", "m", "r"], consolidateAfter: "10m", instanceCpu: { min: 2, max: 32 }, amiAlias: KARPENTER_AMI_ALIAS } as const;

/** Karpenter with one EC2NodeClass and a worker NodePool bounded by the worker pools' headroom. */
export class Karpenter extends pulumi.ComponentResource {
  /** Limits the NodePool was given. */
  public readonly limits: ReturnType<typeof workerHeadroom>;

  constructor(name: string, args: KarpenterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:Karpenter", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    const namespace = CONTROLLER_SERVICE_ACCOUNTS.karpenter.namespace;
    // CRDs from the karpenter-crd chart, so they are upgraded with the controller; the controller's
    // chart then skips its own crds/ folder.
    const crds = helmRelease(`${name}-crds`, { chart: "karpenter-crd", namespace }, { ...childOpts, dependsOn: args.dependsOn ?? [] });
    const release = helmRelease(
      `${name}-release`,
      {
        chart: "karpenter",
        namespace,
        skipCrds: true,
        values: karpenterValues({ clusterName: args.clusterName, interruptionQueue: args.interruptionQueue, placement: args.controllerPlacement, ...(args.controllerReplicas === undefined ? {} : { replicas: args.controllerReplicas }) }),
      },
      { ...childOpts, dependsOn: [...(args.dependsOn ?? []), crds] },
    );
    this.limits = workerHeadroom(args.pools, { maxNodes: args.maxNodes, maxCpuCores: args.maxCpuCores, maxMemoryGi: args.maxMemoryGi });
    // No headroom (no worker pool grows, no maxNodes): the controller runs, but provisions nothing.
    if (this.limits.nodes > 0) {
      const nodeClass = new k8s.apiextensions.CustomResource(
        `${name}-node-class`,
        {
          apiVersion: "karpenter.k8s.aws/v1",
          kind: "EC2NodeClass",
          metadata: { name: "default" },
          spec: nodeClassSpec({
            clusterName: args.clusterName,
            amiAlias: args.amiAlias ?? DEFAULTS.amiAlias,
            nodeRoleName: args.nodeRoleName,
            subnetSelectorTerms: pulumi.output(args.eks.privateSubnetIds).apply((ids) => ids.map((id) => ({ id }))),
            securityGroupIds: [args.eks.clusterSecurityGroupId, args.eks.nodeSecurityGroupId],
            kmsKeyArn: args.eks.kmsKeyArn,
          }),
        },
        { ...childOpts, dependsOn: [release] },
      );
      const worker = args.pools.find((pool) => pool.role === "worker");
      new k8s.apiextensions.CustomResource(
        `${name}-workers`,
        {
          apiVersion: "karpenter.sh/v1",
          kind: "NodePool",
          metadata: { name: "workers" },
          spec: nodePoolSpec({
            nodeClassName: "default",
            limits: this.limits,
            capacityTypes: args.capacityTypes ?? DEFAULTS.capacityTypes,
            instanceCategories: args.instanceCategories ?? DEFAULTS.instanceCategories,
            consolidateAfter: args.consolidateAfter ?? DEFAULTS.consolidateAfter,
            instanceCpu: args.instanceCpu ?? DEFAULTS.instanceCpu,
            labels: worker?.labels ?? {},
            taints: worker?.taints ?? [],
          }),
        },
        { ...childOpts, dependsOn: [release, nodeClass] },
      );
    }
    this.registerOutputs({ limits: this.limits });
  }
}
