/**
 * The upstream field names (JSON tags) of every kubeadm and kubelet document kind strata renders,
 * written down from the Go types, and a walker that reports any key path outside them.
 *
 * Sources read:
 * - kubeadm `kubeadm.k8s.io/v1beta4`: kubernetes/kubernetes `cmd/kubeadm/app/apis/kubeadm/v1beta4/types.go`
 *   at commit 1329935739c3 (v1beta4 with `timeouts`, `certificateValidityPeriod`, `encryptionAlgorithm`,
 *   `extraEnvs`); BootstrapToken from `cmd/kubeadm/app/apis/bootstraptoken/v1/types.go`. Fields added to
 *   v1beta4 later are simply absent here: an allow-list may be smaller than upstream, never larger.
 * - kubelet `kubelet.config.k8s.io/v1beta1`: kubernetes/kubelet (the staging mirror of
 *   `staging/src/k8s.io/kubelet`) `config/v1beta1/types.go` at tag v0.35.3, i.e. Kubernetes v1.35.3.
 * - Taint: `staging/src/k8s.io/api/core/v1/types.go` (`type Taint`).
 * `apiVersion` and `kind` come from the inlined `metav1.TypeMeta`.
 */

/**
 * A field's shape: a scalar, a Go duration string (`metav1.Duration`), a free-form map (its keys
 * are the user's), a struct (its fields by JSON name), a list of one shape, or an upstream struct
 * whose fields are not written down here (setting anything inside it fails until they are).
 */
export type Field = "scalar" | "duration" | "map" | "unlisted" | Struct | readonly [Field];
export interface Struct {
  readonly [jsonName: string]: Field;
}

export type UpstreamKind = "InitConfiguration" | "ClusterConfiguration" | "JoinConfiguration" | "KubeletConfiguration";

const TYPE_META = { apiVersion: "scalar", kind: "scalar" } as const;
/** v1beta4 `Arg`: `name`, `value`. */
const ARG: Struct = { name: "scalar", value: "scalar" };
/** core/v1 `Taint`. */
const TAINT: Struct = { key: "scalar", value: "scalar", effect: "scalar", timeAdded: "scalar" };
const ENV_VAR: Field = "unlisted";
const API_ENDPOINT: Struct = { advertiseAddress: "scalar", bindPort: "scalar" };
const PATCHES: Struct = { directory: "scalar" };
const HOST_PATH_MOUNT: Struct = { name: "scalar", hostPath: "scalar", mountPath: "scalar", readOnly: "scalar", pathType: "scalar" };
const CONTROL_PLANE_COMPONENT: Struct = { extraArgs: [ARG], extraVolumes: [HOST_PATH_MOUNT], extraEnvs: [ENV_VAR] };
const IMAGE_META: Struct = { imageRepository: "scalar", imageTag: "scalar" };

/** v1beta4 `NodeRegistrationOptions`. */
const NODE_REGISTRATION: Struct = {
  name: "scalar",
  criSocket: "scalar",
  taints: [TAINT],
  kubeletExtraArgs: [ARG],
  ignorePreflightErrors: ["scalar"],
  imagePullPolicy: "scalar",
  imagePullSerial: "scalar",
};

/** v1beta4 `Timeouts`. */
const TIMEOUTS: Struct = {
  controlPlaneComponentHealthCheck: "duration",
  kubeletHealthCheck: "duration",
  kubernetesAPICall: "duration",
  etcdAPICall: "duration",
  tlsBootstrap: "duration",
  discovery: "duration",
  upgradeManifests: "duration",
};

/** bootstraptoken/v1 `BootstrapToken`. */
const BOOTSTRAP_TOKEN: Struct = { token: "scalar", description: "scalar", ttl: "duration", expires: "scalar", usages: ["scalar"], groups: ["scalar"] };

const ETCD: Struct = {
  local: { ...IMAGE_META, dataDir: "scalar", extraArgs: [ARG], extraEnvs: [ENV_VAR], serverCertSANs: ["scalar"], peerCertSANs: ["scalar"] },
  external: { endpoints: ["scalar"], caFile: "scalar", certFile: "scalar", keyFile: "scalar" },
};

