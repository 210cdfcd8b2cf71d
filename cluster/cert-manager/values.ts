/** Pure: cert-manager chart values and ClusterIssuer specs. */
import type { IssuerChoice } from "../../config/cluster/gateway";

/** ClusterIssuer name for each issuer choice in config. */
export const ISSUER_NAMES: Readonly<Record<IssuerChoice, string>> = {
  letsencrypt: "letsencrypt",
  "letsencrypt-staging": "letsencrypt-staging",
  internal: "strata-internal-ca",
};

export const ACME_SERVERS: Readonly<Record<Exclude<IssuerChoice, "internal">, string>> = {
  letsencrypt: "https://acme-v02.api.letsencrypt.org/directory",
  "letsencrypt-staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
};

/** CRDs from the chart, two controller replicas with a PDB, Gateway API support for HTTP-01. */
export function certManagerValues(options: { readonly replicas: number }) {
  return {
    global: { priorityClassName: "platform-critical" },
    crds: { enabled: true, keep: true },
    replicaCount: options.replicas,
    podDisruptionBudget: { enabled: options.replicas > 1 },
    config: {
      apiVersion: "controller.config.cert-manager.io/v1alpha1",
      kind: "ControllerConfiguration",
      enableGatewayAPI: true,
    },
    webhook: { replicaCount: options.replicas },
    cainjector: { replicaCount: options.replicas },
    // The metrics Service only: the chart's own ServiceMonitor (`prometheus.servicemonitor`) would
    // need the Prometheus Operator CRDs, which the platform layer installs after this release; the
    // platform declares the monitor from `ClusterOutputs.scrapeTargets` instead.
    prometheus: { enabled: true, servicemonitor: { enabled: false } },
  };
}

export interface GatewayParent {
  readonly name: string;
  readonly namespace: string;
  /** Listener the HTTP-01 solver route attaches to (the plain-HTTP one). */
  readonly sectionName: string;
}

/** ACME ClusterIssuer `spec`: HTTP-01 answered by an HTTPRoute on the shared Gateway. */
export function acmeIssuerSpec(choice: Exclude<IssuerChoice, "internal">, email: string, gateway: GatewayParent) {
  return {
    acme: {
      server: ACME_SERVERS[choice],
      email,
      privateKeySecretRef: { name: `${ISSUER_NAMES[choice]}-account` },
      solvers: [
        {
          http01: {
            gatewayHTTPRoute: {
              parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: gateway.name, namespace: gateway.namespace, sectionName: gateway.sectionName }],
            },
          },
        },
      ],
    },
  };
}

/** CA ClusterIssuer `spec` signing with the root held in `secretName` (cert-manager's namespace). */
export function caIssuerSpec(secretName: string) {
  return { ca: { secretName } };
}
