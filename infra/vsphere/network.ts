/**
 * Static guest network as netplan v2, delivered in the VMware datasource metadata. The single
 * vmxnet3 NIC is renamed `eth0` so keepalived and kube-vip can name it without guessing.
 */
export const NODE_INTERFACE = "eth0";

export interface NodeNetworkSettings {
  readonly address: string;
  readonly prefixLength: number;
  readonly gateway: string;
  readonly dnsServers: readonly string[];
  readonly searchDomains: readonly string[];
}

export function netplan(settings: NodeNetworkSettings) {
  return {
    version: 2,
    ethernets: {
      [NODE_INTERFACE]: {
        match: { driver: "vmxnet3" },
        "set-name": NODE_INTERFACE,
        dhcp4: false,
        dhcp6: false,
        addresses: [`${settings.address}/${settings.prefixLength}`],
        routes: [{ to: "default", via: settings.gateway }],
        nameservers: {
          addresses: [...settings.dnsServers],
          ...(settings.searchDomains.length > 0 ? { search: [...settings.searchDomains] } : {}),
        },
      },
    },
  };
}
