/**
 * The cluster layer: what every cluster needs before workloads. Takes the `strata:cluster`
 * slice and the infra contract, returns `ClusterOutputs`. Order and per-backend pieces: README.md.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ClusterConfig } from "../config/cluster";
import type { ClusterOutputs, InfraOutputs, StoragePurpose } from "../lib/contracts";
import { placementFor, placementForPool } from "../lib/placement";
import { CertManager } from "./cert-manager";
import { ISSUER_NAMES } from "./cert-manager/values";
import { eksAddons } from "./eks";
import { Gateway } from "./gateway";
import { EnvoyGateway } from "./gateway/controller";
import { HTTP_LISTENER, type Exposure } from "./gateway/values";
import { GuardRails } from "./guard-rails";
import { AutoscaledPools } from "./machine-controller/pools";
import { Mesh } from "./mesh";
import { ISTIO_NAMESPACE, MESH_ADDON_NAMESPACE } from "./mesh/values";
import { MetricsServer } from "./metrics-server";
import { VerticalPodAutoscaler } from "./vpa";
import { Namespaces, type NamespaceSpec } from "./namespaces";
import { NetworkPolicies } from "./network-policies";
import { clusterAddresses } from "./network-policies/addresses";
import { VSPHERE_ADDON_NAMESPACES } from "./network-policies/addons";
import { clusterProvider } from "./provider";
import { VSPHERE_SYSTEM_NAMESPACES, vsphereAddons } from "./vsphere";

export interface ClusterContext {
  /** Protect stateful resources (the data namespace, data storage) from deletion. */
  readonly protectStatefulResources: boolean;
}

export interface ClusterLayerArgs {
  /** The validated `strata:cluster` slice. */
  readonly config: ClusterConfig;
  /** The infra layer's contract (from this program or a stack reference). */
  readonly infra: InfraOutputs;
  /** Environment-dependent settings from the composition root. */
  readonly context: ClusterContext;
}

/** Every cluster-layer resource, parented to one component per cluster. */
export class ClusterLayer extends pulumi.ComponentResource {
  /** The layer's contract. */
  public readonly outputs: ClusterOutputs;

