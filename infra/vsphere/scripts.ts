/**
 * Shell scripts cloud-init writes to `/usr/local/sbin` and runs once on first boot. Each is
 * idempotent (safe to re-run by hand), bounded in how long it waits, and passes shellcheck.
 * Secrets never appear in a script: they are read from 0600 files written beside it.
 */
import { CRI_SOCKET } from "./kubeadm";
import { ADMIN_CONF, KUBE_VIP_MANIFEST, SUPER_ADMIN_CONF } from "./kube-vip";
import { nodeInterfaceFunction } from "./network";

export const STRATA_DIR = "/etc/strata";
export const KUBEADM_CONFIG = `${STRATA_DIR}/kubeadm.yaml`;
/** On the first control-plane node: the join document used when it is a replacement in a running cluster. */
export const KUBEADM_JOIN_CONFIG = `${STRATA_DIR}/kubeadm-join.yaml`;
export const JOIN_SCRIPT = "/usr/local/sbin/strata-kubeadm-join.sh";
export const CERTIFICATE_KEY_FILE = `${STRATA_DIR}/certificate-key`;
export const KUBE_VIP_STAGED = `${STRATA_DIR}/kube-vip.yaml`;

export interface PackagePins {
  /** pkgs.k8s.io channel, e.g. `v1.35`. */
  readonly channel: string;
  /** kubelet/kubeadm/kubectl package version, e.g. `1.35.3-1.1`. */
  readonly kubernetes: string;
  readonly containerd: string;
  /** Pod sandbox image, e.g. `registry.k8s.io/pause:3.10.1`. */
  readonly pauseImage: string;
}

export interface EndpointSettings {
  /** DNS name of the API endpoint, pinned in /etc/hosts so nodes never depend on external DNS for it. */
  readonly host: string;
  readonly vip: string;
  readonly port: number;
}

const header = (purpose: string) => ["#!/bin/bash", `# ${purpose}`, "set -euo pipefail", ""];

/** Maps the endpoint name to an address in /etc/hosts (the VIP, or 127.0.0.1 on control planes). */
function pinEndpointFunction(endpoint: EndpointSettings): string[] {
  return [
    `ENDPOINT_HOST="${endpoint.host}"`,
    "pin_endpoint() {",
    '  sed -i "/[[:space:]]${ENDPOINT_HOST}\\$/d" /etc/hosts',
    '  echo "$1 ${ENDPOINT_HOST}" >> /etc/hosts',
    "}",
    "",
  ];
}

export function nodePrepScript(pins: PackagePins): string {
  return [
    ...header("Prepares the node for kubeadm: swap off, kernel modules, sysctls, containerd and pinned Kubernetes packages."),
    `K8S_CHANNEL="${pins.channel}"`,
    `K8S_PACKAGE="${pins.kubernetes}"`,
    `CONTAINERD_VERSION="${pins.containerd}"`,
    `PAUSE_IMAGE="${pins.pauseImage}"`,
    "export DEBIAN_FRONTEND=noninteractive",
    "",
    "swapoff -a",
    "sed -i '/[[:space:]]swap[[:space:]]/ s/^#*/#/' /etc/fstab",
    "modprobe overlay",
    "modprobe br_netfilter",
    "sysctl --system",
    "",
    "install -d -m 0755 /etc/apt/keyrings",
    'curl -fsSL --retry 5 "https://pkgs.k8s.io/core:/stable:/${K8S_CHANNEL}/deb/Release.key" \\',
    "  | gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg",
    'echo "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/${K8S_CHANNEL}/deb/ /" \\',
    "  > /etc/apt/sources.list.d/kubernetes.list",
    "apt-get update",
    'apt-get install -y "containerd=${CONTAINERD_VERSION}" "kubelet=${K8S_PACKAGE}" "kubeadm=${K8S_PACKAGE}" "kubectl=${K8S_PACKAGE}"',
    "apt-mark hold containerd kubelet kubeadm kubectl",
    "",
    "install -d -m 0755 /etc/containerd",
    "containerd config default \\",
    "  | sed -e 's/SystemdCgroup = false/SystemdCgroup = true/' -e \"s#sandbox_image = .*#sandbox_image = \\\"${PAUSE_IMAGE}\\\"#\" \\",
    "  > /etc/containerd/config.toml",
    "systemctl restart containerd",
    "systemctl enable kubelet",
    "",
  ].join("\n");
}

/**
 * First control-plane node: `kubeadm init` with the strata-made CAs already in /etc/kubernetes/pki.
 * If the API already answers on the VIP, this VM replaces a lost first node: it joins instead of
 * starting a second cluster.
 */
