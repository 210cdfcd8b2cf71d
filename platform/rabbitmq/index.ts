/**
 * RabbitMQ: the cluster operator from its pinned release manifest, a `RabbitmqCluster` with the
 * default user from a generated Secret, a PDB, optional AMQPS from the internal issuer and a
 * PodMonitor; the messaging-topology-operator, through which the apps layer gives each app its
 * own user (apps/rabbitmq-users). The nodes' volumes are copied by Velero where it copies volume
 * data (no operator backup; ./volume-backup.ts).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { RabbitmqSettings } from "../../config/platform/rabbitmq";
import { MANIFESTS } from "../../lib/catalog";
import type { Endpoint, Placement } from "../../lib/contracts";
import { standardLabels } from "../../lib/labels";
import { disruptionBudget, plainSecretData, podMonitor } from "../data-service";
import { AMQP_PORT, AMQPS_PORT, defaultUserData, RABBITMQ_METRICS_PORT_NAME, rabbitmqClusterSpec, rabbitmqPodLabels } from "./values";
import { type MonitoringCrds, withMonitoringCrds } from "../../lib/monitoring-crds";
import { declareConnection, declareWorkload } from "../../lib/connections";
import { rabbitmqOperatorPolicy } from "./network-policies";
import { rabbitmqOperatorConnection, rabbitmqOperatorWorkload, rabbitmqWorkload, topologyOperatorConnections, topologyOperatorWorkload } from "./workloads";

export interface RabbitmqArgs {
  readonly provider: k8s.Provider;
  /** Namespace of the cluster and its Secrets (the operator has its own, `rabbitmq-system`). */
  readonly namespace: string;
  readonly settings: RabbitmqSettings;
  readonly placement: Placement;
  /** Storage class of the data volumes. @default - the cluster default */
  readonly storageClass?: string;
  /** ClusterIssuer for the AMQPS certificate; TLS is off without it. @default - none */
  readonly tlsIssuer?: string;
  /** Velero copies the nodes' volumes (file-system backup opt-in). @default false */
  readonly veleroVolumeBackup?: boolean;
  /** `protect` the operator and the cluster. @default false */
  readonly protect?: boolean;
  /** Settles to the release installing the Prometheus Operator CRDs its monitors need. @default - none to wait for */
  readonly monitoringCrds?: MonitoringCrds;
}

const DEFAULT_USER = "strata";
/** Default-user Secret entries that carry the password. */
const SECRET_KEYS = ["password", "default_user.conf", "connection_string"];

/** A RabbitMQ cluster managed by the RabbitMQ cluster operator. */
export class Rabbitmq extends pulumi.ComponentResource {
  public readonly endpoint: Endpoint;
  /** The messaging-topology-operator's manifest: its CRDs exist once it is applied. */
  public readonly topologyOperator: pulumi.Resource;

