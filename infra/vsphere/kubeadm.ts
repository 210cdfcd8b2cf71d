/**
 * kubeadm v1beta4 documents: InitConfiguration + ClusterConfiguration for the first control-plane
 * node, JoinConfiguration for every other node. Pure builders over plain values; callers run them
 * inside an `apply` once the token, certificate key and CA hash are known.
 */
import { stringify } from "yaml";
import type { Taint } from "../../lib/contracts";
import type { NodeSpec } from "./pools";
import { ENCRYPTION_API_SERVER } from "./encryption";

export const KUBEADM_API = "kubeadm.k8s.io/v1beta4";
export const CRI_SOCKET = "unix:///var/run/containerd/containerd.sock";
/** Group kubeadm's bootstrap RBAC grants node joining to. */
export const BOOTSTRAP_GROUP = "system:bootstrappers:kubeadm:default-node-token";

export interface KubeadmCluster {
  readonly clusterName: string;
  /** Full version with `v`, e.g. `v1.35.3`. */
  readonly kubernetesVersion: string;
  /** DNS name of the VIP; every kubeconfig kubeadm writes points there. */
  readonly endpointHost: string;
  readonly apiServerPort: number;
  readonly vip: string;
  readonly podCidr: string;
  readonly serviceCidr: string;
  readonly dnsDomain: string;
}

/** The shared secrets every join needs; plain strings, only ever handled inside an `apply`. */
export interface KubeadmSecrets {
  /** `[a-z0-9]{6}.[a-z0-9]{16}`. */
  readonly token: string;
  /** 32 bytes, hex: encrypts the control-plane certificates kubeadm uploads for joining control planes. */
  readonly certificateKey: string;
  /** `sha256:<hex>` of the cluster CA's SubjectPublicKeyInfo. */
  readonly caCertHash: string;
}

/** What a join document needs: the certificate key only where the node must fetch the control-plane certificates. */
export type KubeadmJoinSecrets = Omit<KubeadmSecrets, "certificateKey"> & { readonly certificateKey?: string };

/** v1beta4 lists extra arguments as name/value pairs. */
export interface Arg {
  readonly name: string;
  readonly value: string;
}

export interface NodeRegistration {
  readonly name: string;
  readonly criSocket: string;
  readonly imagePullPolicy: "IfNotPresent";
  readonly kubeletExtraArgs: readonly Arg[];
  readonly taints: readonly Taint[];
  readonly ignorePreflightErrors?: readonly string[];
}

interface Endpoint {
  readonly advertiseAddress: string;
  readonly bindPort: number;
}

export interface InitConfigurationDoc {
  readonly apiVersion: typeof KUBEADM_API;
  readonly kind: "InitConfiguration";
  readonly bootstrapTokens: readonly { token: string; ttl: string; groups: readonly string[]; usages: readonly string[] }[];
  readonly certificateKey: string;
  readonly localAPIEndpoint: Endpoint;
  readonly nodeRegistration: NodeRegistration;
}

export interface ClusterConfigurationDoc {
  readonly apiVersion: typeof KUBEADM_API;
  readonly kind: "ClusterConfiguration";
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  readonly controlPlaneEndpoint: string;
  readonly networking: { readonly podSubnet: string; readonly serviceSubnet: string; readonly dnsDomain: string };
  readonly apiServer: { readonly certSANs: readonly string[]; readonly extraArgs: readonly Arg[]; readonly extraVolumes: readonly object[] };
}

export interface JoinConfigurationDoc {
  readonly apiVersion: typeof KUBEADM_API;
  readonly kind: "JoinConfiguration";
  readonly discovery: { readonly bootstrapToken: { readonly apiServerEndpoint: string; readonly token: string; readonly caCertHashes: readonly string[] } };
  readonly nodeRegistration: NodeRegistration;
  readonly controlPlane?: { readonly localAPIEndpoint: Endpoint; readonly certificateKey?: string };
  readonly timeouts: { readonly discovery: string; readonly tlsBootstrap: string };
}

export function controlPlaneEndpoint(cluster: KubeadmCluster): string {
  return `${cluster.endpointHost}:${cluster.apiServerPort}`;
}

/**
 * Every kubelet defers node initialisation to the vSphere cloud provider the cluster layer
 * installs: it registers with the `node.cloudprovider.kubernetes.io/uninitialized` taint until the
 * CPI sets `spec.providerID` (which the CSI driver needs). kubeadm writes these per-node arguments
 * to `/var/lib/kubelet/kubeadm-flags.env`; the shared KubeletConfiguration has no field for it.
 * Static pods (control plane, kube-vip) and kube-proxy run regardless of the taint.
 */
export const EXTERNAL_CLOUD_PROVIDER: Arg = { name: "cloud-provider", value: "external" };

