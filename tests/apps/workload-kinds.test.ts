/**
 * Issue #25: workload kinds. `port` was required, so queue consumers, scheduled reports and
 * one-off jobs could not be expressed; now `kind: worker|cronjob|job` renders them, and keys that
 * make no sense for a kind are refused while config is parsed, each with the exact text.
 */
import { expect } from "chai";
import { parseConfig, type RawConfig } from "../../config/schema";
import { cronProblem } from "../../config/apps/workload-kind";
import { AppServiceConfig } from "../../config/apps/service";
import { validRaw } from "../config/valid-config";
import { problemsOf } from "../config/problems";
import { cronJobManifest, jobManifest, jobNameOf } from "../../apps/service/batch";
import { deploymentManifest } from "../../apps/service/deployment";
import { networkPolicyManifest } from "../../apps/service/network-policy";
import { kafkaAuthValues, kafkaLagTrigger, queueLengthTrigger, triggerAuthenticationManifest } from "../../apps/service/queue-scaling";
import { scaledObjectManifest } from "../../apps/service/scaled-object";
import { maxPods } from "../../apps/capacity/app-demand";

const RESOURCES = { cpuMillis: 250, memoryMi: 256, limitMemoryMi: 512 };
const WORKER = { kind: "worker", image: "ghcr.io/acme/consumer:1.4.2", resources: RESOURCES, uses: ["kafka"] };
const LAG = { minReplicas: 2, maxReplicas: 12, kafkaLag: { topic: "reservations", consumerGroup: "reservation-consumer", lagThreshold: 100 } };
const NIGHTLY = { kind: "cronjob", image: "ghcr.io/acme/report:1.4.2", resources: RESOURCES, schedule: { cron: "0 2 * * *", timeZone: "Europe/Vienna" } };

/** One app `api` on an existing cluster whose platform runs KEDA and Kafka. */
function withApp(api: Record<string, unknown>, platform: Record<string, unknown> = {}): RawConfig {
  return {
    ...validRaw(),
    cluster: { existing: { storageClasses: { default: "standard", database: "fast" } } },
    platform: { keda: { enabled: true }, kafka: { enabled: true, nodePools: { dual: { roles: ["controller", "broker"], replicas: 1 } } }, rabbitmq: { enabled: true, replicas: 1 }, ...platform },
    apps: { services: { api } },
  };
}

