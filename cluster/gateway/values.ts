/** Pure: Envoy Gateway chart values, the EnvoyProxy service shape and the shared Gateway's listeners. */
import type { DomainConfig } from "../../config/cluster/gateway";
import { AMBIENT_LABEL } from "../../lib/mesh";
import type { Placement } from "../../lib/contracts";
import { globalRateLimitValues } from "./global-rate-limit";

export const GATEWAY_CONTROLLER = "gateway.envoyproxy.io/gatewayclass-controller";
/** PriorityClass of the controller and the Envoy proxies. */
export const PROXY_PRIORITY_CLASS = "platform-critical";
/** Name of the plain-HTTP listener (redirect + ACME HTTP-01). */
export const HTTP_LISTENER = "http";

/**
 * Values of the `gateway-crds-helm` chart: the Gateway API experimental channel (what gateway-helm
 * bundles: TCPRoute, BackendTLSPolicy, ...) and the Envoy Gateway CRDs, with the Gateway API
 * safe-upgrades ValidatingAdmissionPolicy the bundle carries. Both default to off in the chart.
 */
export function gatewayCrdValues() {
  return { crds: { gatewayAPI: { enabled: true, channel: "experimental" }, envoyGateway: { enabled: true } } };
}

export function envoyGatewayValues(options: { readonly replicas: number; readonly placement: Placement; readonly globalRateLimitNamespace?: string }) {
  return {
    // Helm merges maps: the chart's own config.envoyGateway keys (controllerName, provider, logging) stay.
    ...(options.globalRateLimitNamespace === undefined ? {} : { config: { envoyGateway: globalRateLimitValues(options.globalRateLimitNamespace) } }),
    // The CRDs (and the safe-upgrades policy) come from gateway-crds-helm; upstream installs the
    // controller with `crds.enabled=false` when they are managed separately (install-helm.md).
    crds: { enabled: false },
    deployment: {
      replicas: options.replicas,
      priorityClassName: PROXY_PRIORITY_CLASS,
      pod: { nodeSelector: { ...options.placement.nodeSelector }, tolerations: options.placement.tolerations.map((t) => ({ ...t })) },
    },
    podDisruptionBudget: { minAvailable: options.replicas > 1 ? 1 : 0 },
  };
}

/** How the proxies' LoadBalancer Service is exposed. */
export type Exposure =
  | { readonly kind: "metallb"; readonly address?: string; readonly pool: string }
  | { readonly kind: "aws-nlb"; readonly scheme: "internet-facing" | "internal" }
  | { readonly kind: "plain" };

export function serviceAnnotations(exposure: Exposure): Record<string, string> {
  switch (exposure.kind) {
    case "metallb":
      return { "metallb.io/address-pool": exposure.pool, ...(exposure.address ? { "metallb.io/loadBalancerIPs": exposure.address } : {}) };
    case "aws-nlb":
      return {
        "service.beta.kubernetes.io/aws-load-balancer-type": "external",
        "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type": "ip",
        "service.beta.kubernetes.io/aws-load-balancer-scheme": exposure.scheme,
        "service.beta.kubernetes.io/aws-load-balancer-target-group-attributes": "preserve_client_ip.enabled=true",
      };
    case "plain":
      return {};
  }
}

/** EnvoyProxy `spec`: replicas, placement and a LoadBalancer Service keeping client source IPs. */
export function envoyProxySpec(options: { readonly replicas: number; readonly placement: Placement; readonly exposure: Exposure; readonly meshed?: boolean }) {
  return {
    provider: {
      type: "Kubernetes",
      kubernetes: {
        envoyDeployment: {
          replicas: options.replicas,
          pod: {
            // Ingress outranks the data and app pods that could otherwise preempt it (the global default is `apps-default`).
            priorityClassName: PROXY_PRIORITY_CLASS,
            nodeSelector: { ...options.placement.nodeSelector },
            tolerations: options.placement.tolerations.map((t) => ({ ...t })),
            // Meshed proxies reach meshed apps over HBONE, which STRICT mTLS there requires.
            ...(options.meshed === true ? { labels: { ...AMBIENT_LABEL } } : {}),
          },
        },
        envoyService: {
          type: "LoadBalancer",
          externalTrafficPolicy: "Local",
          annotations: serviceAnnotations(options.exposure),
          ...(options.exposure.kind === "aws-nlb" ? { loadBalancerClass: "service.k8s.aws/nlb" } : {}),
        },
      },
    },
  };
}

/** `example.com` → `example-com`: listener and secret names. */
export function domainSlug(domain: string): string {
  return domain.replace(/\./g, "-");
}

/** DNS names a domain's certificate covers. */
export function certificateDnsNames(domain: string, entry: DomainConfig): string[] {
  if (entry.issuer === "internal") return [domain, `*.${domain}`];
  return entry.hosts.map((host) => (host === "@" ? domain : `${host}.${domain}`));
}

export interface ListenerOptions {
  readonly domains: Readonly<Record<string, DomainConfig>>;
  /** Namespaces whose routes may attach to the HTTPS listeners. */
  readonly routeNamespaces: readonly string[];
}

/** The Gateway's listeners: plain HTTP (own namespace only) + apex and wildcard HTTPS per domain. */
export function gatewayListeners(options: ListenerOptions) {
  const allowed = {
    namespaces: {
      from: "Selector",
      selector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: [...options.routeNamespaces].sort() }] },
    },
  };
  const https = Object.keys(options.domains).flatMap((domain) => {
    const tls = { mode: "Terminate", certificateRefs: [{ kind: "Secret", group: "", name: `tls-${domainSlug(domain)}` }] };
    return [
      { name: `https-${domainSlug(domain)}`, hostname: domain, port: 443, protocol: "HTTPS", tls, allowedRoutes: allowed },
      { name: `https-wildcard-${domainSlug(domain)}`, hostname: `*.${domain}`, port: 443, protocol: "HTTPS", tls, allowedRoutes: allowed },
    ];
  });
  return [{ name: HTTP_LISTENER, port: 80, protocol: "HTTP", allowedRoutes: { namespaces: { from: "Same" } } }, ...https];
}

/** HTTPRoute `spec` redirecting every plain-HTTP request to HTTPS (ACME challenges match first: exact paths win). */
export function httpsRedirectSpec(gateway: { readonly name: string; readonly namespace: string }) {
  return {
    parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: gateway.name, namespace: gateway.namespace, sectionName: HTTP_LISTENER }],
    rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
  };
}
