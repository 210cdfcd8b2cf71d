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
  "gateway-crds-helm",
  "gateway-helm",
  "cert-manager",
  "metrics-server",
  "karpenter-crd",
  "karpenter",
  "aws-load-balancer-controller",
  "local-path-provisioner",
  "vsphere-cpi",
  // Platform layer: data services and backups.
  "cloudnative-pg",
  "plugin-barman-cloud",
  "redis-ha",
  "seaweedfs",
  "velero",
  // Platform layer: observability.
  "kube-prometheus-stack",
  "loki",
  "alloy",
  "opentelemetry-collector",
  "tempo",
  // Platform layer, part 2: data-service operators.
  "ps-operator",
  "psmdb-operator",
  "strimzi-kafka-operator",
  "kubelet-csr-approver",
  // Platform layer: apps' custom-metric scaling.
  "keda",
  // Platform layer: apps' secrets from external stores, and rolling workloads when they change.
  "external-secrets",
  "reloader",
  // Cluster layer, vSphere autoscaled pools (docs/adr/0001-vsphere-autoscaled-pools.md).
  "cluster-autoscaler",
  // Cluster layer: the optional Istio ambient mesh (cluster/mesh).
  "istio-base",
  "istiod",
  "istio-cni",
  "ztunnel",
  // Cluster layer: VerticalPodAutoscaler recommendations (strata:cluster.vpa).
  "vertical-pod-autoscaler",
  // Apps layer: on-demand load tests (strata:apps.loadTests).
  "k6-operator",
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

/** Istio release of the mesh charts and their images (one version for all four). */
export const ISTIO_VERSION = "1.30.3";
/** Where Istio's release images live: git values.yaml carries the dev hub `registry.istio.io/testing`; releases go to Docker Hub `istio` (values.yaml comment). */
export const ISTIO_HUB = "docker.io/istio";
const ISTIO_CHARTS = "https://istio-release.storage.googleapis.com/charts";

