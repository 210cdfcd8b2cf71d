/**
 * strata's composition root: config → infra → cluster → platform → apps → stack outputs.
 * A stack may own only some layers (`strata:layers`); the contracts of the layers below come
 * from `strata:upstreamStack`.
 */
import * as pulumi from "@pulumi/pulumi";
import { buildApps } from "./apps";
import { capacityCheck } from "./apps/capacity";
import { enforceCapacity } from "./apps/capacity/enforce";
import { infraFactsOfConfig, infraFactsOfContract } from "./apps/capacity/infra-facts";
import { buildCluster } from "./cluster";
import { ConfigError } from "./config/errors";
import { loadConfig } from "./config/load";
import { spotServiceLinkedRoleNote } from "./config/cluster/spot-service-linked-role";
import { grafanaSingleReplicaNote, lokiSingleReplicaNote, runbookBaseUrlNote, tempoSingleReplicaNote } from "./config/platform/observability";
import { telemetryBucketPurposes } from "./config/platform/telemetry-buckets";
import { buildInfra } from "./infra";
import { EKS_DEPLOYER_OUTPUT, resolveDeployerPrincipal } from "./infra/eks/deployer";
import { LAYERS } from "./lib/contracts";
import { contractStackOutputs, type Contracts } from "./lib/stack-outputs";
import { versionHistoryProblems } from "./lib/kubernetes-versions";
import { previousOwnOutput, VSPHERE_BOOTSTRAPPED_OUTPUT, vsphereBootstrappedBefore } from "./lib/own-stack";
import { readUpstreamContracts } from "./lib/stack-reference";
import { buildPlatform } from "./platform";

export = async (): Promise<Record<string, unknown>> => {
  const { config, kubeconfig, vspherePassword, vsphereAccountPasswords, vsphereBreakGlassPasswordHash, appSecrets } = loadConfig();
  const owns = (layer: (typeof LAYERS)[number]) => config.layers.includes(layer);
  const below = LAYERS.slice(0, LAYERS.indexOf(config.layers[0] ?? "infra"));
  const upstream: Contracts = config.upstreamStack && below.length > 0 ? await readUpstreamContracts(config.upstreamStack, below) : {};

  // Before anything is declared: no downgrade or skipped minor against the last update, and a
  // supported version from upstream.
  const versionProblems = versionHistoryProblems({
    ...(owns("infra") && config.infra ? { configured: config.infra.kubernetesVersion, previousInfra: await previousOwnOutput("infra") } : {}),
    ...(upstream.infra && config.upstreamStack ? { upstream: { stack: config.upstreamStack, backend: upstream.infra.backend, kubernetesVersion: upstream.infra.kubernetesVersion } } : {}),
  });
  if (versionProblems.length > 0) throw new ConfigError(versionProblems);
  // The requests at their most must fit the pools at their largest.
  const infraFacts = owns("infra") && config.infra ? infraFactsOfConfig(config.infra) : upstream.infra && infraFactsOfContract(upstream.infra);
  if (owns("apps") && infraFacts) enforceCapacity(capacityCheck(config, infraFacts));
  const spotRole = spotServiceLinkedRoleNote(config);
  if (spotRole !== undefined) void pulumi.log.warn(spotRole);
  const singleGrafana = owns("platform") && config.platform ? grafanaSingleReplicaNote(config.platform.observability, config.environment, config.platform.postgres.enabled) : undefined;
  if (singleGrafana !== undefined) void pulumi.log.warn(singleGrafana);
  const runbooks = owns("platform") && config.platform ? runbookBaseUrlNote(config.platform.observability, config.environment) : undefined;
  if (runbooks !== undefined) void pulumi.log.warn(runbooks);
  const telemetryBuckets = owns("platform") && config.platform && config.infra ? telemetryBucketPurposes(config.platform, config.infra.backend, config.infra.backend === "eks" ? config.infra.eks.buckets : undefined) : undefined;
  const singleLoki = owns("platform") && config.platform ? lokiSingleReplicaNote(config.platform.observability, config.environment, telemetryBuckets?.includes(config.platform.observability?.logs.bucket ?? "")) : undefined;
  if (singleLoki !== undefined) void pulumi.log.warn(singleLoki);
  const singleTempo = owns("platform") && config.platform ? tempoSingleReplicaNote(config.platform.observability, config.environment, telemetryBuckets?.includes(config.platform.observability?.traces.bucket ?? "")) : undefined;
  if (singleTempo !== undefined) void pulumi.log.warn(singleTempo);
  // vSphere: the update after the cluster first came up rewrites the VMs' documents without the
  // cluster's key material (infra/vsphere/README.md); `vsphere.bootstrapped` overrides.
  const infraConfig =
    config.infra?.backend === "vsphere" && config.infra.vsphere.bootstrapped === undefined && owns("infra")
      ? { ...config.infra, vsphere: { ...config.infra.vsphere, bootstrapped: await vsphereBootstrappedBefore() } }
      : config.infra;
  // EKS: who the deployer's access entry is for needs the caller identity, an async call.
  const eksDeployer = owns("infra") && infraConfig?.backend === "eks" ? await resolveDeployerPrincipal(infraConfig.eks) : undefined;
  const infra =
    owns("infra") && infraConfig
      ? buildInfra(infraConfig, {
          environment: config.environment,
          protectStatefulResources: config.protectStatefulResources,
          ...(kubeconfig ? { kubeconfig } : {}),
          ...(config.awsRegion === undefined ? {} : { awsRegion: config.awsRegion }),
          ...(eksDeployer === undefined ? {} : { eksDeployer }),
          ...(config.vsphere === undefined || vspherePassword === undefined ? {} : { vsphere: { ...config.vsphere, password: vspherePassword, accountPasswords: vsphereAccountPasswords, ...(vsphereBreakGlassPasswordHash === undefined ? {} : { breakGlassPasswordHash: vsphereBreakGlassPasswordHash }) } }),
        })
      : upstream.infra;
  const cluster = owns("cluster") && infra ? buildCluster(config.cluster, infra, { protectStatefulResources: config.protectStatefulResources }) : upstream.cluster;
  const platform =
    owns("platform") && infra && cluster
      ? buildPlatform(config.platform, { infra, cluster }, { environment: config.environment, protectStatefulResources: config.protectStatefulResources })
      : upstream.platform;
  const apps = owns("apps") && cluster && platform ? buildApps(config.apps, cluster, platform, infra, appSecrets) : undefined;

  return {
    ...contractStackOutputs({
      ...(infra ? { infra } : {}),
      ...(cluster ? { cluster } : {}),
      ...(platform ? { platform } : {}),
      ...(apps ? { apps } : {}),
    }),
    ...(owns("infra") && infra?.vsphere !== undefined ? { [VSPHERE_BOOTSTRAPPED_OUTPUT]: infra.ready.apply(() => true) } : {}),
    ...(eksDeployer === undefined ? {} : { [EKS_DEPLOYER_OUTPUT]: eksDeployer.principalArn }),
  };
};
