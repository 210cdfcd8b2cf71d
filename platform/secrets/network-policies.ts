/**
 * Pure: the controller's egress to the stores. The operators namespace allows DNS, the API server
 * and traffic inside it (cluster layer); this opens, for ESO's controller pods only, the stores'
 * ports outside the cluster's ranges: 443 for the AWS APIs (STS, Secrets Manager, SSM) and each
 * Vault server's port. The webhook's calls from the control plane are the namespace's
 * `allow-webhooks` (10250).
 */
import type * as k8sInput from "@pulumi/kubernetes/types/input";
import type { SecretStoreSettings } from "../../config/platform/secrets";
import type { ClusterAddresses } from "../../cluster/network-policies/addresses";
import { ESO_APPS, ESO_RELEASE } from "./values";
import { vaultPort } from "./workloads";

export function storeEgressPolicy(
  namespace: string,
  stores: Readonly<Record<string, SecretStoreSettings>>,
  addresses: ClusterAddresses,
): { readonly name: string; readonly namespace: string; readonly spec: k8sInput.networking.v1.NetworkPolicySpec } | undefined {
  const ports = [...new Set(Object.values(stores).map((s) => (s.provider === "vault" ? vaultPort(s.vault?.server ?? "") : 443)))].sort((a, b) => a - b);
  if (ports.length === 0) return undefined;
  return {
    name: "external-secrets-allow-stores",
    namespace,
    spec: {
      podSelector: { matchLabels: { "app.kubernetes.io/name": ESO_APPS.controller, "app.kubernetes.io/instance": ESO_RELEASE } },
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...addresses.internal] } }], ports: ports.map((port) => ({ protocol: "TCP", port })) }],
    },
  };
}
