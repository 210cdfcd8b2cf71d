/**
 * Pure: the Envoy Gateway controller the gateway-helm chart (v1.9.0) renders, and the Envoy proxy
 * pods the controller creates for the shared Gateway, as the connection check sees them
 * (lib/connections.ts). Facts from envoyproxy/gateway at v1.9.0:
 * - proxies: labels `EnvoyAppLabel` plus the owning Gateway's namespace and name
 *   (internal/infrastructure/kubernetes/proxy/resource.go, resource_provider.go `envoyLabels`,
 *   `getPodLabels`; internal/gatewayapi/helpers.go `GatewayOwnerLabels`); container ports
 *   `metrics` 19001 and `readiness` 19003 (proxy/resource.go `expectedProxyContainers`,
 *   internal/xds/bootstrap/bootstrap.go). Without `gatewayNamespaceMode` (strata sets no
 *   `config.envoyGateway.provider.kubernetes.deploy`) they run in the controller's namespace
 *   (internal/infrastructure/kubernetes/proxy_infra.go `GetResourceNamespace`), which is the
 *   release's;
 * - the proxies fetch their configuration over xDS from `envoy-gateway.<controller
 *   namespace>.svc` (proxy/resource.go, `XdsServerHost`) on `grpc` 18000, with the certificate in
 *   the `envoy` Secret (proxy/resource.go volumes) that the chart's certgen Job writes beside
 *   `envoy-gateway` (internal/provider/kubernetes/secrets.go `CertsToSecret`);
 * - controller: pod labels `control-plane: envoy-gateway` + `eg.selectorLabels`
 *   (charts/gateway-helm/templates/envoy-gateway-deployment.yaml, _helpers.tpl), container
 *   ports `deployment.ports` and `webhook` 9443 (the topology injector, on by default); the
 *   Service `envoy-gateway` has the same ports (templates/envoy-gateway-service.yaml).
 */
import { AMBIENT_LABEL } from "../../lib/mesh";
import { type ConnectionDeclaration, fromWorkload, type WorkloadDeclaration } from "../../lib/connections";

/** The id the connection check derives route backends from (tools/connections/derive.ts `GATEWAY_PROXIES`). */
export const GATEWAY_PROXIES_ID = "gateway/envoy-proxies";
/** The controller's release name (also `app.kubernetes.io/instance`). */
export const CONTROLLER_RELEASE = "envoy-gateway";
/** The controller's ports (values.yaml `deployment.ports`, plus the topology injector's webhook). */
export const CONTROLLER_PORTS = { grpc: 18000, ratelimit: 18001, wasm: 18002, metrics: 19001, webhook: 9443 } as const;

export const CONTROLLER_SERVICE = "envoy-gateway";
/** The proxies' xDS client certificate. */
const PROXY_CERTIFICATE = "envoy";
const TLS_KEYS = ["ca.crt", "tls.crt", "tls.key"];

/** Labels of the proxy pods serving one Gateway. */
export function proxyLabels(gateway: { readonly namespace: string; readonly name: string }): Record<string, string> {
  return {
    "app.kubernetes.io/name": "envoy",
    "app.kubernetes.io/component": "proxy",
    "app.kubernetes.io/managed-by": "envoy-gateway",
    "gateway.envoyproxy.io/owning-gateway-namespace": gateway.namespace,
    "gateway.envoyproxy.io/owning-gateway-name": gateway.name,
  };
}

/** Labels of the controller's pods and (with chart labels besides) of its Service. */
export const CONTROLLER_LABELS = { "control-plane": "envoy-gateway", "app.kubernetes.io/name": "gateway-helm", "app.kubernetes.io/instance": CONTROLLER_RELEASE } as const;

/** The controller pods and their Service, with the certificates certgen writes beside them. */
export function controllerWorkload(namespace: string): WorkloadDeclaration {
  return {
    id: `${namespace}/${CONTROLLER_RELEASE}`,
    pods: { namespace, labels: CONTROLLER_LABELS },
    containerPorts: CONTROLLER_PORTS,
    services: [{ name: CONTROLLER_SERVICE, ports: CONTROLLER_PORTS, labels: CONTROLLER_LABELS }],
    secrets: [
      { name: "envoy-gateway", keys: TLS_KEYS },
      { name: PROXY_CERTIFICATE, keys: TLS_KEYS },
    ],
  };
}

/** The proxies of the Gateway `gateway`, in the controller's namespace; `meshed` adds the ambient label the EnvoyProxy gives them. */
export function proxyWorkload(namespace: string, gateway: string, meshed = false): WorkloadDeclaration {
  const labels = { ...proxyLabels({ namespace, name: gateway }), ...(meshed ? AMBIENT_LABEL : {}) };
  return { id: GATEWAY_PROXIES_ID, pods: { namespace, labels }, containerPorts: { metrics: 19001, readiness: 19003 } };
}

/** The API server's calls to the topology injector webhook. */
export function webhookConnection(namespace: string): ConnectionDeclaration {
  return { purpose: "topology injector webhook", from: { kind: "api-server" }, to: { kind: "service", namespace, name: CONTROLLER_SERVICE, port: CONTROLLER_PORTS.webhook } };
}

/** The proxies' xDS stream to the controller in their namespace. */
export function xdsConnection(proxies: WorkloadDeclaration): ConnectionDeclaration {
  return {
    purpose: "xDS configuration",
    from: fromWorkload(proxies),
    to: { kind: "service", namespace: proxies.pods.namespace, name: CONTROLLER_SERVICE, port: CONTROLLER_PORTS.grpc },
    secrets: [{ name: PROXY_CERTIFICATE, keys: TLS_KEYS }],
  };
}