export function kubeadmInitScript(endpoint: EndpointSettings, kubeVip: boolean, nodeAddress: string): string {
  return [
    ...header("Initialises the cluster on the first control-plane node (kubeadm init), or joins it when it is already running."),
    ...pinEndpointFunction(endpoint),
    ...(kubeVip ? nodeInterfaceFunction(nodeAddress) : []),
    `if [ -f ${ADMIN_CONF} ]; then`,
    '  echo "kubeadm init already ran on this node"',
    "  exit 0",
    "fi",
    `if curl -ksf --max-time 5 "https://${endpoint.vip}:${endpoint.port}/readyz" >/dev/null; then`,
    '  echo "the cluster already answers on its VIP: joining it instead of initialising a new one"',
    `  exec ${JOIN_SCRIPT}`,
    "fi",
    "",
    "# The API is served locally here; the node never waits for the VIP to reach itself.",
    "pin_endpoint 127.0.0.1",
    ...(kubeVip ? [`install_for_interface ${KUBE_VIP_STAGED} ${KUBE_VIP_MANIFEST} 0600`] : []),
    // Neither the join token nor the certificate key belongs in /var/log/cloud-init-output.log.
    `kubeadm init --config ${KUBEADM_CONFIG} --upload-certs --skip-token-print --skip-certificate-key-print`,
    ...(kubeVip ? ["# kube-vip needed super-admin.conf while RBAC was being created; admin.conf suffices now.", `sed -i 's#${SUPER_ADMIN_CONF}#${ADMIN_CONF}#' ${KUBE_VIP_MANIFEST}`] : []),
    `rm -f ${KUBEADM_CONFIG} ${KUBEADM_JOIN_CONFIG}`,
    "",
  ].join("\n");
}

/** Every other node: wait (bounded) for the API behind the VIP, then `kubeadm join`, retrying a few times. */
export function kubeadmJoinScript(endpoint: EndpointSettings, controlPlane: boolean, kubeVip: boolean, nodeAddress: string, config: string = KUBEADM_CONFIG): string {
  return [
    ...header(`Joins this node to the cluster as a ${controlPlane ? "control-plane node" : "worker"} (kubeadm join).`),
    ...pinEndpointFunction(endpoint),
    ...(kubeVip ? nodeInterfaceFunction(nodeAddress) : []),
    "if [ -f /etc/kubernetes/kubelet.conf ]; then",
    '  echo "kubeadm join already ran on this node"',
    "  exit 0",
    "fi",
    "",
    `pin_endpoint ${endpoint.vip}`,
    "waited=0",
    `until curl -ksf --max-time 5 "https://${endpoint.vip}:${endpoint.port}/readyz" >/dev/null; do`,
    "  if [ \"$waited\" -ge 1800 ]; then",
    `    echo "API server at ${endpoint.vip}:${endpoint.port} not ready after 30 minutes; giving up" >&2`,
    "    exit 1",
    "  fi",
    "  sleep 10",
    "  waited=$((waited + 10))",
    "done",
    "",
    "attempt=1",
    `until kubeadm join --config ${config}; do`,
    '  if [ "$attempt" -ge 10 ]; then',
    '    echo "kubeadm join failed $attempt times; giving up" >&2',
    "    exit 1",
    "  fi",
    "  attempt=$((attempt + 1))",
    `  kubeadm reset --force --cri-socket ${CRI_SOCKET}`,
    "  sleep 30",
    "done",
    ...(controlPlane ? ["", "# Control planes talk to their own API server from now on.", "pin_endpoint 127.0.0.1"] : []),
    ...(kubeVip ? [`install_for_interface ${KUBE_VIP_STAGED} ${KUBE_VIP_MANIFEST} 0600`, `sed -i 's#${SUPER_ADMIN_CONF}#${ADMIN_CONF}#' ${KUBE_VIP_MANIFEST}`] : []),
    `rm -f ${KUBEADM_CONFIG} ${KUBEADM_JOIN_CONFIG}`,
    "",
  ].join("\n");
}

/** On control-plane nodes: re-uploads the shared certificates so a new control plane can join after kubeadm's 2-hour window. */
export function uploadCertsScript(): string {
  return [
    ...header("Re-uploads the control-plane certificates for joining control planes (kubeadm keeps them for 2 hours)."),
    `kubeadm init phase upload-certs --upload-certs --certificate-key "$(cat ${CERTIFICATE_KEY_FILE})" --kubeconfig ${ADMIN_CONF}`,
    "",
  ].join("\n");
}

/** Load-balancer nodes: HAProxy and keepalived from the Ubuntu archive, configured from staged files. */
export function loadBalancerScript(pins: { readonly haproxy: string; readonly keepalived: string }, nodeAddress: string): string {
  return [
    ...header("Installs and starts HAProxy and keepalived with the configuration staged by cloud-init."),
    ...nodeInterfaceFunction(nodeAddress),
    "export DEBIAN_FRONTEND=noninteractive",
    "apt-get update",
    `apt-get install -y "haproxy=${pins.haproxy}" "keepalived=${pins.keepalived}"`,
    "apt-mark hold haproxy keepalived",
    "sysctl --system",
    `install -m 0644 ${STRATA_DIR}/haproxy.cfg /etc/haproxy/haproxy.cfg`,
    `install_for_interface ${STRATA_DIR}/keepalived.conf /etc/keepalived/keepalived.conf 0600`,
    "haproxy -c -f /etc/haproxy/haproxy.cfg",
    "systemctl enable haproxy keepalived",
    "systemctl restart haproxy keepalived",
    "",
  ].join("\n");
}
