/**
 * Issue #25: a notifications worker scaling on a RabbitMQ queue's length and a migration job,
 * as `tests/fixtures/stacks/workers-rabbitmq.yaml` plans them: the ScaledObject's rabbitmq
 * trigger over the app's own RabbitMQ user, the Job named after its spec's digest, both valid
 * against the KEDA CRDs and the Kubernetes schema, and KEDA's connection to RabbitMQ proven —
 * and broken when the data namespace no longer admits the operators.
 */
import { expect } from "chai";
import { brokenConnections, proveConnections } from "../../tools/connections";
import type { PlanDocument, PlannedResource } from "../../tools/engine/plan-document";
import { toPlanDocument, type RunResult } from "../../tools/engine/run";
import { errorsOf, formatFinding, verifyPlan } from "../../tools/verify/index";
import { defaultChartsDir } from "../../tools/verify/reference-dir";
import { at, FIXTURES, ofType, planStack } from "../harness";
import { input, SERVICE } from "./seed-plans";

const RUN = { stack: "workers", configFile: `${FIXTURES}/stacks/workers-rabbitmq.yaml` } as const;
const SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject";
const TRIGGER_AUTHENTICATION = "kubernetes:keda.sh/v1alpha1:TriggerAuthentication";
const JOB = "kubernetes:batch/v1:Job";
const KEDA_PURPOSE = "KEDA rabbitmq scaler (notifications)";

const named = (r: PlannedResource, name: string, namespace: string): boolean => {
  const metadata = r.inputs["metadata"] as { name?: string; namespace?: string } | undefined;
  return metadata?.name === name && metadata.namespace === namespace;
};

describe("a RabbitMQ worker and a job (tests/fixtures/stacks/workers-rabbitmq.yaml)", () => {
  let plan: RunResult;
  let document: PlanDocument;
  before(async function () {
    this.timeout(240_000);
    plan = await planStack(RUN);
    document = toPlanDocument(plan);
  });

  it("issue #25: the worker scales on the queue's length through KEDA, authenticated as its own RabbitMQ user", () => {
    expect(input(plan, SCALED_OBJECT, "notifications-scaled-object", "spec.triggers")).to.deep.equal([
      { type: "rabbitmq", name: "queue-length", metricType: "AverageValue", metadata: { protocol: "amqp", mode: "QueueLength", queueName: "notifications", value: "50", activationValue: "0" }, authenticationRef: { name: "notifications-keda-rabbitmq" } },
    ]);
    expect(input(plan, TRIGGER_AUTHENTICATION, "notifications-keda-rabbitmq-trigger-authentication", "spec.secretTargetRef")).to.deep.equal([{ parameter: "host", name: "notifications-keda-rabbitmq", key: "host" }]);
    const services = ofType(plan, SERVICE).map((r) => at(r.inputs, "metadata.name"));
    expect(services).not.to.include("notifications");
    expect(services).not.to.include("migrate");
  });

  it("issue #25: the job runs once per release under a name carrying its spec's digest", () => {
    const jobs = ofType(plan, JOB).filter((r) => at(r.inputs, "metadata.namespace") === "shop");
    expect(jobs.map((r) => at(r.inputs, "metadata.name"))).to.have.length(1);
    expect(at(jobs[0]?.inputs, "metadata.name")).to.match(/^migrate-[0-9a-f]{8}$/);
    expect(at(jobs[0]?.inputs, "spec")).to.include({ backoffLimit: 2, activeDeadlineSeconds: 900, parallelism: 1 });
    expect(at(jobs[0]?.inputs, "spec.template.spec.restartPolicy")).to.equal("Never");
  });

  it("issue #25: the worker's and the job's objects are valid against the Kubernetes schema and the KEDA CRDs", async function () {
    this.timeout(120_000);
    const report = await verifyPlan(document, defaultChartsDir());
    expect(errorsOf(report).filter((f) => /notifications|migrate/.test(f.resource)).map(formatFinding)).to.deep.equal([]);
  });

  it("issue #25: KEDA's operator reaches RabbitMQ; without the data namespace's ingress from the operators it does not", async () => {
    const keda = (await proveConnections(document)).filter((r) => r.purpose === KEDA_PURPOSE);
    expect(keda.map((r) => `${r.source} → ${r.destination}`)).to.deep.equal(["operators/keda-operator → data/rabbitmq:5672"]);
    expect(brokenConnections(keda)).to.deep.equal([]);

    const policy = document.resources.find((r) => r.inputs["kind"] === "NetworkPolicy" && named(r, "allow-from-operators", "data"));
    expect(policy, "data/allow-from-operators").not.to.equal(undefined);
    const without = { ...document, resources: document.resources.filter((r) => r !== policy) };
    const broken = brokenConnections((await proveConnections(without)).filter((r) => r.purpose === KEDA_PURPOSE));
    expect(broken.map((b) => b.message.split(":")[0])).to.deep.equal(["ingress"]);
  });
});