const K = "strata:apps.services.api";
const CASES: readonly [string, RawConfig, string][] = [
  ["a service without a port", withApp({ image: "ghcr.io/acme/api:1.4.2", resources: RESOURCES }), `${K}.port: is required for kind service (got nothing); set the container port serving HTTP, or set kind to worker, cronjob or job`],
  ["a port on a worker", withApp({ ...WORKER, port: 8080 }), `${K}.port: a worker has none (got 8080); remove it, or set kind to service`],
  ["callers of a worker", { ...withApp({}), apps: { services: { api: { ...WORKER, callers: ["web"] }, web: { image: "ghcr.io/acme/web:1.4.2", port: 8080, resources: RESOURCES } } } }, `${K}.callers: a worker has none (got ["web"]); remove it: nothing can call a pod that serves no port`],
  [
    "a probe on a worker without a metrics port",
    withApp({ ...WORKER, probes: { liveness: { path: "/health" } } }),
    `${K}.probes.liveness: a worker's probes ask its metrics server, but it has no metricsPort (got "/health"); set metricsPort to the port serving /health and /metrics`,
  ],
  [
    "a probe on a cronjob",
    withApp({ ...NIGHTLY, probes: { liveness: { path: "/health" } } }),
    `${K}.probes.liveness: a cronjob has none (got {"path":"/health","initialDelaySeconds":0,"periodSeconds":10,"timeoutSeconds"...); remove it: a cronjob's pods run to completion, and a failed run is retried by backoffLimit`,
  ],
  ["a schedule on a service", withApp({ image: "ghcr.io/acme/api:1.4.2", port: 8080, resources: RESOURCES, schedule: { cron: "@daily" } }), `${K}.schedule: a service has none (got {"cron":"@daily","concurrencyPolicy":"Forbid","successfulJobsHistoryLimit":3,...); remove it, or set kind to cronjob`],
  ["a cronjob without a schedule", withApp({ ...NIGHTLY, schedule: undefined }), `${K}.schedule: is required for kind cronjob (got nothing); set schedule.cron, e.g. "0 2 * * *"`],
  ["autoscaling on a cronjob", withApp({ ...NIGHTLY, autoscaling: { minReplicas: 1, maxReplicas: 2, cpuPercent: 70 } }), `${K}.autoscaling: a cronjob has none (got {"minReplicas":1,"maxReplicas":2,"cpuPercent":70,"latencyQuantile":0.95}); remove it: a cronjob runs schedule.parallelism pods`],
  ["a metrics port on a job", withApp({ ...NIGHTLY, kind: "job", schedule: undefined, metricsPort: 9090 }), `${K}.metricsPort: a job has none (got 9090); remove it: Prometheus cannot scrape pods that finish between scrapes; push to the OpenTelemetry collector instead`],
  ["job settings on a cronjob", withApp({ ...NIGHTLY, job: { backoffLimit: 1 } }), `${K}.job: a cronjob has none (got {"backoffLimit":1,"parallelism":1}); remove it, or set kind to job`],
  ["Kafka lag on a service", withApp({ image: "ghcr.io/acme/api:1.4.2", port: 8080, resources: RESOURCES, uses: ["kafka"], autoscaling: LAG }), `${K}.autoscaling.kafkaLag: only a worker scales on a queue (got kind service); set kind to worker, or scale on cpuPercent/requestsPerSecond`],
  ["Kafka lag without uses kafka", withApp({ ...WORKER, uses: [], autoscaling: LAG }), `${K}.autoscaling.kafkaLag: reads kafka with the app's credentials (got uses []); add kafka to ${K}.uses`],
  [
    "queue length with KEDA off",
    withApp({ ...WORKER, uses: ["rabbitmq"], autoscaling: { minReplicas: 1, maxReplicas: 5, queueLength: { queue: "notifications", messagesPerPod: 50 } } }, { keda: { enabled: false } }),
    `${K}.autoscaling.queueLength: needs KEDA, but strata:platform.keda.enabled is false (got {"queue":"notifications","messagesPerPod":50,"activationValue":0}); set strata:platform.keda.enabled to true or scale on cpuPercent`,
  ],
  [
    "a cronjob name over 52 characters",
    { ...withApp({}), apps: { services: { ["r".repeat(53)]: NIGHTLY } } },
    `strata:apps.services.${"r".repeat(53)}: a cronjob's name may have 52 characters at most (got 53); the CronJob controller appends 11 to name each run`,
  ],
];

describe("strata:apps workload kinds: bad config", () => {
  for (const [title, raw, message] of CASES) {
    it(`issue #25: rejects ${title}`, () => {
      expect(problemsOf(raw)).to.deep.equal([message]);
    });
  }

  it("issue #26: rejects resilience on a worker: it is enforced on calls to a port", () => {
    expect(problemsOf(withApp({ ...WORKER, resilience: { timeoutSeconds: 5 } })).some((p) => p.startsWith(`${K}.resilience: a worker has none`))).to.equal(true);
  });

  it("issue #25: rejects a route on a worker", () => {
    expect(problemsOf(withApp({ ...WORKER, route: { host: "api.example.com" } }))).to.include(
      `${K}.route: a worker has none (got {"host":"api.example.com","paths":["/"],"hosts":[],"redirects":[],"timeoutSec...); remove it, or set kind to service`,
    );
  });

  it("rejects an invalid cron schedule at its key", () => {
    const problems = problemsOf(withApp({ ...NIGHTLY, schedule: { cron: "0 25 * * *" } }));
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(/^strata:apps\.services\.api\.schedule\.cron: hour "25": use 0-23, \*, lists, ranges and \/steps/);
  });

  it("accepts a Kafka-lag worker and a nightly cronjob, with Kubernetes' defaults", () => {
    const config = parseConfig({ ...withApp({}), apps: { services: { consumer: { ...WORKER, autoscaling: LAG }, report: NIGHTLY } } });
    expect(config.apps.services["consumer"]?.autoscaling?.kafkaLag).to.deep.equal({ topic: "reservations", consumerGroup: "reservation-consumer", lagThreshold: 100, activationLagThreshold: 0 });
    expect(config.apps.services["report"]?.schedule).to.deep.equal({ cron: "0 2 * * *", timeZone: "Europe/Vienna", concurrencyPolicy: "Forbid", successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, backoffLimit: 6, parallelism: 1 });
    expect(config.apps.services["report"]?.kind).to.equal("cronjob");
  });
});

