/**
 * `KafkaClientCa`: Kafka's cluster CA certificate as a Secret in every namespace whose pods use
 * Kafka, under the name Strimzi gives it in the Kafka namespace (`<cluster>-cluster-ca-cert`,
 * key `ca.crt`), so a client is configured as Strimzi's documentation describes
 * (documentation/modules/security/con-certificate-renewal.adoc, "Managing certificate renewal
 * for client applications"). The certificate comes from the platform contract, so the copies
 * are written the same way when the platform layer runs in another stack, and a renewal is
 * one `pulumi up` of each stack (`platform/kafka/cluster-ca.ts`).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { KafkaClientSettings } from "../../lib/contracts";
import { standardLabels } from "../../lib/labels";
import { kafkaCaSecretManifest } from "../service/kafka-client";

export interface KafkaClientCaArgs {
  readonly provider: k8s.Provider;
  /** Kafka's client settings from the platform contract (`Endpoint.kafka`). */
  readonly settings: KafkaClientSettings;
  /** Client namespaces, each with what its Secret must wait for (a tenant's namespace). */
  readonly namespaces: Readonly<Record<string, readonly pulumi.Resource[]>>;
}

export class KafkaClientCa extends pulumi.ComponentResource {
  /** The CA Secret by namespace; the apps there wait for theirs. */
  public readonly secrets: Readonly<Record<string, k8s.core.v1.Secret>>;

  constructor(name: string, args: KafkaClientCaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:apps:KafkaClientCa", name, {}, opts);
    const secretName = args.settings.caSecretName;
    const labels = standardLabels({ name: secretName, component: "kafka-client-ca" });
    this.secrets = Object.fromEntries(
      Object.entries(args.namespaces).map(([namespace, dependsOn]) => [
        namespace,
        new k8s.core.v1.Secret(`${name}-${namespace}`, kafkaCaSecretManifest(namespace, secretName, labels, args.settings.caCert), { parent: this, provider: args.provider, dependsOn: [...dependsOn] }),
      ]),
    );
    this.registerOutputs({ namespaces: Object.keys(this.secrets) });
  }
}
