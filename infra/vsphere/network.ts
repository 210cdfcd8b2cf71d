/**
 * Static guest network as netplan v2, delivered in the VMware datasource metadata.
 *
 * The single vmxnet3 NIC is matched by driver and keeps the name the kernel gives it (`ens192`
 * on vSphere): cloud-init renames interfaces only when matching on a MAC address, and netplan's
 * rename applies only on a later udev event, so a `set-name` here would leave the configured name
 * missing on first boot and the node without its address. Whatever needs the interface name
 * (keepalived, kube-vip) finds it at boot as the interface that carries the node's address.
 */

/** netplan's id for the node's NIC: a label only, never an interface name. */
export const NETPLAN_NIC_ID = "node";

/** Stands for the node's interface in staged files; replaced at boot by {@link nodeInterfaceFunction}'s result. */
export const INTERFACE_PLACEHOLDER = "STRATA_NODE_INTERFACE";

/** Seconds a boot script waits for the node's address to appear before giving up. */
export const INTERFACE_WAIT_SECONDS = 120;

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
      [NETPLAN_NIC_ID]: {
        match: { driver: "vmxnet3" },
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

/**
 * Shell lines defining `install_for_interface <staged> <target> <mode>`: finds the interface that
 * carries `address` (bounded wait), then installs the staged file with {@link INTERFACE_PLACEHOLDER}
 * replaced by that interface's name.
 */
export function nodeInterfaceFunction(address: string): string[] {
  return [
    `NODE_ADDRESS="${address}"`,
    "node_interface() {",
    "  local iface waited=0",
    '  while iface=$(ip -o -4 addr show to "${NODE_ADDRESS}/32" | awk \'{ print $2; exit }\'); [ -z "$iface" ]; do',
    `    if [ "$waited" -ge ${INTERFACE_WAIT_SECONDS} ]; then`,
    `      echo "no interface carries \${NODE_ADDRESS} after ${INTERFACE_WAIT_SECONDS} s" >&2`,
    "      return 1",
    "    fi",
    "    sleep 5",
    "    waited=$((waited + 5))",
    "  done",
    '  echo "$iface"',
    "}",
    "install_for_interface() {",
    "  local iface",
    "  iface=$(node_interface)",
    '  echo "node address ${NODE_ADDRESS} is on ${iface}: installing $2"',
    `  sed "s/${INTERFACE_PLACEHOLDER}/\${iface}/g" "$1" > "$2.tmp"`,
    '  chmod "$3" "$2.tmp"',
    '  mv "$2.tmp" "$2"',
    "}",
    "",
  ];
}
