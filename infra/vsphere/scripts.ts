/**
 * Shell scripts cloud-init writes to `/usr/local/sbin` and runs once on first boot. Each is
 * idempotent (safe to re-run by hand), bounded in how long it waits, and passes shellcheck.
 * Secrets never appear in a script: they are read from 0600 files written beside it.
 */
import { APT_LOCK_TIMEOUT_SECONDS, APT_RETRIES } from "./cloud-init";
import { CRI_SOCKET } from "./kubeadm";
import { ADMIN_CONF, KUBE_VIP_MANIFEST, SUPER_ADMIN_CONF } from "./kube-vip";
import { nodeInterfaceFunction } from "./network";
import { CONTAINERD_HOSTS_DIR, PROXY_ENV_FILE } from "./node-egress";

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

/** apt waits for a lock held by apt-daily on a fresh boot and retries downloads. */
const APT = `apt-get -o DPkg::Lock::Timeout=${APT_LOCK_TIMEOUT_SECONDS} -o Acquire::Retries=${APT_RETRIES}`;

/** Attempts and the longest pause (seconds) of `retry`. */
export const RETRY = { attempts: 6, maxDelaySeconds: 120 } as const;

/** `retry <what> <command…>`: bounded attempts with exponential backoff, one log line per attempt. */
export function retryFunction(): string[] {
  return [
    "retry() {",
    '  local what=$1 attempt=1 delay=5',
    "  shift",
    '  echo "strata: ${what}"',
    '  until "$@"; do',
    `    if [ "$attempt" -ge ${RETRY.attempts} ]; then`,
    `      echo "strata: \${what} failed \${attempt} times; giving up" >&2`,
    "      return 1",
    "    fi",
    `    echo "strata: \${what} failed (attempt \${attempt} of ${RETRY.attempts}); retrying in \${delay}s" >&2`,
    '    sleep "$delay"',
    "    attempt=$((attempt + 1))",
    `    delay=$((delay * 2 > ${RETRY.maxDelaySeconds} ? ${RETRY.maxDelaySeconds} : delay * 2))`,
    "  done",
    '  echo "strata: ${what}: done"',
    "}",
    "",
  ];
}

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
    "# The stack's proxy (strata:infra.vsphere.proxy) for curl; apt reads its own file.",
    `if [ -f ${PROXY_ENV_FILE} ]; then`,
    "  set -a",
    "  # shellcheck disable=SC1091",
    `  . ${PROXY_ENV_FILE}`,
    "  set +a",
    "fi",
    "",
    ...retryFunction(),
    "fetch_key() {",
    '  curl -fsSL --max-time 60 "https://pkgs.k8s.io/core:/stable:/${K8S_CHANNEL}/deb/Release.key" \\',
    "    | gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg",
    "}",
    "",
    "swapoff -a",
    "sed -i '/[[:space:]]swap[[:space:]]/ s/^#*/#/' /etc/fstab",
    "modprobe overlay",
    "modprobe br_netfilter",
    "sysctl --system",
    "",
    "install -d -m 0755 /etc/apt/keyrings",
    'retry "fetching the Kubernetes package key for ${K8S_CHANNEL}" fetch_key',
    'echo "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/${K8S_CHANNEL}/deb/ /" \\',
    "  > /etc/apt/sources.list.d/kubernetes.list",
    `retry "apt-get update" ${APT} update`,
    `retry "installing containerd \${CONTAINERD_VERSION} and Kubernetes \${K8S_PACKAGE}" ${APT} install -y "containerd=\${CONTAINERD_VERSION}" "kubelet=\${K8S_PACKAGE}" "kubeadm=\${K8S_PACKAGE}" "kubectl=\${K8S_PACKAGE}"`,
    "apt-mark hold containerd kubelet kubeadm kubectl",
    "",
    "install -d -m 0755 /etc/containerd",
    "containerd config default \\",
    `  | sed -e 's/SystemdCgroup = false/SystemdCgroup = true/' -e "s#sandbox_image = .*#sandbox_image = \\"\${PAUSE_IMAGE}\\"#" -e 's#config_path = ""#config_path = "${CONTAINERD_HOSTS_DIR}"#' \\`,
    "  > /etc/containerd/config.toml",
    "# containerd 1.7's config has these keys; 2.x moved them (see infra/vsphere/README.md): stop rather than run kubelet with the wrong cgroup driver.",
    `if ! grep -q 'SystemdCgroup = true' /etc/containerd/config.toml || ! grep -q "sandbox_image = \\"\${PAUSE_IMAGE}\\"" /etc/containerd/config.toml || ! grep -q 'config_path = "${CONTAINERD_HOSTS_DIR}"' /etc/containerd/config.toml; then`,
    '  echo "strata: containerd $(containerd --version | awk \'{ print $3 }\') has no SystemdCgroup/sandbox_image/registry config_path keys to set; this node prep supports containerd 1.7 only" >&2',
    "  exit 1",
    "fi",
    "# Picks up the proxy drop-ins cloud-init wrote for containerd and the kubelet.",
    "systemctl daemon-reload",
    "systemctl restart containerd",
    "systemctl enable kubelet",
    "",
  ].join("\n");
}

/** Rounds of probes (10 s apart) that must all find no API server before the first node runs `kubeadm init`. */
export const INIT_PROBE_ROUNDS = 6;

/** Where the first node keeps a copy of the staged CAs while `kubeadm init` may still be retried (`kubeadm reset` deletes the pki folder). */
const PKI_BACKUP = `${STRATA_DIR}/pki-staged`;

