/**
 * Issue #18, cross-stack: an apps-only stack reads Kafka's client settings and cluster CA from
 * the platform stack's outputs alone, writes the CA into its own namespace and mounts it, and
 * maps bootstrap.servers as host:port.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import type { StackOutputsSnapshot } from "../../tools/engine/mocks";
import { at, FIXTURES, ofType, planStack } from "../harness";
import { envOf, podSpec } from "./seed-plans";

const CA_PEM = "-----BEGIN CERTIFICATE-----\nupstream-kafka-ca\n-----END CERTIFICATE-----\n";

/** The upstream prod stack with a Kafka endpoint as `platformStackOutputs` writes it. */
function upstreamWithKafka(clientSettings = true): Record<string, StackOutputsSnapshot> {
  const upstream = JSON.parse(readFileSync(`${FIXTURES}/stacks/upstream-prod.json`, "utf8")) as Record<string, { outputs: Record<string, Record<string, Record<string, unknown>>>; secretOutputNames: string[] }>;
  const prod = upstream["acme/strata/prod"];
  if (prod === undefined) throw new Error("fixture has no acme/strata/prod");
  const { platform, platformSecrets } = prod.outputs;
  if (platform?.["endpoints"] === undefined || platformSecrets?.["endpoints"] === undefined) throw new Error("fixture has no platform endpoints");
  platform["endpoints"]["kafka"] = {
    kind: "kafka",
    namespace: "data",
    host: "kafka-kafka-bootstrap.data.svc",
    port: 9093,
    username: "app",
    secretName: "kafka-app-credentials",
    ...(clientSettings ? { kafka: { bootstrapServers: "kafka-kafka-bootstrap.data.svc:9093", securityProtocol: "SASL_SSL", saslMechanism: "SCRAM-SHA-512", caSecretName: "kafka-cluster-ca-cert" } } : {}),
  };
  platformSecrets["endpoints"]["kafka"] = { password: "upstream-kafka-password-99", url: "kafka+ssl://app:upstream-kafka-password-99@kafka-kafka-bootstrap.data.svc:9093", caCert: CA_PEM };
  return upstream;
}

describe("issue #18: Kafka clients in a stack that reads the platform from another", () => {
  it("writes the upstream CA into the app's namespace, mounts it, and maps bootstrap.servers as host:port", async () => {
    const plan = await planStack({ stack: "apps-kafka", configFile: `${FIXTURES}/stacks/apps-kafka.yaml`, upstream: upstreamWithKafka() });
    const copies = ofType(plan, "kubernetes:core/v1:Secret").filter((r) => at(r.inputs, "metadata.name") === "kafka-cluster-ca-cert");
    expect(copies.map((r) => at(r.inputs, "metadata.namespace"))).to.deep.equal(["apps"]);
    expect((at(copies[0]?.rawInputs, "stringData") as Record<string, string>)["ca.crt"]).to.equal(CA_PEM);
    const env = Object.fromEntries(envOf(plan, "orders").map((e) => [e.name, e.value ?? e.valueFrom]));
    expect(env["KAFKA_BOOTSTRAP_SERVERS"]).to.equal("kafka-kafka-bootstrap.data.svc:9093");
    expect(env["KAFKA_SSL_CA_LOCATION"]).to.equal("/etc/strata/kafka-ca/ca.crt");
    expect(env["KAFKA_PASSWORD"]).to.deep.equal({ secretKeyRef: { name: "orders-env", key: "KAFKA_PASSWORD" } });
    expect(podSpec(plan, "orders")["volumes"]).to.deep.include({ name: "strata-kafka-ca", secret: { secretName: "kafka-cluster-ca-cert", items: [{ key: "ca.crt", path: "ca.crt" }] } });
    expect(JSON.stringify(plan.outputs)).not.to.contain("upstream-kafka-password-99");
  });

  it("names the fix when the platform stack predates Kafka's client settings", async () => {
    let message = "";
    try {
      await planStack({ stack: "apps-kafka", configFile: `${FIXTURES}/stacks/apps-kafka.yaml`, upstream: upstreamWithKafka(false) });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.contain(
      `strata:apps.services.orders.uses[0]: the platform contract's kafka endpoint has no client settings (got "kafka"); run pulumi up on the platform stack first, so it publishes bootstrapServers and the cluster CA`,
    );
  });
});
