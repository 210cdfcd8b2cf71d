/**
 * Apps that use Kafka (issue #18): a bootstrap variable takes `kafka.bootstrapServers`, never a
 * URL (a parse-time error with the project's message form), the Kafka fields reach the pod as
 * plain values, and the cluster CA is mounted as the file `kafka.caFile` names.
 */
import { expect } from "chai";
import { isSecretConnection } from "../../apps/service/connections";
import { deploymentManifest } from "../../apps/service/deployment";
import { KAFKA_CA_DIGEST_ANNOTATION, KAFKA_CA_FILE, kafkaCaDigest, kafkaCaSecretManifest, kafkaConnectionValue } from "../../apps/service/kafka-client";
import { bootstrapVariableProblem } from "../../config/apps/checks";
import { AppServiceConfig } from "../../config/apps/service";
import { parseConfig, type RawConfig } from "../../config/schema";
import { problemsOf } from "../config/problems";
import { validRaw } from "../config/valid-config";

const BASE = { image: "ghcr.io/acme/api:1.4.2", port: 8080, resources: { cpuMillis: 250, memoryMi: 256, limitCpuMillis: 500, limitMemoryMi: 512 } };
const K = "strata:apps.services.api";

/** One service `api` on a dev cluster running a one-node Kafka. */
function withKafkaApp(api: Record<string, unknown>): RawConfig {
  return {
    ...validRaw(),
    cluster: { existing: { storageClasses: { default: "standard", database: "fast" } } },
    platform: { kafka: { enabled: true, nodePools: { dual: { roles: ["controller", "broker"], replicas: 1 } } }, postgres: { enabled: true } },
    apps: { services: { api: { ...BASE, ...api } } },
  };
}

