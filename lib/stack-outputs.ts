/**
 * Contracts as stack outputs. Every contract is split into a plain output (`infra`, `cluster`,
 * …) and, where it has secrets, a `<layer>Secrets` output wrapped in `pulumi.secret`, so the
 * structural part stays readable in `pulumi stack output` and by downstream stacks.
 */
import * as pulumi from "@pulumi/pulumi";
import type { AppsOutputs, ClusterOutputs, InfraOutputs, PlatformOutputs } from "./contracts";

export interface Contracts {
  readonly infra?: InfraOutputs;
  readonly cluster?: ClusterOutputs;
  readonly platform?: PlatformOutputs;
  readonly apps?: AppsOutputs;
}

export function infraStackOutputs(infra: InfraOutputs): Record<string, unknown> {
  const { vsphere } = infra;
  return {
    infra: {
      backend: infra.backend,
      clusterName: infra.clusterName,
      kubernetesVersion: infra.kubernetesVersion,
      hasKubeconfig: infra.kubeconfig !== undefined,
      ...(infra.kubeContext === undefined ? {} : { kubeContext: infra.kubeContext }),
      apiEndpoint: infra.apiEndpoint,
      nodePools: infra.nodePools,
      network: infra.network,
      ...(infra.eks === undefined ? {} : { eks: infra.eks }),
      ...(vsphere === undefined
        ? {}
        : {
            vsphere: {
              vcenterServer: vsphere.vcenterServer,
              datacenter: vsphere.datacenter,
              insecure: vsphere.insecure,
              ...(vsphere.thumbprint === undefined ? {} : { thumbprint: vsphere.thumbprint }),
              ...(vsphere.caBundle === undefined ? {} : { caBundle: vsphere.caBundle }),
              cpi: { username: vsphere.cpi.username },
              csi: { username: vsphere.csi.username },
              apiVip: vsphere.apiVip,
              ...(vsphere.ingressAddress === undefined ? {} : { ingressAddress: vsphere.ingressAddress }),
              storagePolicies: vsphere.storagePolicies,
              ...(vsphere.dataDisks === undefined ? {} : { dataDisks: vsphere.dataDisks }),
              ...(vsphere.autoscaledPools === undefined ? {} : { autoscaledPools: vsphere.autoscaledPools }),
              ...(vsphere.machineController === undefined ? {} : { machineController: { username: vsphere.machineController.username } }),
            },
          }),
    },
    infraSecrets: pulumi.secret({
      ...(infra.kubeconfig === undefined ? {} : { kubeconfig: infra.kubeconfig }),
      ...(vsphere === undefined ? {} : { vsphereCpiPassword: vsphere.cpi.password, vsphereCsiPassword: vsphere.csi.password }),
      ...(vsphere?.machineController === undefined ? {} : { vsphereMachineControllerPassword: vsphere.machineController.password }),
    }),
  };
}

export function clusterStackOutputs(cluster: ClusterOutputs): Record<string, unknown> {
  return {
    cluster: {
      namespaces: cluster.namespaces,
      storageClasses: cluster.storageClasses,
      ...(cluster.gateway === undefined ? {} : { gateway: cluster.gateway }),
      issuers: cluster.issuers,
      ...(cluster.scrapeTargets === undefined ? {} : { scrapeTargets: cluster.scrapeTargets }),
      ...(cluster.mesh === undefined ? {} : { mesh: cluster.mesh }),
    },
  };
}

export function platformStackOutputs(platform: PlatformOutputs): Record<string, unknown> {
  const entries = Object.entries(platform.endpoints);
  const store = platform.objectStore;
  return {
    platform: {
      endpoints: Object.fromEntries(
        entries.map(([name, e]) => [
          name,
          {
            kind: e.kind,
            namespace: e.namespace,
            host: e.host,
            port: e.port,
            ports: e.ports,
            ...(e.readHost === undefined ? {} : { readHost: e.readHost }),
            ...(e.database === undefined ? {} : { database: e.database }),
            username: e.username,
            secretName: e.secretName,
            ...(e.kafka === undefined ? {} : { kafka: { bootstrapServers: e.kafka.bootstrapServers, securityProtocol: e.kafka.securityProtocol, saslMechanism: e.kafka.saslMechanism, caSecretName: e.kafka.caSecretName } }),
          },
        ]),
      ),
      ...(store === undefined
        ? {}
        : {
            objectStore: {
              endpoint: store.endpoint,
              region: store.region,
              forcePathStyle: store.forcePathStyle,
              buckets: store.buckets,
              ...(store.credentials === undefined ? {} : { credentials: { namespace: store.credentials.namespace, secretName: store.credentials.secretName } }),
            },
          }),
      observability: platform.observability,
      ...(platform.keda === undefined ? {} : { keda: { namespace: platform.keda.namespace } }),
      secretStores: platform.secretStores,
      reloaderAnnotation: platform.reloaderAnnotation,
    },
    platformSecrets: pulumi.secret({
      // Kafka's CA certificate is public, but it is also the data of Kubernetes Secrets, which
      // Pulumi keeps secret; exporting it in clear beside them would read as a leak.
      endpoints: Object.fromEntries(entries.map(([name, e]) => [name, { password: e.password, url: e.url, ...(e.kafka === undefined ? {} : { caCert: e.kafka.caCert }) }])),
      ...(store?.credentials === undefined
        ? {}
        : { objectStore: { accessKeyId: store.credentials.accessKeyId, secretAccessKey: store.credentials.secretAccessKey } }),
    }),
  };
}

export function appsStackOutputs(apps: AppsOutputs): Record<string, unknown> {
  return { apps: { apps: apps.apps } };
}

/** Every contract this stack holds (owned or read from upstream), as stack outputs. */
export function contractStackOutputs(contracts: Contracts): Record<string, unknown> {
  return {
    ...(contracts.infra ? infraStackOutputs(contracts.infra) : {}),
    ...(contracts.cluster ? clusterStackOutputs(contracts.cluster) : {}),
    ...(contracts.platform ? platformStackOutputs(contracts.platform) : {}),
    ...(contracts.apps ? appsStackOutputs(contracts.apps) : {}),
  };
}
