/**
 * The one file with version strings: Kubernetes, provider plugins, Helm charts and images.
 * Typed over `as const` unions so a missing entry does not compile. The chart pins are checked
 * against the chart reference data by `npm run verify`.
 */

/** Kubernetes minor strata deploys and tests against. */
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
