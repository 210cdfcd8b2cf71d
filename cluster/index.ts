/**
 * The cluster layer: `(strata:cluster, InfraOutputs) → ClusterOutputs`. Declares what every
 * cluster needs before workloads, per backend; see README.md for the order.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ClusterConfig } from "../config/cluster";
import type { ClusterOutputs, InfraOutputs, StoragePurpose } from "../lib/contracts";
import { placementFor, placementHelper } from "../lib/placement";
import { CertManager } from "./cert-manager";
import { ISSUER_NAMES } from "./cert-manager/values";
import { eksAddons } from "./eks";
import { Gateway } from "./gateway";
import type { Exposure } from "./gateway/values";
import { HTTP_LISTENER } from "./gateway/values";
import { GuardRails } from "./guard-rails";
import { MetricsServer } from "./metrics-server";
import { appNamespaces, platformNamespaces, type NamespaceSpec } from "./namespaces/values";
import { Namespaces } from "./namespaces";
import { NetworkPolicies } from "./network-policies";
import { VSPHERE_SYSTEM_NAMESPACES, vsphereAddons } from "./vsphere";

export interface ClusterLayerArgs {
  /** The validated `strata:cluster` slice. */
  readonly config: ClusterConfig;
  /** The infra layer's contract (from this program or a stack reference). */
  readonly infra: InfraOutputs;
}

/** Every cluster-layer resource, parented to one component per cluster. */
export class ClusterLayer extends pulumi.ComponentResource {
  /** The layer's contract. */
  public readonly outputs: ClusterOutputs;

