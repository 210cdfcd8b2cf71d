/**
 * The infra layer: builds (or describes) the nodes of the cluster and returns `InfraOutputs`.
 * One backend per stack, chosen by `strata:infra.backend`.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Environment } from "../config/schema";
import type { InfraConfig } from "../config/infra";
import type { InfraOutputs } from "../lib/contracts";
import { EksCluster } from "./eks";
import type { DeployerPrincipal } from "./eks/deployer";
import { ExistingCluster } from "./existing";
import { VsphereCluster, type VsphereCredentials } from "./vsphere";

export interface InfraContext {
  readonly environment: Environment;
  /** Protect stateful resources (data VMs, keys, buckets) from deletion. */
  readonly protectStatefulResources: boolean;
  /** kubeconfig from the secret `strata:kubeconfig`, for the `existing` backend. */
  readonly kubeconfig?: pulumi.Output<string>;
  /** `aws:region`, for the `eks` backend (the config parser requires it there). */
  readonly awsRegion?: string;
  /** vCenter connection and secret password, for the `vsphere` backend (the config parser requires them there). */
  readonly vsphere?: VsphereCredentials;
  /** Principal of the EKS deployer's cluster-admin entry, resolved before the program declares anything. @default - none */
  readonly eksDeployer?: DeployerPrincipal;
}

export function buildInfra(config: InfraConfig, context: InfraContext, opts?: pulumi.ComponentResourceOptions): InfraOutputs {
  switch (config.backend) {
    case "vsphere":
      if (context.vsphere === undefined) throw new Error("buildInfra: the vsphere backend needs context.vsphere (vsphere:* config)");
      return new VsphereCluster(
        config.clusterName,
        { infra: config, credentials: context.vsphere, protectStatefulResources: context.protectStatefulResources },
        opts,
      ).outputs;
    case "existing":
      return new ExistingCluster(config.clusterName, { config, ...(context.kubeconfig ? { kubeconfig: context.kubeconfig } : {}) }, opts).outputs;
    case "eks":
      if (context.awsRegion === undefined) throw new Error("buildInfra: the eks backend needs context.awsRegion (aws:region)");
      return new EksCluster(config.clusterName, {
        config,
        environment: context.environment,
        region: context.awsRegion,
        protectStatefulResources: context.protectStatefulResources,
        ...(context.eksDeployer === undefined ? {} : { deployer: context.eksDeployer }),
      }, opts).outputs;
  }
}