function nodeRegistration(node: NodeSpec, extraIgnore: readonly string[] = []): NodeRegistration {
  const labels = Object.entries(node.labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
  const kubeletExtraArgs: Arg[] = [EXTERNAL_CLOUD_PROVIDER, { name: "node-ip", value: node.address }];
  if (labels !== "") kubeletExtraArgs.push({ name: "node-labels", value: labels });
  return {
    name: node.name,
    criSocket: CRI_SOCKET,
    imagePullPolicy: "IfNotPresent",
    kubeletExtraArgs,
    taints: node.taints.map((t: Taint) => ({ key: t.key, effect: t.effect, ...(t.value === undefined ? {} : { value: t.value }) })),
    ...(extraIgnore.length > 0 ? { ignorePreflightErrors: [...extraIgnore] } : {}),
  };
}

/**
 * The API server verifies each kubelet's serving certificate against the cluster CA (without it,
 * `kubectl logs/exec/port-forward` and the metrics path accept any certificate on port 10250).
 * Those certificates are signed by that CA: `serverTLSBootstrap` (below) makes the kubelet request
 * them with signer `kubernetes.io/kubelet-serving`, which kube-controller-manager signs with
 * `--cluster-signing-cert-file`, set by kubeadm to `/etc/kubernetes/pki/ca.crt`
 * (kubernetes.io/docs/tasks/administer-cluster/kubeadm/kubeadm-certs/, "Kubelet serving
 * certificates"; kubelet-csr-approver in the cluster layer approves them). Until a node's request
 * is approved the kubelet serves no certificate at all, so nothing that worked before breaks.
 */
export const KUBELET_CERTIFICATE_AUTHORITY: Arg = { name: "kubelet-certificate-authority", value: "/etc/kubernetes/pki/ca.crt" };

export function clusterConfiguration(cluster: KubeadmCluster): ClusterConfigurationDoc {
  return {
    apiVersion: KUBEADM_API,
    kind: "ClusterConfiguration",
    clusterName: cluster.clusterName,
    kubernetesVersion: cluster.kubernetesVersion,
    controlPlaneEndpoint: controlPlaneEndpoint(cluster),
    networking: { podSubnet: cluster.podCidr, serviceSubnet: cluster.serviceCidr, dnsDomain: cluster.dnsDomain },
    apiServer: { certSANs: [cluster.endpointHost, cluster.vip], extraArgs: [...ENCRYPTION_API_SERVER.extraArgs, KUBELET_CERTIFICATE_AUTHORITY], extraVolumes: [...ENCRYPTION_API_SERVER.extraVolumes] },
  };
}

/**
 * systemd cgroups to match containerd's runc configuration; the kubelet's serving certificate is
 * requested from the cluster CA (approved by kubelet-csr-approver in the cluster layer), so
 * metrics-server and `kubectl logs` verify it instead of trusting a self-signed one.
 */
export function kubeletConfiguration() {
  return { apiVersion: "kubelet.config.k8s.io/v1beta1", kind: "KubeletConfiguration", cgroupDriver: "systemd", serverTLSBootstrap: true };
}

/** Lifetime of a join token (kubeadm's default); strata mints a fresh one whenever the node set changes. */
export const JOIN_TOKEN_TTL_HOURS = 24;

/** The first control-plane node; it registers the join token with its finite TTL. */
export function initConfiguration(cluster: KubeadmCluster, node: NodeSpec, secrets: KubeadmSecrets, ignorePreflight: readonly string[] = []): InitConfigurationDoc {
  return {
    apiVersion: KUBEADM_API,
    kind: "InitConfiguration",
    bootstrapTokens: [{ token: secrets.token, ttl: `${JOIN_TOKEN_TTL_HOURS}h0m0s`, groups: [BOOTSTRAP_GROUP], usages: ["signing", "authentication"] }],
    certificateKey: secrets.certificateKey,
    localAPIEndpoint: { advertiseAddress: node.address, bindPort: cluster.apiServerPort },
    nodeRegistration: nodeRegistration(node, ignorePreflight),
  };
}

/** Every other node; control-plane joins also fetch the shared certificates with the certificate key. */
export function joinConfiguration(cluster: KubeadmCluster, node: NodeSpec, secrets: KubeadmJoinSecrets): JoinConfigurationDoc {
  const controlPlane = node.role === "control-plane";
  return {
    apiVersion: KUBEADM_API,
    kind: "JoinConfiguration",
    discovery: {
      bootstrapToken: { apiServerEndpoint: controlPlaneEndpoint(cluster), token: secrets.token, caCertHashes: [secrets.caCertHash] },
    },
    nodeRegistration: nodeRegistration(node),
    ...(controlPlane
      ? {
          controlPlane: {
            localAPIEndpoint: { advertiseAddress: node.address, bindPort: cluster.apiServerPort },
            ...(secrets.certificateKey === undefined ? {} : { certificateKey: secrets.certificateKey }),
          },
        }
      : {}),
    timeouts: { discovery: "15m0s", tlsBootstrap: "10m0s" },
  };
}

/** Multi-document YAML with sorted keys, so re-renders diff cleanly. */
export function kubeadmYaml(documents: readonly object[]): string {
  return documents.map((doc) => stringify(doc, { sortMapEntries: true, lineWidth: 0 })).join("---\n");
}

/** The kubeadm config file a node boots with: init docs on the first control-plane node, a join doc elsewhere. */
export function kubeadmConfigFor(cluster: KubeadmCluster, node: NodeSpec, secrets: KubeadmJoinSecrets, initNode: boolean, ignorePreflight: readonly string[] = []): string {
  if (initNode) {
    const { certificateKey } = secrets;
    if (certificateKey === undefined) throw new Error(`node ${node.name}: kubeadm init uploads the control-plane certificates and needs the certificate key`);
    return kubeadmYaml([initConfiguration(cluster, node, { ...secrets, certificateKey }, ignorePreflight), clusterConfiguration(cluster), kubeletConfiguration()]);
  }
  return kubeadmYaml([joinConfiguration(cluster, node, secrets)]);
}
