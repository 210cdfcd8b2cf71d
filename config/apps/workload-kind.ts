/**
 * `strata:apps.services.<name>.kind` and the keys only some kinds take: what runs the pods.
 * - `service` (default): a Deployment behind a Service, optionally routed; what strata always did.
 * - `worker`: a Deployment with no port, Service, route or HTTP probe (queue consumers, stream
 *   processors); it scales on CPU/memory (HPA) or, through KEDA, on Kafka consumer lag
 *   (`autoscaling.kafkaLag`) or RabbitMQ queue length (`autoscaling.queueLength`).
 * - `cronjob`: a CronJob on `schedule`.
 * - `job`: a Job run once per release: its name carries a digest of the image and the pod's
 *   configuration, so a changed release runs it again (`job`).
 *
 * The schedule follows the CronJob's `.spec.schedule` syntax (kubernetes.io/docs/concepts/
 * workloads/controllers/cron-jobs, "Schedule syntax"): five fields, `*`, `?` (same as `*`),
 * lists, ranges and `/` steps, month and weekday names, and the `@yearly`…`@hourly` macros; a
 * time zone goes in `timeZone`, never as `TZ=`/`CRON_TZ=` in the schedule (the same page: the API
 * server refuses those). A CronJob's name may be 52 characters at most (same page: the controller
 * appends 11 to name each Job).
 */
import { z } from "zod";
import { count, strictObject } from "../common";

export const WORKLOAD_KINDS = ["service", "worker", "cronjob", "job"] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export const workloadKind = z
  .enum(WORKLOAD_KINDS)
  .default("service")
  .describe("What runs the pods: `service` (Deployment + Service, HTTP), `worker` (Deployment, no port: queue consumers), `cronjob` (on `schedule`) or `job` (once per release). See apps/README.md, Workload kinds.");

/** Longest CronJob name: the controller appends 11 characters to name a Job (63 at most). */
export const CRONJOB_NAME_MAX = 52;

const MACROS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
/** Each field's bounds and names, in schedule order. */
const FIELDS = [
  { name: "minute", min: 0, max: 59, names: [] as string[] },
  { name: "hour", min: 0, max: 23, names: [] as string[] },
  { name: "day of month", min: 1, max: 31, names: [] as string[] },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day of week", min: 0, max: 6, names: WEEKDAYS },
] as const;

function fieldValue(token: string, field: (typeof FIELDS)[number]): number | undefined {
  const named = field.names.indexOf(token.toLowerCase());
  if (named >= 0) return named + field.min;
  if (!/^\d+$/.test(token)) return undefined;
  const value = Number(token);
  return value >= field.min && value <= field.max ? value : undefined;
}

/** Why a five-field schedule or macro is not one the CronJob controller accepts; undefined when it is. */
export function cronProblem(schedule: string): string | undefined {
  const trimmed = schedule.trim();
  if (/^(CRON_)?TZ=/.test(trimmed)) return "must not set a time zone in the schedule; use schedule.timeZone";
  if (trimmed.startsWith("@")) return MACROS.includes(trimmed) ? undefined : `is not a schedule macro (use one of ${MACROS.join(", ")})`;
  const parts = trimmed.split(/\s+/);
  if (parts.length !== FIELDS.length) return `must have 5 fields (minute hour day-of-month month day-of-week), has ${parts.length}`;
  for (const [i, part] of parts.entries()) {
    const field = FIELDS[i]!;
    for (const item of part.split(",")) {
      const [range = "", step, extra] = item.split("/");
      if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step))) return `${field.name} "${part}": a step is /<positive number>`;
      if (range === "*" || range === "?") continue;
      const [from = "", to, more] = range.split("-");
      const low = fieldValue(from, field);
      const high = to === undefined ? low : fieldValue(to, field);
      if (more !== undefined || low === undefined || high === undefined || high < low) return `${field.name} "${part}": use ${field.min}-${field.max}${field.names.length > 0 ? ` or ${field.names.join("|")}` : ""}, *, lists, ranges and /steps`;
    }
  }
  return undefined;
}

