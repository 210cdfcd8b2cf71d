/**
 * The platform layer: shared data services, observability and backups. Takes the resolved
 * `strata:platform` slice and the infra and cluster contracts, returns `PlatformOutputs`: one
 * `Endpoint` per enabled data service, the object store, observability URLs. Each service lives
 * in `platform/<service>/` and is built here by one line when its slice is enabled.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PlatformConfig } from "../config/platform";
import type { Environment } from "../config/schema";
import type { ClusterOutputs, Endpoint, InfraOutputs, ObjectStore, PlatformOutputs } from "../lib/contracts";
import { buildDataServices } from "./data-services";

/** The contracts the platform layer builds on (from this program or a stack reference). */
export interface PlatformUpstream {
  readonly infra: InfraOutputs;
  readonly cluster: ClusterOutputs;
}

/** Environment-dependent settings from the composition root. */
export interface PlatformOptions {
  readonly environment: Environment;
  /** `protect` operator releases and data-bearing resources. */
  readonly protectStatefulResources: boolean;
}

export interface PlatformLayerArgs extends PlatformUpstream {
  /** The resolved `strata:platform` slice. */
  readonly config: PlatformConfig;
  readonly options: PlatformOptions;
}

/** Every platform-layer resource, parented to one component per cluster. */
export class PlatformLayer extends pulumi.ComponentResource {
  /** The layer's contract. */
  public readonly outputs: PlatformOutputs;

  constructor(name: string, args: PlatformLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:platform:PlatformLayer", name, {}, opts);
    const endpoints: Record<string, Endpoint> = {};
    const objectStore: ObjectStore | undefined = undefined;
    const observability: Record<string, pulumi.Output<string>> = {};
    const { mysql, mongodb, rabbitmq, kafka } = args.config;
    const dataStore = objectStore === undefined ? {} : { objectStore };
    Object.assign(endpoints, buildDataServices(name, { mysql, mongodb, rabbitmq, kafka, cluster: args.cluster, ...dataStore, protect: args.options.protectStatefulResources }, this));

    this.outputs = { endpoints, ...(objectStore === undefined ? {} : { objectStore }), observability };
    this.registerOutputs({ endpoints: Object.keys(endpoints) });
  }
}

export function buildPlatform(config: PlatformConfig, upstream: PlatformUpstream, options: PlatformOptions, opts?: pulumi.ComponentResourceOptions): PlatformOutputs {
  return new PlatformLayer(`${upstream.infra.clusterName}-platform`, { config, ...upstream, options }, opts).outputs;
}
