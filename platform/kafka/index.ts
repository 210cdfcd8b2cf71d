/**
 * Kafka: the Strimzi operator (in the operators namespace, watching the data namespace), the
 * cluster CA strata generates for it, a KRaft `Kafka` with its `KafkaNodePool`s, a SCRAM
 * `KafkaUser` whose password strata generates, and PodMonitors for the brokers, the Kafka Exporter
 * and the operator.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { KafkaSettings } from "../../config/platform/kafka";
import type { Endpoint, Placement } from "../../lib/contracts";
import { helmRelease } from "../../lib/helm";
import { standardLabels } from "../../lib/labels";
import { declareConnection, declareWorkload } from "../../lib/connections";
import { plainSecretData, podMonitor } from "../data-service";
import { bootstrapHost, bootstrapServers, KAFKA_CLIENT_SECURITY, KAFKA_METRICS_PORT_NAME, KAFKA_TLS_PORT, kafkaSpec, kafkaUserSpec, nodePoolSpec, STRIMZI_OPERATOR_POD_LABELS, strimziOperatorValues } from "./values";
import { type MonitoringCrds, withMonitoringCrds } from "../../lib/monitoring-crds";
import { clusterCaCertSecretName } from "./ca-values";
import { KafkaClusterCa } from "./cluster-ca";
import { kafkaExporterConnection, kafkaWorkloads, strimziOperatorWorkload } from "./workloads";

export interface KafkaArgs {
  readonly provider: k8s.Provider;
  /** Namespace of the Kafka cluster and its Secrets. */
  readonly namespace: string;
  /** Namespace the Strimzi operator runs in. */
  readonly operatorNamespace: string;
  readonly settings: KafkaSettings;
  readonly placement: Placement;
  /** Storage class by node pool name. @default - the cluster default */
  readonly storageClasses?: Readonly<Record<string, string | undefined>>;
  /** Velero copies the nodes' data volumes (file-system backup opt-in). @default false */
  readonly veleroVolumeBackup?: boolean;
  /** `protect` the operator release, the cluster and its node pools. @default false */
  readonly protect?: boolean;
  /** Settles to the release installing the Prometheus Operator CRDs its monitors need. @default - none to wait for */
  readonly monitoringCrds?: MonitoringCrds;
}

/** Apache Kafka on Strimzi. */
export class Kafka extends pulumi.ComponentResource {
  public readonly endpoint: Endpoint;

