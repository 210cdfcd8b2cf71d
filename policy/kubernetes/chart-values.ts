/**
 * The pods Helm charts render are not Pulumi resources, so the workload policies never see them.
 * What strata controls is the release's values: this policy reads them. Every chart strata installs
 * is described in `CHART_PODS` (the values path of each pod component's resources); a component
 * whose resources strata leaves to the chart needs an entry in `CHART_DEFAULT_EXCEPTIONS`
 * (allow-list.ts) naming the chart's own default. Any securityContext strata sets in values must
 * not weaken the pod (privileged, privilege escalation, root, added capabilities, no seccomp).
 */
import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { ALLOWED_ADDED_CAPABILITIES, chartDefaultExceptionFor } from "./allow-list";
import { addedCapabilitiesBeyondAllowed, CONFINED_SECCOMP_TYPES } from "./pod-security";
import { isObj, type Obj } from "./workloads";

export const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
/** CRD charts strata renders with `kubernetes.helm.v4.Chart` (lib/helm.ts `crdChart`). */
export const HELM_CHART = "kubernetes:helm.sh/v4:Chart";

/** A pod-running component of a chart and where its container resources sit in the chart's values. */
export interface ChartPod {
  /** Component name, as the allow-list names it. */
  readonly component: string;
  /** Dotted values path of the component's `resources` (requests and limits). */
  readonly resources: string;
  /** Dotted values path of a boolean that turns the component off; unchecked when strata sets it false. */
  readonly enabledBy?: string;
}

/**
 * The pod components of each chart strata installs (`lib/catalog.ts`), with the values paths from
 * the chart's values.yaml at the pinned version. A chart that installs only CRDs runs no pods.
 */
export const CHART_PODS: Readonly<Record<string, readonly ChartPod[]>> = {
  "crd.projectcalico.org.v1": [],
  "karpenter-crd": [],
  "gateway-crds-helm": [],
  base: [],
  istiod: [{ component: "istiod", resources: "resources" }],
  cni: [{ component: "istio-cni", resources: "resources" }],
  ztunnel: [{ component: "ztunnel", resources: "resources" }],
  "tigera-operator": [{ component: "operator", resources: "resources" }],
  metallb: [
    { component: "controller", resources: "controller.resources" },
    { component: "speaker", resources: "speaker.resources" },
  ],
  "gateway-helm": [{ component: "envoy-gateway", resources: "deployment.envoyGateway.resources" }],
  "cert-manager": [
    { component: "controller", resources: "resources" },
    { component: "webhook", resources: "webhook.resources" },
    { component: "cainjector", resources: "cainjector.resources" },
  ],
  "metrics-server": [{ component: "metrics-server", resources: "resources" }],
  karpenter: [{ component: "controller", resources: "controller.resources" }],
  "aws-load-balancer-controller": [{ component: "controller", resources: "resources" }],
  "local-path-provisioner": [{ component: "provisioner", resources: "resources" }],
  "vsphere-cpi": [{ component: "cloud-controller-manager", resources: "daemonset.resources" }],
  "kubelet-csr-approver": [{ component: "approver", resources: "resources" }],
  "cluster-autoscaler": [{ component: "cluster-autoscaler", resources: "resources" }],
  "k6-operator": [{ component: "controller", resources: "manager.resources" }],
  "vertical-pod-autoscaler": [
    { component: "recommender", resources: "recommender.resources", enabledBy: "recommender.enabled" },
    { component: "updater", resources: "updater.resources", enabledBy: "updater.enabled" },
    { component: "admission-controller", resources: "admissionController.resources", enabledBy: "admissionController.enabled" },
  ],
  "cloudnative-pg": [{ component: "operator", resources: "resources" }],
  "plugin-barman-cloud": [{ component: "plugin", resources: "resources" }],
  "redis-ha": [
    { component: "redis", resources: "redis.resources" },
    { component: "sentinel", resources: "sentinel.resources" },
    { component: "haproxy", resources: "haproxy.resources", enabledBy: "haproxy.enabled" },
  ],
  seaweedfs: [
    { component: "master", resources: "master.resources" },
    { component: "volume", resources: "volume.resources" },
    { component: "filer", resources: "filer.resources" },
    { component: "s3", resources: "s3.resources", enabledBy: "s3.enabled" },
  ],
  velero: [
    { component: "server", resources: "resources" },
    { component: "node-agent", resources: "nodeAgent.resources", enabledBy: "deployNodeAgent" },
  ],
  "kube-prometheus-stack": [
    { component: "prometheus", resources: "prometheus.prometheusSpec.resources" },
    { component: "alertmanager", resources: "alertmanager.alertmanagerSpec.resources" },
    { component: "operator", resources: "prometheusOperator.resources" },
    { component: "grafana", resources: "grafana.resources", enabledBy: "grafana.enabled" },
    { component: "kube-state-metrics", resources: "kube-state-metrics.resources", enabledBy: "kubeStateMetrics.enabled" },
    { component: "node-exporter", resources: "prometheus-node-exporter.resources", enabledBy: "nodeExporter.enabled" },
  ],
  loki: [{ component: "single-binary", resources: "singleBinary.resources" }],
  alloy: [{ component: "alloy", resources: "alloy.resources" }],
  "opentelemetry-collector": [{ component: "collector", resources: "resources" }],
  tempo: [{ component: "tempo", resources: "tempo.resources" }],
  "ps-operator": [{ component: "operator", resources: "resources" }],
  "psmdb-operator": [{ component: "operator", resources: "resources" }],
  "strimzi-kafka-operator": [{ component: "operator", resources: "resources" }],
  "external-secrets": [
    { component: "controller", resources: "resources" },
    { component: "webhook", resources: "webhook.resources" },
    { component: "cert-controller", resources: "certController.resources" },
  ],
  // Reloader's pod: deployment.resources (chart-v2.2.16 deployments/kubernetes/chart/reloader/values.yaml).
  reloader: [{ component: "reloader", resources: "reloader.deployment.resources" }],
  keda: [
    { component: "operator", resources: "resources.operator" },
    { component: "metrics-server", resources: "resources.metricServer" },
    { component: "webhooks", resources: "resources.webhooks" },
  ],
};