/**
 * First control-plane node: `kubeadm init` with the strata-made CAs already in /etc/kubernetes/pki.
 * If an API server answers on the VIP or on any other control-plane address in any of several
 * probe rounds, this VM replaces a lost first node: it joins instead of starting a second cluster.
 */
export function kubeadmInitScript(endpoint: EndpointSettings, kubeVip: boolean, nodeAddress: string, peers: readonly string[] = []): string {
  const targets = [endpoint.vip, ...peers];
  return [
    ...header("Initialises the cluster on the first control-plane node (kubeadm init), or joins it when it is already running."),
    ...pinEndpointFunction(endpoint),
    ...(kubeVip ? nodeInterfaceFunction(nodeAddress) : []),
    ...retryFunction(),
    `if [ -f ${ADMIN_CONF} ]; then`,
    '  echo "strata: kubeadm init already ran on this node"',
    "  exit 0",
    "fi",
    "",
    "# Any HTTP answer (even 401/403) means an API server runs there; only silence everywhere allows init.",
    "api_answers() {",
    '  [ "$(curl -ks -o /dev/null -w "%{http_code}" --max-time 5 "https://$1:' + String(endpoint.port) + '/readyz" || true)" != "000" ]',
    "}",
    `targets=(${targets.join(" ")})`,
    `for round in $(seq 1 ${INIT_PROBE_ROUNDS}); do`,
    '  for target in "${targets[@]}"; do',
    '    if api_answers "$target"; then',
    '      echo "strata: an API server answers on ${target}: this node replaces a lost first control plane and joins the running cluster"',
    `      exec ${JOIN_SCRIPT}`,
    "    fi",
    "  done",
    `  echo "strata: no API server on ${targets.join(", ")} (probe round \${round} of ${INIT_PROBE_ROUNDS})"`,
    `  if [ "$round" -lt ${INIT_PROBE_ROUNDS} ]; then sleep 10; fi`,
    "done",
    "",
    "# The API is served locally here; the node never waits for the VIP to reach itself.",
    "pin_endpoint 127.0.0.1",
    `install -d -m 0700 ${PKI_BACKUP}`,
    `cp -a /etc/kubernetes/pki/. ${PKI_BACKUP}/`,
    "init_attempt() {",
    ...(kubeVip ? [`  install_for_interface ${KUBE_VIP_STAGED} ${KUBE_VIP_MANIFEST} 0600 || return 1`] : []),
    "  # Neither the join token nor the certificate key belongs in /var/log/cloud-init-output.log.",
    `  if kubeadm init --config ${KUBEADM_CONFIG} --upload-certs --skip-token-print --skip-certificate-key-print; then`,
    "    return 0",
    "  fi",
    `  kubeadm reset --force --cri-socket ${CRI_SOCKET}`,
    `  cp -a ${PKI_BACKUP}/. /etc/kubernetes/pki/`,
    "  return 1",
    "}",
    'retry "kubeadm init" init_attempt',
    `rm -rf ${PKI_BACKUP}`,
    ...(kubeVip ? ["# kube-vip needed super-admin.conf while RBAC was being created; admin.conf suffices now.", `sed -i 's#${SUPER_ADMIN_CONF}#${ADMIN_CONF}#' ${KUBE_VIP_MANIFEST}`] : []),
    `rm -f ${KUBEADM_CONFIG} ${KUBEADM_JOIN_CONFIG}`,
    "",
  ].join("\n");
}

/** Every other node: wait (bounded) for the API behind the VIP, then `kubeadm join`, retrying with backoff. */
export function kubeadmJoinScript(endpoint: EndpointSettings, controlPlane: boolean, kubeVip: boolean, nodeAddress: string, config: string = KUBEADM_CONFIG): string {
  return [
    ...header(`Joins this node to the cluster as a ${controlPlane ? "control-plane node" : "worker"} (kubeadm join).`),
    ...pinEndpointFunction(endpoint),
    ...(kubeVip ? nodeInterfaceFunction(nodeAddress) : []),
    ...retryFunction(),
    "if [ -f /etc/kubernetes/kubelet.conf ]; then",
    '  echo "strata: kubeadm join already ran on this node"',
    "  exit 0",
    "fi",
    "",
    `pin_endpoint ${endpoint.vip}`,
    "waited=0",
    `until curl -ksf --max-time 5 "https://${endpoint.vip}:${endpoint.port}/readyz" >/dev/null; do`,
    "  if [ \"$waited\" -ge 1800 ]; then",
    `    echo "strata: API server at ${endpoint.vip}:${endpoint.port} not ready after 30 minutes; giving up" >&2`,
    "    exit 1",
    "  fi",
    '  if [ $((waited % 60)) -eq 0 ]; then echo "strata: waiting for the API server at ' + `${endpoint.vip}:${endpoint.port}` + ' (${waited}s so far)"; fi',
    "  sleep 10",
    "  waited=$((waited + 10))",
    "done",
    "",
    "join_attempt() {",
    `  if kubeadm join --config ${config}; then`,
    "    return 0",
    "  fi",
    `  kubeadm reset --force --cri-socket ${CRI_SOCKET}`,
    "  return 1",
    "}",
    'retry "kubeadm join" join_attempt',
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
    ...retryFunction(),
    `retry "apt-get update" ${APT} update`,
    `retry "installing haproxy and keepalived" ${APT} install -y "haproxy=${pins.haproxy}" "keepalived=${pins.keepalived}"`,
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
