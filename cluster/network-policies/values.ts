/**
 * Pure builder of strata's NetworkPolicies: default-deny in every strata namespace, then the
 * explicit allows the platform needs. Namespaces are matched by the built-in
 * `kubernetes.io/metadata.name` label, so no extra labelling is needed.
 */
import type * as k8sInput from "@pulumi/kubernetes/types/input";
import type { NamespacePurpose } from "../../lib/contracts";

export interface PolicyPort {
  readonly protocol: "TCP" | "UDP";
  readonly port: number;
}
export interface PolicyPeer {
  readonly namespaceSelector?: { readonly matchLabels?: Record<string, string>; readonly matchExpressions?: { key: string; operator: "In"; values: string[] }[] };
  readonly podSelector?: { readonly matchLabels?: Record<string, string> };
  readonly ipBlock?: { readonly cidr: string; readonly except?: string[] };
}
export interface PolicyRule {
  readonly peers?: readonly PolicyPeer[];
  readonly ports?: readonly PolicyPort[];
}
export interface PolicySpec {
  readonly namespace: string;
  readonly name: string;
  readonly ingress?: readonly PolicyRule[];
  readonly egress?: readonly PolicyRule[];
}

export interface NetworkPolicyInput {
  /** Platform namespace names by purpose. */
  readonly namespaces: Readonly<Record<NamespacePurpose, string>>;
  /** App namespace names. */
  readonly apps: readonly string[];
  /** Ports apps may reach in the data namespace. */
  readonly dataPorts: readonly number[];
  /** Whether app pods may open HTTPS connections outside the cluster. */
  readonly appsInternetEgress: boolean;
  /** Pod and service CIDRs, excluded from "outside the cluster" egress where known. */
  readonly clusterCidrs: readonly string[];
}

/** Ports Envoy listens on for the Gateway's 80/443 listeners (unprivileged mapping) and its health check. */
export const GATEWAY_PROXY_PORTS = [10080, 10443, 19003] as const;
/** Admission webhook ports of operators (cert-manager 10250, controller-runtime 9443, plain 443). */
export const WEBHOOK_PORTS = [443, 9443, 10250] as const;
/** API server ports (service VIP 443, kubeadm/EKS endpoint 6443 or 443). */
export const API_SERVER_PORTS = [443, 6443] as const;

const ns = (...names: string[]): PolicyPeer => ({
  namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: [...names].sort() }] },
});
const tcp = (...ports: readonly number[]): PolicyPort[] => ports.map((port) => ({ protocol: "TCP", port }));
const sameNamespace: PolicyPeer = { podSelector: {} };
const anywhere: PolicyPeer = { ipBlock: { cidr: "0.0.0.0/0" } };

export function networkPolicies(input: NetworkPolicyInput): PolicySpec[] {
  const { gateway, operators, data, monitoring, backup } = input.namespaces;
  const all = [gateway, operators, data, monitoring, backup, ...input.apps];
  const outside: PolicyPeer = input.clusterCidrs.length > 0 ? { ipBlock: { cidr: "0.0.0.0/0", except: [...input.clusterCidrs] } } : anywhere;
  const policies: PolicySpec[] = [];
  for (const namespace of all) {
    policies.push({ namespace, name: "default-deny", ingress: [], egress: [] });
    policies.push({
      namespace,
      name: "allow-dns",
      egress: [
        {
          peers: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
          ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
        },
      ],
    });
    policies.push({ namespace, name: "allow-monitoring-scrape", ingress: [{ peers: [ns(monitoring)] }] });
  }
  for (const namespace of [gateway, operators, data, monitoring, backup]) {
    policies.push({ namespace, name: "allow-same-namespace", ingress: [{ peers: [sameNamespace] }], egress: [{ peers: [sameNamespace] }] });
    policies.push({ namespace, name: "allow-api-server", egress: [{ ports: tcp(...API_SERVER_PORTS) }] });
  }
  policies.push(
    { namespace: gateway, name: "allow-proxy-ingress", ingress: [{ peers: [anywhere], ports: tcp(...GATEWAY_PROXY_PORTS) }] },
    { namespace: gateway, name: "allow-gateway-to-apps", egress: [{ peers: [ns(...input.apps, monitoring)] }] },
    { namespace: operators, name: "allow-webhooks", ingress: [{ peers: [anywhere], ports: tcp(...WEBHOOK_PORTS) }] },
    { namespace: operators, name: "allow-operators-to-data", egress: [{ peers: [ns(data)] }] },
    { namespace: operators, name: "allow-acme-self-check", egress: [{ peers: [outside], ports: tcp(80) }] },
    { namespace: data, name: "allow-from-apps-and-operators", ingress: [{ peers: [ns(...input.apps)], ports: tcp(...input.dataPorts) }, { peers: [ns(operators, backup)] }] },
    { namespace: data, name: "allow-object-storage", egress: [{ peers: [outside], ports: tcp(443) }] },
    { namespace: monitoring, name: "allow-scrape-all", egress: [{ peers: [ns(...all)] }, { peers: [outside], ports: tcp(443, 9100, 10250) }] },
    { namespace: monitoring, name: "allow-from-gateway", ingress: [{ peers: [ns(gateway)] }] },
    { namespace: backup, name: "allow-backup-targets", egress: [{ peers: [ns(data)] }, { peers: [outside], ports: tcp(443) }] },
  );
  for (const app of input.apps) {
    policies.push(
      { namespace: app, name: "allow-from-gateway", ingress: [{ peers: [ns(gateway)] }] },
      { namespace: app, name: "allow-same-namespace", ingress: [{ peers: [sameNamespace] }], egress: [{ peers: [sameNamespace] }] },
      { namespace: app, name: "allow-apps-to-data", egress: [{ peers: [ns(data)], ports: tcp(...input.dataPorts) }] },
    );
    if (input.appsInternetEgress) policies.push({ namespace: app, name: "allow-internet-https", egress: [{ peers: [outside], ports: tcp(443) }] });
  }
  return policies;
}

/** The `spec` of a NetworkPolicy object for one builder entry. */
export function networkPolicySpec(policy: PolicySpec): k8sInput.networking.v1.NetworkPolicySpec {
  const peers = (r: PolicyRule) => (r.peers ? r.peers.map((peer) => ({ ...peer })) : undefined);
  const ports = (r: PolicyRule) => (r.ports ? r.ports.map((port) => ({ ...port })) : undefined);
  return {
    podSelector: {},
    policyTypes: [...(policy.ingress ? ["Ingress"] : []), ...(policy.egress ? ["Egress"] : [])],
    ...(policy.ingress ? { ingress: policy.ingress.map((r) => ({ from: peers(r), ports: ports(r) })) } : {}),
    ...(policy.egress ? { egress: policy.egress.map((r) => ({ to: peers(r), ports: ports(r) })) } : {}),
  };
}
