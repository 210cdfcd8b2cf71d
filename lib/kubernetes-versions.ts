/**
 * The Kubernetes minors strata supports, per infra backend, with the pins that go with each. The
 * pins themselves live in `lib/catalog.ts`; this table says which of them belong to which minor,
 * so moving `kubernetesVersion` means moving one row's worth of pins together (README, "Upgrading
 * Kubernetes"). A minor is supported on a backend only where every pin it needs is in the catalog:
 *
 * - eks: the managed add-on versions (`aws eks describe-addon-versions --kubernetes-version
 *   <minor>`; kube-proxy's minor is the cluster's) and the Karpenter AMI alias, which must name an
 *   AL2023 release that publishes AMIs for the minor.
 * - vsphere: kubelet/kubeadm/kubectl packages of the minor's pkgs.k8s.io channel, and the vSphere
 *   cloud provider, whose compatibility "is ONLY guaranteed between a specific release and its
 *   corresponding Kubernetes version" (kubernetes/cloud-provider-vsphere README, "Compatibility
 *   with Kubernetes"): its chart's minor must be the cluster's.
 * - existing: strata installs nothing version-bound on the nodes, but its charts and manifests are
 *   pinned and tested for the minors the other backends pin.
 */
import { CHARTS, EKS_ADDONS, type EksAddonName, KARPENTER_AMI_ALIAS, VSPHERE_NODE } from "./catalog";
import type { Backend } from "./contracts";

/** What an EKS cluster of one minor needs pinned. */
export interface EksVersionPins {
  /** Managed add-on versions built for this minor (kube-proxy carries the minor in its own). */
  readonly addons: Readonly<Record<EksAddonName, string>>;
  /** Default Karpenter AMI alias; a dated alias must be a release that publishes this minor. */
  readonly karpenterAmiAlias: string;
}

/** What a vSphere (kubeadm) cluster of one minor needs pinned. */
export interface VsphereVersionPins {
  /** pkgs.k8s.io channel and kubelet/kubeadm/kubectl package version. */
  readonly packages: { readonly channel: string; readonly package: string };
  /** vsphere-cpi chart version, whose minor is the cluster's. */
  readonly cloudProviderChart: string;
}

export interface KubernetesVersionRow {
  /** Absent: not supported on EKS. */
  readonly eks?: EksVersionPins;
  /** Absent: not supported on vSphere. */
  readonly vsphere?: VsphereVersionPins;
  /** Supported on an existing cluster. */
  readonly existing: boolean;
}

const minorOf = (version: string): string => /^(\d+\.\d+)/.exec(version)?.[1] ?? version;

/** One row per minor, oldest first; `tests/lib/kubernetes-versions.test.ts` checks each pin's minor. */
export const KUBERNETES_VERSIONS: Readonly<Record<string, KubernetesVersionRow>> = {
  // No EKS add-on pins for 1.34, and the vsphere-cpi chart is pinned for 1.35 only, so the
  // catalog's 1.34 node packages alone do not make 1.34 a vSphere version.
  "1.34": { existing: true },
  "1.35": {
    eks: { addons: EKS_ADDONS, karpenterAmiAlias: KARPENTER_AMI_ALIAS },
    vsphere: { packages: VSPHERE_NODE.kubernetesPackages["1.35"] ?? { channel: "", package: "" }, cloudProviderChart: CHARTS["vsphere-cpi"].version },
    existing: true,
  },
};

/** `1.35` of `1.35` or `1.35.2`. */
export function kubernetesMinor(version: string): string {
  return minorOf(version);
}

/** Minors supported on a backend, oldest first. */
export function supportedMinors(backend: Backend): string[] {
  return Object.entries(KUBERNETES_VERSIONS)
    .filter(([, row]) => (backend === "existing" ? row.existing : row[backend] !== undefined))
    .map(([minor]) => minor);
}

/** The EKS pins of a supported minor; throws for any other (the parser refuses those first). */
export function eksVersionPins(version: string): EksVersionPins {
  const pins = KUBERNETES_VERSIONS[minorOf(version)]?.eks;
  if (pins === undefined) throw new Error(`no EKS pins for Kubernetes ${version}; the config parser should have refused it`);
  return pins;
}

/** Why a version is not supported on a backend (problem and fix, without the key), or undefined. */
export function unsupportedVersionProblem(backend: Backend, version: string): string | undefined {
  const supported = supportedMinors(backend);
  if (!supported.includes(minorOf(version))) {
    return `is not a Kubernetes minor strata supports on the ${backend} backend; use ${supported.join(" or ")} (lib/kubernetes-versions.ts lists the pins each needs)`;
  }
  // The EKS API takes a minor; the patch level is AWS's.
  if (backend === "eks" && version !== minorOf(version)) return `must be a minor on EKS, which picks the patch itself; use ${minorOf(version)}`;
  return undefined;
}

const minorNumber = (version: string): number => Number(minorOf(version).split(".")[1]);

/**
 * Why moving from `previous` to `next` is refused, or undefined: Kubernetes upgrades one minor at
 * a time (EKS and kubeadm refuse skips) and never downgrades.
 */
export function versionChangeProblem(previous: string, next: string): { readonly problem: string; readonly fix: string } | undefined {
  const from = minorNumber(previous);
  const to = minorNumber(next);
  if (to < from) return { problem: `would downgrade the cluster from ${minorOf(previous)}, which Kubernetes does not support`, fix: `keep ${minorOf(previous)} or move up one minor` };
  if (to > from + 1) return { problem: `would skip minors after ${minorOf(previous)}; Kubernetes upgrades one minor at a time`, fix: `deploy 1.${from + 1} first` };
  return undefined;
}

/** What the version checks that need earlier outputs compare. */
export interface VersionHistory {
  /** `strata:infra.kubernetesVersion` where this stack owns the infra layer. */
  readonly configured?: string;
  /** The `infra` output of this stack's last successful update (undefined before the first). */
  readonly previousInfra?: unknown;
  /** The infra contract an upstream stack published, where this stack reads it. */
  readonly upstream?: { readonly stack: string; readonly backend: Backend; readonly kubernetesVersion: string };
}

/**
 * Problems only earlier outputs reveal: a downgrade or skipped minor against this stack's last
 * update, and an upstream stack publishing a version strata does not support on its backend.
 */
export function versionHistoryProblems(history: VersionHistory): string[] {
  const problems: string[] = [];
  const previous = history.previousInfra as { readonly kubernetesVersion?: unknown } | undefined;
  if (history.configured !== undefined && typeof previous?.kubernetesVersion === "string") {
    const change = versionChangeProblem(previous.kubernetesVersion, history.configured);
    if (change !== undefined) {
      problems.push(`strata:infra.kubernetesVersion: ${change.problem} (this stack's last update ran ${previous.kubernetesVersion}) (got ${JSON.stringify(history.configured)}); ${change.fix}`);
    }
  }
  if (history.upstream !== undefined) {
    const { stack, backend, kubernetesVersion } = history.upstream;
    if (unsupportedVersionProblem(backend, kubernetesVersion) !== undefined) {
      problems.push(
        `strata:upstreamStack: publishes Kubernetes ${kubernetesVersion} on the ${backend} backend, which strata does not support (got ${JSON.stringify(stack)}); ` +
          `move that stack to ${supportedMinors(backend).join(" or ")} first`,
      );
    }
  }
  return problems;
}