describe("cron schedules (the CronJob's .spec.schedule syntax)", () => {
  for (const good of ["0 2 * * *", "*/15 * * * *", "0 0 13 * 5", "0 9-17/2 * * mon-fri", "30 4 1,15 * ?", "0 0 1 JAN *", "@daily", "@hourly"]) {
    it(`accepts ${good}`, () => expect(cronProblem(good)).to.equal(undefined));
  }
  const bad: [string, string][] = [
    ["0 2 * *", "must have 5 fields (minute hour day-of-month month day-of-week), has 4"],
    ["60 * * * *", 'minute "60": use 0-59, *, lists, ranges and /steps'],
    ["0 0 0 * *", 'day of month "0": use 1-31, *, lists, ranges and /steps'],
    ["0 0 * * 7", 'day of week "7": use 0-6 or sun|mon|tue|wed|thu|fri|sat, *, lists, ranges and /steps'],
    ["*/0 * * * *", 'minute "*/0": a step is /<positive number>'],
    ["0 5-2 * * *", 'hour "5-2": use 0-23, *, lists, ranges and /steps'],
    ["@every 5m", "is not a schedule macro (use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)"],
    ["TZ=UTC 0 2 * * *", "must not set a time zone in the schedule; use schedule.timeZone"],
  ];
  for (const [schedule, problem] of bad) {
    it(`refuses ${schedule}`, () => expect(cronProblem(schedule)).to.equal(problem));
  }
});

