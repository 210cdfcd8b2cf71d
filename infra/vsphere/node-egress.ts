/**
 * Pure: the node files for `strata:infra.vsphere.proxy` and `registryMirrors`.
 *
 * - `/etc/strata/proxy.env`: `HTTP_PROXY`/`HTTPS_PROXY`/`NO_PROXY` (and the lower-case forms curl
 *   reads), in the `KEY=value` form both systemd's `EnvironmentFile=` and a shell `set -a; .` read;
 *   containerd and the kubelet get it through drop-ins, strata's node prep sources it for curl.
 * - `/etc/apt/apt.conf.d/90strata-proxy`: apt does not read the environment under cloud-init, it
 *   reads `Acquire::http(s)::Proxy`. cloud-init writes files (init stage) before it installs
 *   packages (final stage), so its own installs use the proxy too.
 * - `/etc/containerd/certs.d/<registry>/hosts.toml`: one per mirrored registry, the directory
 *   containerd's CRI reads with `config_path` (containerd docs/hosts.md, "Registry Configuration";
 *   the same format in 1.7 and 2.x; files there are read on each pull, no restart needed).
 */
import type { WriteFile } from "./cloud-init";

/** Read by systemd (drop-ins below) and sourced by strata's scripts. */
export const PROXY_ENV_FILE = "/etc/strata/proxy.env";
/** containerd's hosts directory; node prep points `config_path` here. */
export const CONTAINERD_HOSTS_DIR = "/etc/containerd/certs.d";
export const APT_PROXY_FILE = "/etc/apt/apt.conf.d/90strata-proxy";

export interface NodeProxy {
  readonly http?: string | undefined;
  readonly https?: string | undefined;
  /** Every entry of `NO_PROXY`, computed and configured. */
  readonly noProxy: readonly string[];
}

/** What the cluster reaches directly whatever the proxy: its own networks, names and vCenter. */
export interface DirectDestinations {
  readonly podCidr: string;
  readonly serviceCidr: string;
  readonly dnsDomain: string;
  readonly nodeCidrs: readonly string[];
  readonly apiEndpointHost: string;
  readonly apiVip: string;
  /** @default - unknown (only in unit tests); the stack always passes `vsphere:vsphereServer` */
  readonly vcenterServer?: string | undefined;
}

/**
 * `NO_PROXY`: localhost, the pod/service CIDRs and node networks (Go's and curl's NO_PROXY match
 * CIDRs), `.svc` and `.<dnsDomain>` (in-cluster names), the API endpoint and vCenter, then what the
 * stack adds; each once, in that order.
 */
export function noProxyList(direct: DirectDestinations, extra: readonly string[]): string[] {
  const computed = [
    "localhost",
    "127.0.0.1",
    direct.podCidr,
    direct.serviceCidr,
    ...direct.nodeCidrs,
    ".svc",
    `.${direct.dnsDomain}`,
    direct.apiEndpointHost,
    direct.apiVip,
    ...(direct.vcenterServer === undefined ? [] : [direct.vcenterServer]),
  ];
  return [...new Set([...computed, ...extra])];
}

function proxyEnv(proxy: NodeProxy): string {
  const pairs: [string, string][] = [
    ...(proxy.http === undefined ? [] : ([["HTTP_PROXY", proxy.http]] as [string, string][])),
    ...(proxy.https === undefined ? [] : ([["HTTPS_PROXY", proxy.https]] as [string, string][])),
    ["NO_PROXY", proxy.noProxy.join(",")],
  ];
  return [...pairs, ...pairs.map(([key, value]): [string, string] => [key.toLowerCase(), value])].map(([key, value]) => `${key}=${value}\n`).join("");
}

/** A systemd drop-in that gives `unit` the proxy environment. */
const dropIn = (unit: string): WriteFile => ({
  path: `/etc/systemd/system/${unit}.service.d/10-strata-proxy.conf`,
  permissions: "0644",
  content: `[Service]\nEnvironmentFile=${PROXY_ENV_FILE}\n`,
});

/**
 * The proxy files of a node: the environment file and apt's proxy on every node; the containerd
 * and kubelet drop-ins on Kubernetes nodes only (load balancers run neither).
 */
export function proxyFiles(proxy: NodeProxy | undefined, kubernetesNode: boolean): WriteFile[] {
  if (proxy === undefined) return [];
  const apt = [
    ...(proxy.http === undefined ? [] : [`Acquire::http::Proxy "${proxy.http}";`]),
    ...(proxy.https === undefined ? [] : [`Acquire::https::Proxy "${proxy.https}";`]),
  ];
  return [
    { path: PROXY_ENV_FILE, permissions: "0644", content: proxyEnv(proxy) },
    { path: APT_PROXY_FILE, permissions: "0644", content: `${apt.join("\n")}\n` },
    ...(kubernetesNode ? [dropIn("containerd"), dropIn("kubelet")] : []),
  ];
}

/** The upstream a registry host names: Docker Hub's API lives at registry-1.docker.io. */
function upstreamOf(registry: string): string {
  return registry === "docker.io" ? "https://registry-1.docker.io" : `https://${registry}`;
}

/**
 * One `hosts.toml` per mirrored registry: the mirror first (pull and resolve), then `server`, the
 * registry itself, as containerd falls back to it. A mirror URL with a path is its API root
 * (`override_path`, containerd docs/hosts.md).
 */
export function registryMirrorFiles(mirrors: Readonly<Record<string, string>>): WriteFile[] {
  return Object.entries(mirrors)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([registry, mirror]) => {
      const url = new URL(mirror);
      const hasPath = url.pathname !== "/";
      const host = hasPath ? mirror.replace(/\/+$/, "") : url.origin;
      const lines = [`server = "${upstreamOf(registry)}"`, "", `[host."${host}"]`, '  capabilities = ["pull", "resolve"]', ...(hasPath ? ["  override_path = true"] : []), ""];
      return { path: `${CONTAINERD_HOSTS_DIR}/${registry}/hosts.toml`, permissions: "0644", content: lines.join("\n") };
    });
}
