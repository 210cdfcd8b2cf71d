/**
 * Checks of `strata:apps.services.<name>.kind` against the service's other keys: each kind takes
 * only the keys that mean something for it (a worker has no port to route to, a service no
 * schedule), so a key that would be silently ignored is refused instead.
 */
import { describeValue } from "../errors";
import type { AppServiceSpec } from "./service";
import { CRONJOB_NAME_MAX, type WorkloadKind } from "./workload-kind";

/** Keys only a `service` takes: they describe HTTP traffic to it. */
const HTTP_KEYS = ["port", "servicePort", "route", "release", "slo", "resilience"] as const;

/** Problems of the kind-specific keys of one service, `key` = `strata:apps.services.<name>`. */
export function workloadKindProblems(key: string, name: string, spec: AppServiceSpec): string[] {
  const kind: WorkloadKind = spec.kind;
  const problems: string[] = [];
  const refuse = (field: string, value: unknown, fix: string) => problems.push(`${key}.${field}: a ${kind} has none (got ${describeValue(value)}); ${fix}`);
  if (kind === "service") {
    if (spec.port === undefined) problems.push(`${key}.port: is required for kind service (got nothing); set the container port serving HTTP, or set kind to worker, cronjob or job`);
  } else {
    for (const field of HTTP_KEYS) {
      if (spec[field] !== undefined) refuse(field, spec[field], `remove it, or set kind to service`);
    }
    if (spec.callers.length > 0) refuse("callers", spec.callers, "remove it: nothing can call a pod that serves no port");
    for (const probe of ["liveness", "readiness", "startup"] as const) {
      const value = spec.probes[probe];
      if (value === undefined) continue;
      if (kind !== "worker") refuse(`probes.${probe}`, value, `remove it: a ${kind}'s pods run to completion, and a failed run is retried by backoffLimit`);
      else if (spec.metricsPort === undefined) {
        problems.push(`${key}.probes.${probe}: a worker's probes ask its metrics server, but it has no metricsPort (got ${describeValue(value.path)}); set metricsPort to the port serving ${value.path} and /metrics`);
      }
    }
  }
  if (kind !== "cronjob" && spec.schedule !== undefined) refuse("schedule", spec.schedule, "remove it, or set kind to cronjob");
  if (kind === "cronjob" && spec.schedule === undefined) problems.push(`${key}.schedule: is required for kind cronjob (got nothing); set schedule.cron, e.g. "0 2 * * *"`);
  if (kind === "cronjob" && name.length > CRONJOB_NAME_MAX) {
    problems.push(`${key}: a cronjob's name may have ${CRONJOB_NAME_MAX} characters at most (got ${name.length}); the CronJob controller appends 11 to name each run`);
  }
  if (kind !== "job" && spec.job !== undefined) refuse("job", spec.job, "remove it, or set kind to job");
  if (kind === "cronjob" || kind === "job") {
    if (spec.autoscaling !== undefined) refuse("autoscaling", spec.autoscaling, `remove it: a ${kind} runs ${kind === "cronjob" ? "schedule" : "job"}.parallelism pods`);
    if (spec.minAvailable !== undefined) refuse("minAvailable", spec.minAvailable, "remove it: run-to-completion pods have no disruption budget");
    if (spec.metricsPort !== undefined) refuse("metricsPort", spec.metricsPort, "remove it: Prometheus cannot scrape pods that finish between scrapes; push to the OpenTelemetry collector instead");
  }
  const scaling = spec.autoscaling;
  for (const trigger of ["kafkaLag", "queueLength"] as const) {
    const value = scaling?.[trigger];
    if (value === undefined) continue;
    if (kind !== "worker") problems.push(`${key}.autoscaling.${trigger}: only a worker scales on a queue (got kind ${kind}); set kind to worker, or scale on cpuPercent/requestsPerSecond`);
    const broker = trigger === "kafkaLag" ? "kafka" : "rabbitmq";
    if (!spec.uses.includes(broker)) problems.push(`${key}.autoscaling.${trigger}: reads ${broker} with the app's credentials (got uses ${describeValue(spec.uses)}); add ${broker} to ${key}.uses`);
  }
  return problems;
}

/** Whether the spec scales through KEDA on a broker (Kafka lag or RabbitMQ queue length). */
export function scalesOnQueue(spec: Pick<AppServiceSpec, "autoscaling">): boolean {
  return spec.autoscaling?.kafkaLag !== undefined || spec.autoscaling?.queueLength !== undefined;
}

/** Problems that need strata:platform.keda, when this stack owns the platform layer. */
export function queueScalingContextProblems(key: string, spec: AppServiceSpec, keda: boolean | undefined): string[] {
  if (keda !== false || !scalesOnQueue(spec)) return [];
  const trigger = spec.autoscaling?.kafkaLag !== undefined ? "kafkaLag" : "queueLength";
  return [`${key}.autoscaling.${trigger}: needs KEDA, but strata:platform.keda.enabled is false (got ${describeValue(spec.autoscaling?.[trigger])}); set strata:platform.keda.enabled to true or scale on cpuPercent`];
}
