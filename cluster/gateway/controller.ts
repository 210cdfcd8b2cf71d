import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Placement, ScrapeTarget } from "../../lib/contracts";
import { helmRelease } from "../../lib/helm";
import { declareConnection, declareWorkload } from "../../lib/connections";
import { envoyGatewayValues } from "./values";
import { CONTROLLER_RELEASE, controllerWorkload, webhookConnection } from "./workloads";
import { controllerScrapeTarget } from "./metrics";

export interface EnvoyGatewayArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Namespace of the controller. */
  readonly namespace: string;
  /** Controller replicas. */
  readonly replicas: number;
  /** Where the controller runs. */
  readonly placement: Placement;
  /** Resources the release waits for (namespace, CNI, load-balancer controller). @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * The Envoy Gateway controller release. It also installs the Gateway API CRDs, which
 * cert-manager's Gateway API support needs at start-up, so it is its own component that both
 * cert-manager and the shared Gateway can wait for.
 */
export class EnvoyGateway extends pulumi.ComponentResource {
  /** The release that installs the Gateway API and Envoy Gateway CRDs. */
  public readonly release: k8s.helm.v3.Release;
  /** The controller's metrics, for the platform's Prometheus. */
  public readonly scrapeTargets: readonly ScrapeTarget[];

  constructor(name: string, args: EnvoyGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:EnvoyGateway", name, {}, opts);
    this.release = helmRelease(
      `${name}-release`,
      { chart: "gateway-helm", namespace: args.namespace, releaseName: CONTROLLER_RELEASE, values: envoyGatewayValues({ replicas: args.replicas, placement: args.placement }) },
      { parent: this, provider: args.provider, dependsOn: args.dependsOn ?? [] },
    );
    declareWorkload(controllerWorkload(args.namespace));
    declareConnection(webhookConnection(args.namespace));
    this.scrapeTargets = [controllerScrapeTarget(args.namespace)];
    this.registerOutputs({});
  }
}
