import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { DomainConfig } from "../../config/cluster/gateway";
import type { Placement, ScrapeTarget } from "../../lib/contracts";
import { standardLabels } from "../../lib/labels";
import { clientTrafficSpec, corsSpec, rateLimitSpec, type CorsOptions, type PolicyTarget } from "./policies";
import { declareConnection, declareWorkload } from "../../lib/connections";
import { proxyWorkload, xdsConnection } from "./workloads";
import { certificateDnsNames, domainSlug, envoyProxySpec, GATEWAY_CONTROLLER, gatewayListeners, httpsRedirectSpec, type Exposure } from "./values";
import { proxiesScrapeTarget } from "./metrics";
import { globalRateLimitConnections, rateLimitWorkload, redisDeploymentManifest, redisServiceManifest, redisWorkload } from "./global-rate-limit";

export interface GatewayArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Put the proxies in the Istio ambient mesh (pod label), so they reach meshed apps with mTLS. @default false */
  readonly meshed?: boolean;
  /** Namespace of the controller, the proxies, the Gateway and its certificates. */
  readonly namespace: string;
  /** HTTPS domains and their issuer choice. */
  readonly domains: Readonly<Record<string, DomainConfig>>;
  /** ClusterIssuer name for each domain. */
  readonly issuerFor: (domain: string, entry: DomainConfig) => string;
  /** Namespaces whose HTTPRoutes may attach to the HTTPS listeners. */
  readonly routeNamespaces: readonly string[];
  /** How the proxies' Service gets its address. */
  readonly exposure: Exposure;
  /** The Envoy Gateway controller release, which reconciles every object here. */
  readonly controller: k8s.helm.v3.Release;
  /** The Gateway API and Envoy Gateway CRDs every object here needs. */
  readonly crds: pulumi.Resource;
  /** Envoy proxy replicas. @default 2 */
  readonly replicas?: number;
  /** Where the controller and proxies run. @default - anywhere */
  readonly placement?: Placement;
  /** Per-client-IP requests per minute on every route without its own, counted per Envoy replica; 0 sets none. @default 0 */
  readonly rateLimitPerMinute?: number;
  /** Count limits once in Envoy Gateway's rate-limit service (type Global), with its Redis here. @default false */
  readonly globalRateLimit?: boolean;
  /** Add the seeds' security response headers. @default true */
  readonly securityHeaders?: boolean;
  /** Gateway-wide CORS. @default - none */
  readonly cors?: CorsOptions;
  /** Clients arrive through proxies that send PROXY protocol (the vSphere load-balancer nodes). @default false */
  readonly proxyProtocol?: boolean;
  /** cert-manager pieces Certificates wait for (release and issuers). @default [] */
  readonly certificatesDependOn?: pulumi.Input<pulumi.Resource>[];
  /** Known address of the Gateway (vSphere: the MetalLB ingress address). @default - read from the Gateway status */
  readonly address?: string;
  /** What the proxies' LoadBalancer Service must be deleted before (EKS: the load-balancer controller). @default [] */
  readonly loadBalancer?: pulumi.Input<pulumi.Resource>[];
}

const DEFAULTS = {
  replicas: 2,
  placement: { nodeSelector: {}, tolerations: [] } as Placement,
  rateLimitPerMinute: 0,
  securityHeaders: true,
} as const;

/** The GatewayClass, the shared Gateway with HTTPS redirect, its TLS certificates and default traffic policies. */
export class Gateway extends pulumi.ComponentResource {
  /** Name of the shared Gateway object. */
  public readonly gatewayName: string;
  /** The Envoy Gateway controller release. */
  public readonly release: k8s.helm.v3.Release;
  /** HTTPS listener names (apex, wildcard) by domain, for `parentRefs[*].sectionName`. */
  public readonly listeners: Readonly<Record<string, readonly string[]>>;
  /** Address clients reach the Gateway on. */
  public readonly address: pulumi.Output<string>;
  /** The proxies' stats (every route's requests, errors and latency), for the platform's Prometheus. */
  public readonly scrapeTargets: readonly ScrapeTarget[];

  constructor(name: string, args: GatewayArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:Gateway", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    const replicas = args.replicas ?? DEFAULTS.replicas;
    const placement = args.placement ?? DEFAULTS.placement;
    const namespace = args.namespace;
    this.gatewayName = "strata";
    const owner = { name: this.gatewayName, namespace };
    this.scrapeTargets = [proxiesScrapeTarget(owner)];

    this.release = args.controller;
    const afterCrds = { ...childOpts, dependsOn: [args.crds, this.release] };
    const meta = (objectName: string, component: string) => ({ name: objectName, namespace, labels: standardLabels({ name: objectName, component }) });

    new k8s.apiextensions.CustomResource(
      `${name}-proxy`,
      { apiVersion: "gateway.envoyproxy.io/v1alpha1", kind: "EnvoyProxy", metadata: meta("strata-proxy", "gateway"), spec: envoyProxySpec({ replicas, placement, exposure: args.exposure, meshed: args.meshed ?? false }) },
      afterCrds,
    );
    new k8s.apiextensions.CustomResource(
      `${name}-class`,
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "GatewayClass",
        metadata: { name: "strata", labels: standardLabels({ name: "strata", component: "gateway" }) },
        spec: { controllerName: GATEWAY_CONTROLLER, parametersRef: { group: "gateway.envoyproxy.io", kind: "EnvoyProxy", name: "strata-proxy", namespace } },
      },
      // The EnvoyProxy is referenced by name; the controller reconciles when it appears.
      afterCrds,
    );

