/** Resolves the config into the plain settings every node's bootstrap documents are built from. */
import type { VsphereInfraConfig } from "../../config/infra/vsphere";
import { VSPHERE_NODE } from "../../lib/catalog";
import type { BootstrapPlan } from "./bootstrap";
import type { NodeSpec } from "./pools";
import { noProxyList } from "./node-egress";

export interface KubernetesRelease {
  /** `1.35.3`, without `v`. */
  readonly version: string;
  /** pkgs.k8s.io channel, `v1.35`. */
  readonly channel: string;
  /** Debian package version, `1.35.3-1.1`. */
  readonly package: string;
}

/** `1.35` → the catalog's pinned patch; `1.35.2` → that patch, same package revision scheme. */
export function kubernetesRelease(kubernetesVersion: string): KubernetesRelease {
  const minor = /^(\d+\.\d+)/.exec(kubernetesVersion)?.[1] ?? kubernetesVersion;
  const pinned = VSPHERE_NODE.kubernetesPackages[minor];
  if (pinned === undefined) throw new Error(`no node packages pinned for Kubernetes ${minor}; config validation should have caught this`);
  const isPatch = kubernetesVersion.split(".").length === 3;
  const pkg = isPatch ? `${kubernetesVersion}-1.1` : pinned.package;
  return { version: pkg.replace(/-.*$/, ""), channel: pinned.channel, package: pkg };
}

/** `vcenterServer` (`vsphere:vsphereServer`) is kept out of the proxy; @default - unknown, in unit tests */
export function bootstrapPlan(infra: VsphereInfraConfig, nodes: readonly NodeSpec[], vcenterServer?: string): BootstrapPlan {
  const vs = infra.vsphere;
  const release = kubernetesRelease(infra.kubernetesVersion);
  const port = infra.network.apiServerPort;
  const cpPool = Object.values(vs.nodePools).find((pool) => pool.role === "control-plane");
  const vipPrefixLength = Number((cpPool && vs.networks[cpPool.network]?.cidr.split("/")[1]) ?? 32);
  return {
    cluster: {
      clusterName: infra.clusterName,
      kubernetesVersion: `v${release.version}`,
      endpointHost: vs.apiEndpoint.dnsName,
      apiServerPort: port,
      vip: vs.apiEndpoint.vip,
      podCidr: infra.network.podCidr,
      serviceCidr: infra.network.serviceCidr,
      dnsDomain: infra.network.dnsDomain,
    },
    endpoint: { host: vs.apiEndpoint.dnsName, vip: vs.apiEndpoint.vip, port },
    pins: { channel: release.channel, kubernetes: release.package, containerd: VSPHERE_NODE.ubuntuPackages.containerd, pauseImage: VSPHERE_NODE.pauseImage },
    loadBalancerPins: { haproxy: VSPHERE_NODE.ubuntuPackages.haproxy, keepalived: VSPHERE_NODE.ubuntuPackages.keepalived },
    kubeVipImage: VSPHERE_NODE.kubeVipImage,
    adminUser: vs.adminUser,
    sshAuthorizedKeys: vs.sshAuthorizedKeys,
    networks: Object.fromEntries(
      Object.entries(vs.networks).map(([name, net]) => [name, { gateway: net.gateway, dnsServers: net.dnsServers, searchDomains: net.searchDomains }]),
    ),
    controlPlane: nodes.filter((node) => node.role === "control-plane"),
    loadBalancers: nodes.filter((node) => node.role === "load-balancer"),
    ...(vs.gatewayAddress === undefined ? {} : { gatewayAddress: vs.gatewayAddress }),
    vrrpRouterId: vs.vrrpRouterId,
    vipPrefixLength,
    ...(vs.proxy === undefined
      ? {}
      : {
          proxy: {
            http: vs.proxy.http,
            https: vs.proxy.https,
            noProxy: noProxyList(
              {
                podCidr: infra.network.podCidr,
                serviceCidr: infra.network.serviceCidr,
                dnsDomain: infra.network.dnsDomain,
                nodeCidrs: Object.values(vs.networks).map((net) => net.cidr),
                apiEndpointHost: vs.apiEndpoint.dnsName,
                apiVip: vs.apiEndpoint.vip,
                vcenterServer,
              },
              vs.proxy.noProxy,
            ),
          },
        }),
    registryMirrors: vs.registryMirrors,
    etcdSnapshots: { schedule: vs.etcdSnapshots.schedule, keepLocalDays: vs.etcdSnapshots.keepLocalDays },
    ...(vs.breakGlass === undefined ? {} : { breakGlass: { user: vs.breakGlass.user, sshAuthorizedKeys: vs.breakGlass.sshAuthorizedKeys, consolePassword: vs.breakGlass.consolePassword } }),
  };
}