export const CHARTS: Readonly<Record<ChartId, ChartPin>> = {
  /** Calico CRDs: since v3.32 the operator chart no longer bundles them (incl. operator.tigera.io). */
  "calico-crds": { source: "https://docs.tigera.io/calico/charts", chart: "crd.projectcalico.org.v1", version: "v3.32.1" },
  "tigera-operator": { source: "https://docs.tigera.io/calico/charts", chart: "tigera-operator", version: "v3.32.1" },
  metallb: { source: "https://metallb.github.io/metallb", chart: "metallb", version: "0.16.1" },
  /**
   * Gateway API (experimental channel) and Envoy Gateway CRDs as chart templates, so every pin
   * change re-applies them (gateway-helm's own CRDs sit in a `crds/` folder Helm installs once and
   * never upgrades). Always the same version as `gateway-helm`.
   */
  "gateway-crds-helm": { source: "oci://docker.io/envoyproxy/gateway-crds-helm", chart: "gateway-crds-helm", version: "v1.9.0" },
  "gateway-helm": { source: "oci://docker.io/envoyproxy/gateway-helm", chart: "gateway-helm", version: "v1.9.0" },
  "cert-manager": { source: "oci://quay.io/jetstack/charts/cert-manager", chart: "cert-manager", version: "v1.21.1" },
  "metrics-server": { source: "https://kubernetes-sigs.github.io/metrics-server/", chart: "metrics-server", version: "3.13.1" },
  /**
   * Karpenter's CRDs as chart templates, so `helm upgrade` updates them with the controller (the
   * karpenter chart's own `crds/` folder is installed once and never upgraded). Always the same
   * version as `karpenter`. Not in the chart reference data: `npm run verify` reports it as not
   * checked; the CRDs the custom resources are validated against are the karpenter chart's copy.
   */
  "karpenter-crd": { source: "oci://public.ecr.aws/karpenter/karpenter-crd", chart: "karpenter-crd", version: "1.14.1" },
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
  /** CloudNativePG operator 1.30.0 (image tag from the chart's appVersion). */
  "cloudnative-pg": { source: "https://cloudnative-pg.github.io/charts", chart: "cloudnative-pg", version: "0.29.0" },
  /** Barman Cloud plugin v0.13.0: PostgreSQL backups to S3 (in-tree barmanObjectStore is removed in CNPG 1.31). */
  "plugin-barman-cloud": { source: "https://cloudnative-pg.github.io/charts", chart: "plugin-barman-cloud", version: "0.7.0" },
  "redis-ha": { source: "https://dandydeveloper.github.io/charts", chart: "redis-ha", version: "4.39.0" },
  /** SeaweedFS 4.44 (image tag from the chart's appVersion). */
  seaweedfs: { source: "https://seaweedfs.github.io/seaweedfs/helm", chart: "seaweedfs", version: "4.44.0" },
  /** Velero 1.18.1. */
  velero: { source: "https://vmware-tanzu.github.io/helm-charts", chart: "velero", version: "12.1.0" },
  "kube-prometheus-stack": {
    source: "oci://ghcr.io/prometheus-community/charts/kube-prometheus-stack",
    chart: "kube-prometheus-stack",
    version: "88.5.3",
  },
  /** Loki moved to grafana-community (the grafana/loki chart is Enterprise Logs only since 2026-03). */
  loki: { source: "oci://ghcr.io/grafana-community/helm-charts/loki", chart: "loki", version: "18.11.0" },
  alloy: { source: "https://grafana.github.io/helm-charts", chart: "alloy", version: "1.11.1" },
  "opentelemetry-collector": {
    source: "oci://ghcr.io/open-telemetry/opentelemetry-helm-charts/opentelemetry-collector",
    chart: "opentelemetry-collector",
    version: "0.170.0",
  },
  tempo: { source: "oci://ghcr.io/grafana-community/helm-charts/tempo", chart: "tempo", version: "2.2.4" },
  /** Percona Operator for MySQL (group replication is GA in 1.x; async replication is tech preview). */
  "ps-operator": { source: "https://percona.github.io/percona-helm-charts/", chart: "ps-operator", version: "1.1.0" },
  /** Percona Operator for MongoDB. */
  "psmdb-operator": { source: "https://percona.github.io/percona-helm-charts/", chart: "psmdb-operator", version: "1.22.0" },
  /** Strimzi: Kafka in KRaft mode with node pools (1.x serves only `kafka.strimzi.io/v1`). */
  "strimzi-kafka-operator": { source: "oci://quay.io/strimzi-helm/strimzi-kafka-operator", chart: "strimzi-kafka-operator", version: "1.2.0" },
  /**
   * Approves kubelet serving certificates on vSphere (postfinance/kubelet-csr-approver; chart
   * version = release tag v1.2.14, published by its release workflow to the GitHub Pages repository).
   * Not in the chart reference data, so `npm run verify` reports the release as not checked;
   * `tests/cluster/values.test.ts` checks the keys against the chart's values.yaml at v1.2.14.
   */
  "kubelet-csr-approver": { source: "https://postfinance.github.io/kubelet-csr-approver", chart: "kubelet-csr-approver", version: "1.2.14" },
  /** KEDA 2.20.2 (operator, metrics API server, admission webhooks; the chart installs the CRDs). */
  keda: { source: "https://kedacore.github.io/charts", chart: "keda", version: "2.20.2" },
  /** External Secrets Operator v2.9.0 (controller, webhook, cert controller; the chart installs the CRDs). */
  "external-secrets": { source: "https://charts.external-secrets.io", chart: "external-secrets", version: "2.9.0" },
  /**
   * Stakater Reloader v1.4.21: rolls a workload when a Secret its annotation names changes. Chart
   * 2.2.16 = git tag chart-v2.2.16 of stakater/Reloader (deployments/kubernetes/chart/reloader),
   * the newest release; not in the chart reference data, so `npm run verify` reports the release
   * as not checked: platform/secrets/values.ts sets only keys of the chart's values.yaml at that tag.
   */
  reloader: { source: "https://stakater.github.io/stakater-charts", chart: "reloader", version: "2.2.16" },
  /** cluster-autoscaler 1.35.0 with the clusterapi provider, for vSphere pools with `autoscaling`. */
  "cluster-autoscaler": { source: "https://kubernetes.github.io/autoscaler", chart: "cluster-autoscaler", version: "9.59.0" },
  "istio-base": { source: ISTIO_CHARTS, chart: "base", version: ISTIO_VERSION },
  istiod: { source: ISTIO_CHARTS, chart: "istiod", version: ISTIO_VERSION },
  "istio-cni": { source: ISTIO_CHARTS, chart: "cni", version: ISTIO_VERSION },
  ztunnel: { source: ISTIO_CHARTS, chart: "ztunnel", version: ISTIO_VERSION },
  /**
   * VPA 1.7.1 (recommender, updater, admission controller; the chart's `crds/` installs
   * VerticalPodAutoscaler and VerticalPodAutoscalerCheckpoint). Its README still warns "under
   * development": strata runs only the recommender, which changes no pod.
   */
  "vertical-pod-autoscaler": { source: "https://kubernetes.github.io/autoscaler", chart: "vertical-pod-autoscaler", version: "0.11.0" },
  /** Grafana k6-operator 1.6.0 (controller; the chart installs the TestRun CRD). */
  "k6-operator": { source: "https://grafana.github.io/helm-charts", chart: "k6-operator", version: "4.6.0" },
};

