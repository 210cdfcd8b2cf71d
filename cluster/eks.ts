/** EKS backend add-ons: EBS storage classes, the AWS Load Balancer Controller and Karpenter. */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterConfig } from "../config/cluster";
import type { EksExtras, InfraOutputs, StoragePurpose } from "../lib/contracts";
import { placementFor } from "../lib/placement";
import { LoadBalancerController } from "./aws-load-balancer-controller";
import type { Exposure } from "./gateway/values";
import { Karpenter } from "./karpenter";
import { StorageClasses } from "./storage";
import { ebsStorageClasses } from "./storage/values";

export interface EksAddons {
  readonly storageClasses: Partial<Record<StoragePurpose, string>>;
  readonly exposure: Exposure;
  /**
   * What the Gateway's LoadBalancer Service must be deleted before: the load-balancer controller,
   * whose finalizer on the Service releases the NLB.
   */
  readonly loadBalancer: pulumi.Resource[];
}

export function eksAddons(
  name: string,
  config: ClusterConfig,
  infra: InfraOutputs,
  eks: EksExtras,
  deps: {
    readonly provider: k8s.Provider;
    readonly parent: pulumi.Resource;
  },
): EksAddons {
  const opts = { parent: deps.parent };
  const classes = new StorageClasses(
    `${name}-storage`,
    { provider: deps.provider, classes: ebsStorageClasses({ kmsKeyArn: eks.kmsKeyArn, defaultReclaimPolicy: config.eks.defaultReclaimPolicy, ...(config.eks.io2 === undefined ? {} : { io2: config.eks.io2 }) }) },
    opts,
  );
  const lbc = new LoadBalancerController(
    `${name}-lb-controller`,
    { provider: deps.provider, clusterName: infra.clusterName, region: eks.region, vpcId: eks.vpcId },
    opts,
  );
  const options = config.eks.karpenter;
  // The EKS backend publishes `karpenter` only when it built Karpenter's queue and node role.
  if (eks.karpenter !== undefined) {
    new Karpenter(
      `${name}-karpenter`,
      {
        provider: deps.provider,
        clusterName: infra.clusterName,
        eks,
        nodeRoleName: eks.karpenter.nodeRoleName,
        interruptionQueue: eks.karpenter.interruptionQueueName,
        pools: infra.nodePools,
        controllerPlacement: placementFor(infra.nodePools)("system"),
        capacityTypes: options.capacityTypes,
        instanceCategories: options.instanceCategories,
        consolidateAfter: options.consolidateAfter,
        instanceCpu: options.instanceCpu,
        controllerReplicas: options.controllerReplicas,
        ...(options.maxNodes === undefined ? {} : { maxNodes: options.maxNodes }),
        ...(options.maxCpuCores === undefined ? {} : { maxCpuCores: options.maxCpuCores }),
        ...(options.maxMemoryGi === undefined ? {} : { maxMemoryGi: options.maxMemoryGi }),
        ...(options.amiAlias === undefined ? {} : { amiAlias: options.amiAlias }),
      },
      opts,
    );
  }
  return {
    storageClasses: classes.names,
    exposure: { kind: "aws-nlb", scheme: config.gateway.loadBalancerScheme },
    loadBalancer: [lbc.release],
  };
}
