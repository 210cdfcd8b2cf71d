import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { helmRelease } from "../../lib/helm";
import { CONTROLLER_SERVICE_ACCOUNTS } from "../../lib/service-accounts";
import { loadBalancerControllerValues, type LoadBalancerControllerOptions } from "./values";

export interface LoadBalancerControllerArgs extends LoadBalancerControllerOptions {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Resources the release waits for. @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** AWS Load Balancer Controller: turns the gateway's LoadBalancer Service into an NLB. */
export class LoadBalancerController extends pulumi.ComponentResource {
  /** The release; the gateway waits for it so its Service is never claimed by the in-tree controller. */
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: LoadBalancerControllerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:LoadBalancerController", name, {}, opts);
    this.release = helmRelease(
      `${name}-release`,
      { chart: "aws-load-balancer-controller", namespace: CONTROLLER_SERVICE_ACCOUNTS.loadBalancerController.namespace, values: loadBalancerControllerValues(args) },
      { parent: this, provider: args.provider, dependsOn: args.dependsOn ?? [] },
    );
    this.registerOutputs({});
  }
}
