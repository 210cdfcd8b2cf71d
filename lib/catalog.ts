/**
 * The one file with version strings: Kubernetes, provider plugins, Helm charts and images.
 * Typed over `as const` unions so a missing entry does not compile. The chart pins are checked
 * against the chart reference data by `npm run verify`.
 */

/**
 * Kubernetes minor strata deploys and tests against. `npm run verify` takes the field list of
 * built-in objects from the `@kubernetes/client-node` devDependency (generated from 1.36): keep
 * that release at this minor or the next one.
 */
export const KUBERNETES_VERSION = "1.35";

/** Provider plugin versions requested through the `version` resource option. */
export const PLUGINS = {
  vsphere: "4.17.0",
} as const;

/** EKS managed add-ons strata installs, in the order they are created. */
export const EKS_ADDON_NAMES = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns", "aws-ebs-csi-driver"] as const;
export type EksAddonName = (typeof EKS_ADDON_NAMES)[number];

/**
 * EKS add-on versions for `KUBERNETES_VERSION`, as `aws eks describe-addon-versions
 * --kubernetes-version 1.35` lists them. Move them together with the Kubernetes version.
 */
export const EKS_ADDONS: Readonly<Record<EksAddonName, string>> = {
  "vpc-cni": "v1.22.4-eksbuild.3",
  "kube-proxy": "v1.35.3-eksbuild.18",
  "eks-pod-identity-agent": "v1.3.10-eksbuild.3",
  coredns: "v1.13.2-eksbuild.11",
  "aws-ebs-csi-driver": "v1.64.0-eksbuild.1",
};

export const CPU_ARCHITECTURES = ["x86_64", "arm64"] as const;
export type CpuArchitecture = (typeof CPU_ARCHITECTURES)[number];

/** EKS-optimised Amazon Linux 2023 AMI type for managed node groups, by CPU architecture. */
export const EKS_AMI_TYPES: Readonly<Record<CpuArchitecture, string>> = {
  x86_64: "AL2023_x86_64_STANDARD",
  arm64: "AL2023_ARM_64_STANDARD",
};

// ---------------------------------------------------------------------------------------------
// Cluster layer: Helm charts, manifests and images (versions exactly as in the chart reference
// data's INDEX.md).
// ---------------------------------------------------------------------------------------------

export const CHART_IDS = [
  "calico-crds",
  "tigera-operator",
  "metallb",
  "gateway-helm",
  "cert-manager",
  "metrics-server",
  "karpenter",
  "aws-load-balancer-controller",
  "local-path-provisioner",
  "vsphere-cpi",
] as const;
/** A Helm chart strata installs; every id has exactly one pin below. */
export type ChartId = (typeof CHART_IDS)[number];

/** Where a chart comes from: a classic Helm repository or an OCI registry reference. */
export interface ChartPin {
  /** `https://` Helm repository URL, or the `oci://` reference of the chart itself. */
  readonly source: string;
  /** Chart name inside the repository (for OCI, the last path segment of `source`). */
  readonly chart: string;
  readonly version: string;
}