const KUBELET: Struct = {
  ...TYPE_META,
  enableServer: "scalar", staticPodPath: "scalar", podLogsDir: "scalar", syncFrequency: "duration", fileCheckFrequency: "duration",
  httpCheckFrequency: "duration", staticPodURL: "scalar", staticPodURLHeader: "map", address: "scalar", port: "scalar",
  readOnlyPort: "scalar", tlsCertFile: "scalar", tlsPrivateKeyFile: "scalar", tlsCipherSuites: ["scalar"], tlsMinVersion: "scalar",
  rotateCertificates: "scalar", serverTLSBootstrap: "scalar", authentication: "unlisted", authorization: "unlisted",
  registryPullQPS: "scalar", registryBurst: "scalar", imagePullCredentialsVerificationPolicy: "scalar",
  preloadedImagesVerificationAllowlist: ["scalar"], eventRecordQPS: "scalar", eventBurst: "scalar", enableDebuggingHandlers: "scalar",
  enableContentionProfiling: "scalar", healthzPort: "scalar", healthzBindAddress: "scalar", oomScoreAdj: "scalar", clusterDomain: "scalar",
  clusterDNS: ["scalar"], streamingConnectionIdleTimeout: "duration", nodeStatusUpdateFrequency: "duration",
  nodeStatusReportFrequency: "duration", nodeLeaseDurationSeconds: "scalar", imageMinimumGCAge: "duration", imageMaximumGCAge: "duration",
  imageGCHighThresholdPercent: "scalar", imageGCLowThresholdPercent: "scalar", volumeStatsAggPeriod: "duration", kubeletCgroups: "scalar",
  systemCgroups: "scalar", cgroupRoot: "scalar", cgroupsPerQOS: "scalar", cgroupDriver: "scalar", cpuManagerPolicy: "scalar",
  singleProcessOOMKill: "scalar", cpuManagerPolicyOptions: "map", cpuManagerReconcilePeriod: "duration", memoryManagerPolicy: "scalar",
  topologyManagerPolicy: "scalar", topologyManagerScope: "scalar", topologyManagerPolicyOptions: "map", qosReserved: "map",
  runtimeRequestTimeout: "duration", hairpinMode: "scalar", maxPods: "scalar", podCIDR: "scalar", podPidsLimit: "scalar",
  resolvConf: "scalar", runOnce: "scalar", cpuCFSQuota: "scalar", cpuCFSQuotaPeriod: "duration", nodeStatusMaxImages: "scalar",
  maxOpenFiles: "scalar", contentType: "scalar", kubeAPIQPS: "scalar", kubeAPIBurst: "scalar", serializeImagePulls: "scalar",
  maxParallelImagePulls: "scalar", evictionHard: "map", evictionSoft: "map", evictionSoftGracePeriod: "map",
  evictionPressureTransitionPeriod: "duration", evictionMaxPodGracePeriod: "scalar", evictionMinimumReclaim: "map",
  mergeDefaultEvictionSettings: "scalar", podsPerCore: "scalar", enableControllerAttachDetach: "scalar", protectKernelDefaults: "scalar",
  makeIPTablesUtilChains: "scalar", iptablesMasqueradeBit: "scalar", iptablesDropBit: "scalar", featureGates: "map", failSwapOn: "scalar",
  memorySwap: "unlisted", containerLogMaxSize: "scalar", containerLogMaxFiles: "scalar", containerLogMaxWorkers: "scalar",
  containerLogMonitorInterval: "duration", configMapAndSecretChangeDetectionStrategy: "scalar", systemReserved: "map",
  kubeReserved: "map", reservedSystemCPUs: "scalar", showHiddenMetricsForVersion: "scalar", systemReservedCgroup: "scalar",
  kubeReservedCgroup: "scalar", enforceNodeAllocatable: ["scalar"], allowedUnsafeSysctls: ["scalar"], volumePluginDir: "scalar",
  providerID: "scalar", kernelMemcgNotification: "scalar", logging: "unlisted", enableSystemLogHandler: "scalar",
  enableSystemLogQuery: "scalar", shutdownGracePeriod: "duration", shutdownGracePeriodCriticalPods: "duration",
  shutdownGracePeriodByPodPriority: ["unlisted"], crashLoopBackOff: "unlisted", reservedMemory: ["unlisted"],
  enableProfilingHandler: "scalar", enableDebugFlagsHandler: "scalar", seccompDefault: "scalar", memoryThrottlingFactor: "scalar",
  registerWithTaints: [TAINT], registerNode: "scalar", tracing: "unlisted", localStorageCapacityIsolation: "scalar",
  containerRuntimeEndpoint: "scalar", imageServiceEndpoint: "scalar", failCgroupV1: "scalar", userNamespaces: "unlisted",
};