describe("apps: Kafka clients", () => {
  describe("bootstrap variables (parse time)", () => {
    it("issue #18: rejects KAFKA_BOOTSTRAP_SERVERS mapped from kafka.url, the URL that carries the password", () => {
      expect(problemsOf(withKafkaApp({ uses: ["kafka"], connectionEnv: { KAFKA_BOOTSTRAP_SERVERS: "kafka.url" } }))).to.deep.equal([
        `${K}.connectionEnv.KAFKA_BOOTSTRAP_SERVERS: must be Kafka's bootstrap.servers, a host:port list, not a URL that clients cannot parse and that carries the password (got "kafka.url"); use kafka.bootstrapServers`,
      ]);
    });

    it("rejects any other field for a bootstrap variable, whatever its naming convention", () => {
      expect(problemsOf(withKafkaApp({ uses: ["kafka"], connectionEnv: { Kafka__BootstrapServers: "kafka.host" } }))).to.deep.equal([
        `${K}.connectionEnv.Kafka__BootstrapServers: must be Kafka's bootstrap.servers, a host:port list (got "kafka.host"); use kafka.bootstrapServers`,
      ]);
      expect(bootstrapVariableProblem("spring.kafka.bootstrap-servers", "kafka.url")).to.match(/^must be Kafka's bootstrap.servers/);
      expect(bootstrapVariableProblem("KAFKA_BOOTSTRAP_SERVERS", "kafka.bootstrapServers")).to.equal(undefined);
      expect(bootstrapVariableProblem("DATABASE_URL", "postgres.url")).to.equal(undefined);
    });

    it("offers the Kafka fields for Kafka only", () => {
      expect(problemsOf(withKafkaApp({ uses: ["postgres"], connectionEnv: { PG: "postgres.bootstrapServers" } }))).to.deep.equal([
        `${K}.connectionEnv.PG: must be <service>.<field> (got "postgres.bootstrapServers"); fields: url, host, port, database, username, password, dotnet`,
      ]);
    });

    it("accepts the client contract: bootstrap servers, protocol, mechanism, CA file, username, password", () => {
      const env = {
        KAFKA_BOOTSTRAP_SERVERS: "kafka.bootstrapServers",
        KAFKA_SECURITY_PROTOCOL: "kafka.securityProtocol",
        KAFKA_SASL_MECHANISM: "kafka.saslMechanism",
        KAFKA_SSL_CA_LOCATION: "kafka.caFile",
        KAFKA_USERNAME: "kafka.username",
        KAFKA_PASSWORD: "kafka.password",
      };
      expect(parseConfig(withKafkaApp({ uses: ["kafka"], connectionEnv: env })).apps.services["api"]?.connectionEnv).to.deep.equal(env);
    });
  });

  describe("values and the pod", () => {
    const settings = { bootstrapServers: "kafka-kafka-bootstrap.data.svc:9093", securityProtocol: "SASL_SSL", saslMechanism: "SCRAM-SHA-512" } as const;

    it("gives each Kafka field its client value; none of them is a credential", () => {
      expect(kafkaConnectionValue(settings, "bootstrapServers")).to.equal("kafka-kafka-bootstrap.data.svc:9093");
      expect(kafkaConnectionValue(settings, "securityProtocol")).to.equal("SASL_SSL");
      expect(kafkaConnectionValue(settings, "saslMechanism")).to.equal("SCRAM-SHA-512");
      expect(kafkaConnectionValue(settings, "caFile")).to.equal("/etc/strata/kafka-ca/ca.crt");
      for (const field of ["bootstrapServers", "securityProtocol", "saslMechanism", "caFile"]) expect(isSecretConnection(`kafka.${field}`), field).to.equal(false);
      expect(isSecretConnection("kafka.password")).to.equal(true);
    });

    it("mounts the CA Secret read-only where caFile points, in the app and its migration, and stamps the CA's digest on the pods", () => {
      const spec = AppServiceConfig.parse({ ...BASE, uses: ["kafka"], connectionEnv: { KAFKA_SSL_CA_LOCATION: "kafka.caFile" }, migration: { command: ["/app/migrate"] } });
      const d = deploymentManifest({
        name: "api",
        namespace: "apps",
        labels: {},
        selector: {},
        spec,
        placement: { nodeSelector: {}, tolerations: [] },
        kafkaCa: { secretName: "kafka-cluster-ca-cert", digest: kafkaCaDigest("PEM") },
      });
      const pod = d.spec.template.spec;
      expect(pod.volumes).to.deep.include({ name: "strata-kafka-ca", secret: { secretName: "kafka-cluster-ca-cert", items: [{ key: "ca.crt", path: "ca.crt" }] } });
      const mount = { name: "strata-kafka-ca", mountPath: "/etc/strata/kafka-ca", readOnly: true };
      expect(pod.containers[0]?.volumeMounts).to.deep.include(mount);
      expect(pod.initContainers?.[0]?.volumeMounts).to.deep.include(mount);
      expect(KAFKA_CA_FILE.startsWith(`${mount.mountPath}/`)).to.equal(true);
      expect(d.spec.template.metadata.annotations).to.deep.equal({ [KAFKA_CA_DIGEST_ANNOTATION]: kafkaCaDigest("PEM") });
      expect(kafkaCaDigest("PEM")).not.to.equal(kafkaCaDigest("RENEWED PEM"));
    });

    it("mounts nothing for an app without Kafka", () => {
      const d = deploymentManifest({ name: "api", namespace: "apps", labels: {}, selector: {}, spec: AppServiceConfig.parse(BASE), placement: { nodeSelector: {}, tolerations: [] } });
      expect(d.spec.template.spec.volumes.map((v) => v.name)).to.deep.equal(["tmp"]);
      expect(d.spec.template.metadata).not.to.have.property("annotations");
    });

    it("writes the CA into the client namespace under Strimzi's name and key", () => {
      expect(kafkaCaSecretManifest("tartware", "kafka-cluster-ca-cert", { a: "b" }, "PEM")).to.deep.equal({
        metadata: { name: "kafka-cluster-ca-cert", namespace: "tartware", labels: { a: "b" } },
        type: "Opaque",
        stringData: { "ca.crt": "PEM" },
      });
    });
  });
});
