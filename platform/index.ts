/**
 * The platform layer: shared data services, observability and backups, each publishing an
 * `Endpoint` or its URLs in `PlatformOutputs`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config/platform";
import type { Environment } from "../config/schema";
import type { ClusterOutputs, InfraOutputs, PlatformOutputs } from "../lib/contracts";
import { Observability } from "./observability";

export interface PlatformUpstream {
  /** The infra contract (backend, pools); absent only when a reference did not carry it. */
  readonly infra?: InfraOutputs;
  readonly cluster: ClusterOutputs;
}

export interface PlatformContext {
  readonly environment: Environment;
  /** Protect stateful releases and volumes from deletion. */
  readonly protectStatefulResources: boolean;
}

/** Every platform-layer resource, parented to one component. */
export class PlatformLayer extends pulumi.ComponentResource {
  public readonly outputs: PlatformOutputs;

  constructor(name: string, config: PlatformConfig, upstream: PlatformUpstream, context: PlatformContext, opts?: pulumi.ComponentResourceOptions) {
    super("strata:platform:PlatformLayer", name, {}, opts);
    const { cluster } = upstream;
    const observability =
      config.observability === undefined
        ? undefined
        : new Observability(
            `${name}-observability`,
            { provider: cluster.provider, config: config.observability, environment: context.environment, backend: upstream.infra?.backend ?? "existing", cluster },
            { parent: this },
          );
    this.outputs = { endpoints: {}, observability: observability?.outputs ?? {} };
    this.registerOutputs({});
  }
}

export function buildPlatform(config: PlatformConfig, upstream: PlatformUpstream, context: PlatformContext): PlatformOutputs {
  return new PlatformLayer("platform", config, upstream, context).outputs;
}
