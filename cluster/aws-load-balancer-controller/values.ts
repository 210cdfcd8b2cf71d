/** Pure: AWS Load Balancer Controller chart values. */
import type * as pulumi from "@pulumi/pulumi";
import { CONTROLLER_SERVICE_ACCOUNTS } from "../../lib/service-accounts";

export interface LoadBalancerControllerOptions {
  /** EKS cluster name the controller tags load balancers with. */
  readonly clusterName: string;
  /** AWS region of the cluster. */
  readonly region: string;
  /** VPC the load balancers are created in. */
  readonly vpcId: pulumi.Input<string>;
}

/**
 * Runs under the service account the EKS backend binds Pod Identity to. The Service mutator
 * webhook stays off: only Services that ask for `service.k8s.aws/nlb` get an NLB.
 */
export function loadBalancerControllerValues(options: LoadBalancerControllerOptions) {
  return {
    clusterName: options.clusterName,
    region: options.region,
    vpcId: options.vpcId,
    replicaCount: 2,
    serviceAccount: { create: true, name: CONTROLLER_SERVICE_ACCOUNTS.loadBalancerController.serviceAccount },
    enableServiceMutatorWebhook: false,
    createIngressClassResource: false,
  };
}
