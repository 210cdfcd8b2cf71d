import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Placement, ScrapeTarget } from "../../lib/contracts";
import { crdChart, helmRelease } from "../../lib/helm";
import { declareConnection, declareWorkload } from "../../lib/connections";
import { envoyGatewayValues, gatewayCrdValues } from "./values";
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
  /** Deploy the rate-limit service with its Redis, for Global limits. @default false */
  readonly globalRateLimit?: boolean;
  /** Resources the release waits for (namespace, CNI, load-balancer controller). @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * The Gateway API and Envoy Gateway CRDs, then the Envoy Gateway controller release. The CRDs are
 * what cert-manager's Gateway API support needs at start-up, so this is its own component that
 * both cert-manager and the shared Gateway wait for (through `release`, which waits for the CRDs).
 */
export class EnvoyGateway extends pulumi.ComponentResource {
  /** The CRDs, rendered from gateway-crds-helm at the controller's version. */
  public readonly crds: k8s.helm.v4.Chart;
  /** The controller release; it runs after the CRDs, so waiting for it waits for both. */
  public readonly release: k8s.helm.v3.Release;
  /** The controller's metrics, for the platform's Prometheus. */
  public readonly scrapeTargets: readonly ScrapeTarget[];

  constructor(name: string, args: EnvoyGatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:EnvoyGateway", name, {}, opts);
    // Envoy Gateway upgrades the CRDs first, then the controller (install-helm.md, "Upgrading
    // from the previous version"): the release waits for the chart's CRDs on every update.
    this.crds = crdChart(`${name}-crds`, { chart: "gateway-crds-helm", namespace: args.namespace, values: gatewayCrdValues() }, { parent: this, provider: args.provider, dependsOn: args.dependsOn ?? [] });
    this.release = helmRelease(
      `${name}-release`,
      {
        chart: "gateway-helm",
        namespace: args.namespace,
        releaseName: CONTROLLER_RELEASE,
        skipCrds: true,
        values: envoyGatewayValues({ replicas: args.replicas, placement: args.placement, ...(args.globalRateLimit === true ? { globalRateLimitNamespace: args.namespace } : {}) }),
      },
      { parent: this, provider: args.provider, dependsOn: [...(args.dependsOn ?? []), this.crds] },
    );
    declareWorkload(controllerWorkload(args.namespace));
    declareConnection(webhookConnection(args.namespace));
    this.scrapeTargets = [controllerScrapeTarget(args.namespace)];
    this.registerOutputs({});
  }
}