/** Components published only as manifests, applied with `kubernetes.yaml.v2.ConfigFile`. */
export const MANIFESTS = {
  /**
   * The AWS Load Balancer Controller's CRDs (TargetGroupBinding, IngressClassParams, ...): the
   * chart's `crds/crds.yaml` at the controller's release tag, which is the chart version with a
   * `v` (chart 3.5.0 = appVersion v3.5.0). Applied by strata so a pin change upgrades them; Helm
   * only installs the chart's `crds/` once. Move with `aws-load-balancer-controller`.
   */
  awsLoadBalancerControllerCrds: {
    version: "v3.5.0",
    url: "https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/v3.5.0/helm/aws-load-balancer-controller/crds/crds.yaml",
  },
  /** The same chart's `crds/gateway-crds.yaml` (gateway.k8s.aws configurations), same tag. */
  awsLoadBalancerControllerGatewayCrds: {
    version: "v3.5.0",
    url: "https://raw.githubusercontent.com/kubernetes-sigs/aws-load-balancer-controller/v3.5.0/helm/aws-load-balancer-controller/crds/gateway-crds.yaml",
  },
  /** vSphere CSI driver (no chart upstream); the namespace is created by strata. */
  vsphereCsiDriver: {
    version: "v3.7.3",
    url: "https://raw.githubusercontent.com/kubernetes-sigs/vsphere-csi-driver/v3.7.3/manifests/vanilla/vsphere-csi-driver.yaml",
    namespace: "vmware-system-csi",
  },
  /** RabbitMQ cluster operator (no chart upstream); the manifest creates its own namespace. */
  rabbitmqClusterOperator: {
    version: "v2.22.3",
    url: "https://github.com/rabbitmq/cluster-operator/releases/download/v2.22.3/cluster-operator.yml",
    namespace: "rabbitmq-system",
  },
  /**
   * RabbitMQ messaging-topology-operator (no chart upstream): users, vhosts and permissions as
   * custom resources. The `with-certmanager` manifest has cert-manager issue its webhook's
   * certificate; it installs into the cluster operator's namespace (config/installation).
   */
  rabbitmqTopologyOperator: {
    version: "v1.20.1",
    url: "https://github.com/rabbitmq/messaging-topology-operator/releases/download/v1.20.1/messaging-topology-operator-with-certmanager.yaml",
    namespace: "rabbitmq-system",
  },
  /**
   * operating-system-manager's CRDs (no chart upstream; `deploy/crd/` at v1.11.3 holds one CRD per
   * file). strata renders OSM's Deployments itself (cluster/machine-controller/osm.ts): the
   * upstream `deploy/*.yaml` run `:latest` with placeholder flags.
   */
  osmProfileCrd: {
    version: "v1.11.3",
    url: "https://raw.githubusercontent.com/kubermatic/operating-system-manager/v1.11.3/deploy/crd/operatingsystemmanager.k8c.io_operatingsystemprofiles.yaml",
    namespace: "kube-system",
  },
  osmConfigCrd: {
    version: "v1.11.3",
    url: "https://raw.githubusercontent.com/kubermatic/operating-system-manager/v1.11.3/deploy/crd/operatingsystemmanager.k8c.io_operatingsystemconfigs.yaml",
    namespace: "kube-system",
  },
} as const;