/** The chart folder name of a release's `chart` input (`cert-manager`, `repo/cert-manager`, `oci://…/cert-manager`). */
export function chartNameOf(chart: unknown): string {
  const trimmed = (typeof chart === "string" ? chart : "").replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

export function valueAt(values: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((acc, key) => (isObj(acc) ? acc[key] : undefined), values);
}

/** The requests and limits a resources block lacks (CPU and memory requests, memory limit). */
export function missingResources(resources: unknown): string[] {
  const block = isObj(resources) ? resources : {};
  const requests = isObj(block["requests"]) ? block["requests"] : {};
  const limits = isObj(block["limits"]) ? block["limits"] : {};
  return [...(requests["cpu"] === undefined ? ["requests.cpu"] : []), ...(requests["memory"] === undefined ? ["requests.memory"] : []), ...(limits["memory"] === undefined ? ["limits.memory"] : [])];
}

/** Every object in the values under a key ending in `securityContext` (pod or container level), with its path. */
export function securityContextsIn(values: unknown, path = ""): { readonly path: string; readonly context: Obj }[] {
  if (Array.isArray(values)) return values.flatMap((v, i) => securityContextsIn(v, `${path}[${i}]`));
  if (!isObj(values)) return [];
  return Object.entries(values).flatMap(([key, value]) => {
    const here = path === "" ? key : `${path}.${key}`;
    return /securitycontext$/i.test(key) && isObj(value) ? [{ path: here, context: value }, ...securityContextsIn(value, here)] : securityContextsIn(value, here);
  });
}

/** How a securityContext strata sets weakens the pod, one phrase per problem. */
export function weakenings(context: Obj): string[] {
  const seccomp = isObj(context["seccompProfile"]) ? context["seccompProfile"]["type"] : undefined;
  const added = addedCapabilitiesBeyondAllowed(context);
  return [
    ...(context["privileged"] === true ? ["privileged: true"] : []),
    ...(context["allowPrivilegeEscalation"] === true ? ["allowPrivilegeEscalation: true"] : []),
    ...(context["runAsUser"] === 0 ? ["runAsUser: 0"] : []),
    ...(context["runAsNonRoot"] === false ? ["runAsNonRoot: false"] : []),
    ...(added.length > 0 ? [`capabilities.add ${added.join(", ")} (only ${ALLOWED_ADDED_CAPABILITIES.join(", ")} may be added)`] : []),
    ...(typeof seccomp === "string" && !CONFINED_SECCOMP_TYPES.includes(seccomp) ? [`seccompProfile.type: ${seccomp}`] : []),
  ];
}

export const chartValuesHardened: ResourceValidationPolicy = {
  name: "k8s-chart-values-hardened",
  description: "Helm releases: every pod component of the chart has CPU and memory requests and a memory limit (set by strata or an allow-listed chart default), and no securityContext strata sets weakens the pod.",
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (args.type !== HELM_RELEASE && args.type !== HELM_CHART) return;
    const chart = chartNameOf(args.props["chart"]);
    const release = `Helm release ${String(args.props["namespace"] ?? "default")}/${String(args.props["name"] ?? chart)} (chart ${chart})`;
    const values = isObj(args.props["values"]) ? args.props["values"] : {};
    const pods = CHART_PODS[chart];
    if (pods === undefined) {
      reportViolation(`${release}: the chart's pod components are not described; add them to CHART_PODS in policy/kubernetes/chart-values.ts`);
      return;
    }
    for (const pod of pods) {
      if (pod.enabledBy !== undefined && valueAt(values, pod.enabledBy) === false) continue;
      const missing = missingResources(valueAt(values, pod.resources));
      if (missing.length === 0 || chartDefaultExceptionFor(chart, pod.component) !== undefined) continue;
      reportViolation(`${release}: component ${pod.component} has no ${missing.map((m) => `${pod.resources}.${m}`).join(", ")}; set them in the release values, or allow-list the chart default in CHART_DEFAULT_EXCEPTIONS`);
    }
    for (const { path, context } of securityContextsIn(values)) {
      for (const problem of weakenings(context)) reportViolation(`${release}: values ${path} sets ${problem}`);
    }
  },
};
