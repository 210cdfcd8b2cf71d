/**
 * Pod security for every workload strata declares: no privileged containers, no host namespaces or
 * hostPath, non-root, read-only root filesystem. Named system components are exempt per
 * `allow-list.ts`.
 */
import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { exceptionFor, type Exception } from "./allow-list";
import { containersOf, describe, workloadOf, type Obj, type Workload } from "./workloads";

type Check = (workload: Workload, report: (message: string) => void) => void;

function workloadPolicy(name: string, description: string, exception: Exception, check: Check): ResourceValidationPolicy {
  return {
    name,
    description,
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      const workload = workloadOf(args.type, args.props);
      if (workload === undefined || exceptionFor(workload.namespace, workload.name, exception) !== undefined) return;
      check(workload, (message) => reportViolation(`${workload.kind} ${workload.namespace}/${workload.name}: ${message}`));
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
