/**
 * Kafka's client contract and the cluster CA strata owns (issue #18): the values a Kafka client
 * takes, the CA Secrets in the form Strimzi reads a user-managed CA (its "Installing your own CA
 * certificates" procedure and CaReconciler), and the pods, Services and Secrets Strimzi creates,
 * as the connection registry declares them.
 */
import { expect } from "chai";
import { caGenerationAnnotations, clusterCaCertSecretName, clusterCaKeySecretName, clusterCaSecretMetadata, clusterCaSubject } from "../../platform/kafka/ca-values";
import { kafkaExporterConnection, kafkaWorkloads, strimziOperatorWorkload } from "../../platform/kafka/workloads";
import { bootstrapServers, KAFKA_CLIENT_SECURITY, kafkaSpec } from "../../platform/kafka/values";

describe("platform/kafka: client contract and cluster CA", () => {
  describe("bootstrap.servers", () => {
    it("issue #18: is a host:port list with no scheme and no credentials, on the TLS listener", () => {
      const servers = bootstrapServers("kafka", "data");
      expect(servers).to.equal("kafka-kafka-bootstrap.data.svc:9093");
      for (const entry of servers.split(",")) expect(entry).to.match(/^[a-z0-9.-]+:\d+$/);
      expect(servers).not.to.contain("://");
      expect(servers).not.to.contain("@");
    });

    it("names SASL_SSL and SCRAM-SHA-512, matching the scram-sha-512 authentication of the tls listener", () => {
      const listener = kafkaSpec("kafka", { replicationFactor: 3, minInSyncReplicas: 2, placement: { nodeSelector: {}, tolerations: [] }, metrics: false }).kafka.listeners[0];
      expect(listener).to.deep.include({ tls: true, authentication: { type: "scram-sha-512" } });
      expect(KAFKA_CLIENT_SECURITY).to.deep.equal({ securityProtocol: "SASL_SSL", saslMechanism: "SCRAM-SHA-512" });
    });
  });

  describe("cluster CA", () => {
    it("turns Strimzi's own CA generation off", () => {
      const spec = kafkaSpec("events", { replicationFactor: 3, minInSyncReplicas: 2, placement: { nodeSelector: {}, tolerations: [] }, metrics: false });
      expect(spec.clusterCa).to.deep.equal({ generateCertificateAuthority: false });
    });

    it("writes the certificate and the key under Strimzi's names, with the labels its reconciler lists them by", () => {
      const g = { generation: 0, keyGeneration: 0 };
      const cert = clusterCaSecretMetadata("events", "data", "cert", g);
      const key = clusterCaSecretMetadata("events", "data", "key", g);
      expect([cert.name, key.name]).to.deep.equal([clusterCaCertSecretName("events"), clusterCaKeySecretName("events")]);
      expect([cert.name, key.name]).to.deep.equal(["events-cluster-ca-cert", "events-cluster-ca"]);
      for (const meta of [cert, key]) expect(meta.labels).to.include({ "strimzi.io/kind": "Kafka", "strimzi.io/cluster": "events" });
      expect(cert.annotations).to.deep.equal({ "strimzi.io/ca-cert-generation": "0" });
      expect(key.annotations).to.deep.equal({ "strimzi.io/ca-key-generation": "0" });
    });

    it("raises the certificate generation on a renewal and on a new key, the key generation only on a new key", () => {
      expect(caGenerationAnnotations({ generation: 1, keyGeneration: 0 })).to.deep.equal({ cert: { "strimzi.io/ca-cert-generation": "1" }, key: { "strimzi.io/ca-key-generation": "0" } });
      expect(caGenerationAnnotations({ generation: 1, keyGeneration: 1 })).to.deep.equal({ cert: { "strimzi.io/ca-cert-generation": "2" }, key: { "strimzi.io/ca-key-generation": "1" } });
    });

    it("keeps the subject across certificate renewals and changes it with the key", () => {
      expect(clusterCaSubject("events", 0)).to.deep.equal(clusterCaSubject("events", 0));
      expect(clusterCaSubject("events", 1).commonName).not.to.equal(clusterCaSubject("events", 0).commonName);
    });
  });

  describe("consumer-group lag (Kafka Exporter)", () => {
    const placement = { nodeSelector: { pool: "kafka" }, tolerations: [] };
    it("issue #19: runs Strimzi's Kafka Exporter with metrics on, the only source of kafka_consumergroup_lag", () => {
      const spec = kafkaSpec("events", { replicationFactor: 3, minInSyncReplicas: 2, placement, metrics: true });
      expect(spec.kafkaExporter).to.deep.include({ groupRegex: ".*", topicRegex: ".*", showAllOffsets: true });
      expect(spec.kafkaExporter?.template.pod.affinity.nodeAffinity).to.not.equal(undefined);
      expect(kafkaSpec("events", { replicationFactor: 3, minInSyncReplicas: 2, placement, metrics: false })).not.to.have.property("kafkaExporter");
    });

    it("issue #19: the brokers' PodMonitor selects the exporter's pod, which serves tcp-prometheus and reads the replication listener", () => {
      const exporter = kafkaWorkloads({ cluster: "events", namespace: "data", pools: { brokers: { roles: ["broker", "controller"] } }, username: "app", metrics: true }).find((w) => w.id === "data/events-kafka-exporter");
      expect(exporter?.pods.labels).to.include({ "strimzi.io/cluster": "events", "strimzi.io/kind": "Kafka", "strimzi.io/name": "events-kafka-exporter", "strimzi.io/component-type": "kafka-exporter" });
      expect(exporter?.containerPorts).to.deep.equal({ "tcp-prometheus": 9404 });
      expect(kafkaExporterConnection("events", "data").to).to.deep.equal({ kind: "service", namespace: "data", name: "events-kafka-bootstrap", port: "tcp-replication" });
      expect(kafkaWorkloads({ cluster: "events", namespace: "data", pools: {}, username: "app", metrics: false }).map((w) => w.id)).not.to.include("data/events-kafka-exporter");
    });
  });

  describe("what Strimzi creates, for the connection check", () => {
    const workloads = kafkaWorkloads({ cluster: "kafka", namespace: "data", pools: { controllers: { roles: ["controller"] }, brokers: { roles: ["broker"] } }, username: "app", metrics: true });
    const byId = (id: string) => workloads.find((w) => w.id === id);

    it("gives broker pods Strimzi's labels and the bootstrap Service on the tcp-clientstls port", () => {
      const brokers = byId("data/kafka-brokers");
      expect(brokers?.pods.labels).to.include({
        "strimzi.io/cluster": "kafka",
        "strimzi.io/kind": "Kafka",
        "strimzi.io/name": "kafka-kafka",
        "strimzi.io/pool-name": "brokers",
        "strimzi.io/broker-role": "true",
        "strimzi.io/controller-role": "false",
      });
      expect(brokers?.containerPorts).to.include({ "tcp-clientstls": 9093, "tcp-replication": 9091, "tcp-prometheus": 9404 });
      expect(brokers?.services?.find((s) => s.name === "kafka-kafka-bootstrap")?.ports).to.deep.equal({ "tcp-replication": 9091, "tcp-clientstls": 9093 });
    });

    it("leaves controller-only pods out of the bootstrap Service and without a client port", () => {
      const controllers = byId("data/kafka-controllers");
      expect(controllers?.pods.labels).to.include({ "strimzi.io/broker-role": "false", "strimzi.io/controller-role": "true" });
      expect(controllers?.services?.map((s) => s.name)).to.deep.equal(["kafka-kafka-brokers"]);
      expect(controllers?.containerPorts).not.to.have.property("tcp-clientstls");
    });

    it("declares the cluster operator's pod with the labels its PodMonitor selects and the http port it scrapes", () => {
      expect(strimziOperatorWorkload("operators")).to.deep.equal({
        id: "operators/strimzi-cluster-operator",
        pods: { namespace: "operators", labels: { name: "strimzi-cluster-operator", "strimzi.io/kind": "cluster-operator" } },
        containerPorts: { http: 8080 },
      });
    });

    it("has the User Operator's Secret for the SCRAM user in the data namespace, with password and sasl.jaas.config", () => {
      expect(byId("data/kafka-entity-operator")?.secrets).to.deep.equal([{ name: "app", keys: ["password", "sasl.jaas.config"] }]);
    });
  });
});
