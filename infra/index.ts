/**
 * The infra layer: builds (or describes) the nodes of the cluster and returns `InfraOutputs`.
 * One backend per stack, chosen by `strata:infra.backend`.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../config/schema";
import type { InfraConfig } from "../config/infra";
import type { InfraOutputs } from "../lib/contracts";
import { ExistingCluster } from "./existing";
import { readVsphereCredentials, VsphereCluster } from "./vsphere";

export interface InfraContext {
  readonly environment: Environment;
  /** Protect stateful resources (data VMs, keys, buckets) from deletion. */
  readonly protectStatefulResources: boolean;
  /** kubeconfig from the secret `strata:kubeconfig`, for the `existing` backend. */
  readonly kubeconfig?: pulumi.Output<string>;
}

export function buildInfra(config: InfraConfig, context: InfraContext, opts?: pulumi.ComponentResourceOptions): InfraOutputs {
  switch (config.backend) {
    case "vsphere":
      return new VsphereCluster(
        config.clusterName,
        { infra: config, credentials: readVsphereCredentials(), protectStatefulResources: context.protectStatefulResources },
        opts,
      ).outputs;
    case "existing":
      return new ExistingCluster(config.clusterName, { config, ...(context.kubeconfig ? { kubeconfig: context.kubeconfig } : {}) }, opts).outputs;
  }
}