  constructor(name: string, args: RabbitmqArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:platform:Rabbitmq", name, {}, opts);
    const s = args.settings;
    const childOpts = { parent: this, provider: args.provider };
    const protect = args.protect ?? false;
    const operator = new k8s.yaml.v2.ConfigFile(`${name}-operator`, { file: MANIFESTS.rabbitmqClusterOperator.url }, { ...childOpts, protect });

    const password = new random.RandomPassword(`${name}-default-password`, { length: 32, special: false }, { parent: this });
    const secretName = `${s.name}-default-user`;
    const userSecret = new k8s.core.v1.Secret(
      `${name}-default-user`,
      {
        metadata: { name: secretName, namespace: args.namespace, labels: standardLabels({ name: secretName, component: "credentials" }) },
        type: "Opaque",
        data: plainSecretData(Object.fromEntries(Object.entries(defaultUserData(s.name, args.namespace, DEFAULT_USER, "")).filter(([key]) => !SECRET_KEYS.includes(key)))),
        stringData: Object.fromEntries(SECRET_KEYS.map((key) => [key, pulumi.secret(password.result.apply((p) => defaultUserData(s.name, args.namespace, DEFAULT_USER, p)[key] ?? ""))])),
      },
      childOpts,
    );

    const tlsSecret = `${s.name}-tls`;
    const certificate =
      s.tls && args.tlsIssuer !== undefined
        ? new k8s.apiextensions.CustomResource(
            `${name}-certificate`,
            {
              apiVersion: "cert-manager.io/v1",
              kind: "Certificate",
              metadata: { name: tlsSecret, namespace: args.namespace, labels: standardLabels({ name: tlsSecret, component: "certificate" }) },
              spec: {
                secretName: tlsSecret,
                dnsNames: [s.name, `${s.name}.${args.namespace}.svc`, `*.${s.name}-nodes.${args.namespace}.svc`],
                issuerRef: { name: args.tlsIssuer, kind: "ClusterIssuer", group: "cert-manager.io" },
                privateKey: { algorithm: "ECDSA", size: 256 },
              },
            },
            childOpts,
          )
        : undefined;

    const cluster = new k8s.apiextensions.CustomResource(
      `${name}-cluster`,
      {
        apiVersion: "rabbitmq.com/v1beta1",
        kind: "RabbitmqCluster",
        metadata: { name: s.name, namespace: args.namespace, labels: standardLabels({ name: s.name, component: "message-broker" }) },
        spec: rabbitmqClusterSpec(s.name, {
          replicas: s.replicas,
          resources: s.resources,
          storageGi: s.storage.sizeGi,
          ...(args.storageClass === undefined ? {} : { storageClass: args.storageClass }),
          placement: args.placement,
          defaultUserSecret: secretName,
          ...(certificate === undefined ? {} : { tlsSecret }),
          veleroVolumeBackup: args.veleroVolumeBackup ?? false,
        }),
      },
      { ...childOpts, protect, dependsOn: [operator, userSecret, ...(certificate ? [certificate] : [])] },
    );
    declareWorkload(rabbitmqWorkload(args.namespace, s.name, { tls: certificate !== undefined }));
    const operatorNamespace = MANIFESTS.rabbitmqClusterOperator.namespace;
    const operatorPods = rabbitmqOperatorWorkload(operatorNamespace);
    declareWorkload(operatorPods);
    declareConnection(rabbitmqOperatorConnection(operatorPods, args.namespace, s.name));
    // Installed after the cluster operator, whose manifest creates the namespace both use.
    this.topologyOperator = new k8s.yaml.v2.ConfigFile(`${name}-topology-operator`, { file: MANIFESTS.rabbitmqTopologyOperator.url }, { ...childOpts, protect, dependsOn: [operator] });
    const topologyPods = topologyOperatorWorkload(operatorNamespace);
    declareWorkload(topologyPods);
    for (const connection of topologyOperatorConnections(topologyPods, args.namespace, s.name)) declareConnection(connection);
    const policy = rabbitmqOperatorPolicy({ cluster: s.name, namespace: args.namespace, operatorNamespace });
    new k8s.networking.v1.NetworkPolicy(
      `${name}-operator-access`,
      { metadata: { name: policy.name, namespace: policy.namespace, labels: standardLabels({ name: policy.name, component: "network-policy" }) }, spec: policy.spec },
      childOpts,
    );
    if (s.replicas > 1) {
      new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, disruptionBudget(s.name, args.namespace, rabbitmqPodLabels(s.name)), { ...childOpts, dependsOn: [cluster] });
    }
    if (s.metrics) {
      new k8s.apiextensions.CustomResource(`${name}-metrics`, podMonitor(`${s.name}-rabbitmq`, args.namespace, rabbitmqPodLabels(s.name), RABBITMQ_METRICS_PORT_NAME), {
        ...childOpts,
        dependsOn: withMonitoringCrds([cluster], args.monitoringCrds),
      });
    }

    const host = `${s.name}.${args.namespace}.svc`;
    // With TLS the operator adds `amqps` 5671 beside `amqp` 5672 (cluster-operator v2.22.3,
    // internal/resource/service.go and statefulset.go); ./workloads.ts declares them.
    const clientPorts: Record<string, number> = certificate === undefined ? { amqp: AMQP_PORT } : { amqp: AMQP_PORT, amqps: AMQPS_PORT };
    this.endpoint = {
      kind: "rabbitmq",
      namespace: args.namespace,
      host: pulumi.output(host),
      port: pulumi.output<number>(AMQP_PORT),
      ports: Object.values(clientPorts),
      username: pulumi.output(DEFAULT_USER),
      password: pulumi.secret(password.result),
      url: pulumi.secret(pulumi.interpolate`amqp://${DEFAULT_USER}:${password.result}@${host}:${AMQP_PORT}/`),
      secretName: userSecret.metadata.name,
    };
    this.registerOutputs({ host: this.endpoint.host, secretName: this.endpoint.secretName });
  }
}
