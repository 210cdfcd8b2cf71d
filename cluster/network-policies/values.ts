/**
 * Pure builder of strata's NetworkPolicies: default-deny in every strata namespace, then the
 * explicit allows the platform needs. Namespaces are matched by the built-in
 * `kubernetes.io/metadata.name` label, so no extra labelling is needed.
 */
import type * as k8sInput from "@pulumi/kubernetes/types/input";
import type { NamespacePurpose } from "../../lib/contracts";
import { LINK_LOCAL, POD_IDENTITY_AGENT, type ClusterAddresses } from "./addresses";
import type { AddonNamespace } from "./addons";

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
  /** The pods the policy applies to (and so isolates). @default - every pod of the namespace */
  readonly podSelector?: { readonly matchLabels: Readonly<Record<string, string>> };
  readonly ingress?: readonly PolicyRule[];
  readonly egress?: readonly PolicyRule[];
}

export interface NetworkPolicyInput {
  /** Platform namespace names by purpose. */
  readonly namespaces: Readonly<Record<NamespacePurpose, string>>;
  /** App namespace names. */
  readonly apps: readonly string[];
  /** Ports app pods may open towards the data namespace (egress); which app reaches which service there is the apps layer's policy (apps/data-access). */
  readonly dataPorts: readonly number[];
  /** Whether app pods may open HTTPS connections outside the cluster. */
  readonly appsInternetEgress: boolean;
  /** The cluster's address ranges (`clusterAddresses`). */
  readonly addresses: ClusterAddresses;
  /** Namespaces whose pods take cloud credentials from the EKS Pod Identity agent. @default [] */
  readonly podIdentityNamespaces?: readonly string[];
  /** cert-manager issues through ACME: its API (443) and the HTTP-01 self-check (80). @default false */
  readonly acme?: boolean;
  /** Backend add-on namespaces strata creates (`VSPHERE_ADDON_NAMESPACES`). @default [] */
  readonly addons?: readonly AddonNamespace[];
}

/** Ports Envoy listens on for the Gateway's 80/443 listeners (unprivileged mapping) and its health check. */
export const GATEWAY_PROXY_PORTS = [10080, 10443, 19003] as const;
/** Admission webhook ports of operators (cert-manager 10250, controller-runtime 9443, plain 443). */
export const WEBHOOK_PORTS = [443, 9443, 10250] as const;
/** Envoy Gateway controller's webhook (the proxies' topology injector). */
export const GATEWAY_WEBHOOK_PORT = 9443;
/** Node ports monitoring scrapes: node-exporter 9100 and the kubelet 10250 (host network). */
export const NODE_SCRAPE_PORTS = [9100, 10250] as const;

const ns = (...names: string[]): PolicyPeer => ({
  namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: [...new Set(names)].sort() }] },
});
const tcp = (...ports: readonly number[]): PolicyPort[] => ports.map((port) => ({ protocol: "TCP", port }));
const sameNamespace: PolicyPeer = { podSelector: {} };
const anyPod: PolicyPeer = { namespaceSelector: {} };
const block = (cidr: string, except: readonly string[] = []): PolicyPeer => ({ ipBlock: { cidr, ...(except.length > 0 ? { except: [...except] } : {}) } });
const anywhere = block("0.0.0.0/0");

