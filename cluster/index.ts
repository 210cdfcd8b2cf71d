/**
 * The cluster layer: what every cluster needs before workloads. Takes the `strata:cluster`
 * slice and the infra contract, returns `ClusterOutputs`.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterConfig } from "../config/cluster";
import type { ClusterOutputs, InfraOutputs } from "../lib/contracts";
import { placementFor } from "../lib/placement";
import { Namespaces } from "./namespaces";
import { clusterProvider } from "./provider";

export interface ClusterContext {
  /** Protect stateful resources (the data namespace, data storage) from deletion. */
  readonly protectStatefulResources: boolean;
}

export function buildCluster(
  config: ClusterConfig,
  infra: InfraOutputs,
  context: ClusterContext,
  opts?: pulumi.ComponentResourceOptions,
): ClusterOutputs {
  const provider = clusterProvider(`${infra.clusterName}-k8s`, infra, opts);
  const namespaces = new Namespaces(
    infra.clusterName,
    { config, kubernetesVersion: infra.kubernetesVersion, provider, protectData: context.protectStatefulResources },
    opts,
  );
  return {
    provider,
    namespaces: namespaces.names,
    storageClasses: {},
    issuers: {},
    placementFor: placementFor(infra.nodePools),
  };
}