/** IANA time zone names as the CronJob's `timeZone` takes them (`Europe/Vienna`, `UTC`). */
const TIME_ZONE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

/** Keys of a Job's own spec, shared by `cronjob` (per run) and `job`. */
const jobRun = {
  activeDeadlineSeconds: count(1).optional().describe("Seconds a run may take before Kubernetes ends it (the Job fails). Default: no limit."),
  backoffLimit: count(0).default(6).describe("Retries of a failed pod before the run counts as failed (Kubernetes' default 6)."),
  parallelism: count(1).default(1).describe("Pods a run starts at once (the capacity check counts them)."),
};

export const ScheduleConfig = strictObject({
  cron: z
    .string()
    .min(1)
    .superRefine((value, ctx) => {
      const problem = cronProblem(value);
      if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
    })
    .describe("When the job runs, in cron syntax: `0 2 * * *` (02:00 daily), or a macro such as `@daily`."),
  timeZone: z.string().regex(TIME_ZONE, { error: "must be an IANA time zone name such as Europe/Vienna or UTC" }).optional().describe("Time zone of `cron`. Default: the kube-controller-manager's (UTC on kubeadm and EKS)."),
  concurrencyPolicy: z.enum(["Forbid", "Allow", "Replace"]).default("Forbid").describe("A run due while the previous one still runs: `Forbid` skips it, `Allow` runs both, `Replace` stops the old one."),
  successfulJobsHistoryLimit: count(0).default(3).describe("Finished successful runs kept (their pods' logs too)."),
  failedJobsHistoryLimit: count(0).default(1).describe("Failed runs kept."),
  startingDeadlineSeconds: count(1).optional().describe("Seconds after its time a missed run may still start (after a controller outage); later, it is skipped. Default: no deadline."),
  ...jobRun,
});
export type ScheduleSpec = z.infer<typeof ScheduleConfig>;

export const JobRunConfig = strictObject({
  ...jobRun,
  ttlSecondsAfterFinished: count(0)
    .optional()
    .describe("Seconds after it finishes that Kubernetes deletes the Job and its pods. Default: kept until the next release replaces it (a Job deleted this way runs again on `pulumi up --refresh`)."),
});
export type JobRunSpec = z.infer<typeof JobRunConfig>;

/** `autoscaling.kafkaLag`: KEDA's `kafka` scaler on a consumer group's lag. */
const kafkaLag = strictObject({
  topic: z.string().regex(/^[a-zA-Z0-9._-]{1,249}$/, { error: "must be a Kafka topic name: letters, digits, '.', '_', '-'" }).describe("Topic whose lag is measured."),
  consumerGroup: z.string().min(1).describe("Consumer group the workers commit offsets as."),
  lagThreshold: count(1).default(10).describe("Lag per pod KEDA keeps (its `lagThreshold`, default 10)."),
  activationLagThreshold: count(0).default(0).describe("Lag above which KEDA wakes the workload from 0 pods (its `activationLagThreshold`)."),
});
export type KafkaLagSpec = z.infer<typeof kafkaLag>;

/** `autoscaling.queueLength`: KEDA's `rabbitmq` scaler in `QueueLength` mode. */
const queueLength = strictObject({
  queue: z.string().min(1).describe("RabbitMQ queue whose ready messages are counted."),
  messagesPerPod: count(1).describe("Messages waiting per pod KEDA keeps (the scaler's `value`)."),
  activationValue: count(0).default(0).describe("Messages above which KEDA wakes the workload from 0 pods."),
});
export type QueueLengthSpec = z.infer<typeof queueLength>;

/** Keys spread into `autoscaling` (workers only): broker-driven targets KEDA reads itself. */
export const queueScaling = {
  kafkaLag: kafkaLag.optional().describe("Worker only: scale on the consumer group's lag on a topic (KEDA `kafka` scaler, through the app's Kafka credentials and CA); needs `uses: [kafka]` and strata:platform.keda."),
  queueLength: queueLength.optional().describe("Worker only: scale on a RabbitMQ queue's length (KEDA `rabbitmq` scaler, through the app's RabbitMQ user); needs `uses: [rabbitmq]` and strata:platform.keda."),
};