export const CHARTS: Readonly<Record<ChartId, ChartPin>> = {
  /** Calico CRDs: since v3.32 the operator chart no longer bundles them (incl. operator.tigera.io). */
  "calico-crds": { source: "https://docs.tigera.io/calico/charts", chart: "crd.projectcalico.org.v1", version: "v3.32.1" },
  "tigera-operator": { source: "https://docs.tigera.io/calico/charts", chart: "tigera-operator", version: "v3.32.1" },
  metallb: { source: "https://metallb.github.io/metallb", chart: "metallb", version: "0.16.1" },
  "gateway-helm": { source: "oci://docker.io/envoyproxy/gateway-helm", chart: "gateway-helm", version: "v1.9.0" },
  "cert-manager": { source: "oci://quay.io/jetstack/charts/cert-manager", chart: "cert-manager", version: "v1.21.1" },
  "metrics-server": { source: "https://kubernetes-sigs.github.io/metrics-server/", chart: "metrics-server", version: "3.13.1" },
  karpenter: { source: "oci://public.ecr.aws/karpenter/karpenter", chart: "karpenter", version: "1.14.1" },
  "aws-load-balancer-controller": { source: "https://aws.github.io/eks-charts", chart: "aws-load-balancer-controller", version: "3.5.0" },
  "local-path-provisioner": {
    source: "oci://ghcr.io/rancher/local-path-provisioner/charts/local-path-provisioner",
    chart: "local-path-provisioner",
    version: "0.0.37",
  },
  /**
   * vSphere cloud provider (CPI). Its minor follows the Kubernetes minor: move it with
   * `KUBERNETES_VERSION`. 1.35.0 is the newest 1.35 chart the Helm repository publishes (v1.35.1
   * was tagged in git but never packaged); the image is moved to the v1.35.1 patch through
   * `IMAGES.vsphereCpi`, the only difference between the two chart versions.
   */
  "vsphere-cpi": { source: "https://kubernetes.github.io/cloud-provider-vsphere", chart: "vsphere-cpi", version: "1.35.0" },
};

/** Components published only as manifests, applied with `kubernetes.yaml.v2.ConfigFile`. */
export const MANIFESTS = {
  /** vSphere CSI driver (no chart upstream); the namespace is created by strata. */
  vsphereCsiDriver: {
    version: "v3.7.3",
    url: "https://raw.githubusercontent.com/kubernetes-sigs/vsphere-csi-driver/v3.7.3/manifests/vanilla/vsphere-csi-driver.yaml",
    namespace: "vmware-system-csi",
  },
} as const;

/** Images strata sets explicitly where a chart default is a floating tag. */
export const IMAGES = {
  /** Helper image local-path-provisioner runs to create and remove volume directories. */
  busybox: { repository: "docker.io/library/busybox", tag: "1.37.0" },
  /** vSphere cloud provider: the v1.35.1 patch release over the published 1.35.0 chart (which defaults to v1.35.0). */
  vsphereCpi: { repository: "registry.k8s.io/cloud-pv-vsphere/cloud-provider-vsphere", tag: "v1.35.1" },
} as const;

/** Default Karpenter AMI alias; pin a dated alias (e.g. `al2023@v20260801`) per environment. */
export const KARPENTER_AMI_ALIAS = "al2023@latest";

/** Guest software on vSphere nodes: what the template must be and what cloud-init installs. */
export interface VsphereNodeCatalog {
  /** The template the VMs are cloned from: Ubuntu Server 24.04 cloud image with open-vm-tools and cloud-init. */
  readonly template: { readonly distribution: "ubuntu"; readonly release: "24.04"; readonly guestId: "ubuntu64Guest" };
  /** pkgs.k8s.io channel and kubelet/kubeadm/kubectl package version per Kubernetes minor. */
  readonly kubernetesPackages: Readonly<Record<string, { readonly channel: string; readonly package: string }>>;
  /** Ubuntu archive package versions (apt version globs: the series is pinned, security patches are taken). */
  readonly ubuntuPackages: { readonly containerd: string; readonly haproxy: string; readonly keepalived: string };
  /** kube-vip static-pod image, used when the cluster has no load-balancer nodes. */
  readonly kubeVipImage: string;
  /** Pod sandbox image containerd is configured with, matching what kubeadm expects. */
  readonly pauseImage: string;
}

export const VSPHERE_NODE: VsphereNodeCatalog = {
  template: { distribution: "ubuntu", release: "24.04", guestId: "ubuntu64Guest" },
  kubernetesPackages: {
    "1.34": { channel: "v1.34", package: "1.34.6-1.1" },
    "1.35": { channel: "v1.35", package: "1.35.3-1.1" },
  },
  ubuntuPackages: { containerd: "1.7.*", haproxy: "2.8.*", keepalived: "1:2.2.*" },
  kubeVipImage: "ghcr.io/kube-vip/kube-vip:v1.0.0",
  pauseImage: "registry.k8s.io/pause:3.10.1",
};
