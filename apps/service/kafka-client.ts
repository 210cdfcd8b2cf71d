/**
 * Pure: what an app that uses Kafka gets from the platform's Kafka client settings
 * (`Endpoint.kafka`): the values of the `kafka.<field>` variables and the cluster CA mounted as a
 * file (the connection itself is declared with the other platform services', declared-connections.ts).
 *
 * The CA is the Secret `Endpoint.kafka.caSecretName` (key `ca.crt`) that `apps/kafka-ca` writes
 * into the app's namespace; it is mounted read-only, and the pods carry its digest so a renewed
 * CA rolls them (a client reads its trust store once, at start).
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import type { KafkaConnectionField } from "../../config/apps/service";
import type { KafkaClientSettings } from "../../lib/contracts";

/** Key of the CA certificate in the Secret, as in Strimzi's `<cluster>-cluster-ca-cert`. */
export const KAFKA_CA_KEY = "ca.crt";
/** Directory the CA Secret is mounted at. */
export const KAFKA_CA_DIR = "/etc/strata/kafka-ca";
/** `kafka.caFile`: the PEM file a client's `ssl.ca.location` (or PEM trust store) points at. */
export const KAFKA_CA_FILE = `${KAFKA_CA_DIR}/${KAFKA_CA_KEY}`;
/** Name of the pod volume holding the CA. */
export const KAFKA_CA_VOLUME = "strata-kafka-ca";
/** Pod-template annotation carrying the CA's digest. */
export const KAFKA_CA_DIGEST_ANNOTATION = "strata.io/kafka-ca-sha256";

/** Kafka's client settings once resolved. */
export interface ResolvedKafkaSettings {
  readonly bootstrapServers: string;
  readonly securityProtocol: KafkaClientSettings["securityProtocol"];
  readonly saslMechanism: KafkaClientSettings["saslMechanism"];
}

/** The value of `kafka.<field>` for a Kafka-only field. */
export function kafkaConnectionValue(settings: ResolvedKafkaSettings, field: KafkaConnectionField): string {
  switch (field) {
    case "bootstrapServers":
      return settings.bootstrapServers;
    case "securityProtocol":
      return settings.securityProtocol;
    case "saslMechanism":
      return settings.saslMechanism;
    case "caFile":
      return KAFKA_CA_FILE;
  }
}

/** SHA-256 of the CA certificate (hex), for the pod-template annotation. */
export const kafkaCaDigest = (caCert: string): string => createHash("sha256").update(caCert).digest("hex");

/** The pod volume and container mount of the CA Secret. */
export function kafkaCaVolume(secretName: string) {
  return {
    volume: { name: KAFKA_CA_VOLUME, secret: { secretName, items: [{ key: KAFKA_CA_KEY, path: KAFKA_CA_KEY }] } },
    mount: { name: KAFKA_CA_VOLUME, mountPath: KAFKA_CA_DIR, readOnly: true },
  };
}

/** The CA certificate as a Secret in a client namespace: public, but where Strimzi's documentation has clients read it. */
export function kafkaCaSecretManifest(namespace: string, secretName: string, labels: Readonly<Record<string, string>>, caCert: pulumi.Input<string>) {
  return { metadata: { name: secretName, namespace, labels: { ...labels } }, type: "Opaque", stringData: { [KAFKA_CA_KEY]: caCert } };
}