export function networkPolicies(input: NetworkPolicyInput): PolicySpec[] {
  const { gateway, operators, data, monitoring, backup } = input.namespaces;
  const { addresses } = input;
  const platform = [gateway, operators, data, monitoring, backup];
  const addons = input.addons ?? [];
  const all = [...platform, ...input.apps];
  const outside = block("0.0.0.0/0", addresses.internal);
  const controlPlane = addresses.controlPlane.map((cidr) => block(cidr));
  const policies: PolicySpec[] = [];
  for (const namespace of [...all, ...addons.map((a) => a.namespace)]) {
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
    // App pods admit monitoring on their metrics port only, through their own policy (apps layer).
    if (!input.apps.includes(namespace)) policies.push({ namespace, name: "allow-monitoring-scrape", ingress: [{ peers: [ns(monitoring)] }] });
  }
  const apiServer = addresses.apiServer.map((range) => ({ peers: [block(range.cidr)], ports: tcp(...range.ports) }));
  for (const namespace of [...platform, ...addons.map((a) => a.namespace)]) policies.push({ namespace, name: "allow-api-server", egress: apiServer });
  for (const namespace of platform) policies.push({ namespace, name: "allow-same-namespace", ingress: [{ peers: [sameNamespace] }], egress: [{ peers: [sameNamespace] }] });
  for (const namespace of [...new Set(input.podIdentityNamespaces ?? [])].filter((n) => all.includes(n))) {
    policies.push({ namespace, name: "allow-pod-identity-agent", egress: [{ peers: [block(POD_IDENTITY_AGENT.cidr)], ports: tcp(...POD_IDENTITY_AGENT.ports) }] });
  }
  policies.push(
    { namespace: gateway, name: "allow-proxy-ingress", ingress: [{ peers: [anywhere, anyPod], ports: tcp(...GATEWAY_PROXY_PORTS) }] },
    { namespace: gateway, name: "allow-webhooks", ingress: [{ peers: controlPlane, ports: tcp(GATEWAY_WEBHOOK_PORT) }] },
    { namespace: gateway, name: "allow-gateway-to-apps", egress: [{ peers: [ns(...input.apps, monitoring)] }] },
    { namespace: operators, name: "allow-webhooks", ingress: [{ peers: controlPlane, ports: tcp(...WEBHOOK_PORTS) }] },
    { namespace: operators, name: "allow-operators-to-data", egress: [{ peers: [ns(data)] }] },
  );
  if (input.acme === true) {
    // ACME API on 443; HTTP-01 self-check on the domain's public address, which may be a
    // load-balancer node or an internal NLB (node network), or the Gateway's own Service address
    // that kube-proxy hands straight to the Envoy pods.
    policies.push({
      namespace: operators,
      name: "allow-acme",
      egress: [
        { peers: [outside], ports: tcp(443, 80) },
        ...(addresses.nodes === undefined ? [] : [{ peers: [block(addresses.nodes)], ports: tcp(80) }]),
        { peers: [ns(gateway)], ports: tcp(GATEWAY_PROXY_PORTS[0]) },
      ],
    });
  }
  policies.push(
    // Apps reach a data service only through the apps layer's policy for it (apps/data-access): the
    // pods of the apps that use the service, on its port.
    { namespace: data, name: "allow-from-operators", ingress: [{ peers: [ns(operators, backup)] }] },
    { namespace: data, name: "allow-object-storage", egress: [{ peers: [outside], ports: tcp(443) }] },
    {
      namespace: monitoring,
      name: "allow-scrape-all",
      egress: [
        { peers: [ns(...all, ...addons.map((a) => a.namespace), "kube-system")] },
        ...(addresses.nodes === undefined ? [] : [{ peers: [block(addresses.nodes)], ports: tcp(...NODE_SCRAPE_PORTS) }]),
      ],
    },
    { namespace: monitoring, name: "allow-from-gateway", ingress: [{ peers: [ns(gateway)] }] },
    { namespace: backup, name: "allow-backup-targets", egress: [{ peers: [ns(data)] }, { peers: [outside], ports: tcp(443) }] },
  );
  for (const app of input.apps) {
    // Ingress to app pods (gateway, callers, monitoring) is opened per app by the apps layer, on
    // the app's own ports; the namespace admits nothing wholesale.
    policies.push({ namespace: app, name: "allow-apps-to-data", egress: [{ peers: [ns(data)], ports: tcp(...input.dataPorts) }] });
    if (input.appsInternetEgress) policies.push({ namespace: app, name: "allow-internet-https", egress: [{ peers: [outside], ports: tcp(443) }] });
  }
  for (const addon of addons) {
    if ((addon.webhookPorts ?? []).length > 0) policies.push({ namespace: addon.namespace, name: "allow-webhooks", ingress: [{ peers: controlPlane, ports: tcp(...(addon.webhookPorts ?? [])) }] });
    if ((addon.externalPorts ?? []).length > 0) {
      policies.push({ namespace: addon.namespace, name: "allow-external", egress: [{ peers: [block("0.0.0.0/0", [...addresses.podsAndServices, LINK_LOCAL])], ports: [...(addon.externalPorts ?? [])] }] });
    }
  }
  return policies;
}

/** The `spec` of a NetworkPolicy object for one builder entry. */
export function networkPolicySpec(policy: PolicySpec): k8sInput.networking.v1.NetworkPolicySpec {
  const peers = (r: PolicyRule) => (r.peers ? r.peers.map((peer) => ({ ...peer })) : undefined);
  const ports = (r: PolicyRule) => (r.ports ? r.ports.map((port) => ({ ...port })) : undefined);
  return {
    podSelector: policy.podSelector === undefined ? {} : { matchLabels: { ...policy.podSelector.matchLabels } },
    policyTypes: [...(policy.ingress ? ["Ingress"] : []), ...(policy.egress ? ["Egress"] : [])],
    ...(policy.ingress ? { ingress: policy.ingress.map((r) => ({ from: peers(r), ports: ports(r) })) } : {}),
    ...(policy.egress ? { egress: policy.egress.map((r) => ({ to: peers(r), ports: ports(r) })) } : {}),
  };
}
