/**
 * HAProxy on the load-balancer nodes: TCP pass-through with health checks. 6443 goes to the
 * control-plane nodes (checked on `/readyz`), 80/443 to the gateway's load-balancer address.
 */
export interface HaproxyBackend {
  readonly name: string;
  readonly address: string;
}

export interface HaproxySettings {
  readonly controlPlane: readonly HaproxyBackend[];
  readonly apiServerPort: number;
  /** Where 80/443 go: the address the cluster layer gives the gateway. */
  readonly gatewayAddress: string;
}

export function haproxyConfig(settings: HaproxySettings): string {
  const port = settings.apiServerPort;
  const servers = settings.controlPlane.map((node) => `  server ${node.name} ${node.address}:${port} check check-ssl verify none inter 2s fall 3 rise 2`);
  const gateway = (p: number) => [`frontend gateway-${p}`, `  bind :${p}`, `  default_backend gateway-${p}`, "", `backend gateway-${p}`, `  server gateway ${settings.gatewayAddress}:${p} send-proxy-v2 check inter 2s fall 3 rise 2`, ""];
  return [
    "global",
    "  log /dev/log local0",
    "  maxconn 20000",
    "  user haproxy",
    "  group haproxy",
    "  daemon",
    "",
    "defaults",
    "  mode tcp",
    "  log global",
    "  option tcplog",
    "  option dontlognull",
    "  timeout connect 5s",
    "  timeout client 1h",
    "  timeout server 1h",
    "",
    "frontend kube-apiserver",
    `  bind :${port}`,
    "  default_backend kube-apiserver",
    "",
    "backend kube-apiserver",
    "  option httpchk GET /readyz",
    "  http-check expect status 200",
    "  balance roundrobin",
    ...servers,
    "",
    ...gateway(80),
    ...gateway(443),
  ].join("\n");
}