    for (const [domain, entry] of Object.entries(args.domains)) {
      new k8s.apiextensions.CustomResource(
        `${name}-cert-${domainSlug(domain)}`,
        {
          apiVersion: "cert-manager.io/v1",
          kind: "Certificate",
          metadata: meta(`tls-${domainSlug(domain)}`, "certificate"),
          spec: {
            secretName: `tls-${domainSlug(domain)}`,
            dnsNames: certificateDnsNames(domain, entry),
            issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: args.issuerFor(domain, entry) },
            privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
          },
        },
        { ...childOpts, dependsOn: args.certificatesDependOn ?? [] },
      );
    }

    const gateway = new k8s.apiextensions.CustomResource(
      `${name}-gateway`,
      {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Gateway",
        metadata: meta(this.gatewayName, "gateway"),
        spec: { gatewayClassName: "strata", listeners: gatewayListeners({ domains: args.domains, routeNamespaces: args.routeNamespaces }) },
        // Declared (never set) so the engine returns the Gateway's status as an output: its address.
        status: undefined,
      },
      // Not on the Certificates: ACME HTTP-01 answers through this Gateway, and Envoy Gateway picks
      // the TLS secrets up as soon as cert-manager writes them. Not on the GatewayClass either
      // (referenced by name). On the load-balancer controller: it must outlive the Service.
      { ...childOpts, dependsOn: [args.crds, this.release, ...(args.loadBalancer ?? [])] },
    );
    const proxies = proxyWorkload(namespace, this.gatewayName, args.meshed ?? false);
    declareWorkload(proxies);
    declareConnection(xdsConnection(proxies));
    const rateLimitType = args.globalRateLimit === true ? "Global" : "Local";
    if (args.globalRateLimit === true) {
      new k8s.apps.v1.Deployment(`${name}-ratelimit-redis`, redisDeploymentManifest(namespace, placement), childOpts);
      new k8s.core.v1.Service(`${name}-ratelimit-redis-service`, redisServiceManifest(namespace), childOpts);
      const rateLimit = rateLimitWorkload(namespace);
      declareWorkload(redisWorkload(namespace));
      declareWorkload(rateLimit);
      for (const connection of globalRateLimitConnections(proxies, rateLimit, namespace)) declareConnection(connection);
    }
    // Routes and policies reference the Gateway by name; the controller attaches them when it exists.
    const afterGateway = afterCrds;
    if (Object.keys(args.domains).length > 0) {
      new k8s.apiextensions.CustomResource(
        `${name}-https-redirect`,
        { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: meta("https-redirect", "gateway"), spec: httpsRedirectSpec({ name: this.gatewayName, namespace }) },
        afterGateway,
      );
    }

    const target: PolicyTarget[] = [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: this.gatewayName }];
    const policy = (role: string, kind: string, spec: Record<string, unknown>) =>
      new k8s.apiextensions.CustomResource(`${name}-${role}`, { apiVersion: "gateway.envoyproxy.io/v1alpha1", kind, metadata: meta(`strata-${role}`, "traffic-policy"), spec }, afterGateway);
    policy("client", "ClientTrafficPolicy", clientTrafficSpec(target, { securityHeaders: args.securityHeaders ?? DEFAULTS.securityHeaders, proxyProtocol: args.proxyProtocol ?? false }));
    const perMinute = args.rateLimitPerMinute ?? DEFAULTS.rateLimitPerMinute;
    if (perMinute > 0) policy("rate-limit", "BackendTrafficPolicy", rateLimitSpec(target, perMinute, rateLimitType));
    if (args.cors !== undefined) policy("cors", "SecurityPolicy", corsSpec(target, args.cors));

    this.listeners = Object.fromEntries(Object.keys(args.domains).map((domain) => [domain, [`https-${domainSlug(domain)}`, `https-wildcard-${domainSlug(domain)}`]]));
    const status = (gateway as unknown as { status?: pulumi.Output<{ addresses?: { value?: string }[] } | undefined> }).status;
    this.address =
      args.address !== undefined ? pulumi.output(args.address) : status === undefined ? pulumi.output("") : status.apply((s) => s?.addresses?.[0]?.value ?? "");
    this.registerOutputs({ gatewayName: this.gatewayName, listeners: this.listeners, address: this.address });
  }
}