  constructor(name: string, args: KafkaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:platform:Kafka", name, {}, opts);
    const s = args.settings;
    const childOpts = { parent: this, provider: args.provider };
    const protect = args.protect ?? false;
    const operator = helmRelease(`${name}-operator`, { chart: "strimzi-kafka-operator", namespace: args.operatorNamespace, releaseName: "strimzi", values: strimziOperatorValues(args.namespace, args.placement) }, { ...childOpts, protect });
    const clusterLabel = { "strimzi.io/cluster": s.name };
    const ca = new KafkaClusterCa(`${name}-cluster-ca`, { provider: args.provider, cluster: s.name, namespace: args.namespace, validityDays: s.clusterCa.validityDays, generations: s.clusterCa }, { parent: this });

    const pools = Object.entries(s.nodePools).map(
      ([poolName, pool]) =>
        new k8s.apiextensions.CustomResource(
          `${name}-pool-${poolName}`,
          {
            apiVersion: "kafka.strimzi.io/v1",
            kind: "KafkaNodePool",
            metadata: { name: poolName, namespace: args.namespace, labels: { ...standardLabels({ name: poolName, instance: s.name, component: "kafka-node-pool" }), ...clusterLabel } },
            spec: nodePoolSpec(
              s.name,
              { name: poolName, roles: pool.roles, replicas: pool.replicas, resources: pool.resources, storageGi: pool.storage.sizeGi, ...(args.storageClasses?.[poolName] === undefined ? {} : { storageClass: args.storageClasses[poolName] }),
                veleroVolumeBackup: args.veleroVolumeBackup ?? false,
              },
              args.placement,
            ),
          },
          { ...childOpts, protect, dependsOn: [operator] },
        ),
    );
    const cluster = new k8s.apiextensions.CustomResource(
      `${name}-cluster`,
      {
        apiVersion: "kafka.strimzi.io/v1",
        kind: "Kafka",
        metadata: { name: s.name, namespace: args.namespace, labels: standardLabels({ name: s.name, component: "message-broker" }) },
        spec: kafkaSpec(s.name, { replicationFactor: s.replicationFactor, minInSyncReplicas: s.minInSyncReplicas, placement: args.placement, metrics: s.metrics }),
      },
      // Strimzi refuses a Kafka whose user-managed CA Secrets do not exist yet (CustomCaProvider).
      { ...childOpts, protect, dependsOn: [operator, ...pools, ...ca.secrets] },
    );

    const password = new random.RandomPassword(`${name}-user-password`, { length: 32, special: false }, { parent: this });
    const secretName = `${s.name}-${s.username}-credentials`;
    const host = bootstrapHost(s.name, args.namespace);
    const url = pulumi.secret(pulumi.interpolate`kafka+ssl://${s.username}:${password.result}@${host}:${KAFKA_TLS_PORT}`);
    const userSecret = new k8s.core.v1.Secret(
      `${name}-user-secret`,
      {
        metadata: { name: secretName, namespace: args.namespace, labels: standardLabels({ name: secretName, component: "credentials" }) },
        type: "Opaque",
        data: plainSecretData({
          bootstrapServers: bootstrapServers(s.name, args.namespace),
          ...KAFKA_CLIENT_SECURITY,
          username: s.username,
          caSecret: clusterCaCertSecretName(s.name),
        }),
        stringData: { password: pulumi.secret(password.result), url },
      },
      childOpts,
    );
    new k8s.apiextensions.CustomResource(
      `${name}-user`,
      {
        apiVersion: "kafka.strimzi.io/v1",
        kind: "KafkaUser",
        metadata: { name: s.username, namespace: args.namespace, labels: { ...standardLabels({ name: s.username, instance: s.name, component: "kafka-user" }), ...clusterLabel } },
        spec: kafkaUserSpec(secretName, s.topicPrefix),
      },
      { ...childOpts, dependsOn: [cluster, userSecret] },
    );
    if (s.metrics) {
      // Selects every pod of the Kafka on `tcp-prometheus`: the brokers' metrics reporter and the Kafka Exporter.
      new k8s.apiextensions.CustomResource(`${name}-metrics`, podMonitor(`${s.name}-kafka`, args.namespace, { ...clusterLabel, "strimzi.io/kind": "Kafka" }, KAFKA_METRICS_PORT_NAME), {
        ...childOpts,
        dependsOn: withMonitoringCrds([cluster], args.monitoringCrds),
      });
      // The operator reports the cluster CA's expiry (strimzi_certificate_expiration_timestamp_ms) on its `http` port; the expiry alert reads it.
      new k8s.apiextensions.CustomResource(`${name}-operator-metrics`, podMonitor("strimzi-cluster-operator", args.operatorNamespace, STRIMZI_OPERATOR_POD_LABELS, "http"), {
        ...childOpts,
        dependsOn: withMonitoringCrds([operator], args.monitoringCrds),
      });
    }
    for (const workload of kafkaWorkloads({ cluster: s.name, namespace: args.namespace, pools: s.nodePools, username: s.username, metrics: s.metrics })) declareWorkload(workload);
    declareWorkload(strimziOperatorWorkload(args.operatorNamespace));
    if (s.metrics) declareConnection(kafkaExporterConnection(s.name, args.namespace));

    this.endpoint = {
      kind: "kafka",
      namespace: args.namespace,
      host: pulumi.output(host),
      port: pulumi.output<number>(KAFKA_TLS_PORT),
      ports: [KAFKA_TLS_PORT],
      username: pulumi.output(s.username),
      password: pulumi.secret(password.result),
      url,
      secretName: userSecret.metadata.name,
      kafka: {
        bootstrapServers: pulumi.output(bootstrapServers(s.name, args.namespace)),
        ...KAFKA_CLIENT_SECURITY,
        caCert: ca.certPem,
        caSecretName: clusterCaCertSecretName(s.name),
      },
    };
    this.registerOutputs({ host: this.endpoint.host, secretName: this.endpoint.secretName });
  }
}
