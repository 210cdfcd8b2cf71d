/**
 * Pure: the CronJob of a `cronjob` and the Job of a `job`, around the same hardened pod template
 * the Deployment of a service gets (`deployment.ts`: non-root, read-only root, no capabilities,
 * RuntimeDefault seccomp, the env and secret wiring, Kafka's CA), with `restartPolicy: Never` so
 * each retry is a new pod whose predecessor's logs stay readable (`backoffLimit` counts them).
 *
 * A `job` runs once per release: its name ends in a digest of the spec (image, command, env,
 * wiring, resources), so a changed release is a new Job (Pulumi replaces it and waits for it to
 * complete, failing the update if it fails: @pulumi/kubernetes 4.34.2 batch/v1/job.d.ts), and an
 * unchanged one is left alone. Secret values are not in the digest: a rotated password does not
 * run the job again.
 */
import { createHash } from "node:crypto";
import type * as k8sInput from "@pulumi/kubernetes/types/input";
import type { AppServiceSpec } from "../../config/apps/service";
import type { JobRunSpec, ScheduleSpec } from "../../config/apps/workload-kind";

/** Hex digits of the spec digest in a Job's name. */
export const JOB_DIGEST_LENGTH = 8;

/** The Job's name for this release of the spec: `<name>-<digest>`. */
export function jobNameOf(name: string, spec: AppServiceSpec): string {
  return `${name}-${createHash("sha256").update(JSON.stringify(spec)).digest("hex").slice(0, JOB_DIGEST_LENGTH)}`;
}

/** A Deployment's pod template, as `deploymentManifest` returns it. */
interface PodTemplate {
  readonly metadata: k8sInput.meta.v1.ObjectMeta;
  readonly spec: k8sInput.core.v1.PodSpec;
}

type Meta = { readonly name: string; readonly namespace: string; readonly labels: Readonly<Record<string, string>> };

function runPodTemplate(template: PodTemplate) {
  return { metadata: template.metadata, spec: { ...template.spec, restartPolicy: "Never" } };
}

function jobSpec(run: Pick<JobRunSpec, "activeDeadlineSeconds" | "backoffLimit" | "parallelism">, template: PodTemplate) {
  return {
    backoffLimit: run.backoffLimit,
    parallelism: run.parallelism,
    ...(run.activeDeadlineSeconds === undefined ? {} : { activeDeadlineSeconds: run.activeDeadlineSeconds }),
    template: runPodTemplate(template),
  };
}

export function cronJobManifest(meta: Meta, schedule: ScheduleSpec, template: PodTemplate) {
  return {
    metadata: { name: meta.name, namespace: meta.namespace, labels: { ...meta.labels } },
    spec: {
      schedule: schedule.cron,
      ...(schedule.timeZone === undefined ? {} : { timeZone: schedule.timeZone }),
      concurrencyPolicy: schedule.concurrencyPolicy,
      successfulJobsHistoryLimit: schedule.successfulJobsHistoryLimit,
      failedJobsHistoryLimit: schedule.failedJobsHistoryLimit,
      ...(schedule.startingDeadlineSeconds === undefined ? {} : { startingDeadlineSeconds: schedule.startingDeadlineSeconds }),
      jobTemplate: { metadata: { labels: { ...meta.labels } }, spec: jobSpec(schedule, template) },
    },
  };
}

/** `run` defaults to Kubernetes' own (6 retries, one pod, no deadline, kept). */
export function jobManifest(meta: Meta, run: JobRunSpec | undefined, template: PodTemplate) {
  const settings: JobRunSpec = run ?? { backoffLimit: 6, parallelism: 1 };
  return {
    metadata: { name: meta.name, namespace: meta.namespace, labels: { ...meta.labels } },
    spec: {
      ...jobSpec(settings, template),
      ...(settings.ttlSecondsAfterFinished === undefined ? {} : { ttlSecondsAfterFinished: settings.ttlSecondsAfterFinished }),
    },
  };
}
