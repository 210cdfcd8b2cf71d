/**
 * Issue #25: Tartware (`examples/tartware/Pulumi.tartware.yaml`) renders its Kafka consumer as a
 * worker that KEDA scales on the consumer group's lag, and a nightly report as a CronJob; every
 * object is valid against the Kubernetes schema and the KEDA CRDs of the reference data, and KEDA's
 * own connection to the brokers is proven by the connection check — and broken when the policy
 * letting the operators namespace out to the data namespace is removed.
 */
import { expect } from "chai";
import { brokenConnections, proveConnections } from "../../tools/connections";
import type { PlanDocument, PlannedResource } from "../../tools/engine/plan-document";
import { REPO_ROOT, toPlanDocument, type RunResult } from "../../tools/engine/run";
import { errorsOf, formatFinding, verifyPlan, warningsOf } from "../../tools/verify/index";
import { defaultChartsDir } from "../../tools/verify/reference-dir";
import { at, ofType, planStack } from "../harness";
import { DEPLOYMENT, input, ROUTE, SERVICE } from "./seed-plans";

const TARTWARE_FILE = `${REPO_ROOT}/examples/tartware/Pulumi.tartware.yaml`;
const SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const TRIGGER_AUTHENTICATION = "kubernetes:keda.sh/v1alpha1:TriggerAuthentication";
const CRON_JOB = "kubernetes:batch/v1:CronJob";
const WORKER = "reservation-events-consumer";
const KEDA_PURPOSE = `KEDA kafka scaler (${WORKER})`;

const named = (r: PlannedResource, name: string, namespace: string): boolean => {
  const metadata = r.inputs["metadata"] as { name?: string; namespace?: string } | undefined;
  return metadata?.name === name && metadata.namespace === namespace;
};

describe("Tartware workers and cronjobs (examples/tartware)", () => {
  let plan: RunResult;
  let document: PlanDocument;
  before(async function () {
    this.timeout(240_000);
    plan = await planStack({ stack: "tartware", configFile: TARTWARE_FILE });
    document = toPlanDocument(plan);
  });

  it("issue #25: the consumer is a worker scaling on Kafka lag through KEDA, with the app's SCRAM user and the cluster CA", () => {
    const triggers = input(plan, SCALED_OBJECT, `${WORKER}-scaled-object`, "spec.triggers") as Record<string, unknown>[];
    expect(triggers).to.deep.equal([
      { type: "cpu", metricType: "Utilization", metadata: { value: "80" } },
      {
        type: "kafka",
        name: "kafka-lag",
        metricType: "AverageValue",
        metadata: {
          bootstrapServers: "kafka-kafka-bootstrap.data.svc:9093",
          consumerGroup: "tartware.reservation-events-consumer",
          topic: "tartware.reservation-events",
          lagThreshold: "500",
          activationLagThreshold: "0",
        },
        authenticationRef: { name: `${WORKER}-keda-kafka` },
      },
    ]);
    expect([input(plan, SCALED_OBJECT, `${WORKER}-scaled-object`, "spec.minReplicaCount"), input(plan, SCALED_OBJECT, `${WORKER}-scaled-object`, "spec.maxReplicaCount")]).to.deep.equal([2, 24]);
    expect(input(plan, TRIGGER_AUTHENTICATION, `${WORKER}-keda-kafka-trigger-authentication`, "spec.secretTargetRef")).to.deep.equal(
      ["sasl", "username", "password", "tls", "ca"].map((key) => ({ parameter: key, name: `${WORKER}-keda-kafka`, key })),
    );
    expect(input(plan, TRIGGER_AUTHENTICATION, `${WORKER}-keda-kafka-trigger-authentication`, "metadata.namespace")).to.equal("tartware");
  });

  it("issue #25: the worker has no Service, no route and no HTTP port; its probes ask the metrics port", () => {
    const names = (type: string) => ofType(plan, type).map((r) => at(r.inputs, "metadata.name"));
    expect(names(SERVICE)).not.to.include(WORKER);
    expect(names(ROUTE)).not.to.include(WORKER);
    const container = (input(plan, DEPLOYMENT, `${WORKER}-deployment`, "spec.template.spec.containers") as Record<string, unknown>[])[0] ?? {};
    expect(container["ports"]).to.deep.equal([{ name: "metrics", containerPort: 9090, protocol: "TCP" }]);
    expect(at(container, "livenessProbe.httpGet")).to.deep.equal({ path: "/health/live", port: 9090 });
    expect(at(container, "readinessProbe.httpGet")).to.deep.equal({ path: "/health/ready", port: 9090 });
  });

  it("issue #25: the nightly report is a CronJob at 02:00 UTC, one run at a time, hardened like the services", () => {
    const spec = input(plan, CRON_JOB, "nightly-report-cronjob", "spec") as Record<string, unknown>;
    expect(spec).to.include({ schedule: "0 2 * * *", timeZone: "UTC", concurrencyPolicy: "Forbid", successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, startingDeadlineSeconds: 3600 });
    expect(at(spec, "jobTemplate.spec")).to.include({ backoffLimit: 2, parallelism: 1, activeDeadlineSeconds: 3600 });
    const pod = at(spec, "jobTemplate.spec.template.spec") as Record<string, unknown>;
    expect(pod["restartPolicy"]).to.equal("Never");
    const container = (pod["containers"] as Record<string, unknown>[])[0] ?? {};
    expect(container["securityContext"]).to.deep.include({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(container).not.to.have.any.keys("ports");
  });

  it("issue #25: every object is valid against the Kubernetes schema and the KEDA CRDs", async function () {
    this.timeout(120_000);
    const report = await verifyPlan(document, defaultChartsDir());
    expect(errorsOf(report).map(formatFinding)).to.deep.equal([]);
    // Checked, not skipped: the KEDA CRDs and the CronJob are in the reference data.
    const unchecked = warningsOf(report).filter((w) => /ScaledObject|TriggerAuthentication|CronJob/.test(w.resource));
    expect(unchecked.map(formatFinding)).to.deep.equal([]);
  });

  it("issue #25: KEDA's operator reaches the Kafka brokers; without the operators' egress to the data namespace it does not", async () => {
    const green = await proveConnections(document);
    const keda = green.filter((r) => r.purpose === KEDA_PURPOSE);
    expect(keda.map((r) => `${r.source} → ${r.destination}`)).to.deep.equal(["operators/keda-operator → data/kafka-kafka-bootstrap:9093"]);
    expect(brokenConnections(keda)).to.deep.equal([]);

    const policy = document.resources.find((r) => r.inputs["kind"] === "NetworkPolicy" && named(r, "allow-operators-to-data", "operators"));
    expect(policy, "operators/allow-operators-to-data").not.to.equal(undefined);
    const without = { ...document, resources: document.resources.filter((r) => r !== policy) };
    const broken = brokenConnections(await proveConnections(without)).filter((b) => b.connection.includes("keda-operator") && b.connection.includes("kafka-kafka-bootstrap"));
    expect(broken.map((b) => b.message.split(":")[0])).to.deep.equal(["egress"]);
  });
});