  constructor(name: string, args: ClusterLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:ClusterLayer", name, {}, opts);
    const { config, infra } = args;
    const parent = { parent: this };
    const provider = clusterProvider(`${name}-k8s`, infra, parent);

    const system: NamespaceSpec[] = [
      ...(infra.backend === "vsphere" ? Object.values(VSPHERE_SYSTEM_NAMESPACES).map((ns) => ({ name: ns, purpose: "system" as const, podSecurity: "privileged" as const })) : []),
      // istio-cni and ztunnel need the host's network namespace and NET_ADMIN.
      ...(config.mesh.enabled ? [{ name: ISTIO_NAMESPACE, purpose: "system" as const, podSecurity: "privileged" as const }] : []),
    ];
    const meshed = config.mesh.enabled ? Object.keys(config.appNamespaces) : [];
    const namespaces = new Namespaces(
      name,
      { config, kubernetesVersion: infra.kubernetesVersion, provider, protectData: args.context.protectStatefulResources, extra: system, meshed },
      parent,
    );
    const names = namespaces.names;
    const ns = (namespace: string): pulumi.Resource[] => {
      const found = namespaces.resources[namespace];
      return found === undefined ? [] : [found];
    };
    const guardRails = new GuardRails(`${name}-guard-rails`, { provider, appNamespaces: config.appNamespaces, namespaces: namespaces.resources }, parent);

    let storageClasses: Partial<Record<StoragePurpose, string>> = {};
    let exposure: Exposure = { kind: "plain" };
    let loadBalancer: pulumi.Resource[] = [];
    let cni: pulumi.Resource[] = [];
    if (infra.backend === "vsphere") {
      if (infra.vsphere === undefined) throw new Error("infra.vsphere is missing; the vSphere backend must publish its extras");
      const addons = vsphereAddons(name, config, infra, infra.vsphere, { provider, parent: this, priorityClasses: guardRails.priorityClassObjects, namespace: ns });
      ({ storageClasses, exposure } = addons);
      loadBalancer = addons.loadBalancer;
      cni = [addons.cni];
    } else if (infra.backend === "eks") {
      if (infra.eks === undefined) throw new Error("infra.eks is missing; the EKS backend must publish its extras");
      // The load-balancer controller and Karpenter run at `system-cluster-critical` (built in).
      const addons = eksAddons(name, config, infra, infra.eks, { provider, parent: this });
      ({ storageClasses, exposure } = addons);
      loadBalancer = addons.loadBalancer;
    } else {
      storageClasses = Object.fromEntries(Object.entries(config.existing.storageClasses).filter(([, v]) => v !== undefined));
    }
    // Releases whose pods need the pod network (Helm waits until they are ready) and, where they
    // use one of strata's PriorityClasses, that class (admission rejects pods naming a missing one).
    const critical: pulumi.Resource[] = [...guardRails.priorityClassObjects, ...cni];
    const systemPlacement = placementFor(infra.nodePools)("system");

    // metrics-server runs at `system-cluster-critical` (built in); kubelets serve certificates the cluster CA signed.
    new MetricsServer(`${name}-metrics-server`, { provider, placement: systemPlacement, kubeletInsecureTls: false, dependsOn: cni }, parent);

    const mesh = !config.mesh.enabled
      ? undefined
      : new Mesh(
        `${name}-mesh`,
        {
          provider,
          config: config.mesh,
          meshedNamespaces: meshed,
          placement: systemPlacement,
          dependsOn: [...ns(ISTIO_NAMESPACE), ...critical],
          namespaceObjects: meshed.flatMap(ns),
        },
        parent,
      );
    // Recommendations only (cluster/vpa/values.ts says why no updater or admission controller).
    const vpa = config.vpa.enabled
      ? new VerticalPodAutoscaler(
          `${name}-vpa`,
          { provider, namespace: names.operators, recommenderReplicas: config.vpa.recommenderReplicas, placement: systemPlacement, dependsOn: [...ns(names.operators), ...critical] },
          parent,
        )
      : undefined;

    const gatewayName = "strata";
    const gw = config.gateway;
    // The Gateway API CRDs (installed before the controller); cert-manager's Gateway API support needs them at start-up.
    const envoyGateway = gw.enabled
      ? new EnvoyGateway(
          `${name}-gateway`,
          { provider, namespace: names.gateway, replicas: gw.replicas, placement: systemPlacement, globalRateLimit: gw.globalRateLimit.enabled, dependsOn: [...ns(names.gateway), ...critical] },
          parent,
        )
      : undefined;

    const certManager = new CertManager(
      `${name}-cert-manager`,
      {
        provider,
        namespace: names.operators,
        internalCaCommonName: config.certificates.internalCaCommonName,
        internalCaValidityDays: config.certificates.internalCaValidityDays,
        ...(gw.enabled && config.certificates.acmeEmail !== undefined
          ? { acmeEmail: config.certificates.acmeEmail, gateway: { name: gatewayName, namespace: names.gateway, sectionName: HTTP_LISTENER } }
          : {}),
        dependsOn: [...ns(names.operators), ...critical, ...(envoyGateway ? [envoyGateway.release] : [])],
        secretsDependOn: ns(names.operators),
      },
      parent,
    );

    // Pools whose VMs machine-controller creates and cluster-autoscaler sizes (docs/adr/0001-vsphere-autoscaled-pools.md).
    const vsphere = infra.vsphere;
    if (infra.backend === "vsphere" && vsphere?.autoscaledPools !== undefined && vsphere.autoscaledPools.length > 0) {
      if (infra.network.serviceCidr === undefined) throw new Error("infra.network.serviceCidr is missing; the vSphere backend must report the Service CIDR kubeadm was initialised with");
      const internalIssuer = certManager.issuers[certManager.issuerNames.internal];
      new AutoscaledPools(
        `${name}-autoscaled-pools`,
        {
          provider,
          clusterName: infra.clusterName,
          kubernetesVersion: infra.kubernetesVersion,
          serviceCidr: infra.network.serviceCidr,
          vsphere: { ...vsphere, autoscaledPools: vsphere.autoscaledPools },
          placement: placementFor(infra.nodePools)("control-plane"),
          issuer: certManager.issuerNames.internal,
          certManager: [certManager.release, ...(internalIssuer === undefined ? [] : [internalIssuer])],
          dependsOn: critical,
          ...(config.networkPolicies.enabled ? { networkPolicies: { addresses: clusterAddresses(infra.backend, infra.network) } } : {}),
        },
        parent,
      );
    }

    const gateway = envoyGateway
      ? new Gateway(
          `${name}-gateway`,
          {
            provider,
            meshed: config.mesh.enabled,
            namespace: names.gateway,
            domains: gw.domains,
            issuerFor: (_domain, entry) => ISSUER_NAMES[entry.issuer],
            routeNamespaces: [...names.apps, names.monitoring],
            exposure,
            replicas: gw.replicas,
            placement: systemPlacement,
            rateLimitPerMinute: gw.rateLimitPerMinute,
            globalRateLimit: gw.globalRateLimit.enabled,
            securityHeaders: gw.securityHeaders,
            ...(gw.cors === undefined ? {} : { cors: gw.cors }),
            // The HAProxy load-balancer VMs forward 80/443 with PROXY protocol v2.
            proxyProtocol: infra.backend === "vsphere" && infra.nodePools.some((p) => p.role === "load-balancer" && p.count > 0),
            ...(exposure.kind === "metallb" && exposure.address !== undefined ? { address: exposure.address } : {}),
            controller: envoyGateway.release,
            crds: envoyGateway.crds,
            loadBalancer,
            // The CRDs and the webhook that validates Certificates; an issuer that appears later is picked up.
            certificatesDependOn: [...ns(names.gateway), certManager.release],
          },
          parent,
        )
      : undefined;

    if (config.networkPolicies.enabled) {
      new NetworkPolicies(
        `${name}-network-policies`,
        {
          provider,
          namespaces: { gateway: names.gateway, operators: names.operators, data: names.data, monitoring: names.monitoring, backup: names.backup },
          apps: names.apps,
          dataPorts: config.networkPolicies.dataPorts,
          appsInternetEgress: config.networkPolicies.appsInternetEgress,
          addresses: clusterAddresses(infra.backend, infra.network),
          podIdentityNamespaces: Object.values(infra.eks?.podIdentities ?? {}).map((binding) => binding.namespace),
          acme: gw.enabled && config.certificates.acmeEmail !== undefined,
          addons: [...(infra.backend === "vsphere" ? VSPHERE_ADDON_NAMESPACES : []), ...(mesh === undefined ? [] : [MESH_ADDON_NAMESPACE])],
          namespaceObjects: namespaces.resources,
        },
        parent,
      );
    }

    this.outputs = {
      provider,
      namespaces: names,
      storageClasses,
      ...(gateway === undefined
        ? {}
        : { gateway: { name: gateway.gatewayName, namespace: names.gateway, domain: Object.keys(gw.domains)[0] ?? "", address: gateway.address, listeners: gateway.listeners, globalRateLimit: gw.globalRateLimit.enabled } }),
      issuers: certManager.issuerNames,
      placementFor: placementFor(infra.nodePools),
      placementForPool: placementForPool(infra.nodePools),
      ...(config.mesh.enabled ? { mesh: { mtls: config.mesh.mtls, namespaces: meshed, gateway: gateway !== undefined } } : {}),
      scrapeTargets: [...certManager.scrapeTargets, ...(envoyGateway?.scrapeTargets ?? []), ...(gateway?.scrapeTargets ?? []), ...(mesh?.scrapeTargets ?? [])],
      ...(vpa === undefined ? {} : { verticalPodAutoscaler: { crds: vpa.release } }),
    };
    this.registerOutputs({ namespaces: names, storageClasses, issuers: this.outputs.issuers });
  }
}

export function buildCluster(config: ClusterConfig, infra: InfraOutputs, context: ClusterContext, opts?: pulumi.ComponentResourceOptions): ClusterOutputs {
  return new ClusterLayer(infra.clusterName, { config, infra, context }, opts).outputs;
}
