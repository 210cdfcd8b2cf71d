/**
 * What makes a workload schedulable and observable: resource requests and limits, pinned images,
 * readiness and liveness probes.
 */
import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { containersOf, describe, isObj, workloadOf, type Workload } from "./workloads";
import { withStrataKey } from "./strata-keys";

type Check = (workload: Workload, report: (message: string) => void, config: Readonly<Record<string, unknown>>) => void;

function workloadPolicy(name: string, description: string, check: Check, configSchema?: ResourceValidationPolicy["configSchema"]): ResourceValidationPolicy {
  return {
    name,
    description,
    ...(configSchema === undefined ? {} : { configSchema }),
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      const workload = workloadOf(args.type, args.props);
      if (workload === undefined) return;
      check(workload, (message) => reportViolation(`${workload.kind} ${workload.namespace}/${workload.name}: ${withStrataKey(workload, message)}`), args.getConfig<Record<string, unknown>>());
    },
  };
}

export const resourcesSet = workloadPolicy(
  "k8s-resources-set",
  "Containers must request CPU and memory and set a memory limit (a CPU limit too when requireCpuLimit is set).",
  (workload, report, config) => {
    const requireCpuLimit = config["requireCpuLimit"] === true;
    for (const entry of containersOf(workload.pod)) {
      const requests = isObj(entry.container.resources?.requests) ? entry.container.resources.requests : {};
      const limits = isObj(entry.container.resources?.limits) ? entry.container.resources.limits : {};
      const missing = [
        ...(requests["cpu"] === undefined ? ["requests.cpu"] : []),
        ...(requests["memory"] === undefined ? ["requests.memory"] : []),
        ...(limits["memory"] === undefined ? ["limits.memory"] : []),
        ...(requireCpuLimit && limits["cpu"] === undefined ? ["limits.cpu"] : []),
      ];
      if (missing.length > 0) report(`${describe(entry)} has no resources.${missing.join(", resources.")}`);
    }
  },
  { properties: { requireCpuLimit: { type: "boolean", default: false, description: "Also require limits.cpu (off: CPU limits throttle latency-sensitive services)." } } },
);

/** `repo/name:tag` or `repo/name@sha256:...`; a port in the registry host is not a tag. */
export function imageProblem(image: string | undefined): string | undefined {
  if (image === undefined || image === "") return "has no image";
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return undefined;
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.lastIndexOf(":");
  if (colon < 0) return `image "${image}" has no tag; pin a version or digest`;
  if (lastSegment.slice(colon + 1) === "latest") return `image "${image}" uses the floating tag latest; pin a version or digest`;
  return undefined;
}

export const pinnedImages = workloadPolicy("k8s-pinned-images", "Images must carry a version tag or digest, never latest or no tag.", (workload, report) => {
  for (const entry of containersOf(workload.pod)) {
    const problem = imageProblem(entry.container.image);
    if (problem !== undefined) report(`${describe(entry)} ${problem}`);
  }
});

/** True when the image names its content by digest (`…@sha256:<64 hex>`), with or without a tag. */
export function hasDigest(image: string | undefined): boolean {
  return image !== undefined && /@sha256:[0-9a-f]{64}$/.test(image);
}

/**
 * A tag can be re-pushed; a digest cannot. Separate from `k8s-pinned-images` so each environment
 * chooses its level: disabled in dev and staging, a warning in prod (advisory with `warnOnly`:
 * reported by every preview and by `npm run policy`, never blocking; policy/README.md says why).
 */
export const imageDigests = workloadPolicy(
  "k8s-image-digests",
  "Images carry a digest (`@sha256:`), so a re-pushed tag cannot change what runs.",
  (workload, report) => {
    for (const entry of containersOf(workload.pod)) {
      const image = entry.container.image;
      if (imageProblem(image) === undefined && !hasDigest(image)) report(`${describe(entry)} image "${String(image)}" has a tag but no digest; pin it as <image>:<tag>@sha256:<digest>`);
    }
  },
  { properties: { warnOnly: { type: "boolean", default: false, description: "A warning: `npm run policy -- --fail-on advisory` prints these findings but does not fail on them." } } },
);

export const probesPresent = workloadPolicy("k8s-probes-present", "Long-running workloads must define readiness and liveness probes on every container.", (workload, report) => {
  if (!workload.longRunning) return;
  for (const entry of containersOf(workload.pod).filter((e) => !e.init)) {
    const missing = [...(entry.container.readinessProbe === undefined ? ["readinessProbe"] : []), ...(entry.container.livenessProbe === undefined ? ["livenessProbe"] : [])];
    if (missing.length > 0) report(`${describe(entry)} has no ${missing.join(" or ")}`);
  }
});
