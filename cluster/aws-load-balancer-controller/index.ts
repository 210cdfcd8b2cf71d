import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MANIFESTS } from "../../lib/catalog";
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
  /**
   * The chart's `crds/` files at the controller's release tag, each applied with Server-Side Apply.
   * Helm installs a chart's `crds/` only on first install and never upgrades them; upstream's answer
   * is a manual `kubectl apply -k .../aws-load-balancer-controller//crds` (the chart README,
   * "Upgrading from AWS Load Balancer controller v2.1.3 and earlier"). Declared here, a pin change
   * re-applies them before the controller is upgraded.
   */
  public readonly crds: readonly k8s.yaml.v2.ConfigFile[];

  constructor(name: string, args: LoadBalancerControllerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:LoadBalancerController", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    this.crds = [
      new k8s.yaml.v2.ConfigFile(`${name}-crds`, { file: MANIFESTS.awsLoadBalancerControllerCrds.url }, { ...childOpts, dependsOn: args.dependsOn ?? [] }),
      new k8s.yaml.v2.ConfigFile(`${name}-gateway-crds`, { file: MANIFESTS.awsLoadBalancerControllerGatewayCrds.url }, { ...childOpts, dependsOn: args.dependsOn ?? [] }),
    ];
    this.release = helmRelease(
      `${name}-release`,
      {
        chart: "aws-load-balancer-controller",
        namespace: CONTROLLER_SERVICE_ACCOUNTS.loadBalancerController.namespace,
        skipCrds: true,
        values: loadBalancerControllerValues(args),
      },
      { ...childOpts, dependsOn: [...(args.dependsOn ?? []), ...this.crds] },
    );
    this.registerOutputs({ crdsVersion: MANIFESTS.awsLoadBalancerControllerCrds.version });
  }
}