/** Every document kind strata writes, with the apiVersion it must carry and its upstream fields. */
export const UPSTREAM: { readonly [K in UpstreamKind]: { readonly apiVersion: string; readonly fields: Struct } } = {
  InitConfiguration: {
    apiVersion: "kubeadm.k8s.io/v1beta4",
    fields: {
      ...TYPE_META,
      bootstrapTokens: [BOOTSTRAP_TOKEN],
      dryRun: "scalar",
      nodeRegistration: NODE_REGISTRATION,
      localAPIEndpoint: API_ENDPOINT,
      certificateKey: "scalar",
      skipPhases: ["scalar"],
      patches: PATCHES,
      timeouts: TIMEOUTS,
    },
  },
  ClusterConfiguration: {
    apiVersion: "kubeadm.k8s.io/v1beta4",
    fields: {
      ...TYPE_META,
      etcd: ETCD,
      networking: { serviceSubnet: "scalar", podSubnet: "scalar", dnsDomain: "scalar" },
      kubernetesVersion: "scalar",
      controlPlaneEndpoint: "scalar",
      apiServer: { ...CONTROL_PLANE_COMPONENT, certSANs: ["scalar"] },
      controllerManager: CONTROL_PLANE_COMPONENT,
      scheduler: CONTROL_PLANE_COMPONENT,
      dns: { ...IMAGE_META, disabled: "scalar" },
      proxy: { disabled: "scalar" },
      certificatesDir: "scalar",
      imageRepository: "scalar",
      featureGates: "map",
      clusterName: "scalar",
      encryptionAlgorithm: "scalar",
      certificateValidityPeriod: "duration",
      caCertificateValidityPeriod: "duration",
    },
  },
  JoinConfiguration: {
    apiVersion: "kubeadm.k8s.io/v1beta4",
    fields: {
      ...TYPE_META,
      dryRun: "scalar",
      nodeRegistration: NODE_REGISTRATION,
      caCertPath: "scalar",
      discovery: {
        bootstrapToken: { token: "scalar", apiServerEndpoint: "scalar", caCertHashes: ["scalar"], unsafeSkipCAVerification: "scalar" },
        file: { kubeConfigPath: "scalar" },
        tlsBootstrapToken: "scalar",
      },
      controlPlane: { localAPIEndpoint: API_ENDPOINT, certificateKey: "scalar" },
      skipPhases: ["scalar"],
      patches: PATCHES,
      timeouts: TIMEOUTS,
    },
  },
  KubeletConfiguration: { apiVersion: "kubelet.config.k8s.io/v1beta1", fields: KUBELET },
};

/** API groups whose documents must all be covered by `UPSTREAM`. */
export const UPSTREAM_GROUPS: readonly string[] = ["kubeadm.k8s.io", "kubelet.config.k8s.io", "kubeproxy.config.k8s.io"];

/** Go's `time.ParseDuration` syntax, which `metav1.Duration` unmarshals with. */
const GO_DURATION = /^(0|(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$/;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
/** `Array.isArray` does not narrow a readonly tuple out of a union. */
const isListOf = (field: Field): field is readonly [Field] => Array.isArray(field);
const isScalar = (value: unknown): boolean => value === null || ["string", "number", "boolean"].includes(typeof value);

/** Every key path of `value` that `field` does not allow, as `<path>: <problem>`. */
export function fieldProblems(value: unknown, field: Field, path: string): string[] {
  if (isListOf(field)) {
    if (!Array.isArray(value)) return [`${path}: upstream has a list here (got ${JSON.stringify(value)})`];
    return value.flatMap((item, i) => fieldProblems(item, field[0], `${path}[${i}]`));
  }
  if (field === "scalar") return isScalar(value) ? [] : [`${path}: upstream has a scalar here (got ${JSON.stringify(value)})`];
  if (field === "duration") return typeof value === "string" && GO_DURATION.test(value) ? [] : [`${path}: not a Go duration (got ${JSON.stringify(value)})`];
  if (field === "map") {
    if (!isObject(value)) return [`${path}: upstream has a map here (got ${JSON.stringify(value)})`];
    return Object.entries(value).filter(([, v]) => !isScalar(v) && !(Array.isArray(v) && v.every(isScalar))).map(([k]) => `${path}.${k}: map values are scalars`);
  }
  if (field === "unlisted") return [`${path}: its upstream fields are not written down in tests/infra/vsphere/kubeadm-upstream.ts; add them from the Go type first`];
  if (!isObject(value)) return [`${path}: upstream has a struct here (got ${JSON.stringify(value)})`];
  return Object.entries(value).flatMap(([key, child]) => {
    const childField = field[key];
    return childField === undefined ? [`${path}.${key}: not an upstream field`] : fieldProblems(child, childField, `${path}.${key}`);
  });
}

/** Problems of one rendered document: an unknown kind in an upstream group, a wrong apiVersion, or a field outside the allow-list. */
export function documentProblems(doc: Record<string, unknown>, where: string): string[] {
  const kind = String(doc["kind"]);
  const entry = (UPSTREAM as Readonly<Record<string, (typeof UPSTREAM)[UpstreamKind] | undefined>>)[kind];
  if (entry === undefined) return [`${where}: kind ${kind} has no upstream field table`];
  if (doc["apiVersion"] !== entry.apiVersion) return [`${where}: ${kind} must be ${entry.apiVersion} (got ${String(doc["apiVersion"])})`];
  return fieldProblems(doc, entry.fields, `${where} ${kind}`);
}