  constructor(name: string, args: ClusterLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:ClusterLayer", name, {}, opts);
    const { config, infra } = args;
    const parent = { parent: this };
    // Data flow, not dependsOn: the provider only gets a kubeconfig once the API server answers.
    const kubeconfig = pulumi.all([infra.kubeconfig, infra.ready]).apply(([text]) => text);
    const provider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig, enableServerSideApply: true, ...(infra.kubeContext === undefined ? {} : { context: infra.kubeContext }) },
      parent,
    );

    const platform = platformNamespaces(config);
    const apps = appNamespaces(config);
    const system: NamespaceSpec[] =
      infra.backend === "vsphere" ? Object.values(VSPHERE_SYSTEM_NAMESPACES).map((ns) => ({ name: ns, purpose: "system", podSecurity: "privileged" })) : [];
    const namespaces = new Namespaces(`${name}-namespaces`, { provider, namespaces: [...Object.values(platform), ...apps, ...system] }, parent);
    const ns = (namespace: string): pulumi.Resource[] => {
      const found = namespaces.byName[namespace];
      return found === undefined ? [] : [found];
    };
    const guardRails = new GuardRails(`${name}-guard-rails`, { provider, appNamespaces: config.appNamespaces, namespaces: namespaces.byName }, parent);

    let storageClasses: Partial<Record<StoragePurpose, string>> = {};
    let exposure: Exposure = { kind: "plain" };
    let gatewayDeps: pulumi.Resource[] = [];
    let cni: pulumi.Resource[] = [];
    if (infra.backend === "vsphere") {
      if (infra.vsphere === undefined) throw new Error("infra.vsphere is missing; the vSphere backend must publish its extras");
      const addons = vsphereAddons(name, config, infra, infra.vsphere, { provider, parent: this, guardRails, namespace: ns });
      ({ storageClasses, exposure } = addons);
      gatewayDeps = addons.gatewayDependsOn;
      cni = [addons.cni];
    } else if (infra.backend === "eks") {
      if (infra.eks === undefined) throw new Error("infra.eks is missing; the EKS backend must publish its extras");
      const addons = eksAddons(name, config, infra, infra.eks, { provider, parent: this, guardRails: [guardRails] });
      ({ storageClasses, exposure } = addons);
      gatewayDeps = addons.gatewayDependsOn;
    } else {
      storageClasses = Object.fromEntries(Object.entries(config.existing.storageClasses).filter(([, v]) => v !== undefined));
    }
    const afterCni: pulumi.Resource[] = [guardRails, ...cni];
    const system_ = placementFor(infra.nodePools, "system");

    new MetricsServer(`${name}-metrics-server`, { provider, placement: system_, kubeletInsecureTls: infra.backend === "vsphere", dependsOn: afterCni }, parent);

    const gatewayName = "strata";
    const gw = config.gateway;
    const certManager = new CertManager(
      `${name}-cert-manager`,
      {
        provider,
        namespace: platform.operators.name,
        internalCaCommonName: config.certificates.internalCaCommonName,
        internalCaValidityDays: config.certificates.internalCaValidityDays,
        ...(gw.enabled && config.certificates.acmeEmail !== undefined
          ? { acmeEmail: config.certificates.acmeEmail, gateway: { name: gatewayName, namespace: platform.gateway.name, sectionName: HTTP_LISTENER } }
          : {}),
        dependsOn: [...ns(platform.operators.name), ...afterCni],
      },
      parent,
    );

    const gateway = gw.enabled
      ? new Gateway(
          `${name}-gateway`,
          {
            provider,
            namespace: platform.gateway.name,
            domains: gw.domains,
            issuerFor: (_domain, entry) => ISSUER_NAMES[entry.issuer],
            routeNamespaces: apps.map((ns) => ns.name),
            exposure,
            replicas: gw.replicas,
            placement: system_,
            rateLimitPerMinute: gw.rateLimitPerMinute,
            securityHeaders: gw.securityHeaders,
            ...(gw.cors === undefined ? {} : { cors: gw.cors }),
            ...(exposure.kind === "metallb" && exposure.address !== undefined ? { address: exposure.address } : {}),
            certificatesDependOn: [...ns(platform.gateway.name), certManager.release, ...Object.values(certManager.issuers)],
            dependsOn: [...ns(platform.gateway.name), ...afterCni, ...gatewayDeps],
          },
          parent,
        )
      : undefined;

    if (config.networkPolicies.enabled) {
      new NetworkPolicies(
        `${name}-network-policies`,
        {
          provider,
          namespaces: { gateway: platform.gateway.name, operators: platform.operators.name, data: platform.data.name, monitoring: platform.monitoring.name, backup: platform.backup.name },
          apps: apps.map((ns) => ns.name),
          dataPorts: config.networkPolicies.dataPorts,
          appsInternetEgress: config.networkPolicies.appsInternetEgress,
          clusterCidrs: [infra.network.podCidr, infra.network.serviceCidr].filter((c): c is string => c !== undefined),
          namespaceObjects: namespaces.byName,
        },
        parent,
      );
    }

    this.outputs = {
      provider,
      namespaces: {
        gateway: platform.gateway.name,
        operators: platform.operators.name,
        data: platform.data.name,
        monitoring: platform.monitoring.name,
        backup: platform.backup.name,
        apps: apps.map((ns) => ns.name),
      },
      storageClasses,
      ...(gateway === undefined
        ? {}
        : { gateway: { name: gateway.gatewayName, namespace: platform.gateway.name, domain: Object.keys(gw.domains)[0] ?? "", address: gateway.address, listeners: gateway.listeners } }),
      issuers: certManager.issuerNames,
      placementFor: placementHelper(infra.nodePools),
    };
    this.registerOutputs({ namespaces: this.outputs.namespaces, storageClasses, issuers: this.outputs.issuers });
  }
}

/** The cluster layer: `(strata:cluster, InfraOutputs) → ClusterOutputs`. */
export function buildCluster(config: ClusterConfig, infra: InfraOutputs, opts: pulumi.ComponentResourceOptions = {}): ClusterOutputs {
  return new ClusterLayer(infra.clusterName, { config, infra }, opts).outputs;
}