describe("workload kinds: builders", () => {
  const parse = (raw: Record<string, unknown>) => AppServiceConfig.parse(raw);
  const placement = { nodeSelector: {}, tolerations: [] };
  const labels = { "app.kubernetes.io/name": "consumer" };

  it("a worker's Deployment opens no HTTP port; its probes ask the metrics port", () => {
    const spec = parse({ ...WORKER, metricsPort: 9090, probes: { liveness: { path: "/health/live" } } });
    const container = deploymentManifest({ name: "consumer", namespace: "apps", spec, labels, selector: labels, placement }).spec.template.spec.containers[0];
    expect(container?.ports).to.deep.equal([{ name: "metrics", containerPort: 9090, protocol: "TCP" }]);
    expect(container?.livenessProbe?.httpGet).to.deep.equal({ path: "/health/live", port: 9090 });
    expect(container).not.to.have.any.keys("readinessProbe", "startupProbe");
  });

  it("a worker's NetworkPolicy admits only Prometheus on the metrics port, even with a gateway", () => {
    const spec = parse({ ...WORKER, metricsPort: 9090 });
    const policy = networkPolicyManifest({ name: "consumer", namespace: "apps", spec, labels, selector: labels, callers: [], calls: [], uses: [], gatewayNamespace: "gateway", monitoringNamespace: "monitoring" });
    expect(policy.spec.ingress).to.deep.equal([{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }], ports: [{ protocol: "TCP", port: 9090 }] }]);
  });

  it("KEDA's kafka trigger and its TriggerAuthentication carry the scaler's parameter names (KEDA 2.20.2)", () => {
    const trigger = kafkaLagTrigger("consumer", parse({ ...WORKER, autoscaling: LAG }).autoscaling!.kafkaLag!, { bootstrapServers: "kafka-kafka-bootstrap.data.svc:9093" });
    expect(trigger).to.deep.equal({
      type: "kafka",
      name: "kafka-lag",
      metricType: "AverageValue",
      metadata: { bootstrapServers: "kafka-kafka-bootstrap.data.svc:9093", consumerGroup: "reservation-consumer", topic: "reservations", lagThreshold: "100", activationLagThreshold: "0" },
      authenticationRef: { name: "consumer-keda-kafka" },
    });
    expect(triggerAuthenticationManifest({ app: "consumer", namespace: "apps", broker: "kafka", labels: {} }).spec.secretTargetRef.map((r) => r.parameter)).to.deep.equal(["sasl", "username", "password", "tls", "ca"]);
    expect(kafkaAuthValues({ username: "u", password: "p", caCert: "PEM", saslMechanism: "SCRAM-SHA-512" })).to.deep.equal({ sasl: "scram_sha512", username: "u", password: "p", tls: "enable", ca: "PEM" });
  });

  it("a worker scaling on queue length gets a ScaledObject with no Prometheus trigger", () => {
    const scaling = parse({ ...WORKER, uses: ["rabbitmq"], autoscaling: { minReplicas: 1, maxReplicas: 5, queueLength: { queue: "notifications", messagesPerPod: 50 } } }).autoscaling!;
    const object = scaledObjectManifest({ name: "notify", namespace: "apps", scaling, labels: {}, queueTriggers: [queueLengthTrigger("notify", scaling.queueLength!)] });
    expect(object.spec.triggers).to.deep.equal([
      { type: "rabbitmq", name: "queue-length", metricType: "AverageValue", metadata: { protocol: "amqp", mode: "QueueLength", queueName: "notifications", value: "50", activationValue: "0" }, authenticationRef: { name: "notify-keda-rabbitmq" } },
    ]);
  });

  it("a cronjob's CronJob carries the schedule, Forbid and the history limits around the hardened pod", () => {
    const spec = parse(NIGHTLY);
    const template = deploymentManifest({ name: "report", namespace: "apps", spec, labels, selector: labels, placement }).spec.template;
    const cron = cronJobManifest({ name: "report", namespace: "apps", labels }, spec.schedule!, template);
    expect(cron.spec).to.include({ schedule: "0 2 * * *", timeZone: "Europe/Vienna", concurrencyPolicy: "Forbid", successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(cron.spec.jobTemplate.spec).to.include({ backoffLimit: 6, parallelism: 1 });
    expect(cron.spec.jobTemplate.spec.template.spec.restartPolicy).to.equal("Never");
    expect((cron.spec.jobTemplate.spec.template.spec.containers as { securityContext?: object }[])[0]?.securityContext).to.include({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
  });

  it("the capacity check counts a worker at maxReplicas and a cronjob or job at its parallelism", () => {
    expect(maxPods(parse({ ...WORKER, autoscaling: LAG }))).to.equal(12);
    expect(maxPods(parse({ ...NIGHTLY, schedule: { cron: "@daily", parallelism: 3 } }))).to.equal(3);
    expect(maxPods(parse({ ...NIGHTLY, kind: "job", schedule: undefined }))).to.equal(1);
  });

  it("a job's name changes with the release and stays with an unchanged one", () => {
    const spec = parse({ ...NIGHTLY, kind: "job", schedule: undefined, job: { ttlSecondsAfterFinished: 3600 } });
    const next = parse({ ...NIGHTLY, kind: "job", schedule: undefined, image: "ghcr.io/acme/report:1.4.3", job: { ttlSecondsAfterFinished: 3600 } });
    expect(jobNameOf("migrate", spec)).to.match(/^migrate-[0-9a-f]{8}$/);
    expect(jobNameOf("migrate", spec)).to.equal(jobNameOf("migrate", parse({ ...NIGHTLY, kind: "job", schedule: undefined, job: { ttlSecondsAfterFinished: 3600 } })));
    expect(jobNameOf("migrate", next)).not.to.equal(jobNameOf("migrate", spec));
    const template = deploymentManifest({ name: "migrate", namespace: "apps", spec, labels, selector: labels, placement }).spec.template;
    expect(jobManifest({ name: jobNameOf("migrate", spec), namespace: "apps", labels }, spec.job, template).spec).to.include({ ttlSecondsAfterFinished: 3600, backoffLimit: 6, parallelism: 1 });
  });
});
