/** The CronJob of a `cronjob`, or the Job of a `job`, declared from the pure builders in `batch.ts`. */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { AppServiceSpec } from "../../config/apps/service";
import { cronJobManifest, jobManifest, jobNameOf } from "./batch";

type Meta = { readonly name: string; readonly namespace: string; readonly labels: Readonly<Record<string, string>> };
type Template = Parameters<typeof jobManifest>[2];

/** Pulumi's default wait for a Job to complete (batch/v1/job.d.ts); a longer deadline extends it. */
const DEFAULT_JOB_WAIT_SECONDS = 600;

export function declareBatch(name: string, meta: Meta, spec: AppServiceSpec, template: Template, opts: pulumi.CustomResourceOptions): void {
  if (spec.kind === "cronjob") {
    if (spec.schedule === undefined) throw new Error(`AppService ${name}: a cronjob without a schedule reached rendering`);
    new k8s.batch.v1.CronJob(`${name}-cronjob`, cronJobManifest(meta, spec.schedule, template), opts);
    return;
  }
  const deadline = spec.job?.activeDeadlineSeconds;
  // `pulumi up` waits for the Job: give it the run's deadline (and a minute to schedule) when that is longer.
  const wait = deadline === undefined || deadline < DEFAULT_JOB_WAIT_SECONDS ? {} : { customTimeouts: { create: `${deadline + 60}s`, update: `${deadline + 60}s` } };
  new k8s.batch.v1.Job(`${name}-job`, jobManifest({ ...meta, name: jobNameOf(name, spec) }, spec.job, template), { ...opts, ...wait });
}
