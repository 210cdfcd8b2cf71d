/**
 * Pod security for every workload strata declares: no privileged containers, no host namespaces,
 * host ports or hostPath, non-root, read-only root filesystem, no added capabilities beyond
 * `ALLOWED_ADDED_CAPABILITIES`, a confined seccomp profile. Named system components are exempt per
 * `allow-list.ts`.
 */
import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { ALLOWED_ADDED_CAPABILITIES, exceptionFor, type Exception } from "./allow-list";
import { containersOf, describe, workloadOf, type Obj, type Workload } from "./workloads";
import { withStrataKey } from "./strata-keys";

type Check = (workload: Workload, report: (message: string) => void) => void;

function workloadPolicy(name: string, description: string, exception: Exception, check: Check): ResourceValidationPolicy {
  return {
    name,
    description,
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      const workload = workloadOf(args.type, args.props);
      if (workload === undefined || exceptionFor(workload.namespace, workload.name, exception) !== undefined) return;
      check(workload, (message) => reportViolation(`${workload.kind} ${workload.namespace}/${workload.name}: ${withStrataKey(workload, message)}`));
    },
  };
}

function flag(context: Obj | undefined, key: string): unknown {
  return context?.[key];
}

export const noPrivileged = workloadPolicy("k8s-no-privileged-containers", "Containers must not run privileged or allow privilege escalation.", "privileged", (workload, report) => {
  for (const entry of containersOf(workload.pod)) {
    if (flag(entry.container.securityContext, "privileged") === true) report(`${describe(entry)} is privileged; drop securityContext.privileged`);
    if (flag(entry.container.securityContext, "allowPrivilegeEscalation") !== false) report(`${describe(entry)} must set securityContext.allowPrivilegeEscalation: false`);
  }
});

export const noHostNamespaces = workloadPolicy("k8s-no-host-namespaces", "Pods must not share the node's network, PID or IPC namespace.", "hostNamespaces", (workload, report) => {
  for (const key of ["hostNetwork", "hostPID", "hostIPC"] as const) {
    if (workload.pod[key] === true) report(`spec.${key} is true; pods share the node's namespaces only through the allow-list`);
  }
});

export const noHostPath = workloadPolicy("k8s-no-host-path", "Pods must not mount hostPath volumes.", "hostPath", (workload, report) => {
  for (const volume of workload.pod.volumes ?? []) {
    if (volume["hostPath"] !== undefined) report(`volume "${String(volume["name"])}" is a hostPath; use a PersistentVolumeClaim, emptyDir or projected volume`);
  }
});

export const runAsNonRoot = workloadPolicy("k8s-run-as-non-root", "Containers must run as a non-root user.", "runAsRoot", (workload, report) => {
  const pod = workload.pod.securityContext;
  for (const entry of containersOf(workload.pod)) {
    const own = entry.container.securityContext;
    const nonRoot = flag(own, "runAsNonRoot") ?? flag(pod, "runAsNonRoot");
    const user = flag(own, "runAsUser") ?? flag(pod, "runAsUser");
    if (user === 0) report(`${describe(entry)} sets runAsUser: 0`);
    else if (nonRoot !== true && !(typeof user === "number" && user > 0)) report(`${describe(entry)} must set runAsNonRoot: true (container or pod securityContext) or a non-zero runAsUser`);
  }
});

export const readOnlyRootFilesystem = workloadPolicy(
  "k8s-read-only-root-filesystem",
  "Containers must mount their root filesystem read-only.",
  "writableRootFilesystem",
  (workload, report) => {
    for (const entry of containersOf(workload.pod)) {
      if (flag(entry.container.securityContext, "readOnlyRootFilesystem") !== true) report(`${describe(entry)} must set securityContext.readOnlyRootFilesystem: true (write to an emptyDir instead)`);
    }
  },
);

export const noHostPorts = workloadPolicy("k8s-no-host-ports", "Containers must not bind ports on the node (hostPort).", "hostPorts", (workload, report) => {
  for (const entry of containersOf(workload.pod)) {
    const ports = Array.isArray(entry.container["ports"]) ? (entry.container["ports"] as Obj[]) : [];
    for (const port of ports.filter((p) => p["hostPort"] !== undefined && p["hostPort"] !== 0)) {
      report(`${describe(entry)} binds hostPort ${String(port["hostPort"])}; expose it through a Service, or only through the allow-list`);
    }
  }
});

/** Capabilities a container adds beyond what every container may add. */
export function addedCapabilitiesBeyondAllowed(securityContext: Obj | undefined): string[] {
  const capabilities = securityContext?.["capabilities"];
  const added = capabilities !== null && typeof capabilities === "object" && Array.isArray((capabilities as Obj)["add"]) ? ((capabilities as Obj)["add"] as unknown[]).map(String) : [];
  return added.filter((c) => !ALLOWED_ADDED_CAPABILITIES.includes(c.replace(/^CAP_/, "")));
}

export const noAddedCapabilities = workloadPolicy(
  "k8s-no-added-capabilities",
  `Containers must not add Linux capabilities beyond ${ALLOWED_ADDED_CAPABILITIES.join(", ")}.`,
  "addedCapabilities",
  (workload, report) => {
    for (const entry of containersOf(workload.pod)) {
      const extra = addedCapabilitiesBeyondAllowed(entry.container.securityContext);
      if (extra.length > 0) report(`${describe(entry)} adds capabilities ${extra.join(", ")}; only ${ALLOWED_ADDED_CAPABILITIES.join(", ")} may be added (others through the allow-list)`);
    }
  },
);

/** Seccomp profile types that confine a container (`Unconfined`, or none at all, do not). */
export const CONFINED_SECCOMP_TYPES: readonly string[] = ["RuntimeDefault", "Localhost"];

function seccompType(context: Obj | undefined): unknown {
  const profile = context?.["seccompProfile"];
  return profile !== null && typeof profile === "object" ? (profile as Obj)["type"] : undefined;
}

export const seccompConfined = workloadPolicy(
  "k8s-seccomp-confined",
  "Every container runs under a RuntimeDefault or Localhost seccomp profile, set on the container or the pod.",
  "unconfinedSeccomp",
  (workload, report) => {
    const podType = seccompType(workload.pod.securityContext);
    for (const entry of containersOf(workload.pod)) {
      // The container's own profile overrides the pod's (PodSecurityContext.seccompProfile, core/v1).
      const effective = seccompType(entry.container.securityContext) ?? podType;
      if (typeof effective !== "string" || !CONFINED_SECCOMP_TYPES.includes(effective)) {
        report(`${describe(entry)} runs ${effective === undefined ? "with no seccomp profile" : `with seccomp profile ${JSON.stringify(effective)}`}; set securityContext.seccompProfile.type: RuntimeDefault (pod or container)`);
      }
    }
  },
);