/** Images strata sets explicitly where a chart default is a floating tag. */
export const IMAGES = {
  /** Helper image local-path-provisioner runs to create and remove volume directories. */
  busybox: { repository: "docker.io/library/busybox", tag: "1.37.0" },
  /** PostgreSQL for CloudNativePG clusters: the minimal image (no in-tree Barman; backups go through the plugin). */
  postgresql: { repository: "ghcr.io/cloudnative-pg/postgresql", tag: "17.6-minimal-trixie" },
  /** Valkey (BSD-3-Clause), the default Redis-compatible server; ships redis-server/redis-sentinel/redis-cli names the chart runs. */
  valkey: { repository: "docker.io/valkey/valkey", tag: "9.0.0-alpine" },
  /** Redis 8 (RSALv2/SSPLv1/AGPLv3), the redis-ha chart's own default. */
  redis: { repository: "public.ecr.aws/docker/library/redis", tag: "8.8.0-alpine" },
  /** Velero's object-store plugin for S3 and S3-compatible stores, copied in by an init container. */
  veleroPluginForAws: { repository: "docker.io/velero/velero-plugin-for-aws", tag: "v1.14.0" },
  /**
   * OpenTelemetry Collector, Kubernetes distribution (the chart's appVersion): it carries the
   * `tail_sampling` processor and `loadbalancing` exporter the core image lacks.
   */
  otelCollector: { repository: "otel/opentelemetry-collector-k8s", tag: "0.158.0", command: "otelcol-k8s" },
  /**
   * SeaweedFS as the seaweedfs chart 4.44.0 runs it (`global.seaweedfs.image.name` at the chart's
   * appVersion): the same `weed` binary creates the store's buckets (`weed shell`, a Job) and
   * copies the app buckets off the cluster (`filer.backup`).
   */
  seaweedfs: { repository: "docker.io/chrislusf/seaweedfs", tag: "4.44" },
  /** vSphere cloud provider: the v1.35.1 patch release over the published 1.35.0 chart (which defaults to v1.35.0). */
  vsphereCpi: { repository: "registry.k8s.io/cloud-pv-vsphere/cloud-provider-vsphere", tag: "v1.35.1" },
  /**
   * rclone (MIT), the S3 client that copies the vSphere control planes' etcd snapshots to the
   * backup target (platform/etcd-backup/). The image (rclone/rclone Dockerfile) is Alpine with the
   * static binary at /usr/local/bin/rclone and busybox `sh`/`find`; tags are the release's semver.
   */
  rclone: { repository: "docker.io/rclone/rclone", tag: "1.75.0" },
  /** Stakater Reloader, the reloader chart 2.2.16's appVersion. */
  reloader: { repository: "ghcr.io/stakater/reloader", tag: "v1.4.21" },
  /**
   * Kubermatic machine-controller (controller and webhook binaries in one image). The upstream
   * manifest `examples/machine-controller.yaml` at v1.66.2 runs `:latest`; this is the release tag.
   */
  machineController: { repository: "quay.io/kubermatic/machine-controller", tag: "v1.66.2" },
  /** operating-system-manager (`osm-controller` and `webhook` in one image), the v1.11.3 release. */
  operatingSystemManager: { repository: "quay.io/kubermatic/operating-system-manager", tag: "v1.11.3" },
} as const;

/**
 * What the data-service custom resources run: custom-resource API versions the operators accept
 * and the images they start. Percona images as the ps-db 1.1.0 / psmdb-db 1.22.2 charts default;
 * RabbitMQ as cluster operator 2.22.3 defaults; Kafka as Strimzi 1.2.0 supports.
 */
export const DATA_SERVICES = {
  mysql: {
    crVersion: "1.1.0",
    server: "percona/percona-server:8.4.8-8.1",
    haproxy: "percona/haproxy:2.8.18-1",
    xtrabackup: "percona/percona-xtrabackup:8.4.0-5.1",
    toolkit: "percona/percona-toolkit:3.7.1",
    exporter: "prom/mysqld-exporter:v0.18.0",
  },
  mongodb: {
    crVersion: "1.22.0",
    server: "percona/percona-server-mongodb:8.0.19-7",
    backup: "percona/percona-backup-mongodb:2.12.0",
    exporter: "percona/mongodb_exporter:0.47.1",
  },
  rabbitmq: { server: "rabbitmq:4.2.6-management" },
  kafka: { version: "4.2.0" },
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
