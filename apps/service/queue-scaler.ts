/**
 * What a worker that scales on a broker declares beside its ScaledObject: for each broker its
 * triggers read, the Secret and TriggerAuthentication in the app's namespace (`queue-scaling.ts`)
 * and KEDA's own connection to the broker, for the connection check. The triggers are returned for
 * the ScaledObject (`declareAutoscaler`).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AppServiceSpec, PlatformService } from "../../config/apps/service";
import { declareConnection, fromWorkload, serviceOfHost } from "../../lib/connections";
import type { Endpoint } from "../../lib/contracts";
import { kedaWorkloads } from "../../platform/keda/workloads";
import { kafkaAuthValues, kafkaLagTrigger, kedaAuthName, type QueueBroker, queueLengthTrigger, type QueueTrigger, rabbitmqAuthValues, triggerAuthenticationManifest } from "./queue-scaling";

export interface QueueScalingArgs {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: AppServiceSpec;
  /** The app's endpoints (RabbitMQ's is the app's own user). */
  readonly endpoints: Readonly<Partial<Record<PlatformService, Endpoint>>>;
  /** Namespace KEDA's operator runs in. */
  readonly kedaNamespace: string;
  /** The KEDA release (its CRDs), when this stack installs it. @default - none to wait for */
  readonly kedaRelease?: pulumi.Resource;
  readonly parent: pulumi.Resource;
  readonly provider: k8s.Provider;
}

/** The broker triggers of the spec, or undefined when it scales on none. */
export function declareQueueScaling(args: QueueScalingArgs): pulumi.Output<readonly QueueTrigger[]> | undefined {
  const { spec, name, namespace, labels } = args;
  const lag = spec.autoscaling?.kafkaLag;
  const queue = spec.autoscaling?.queueLength;
  if (lag === undefined && queue === undefined) return undefined;
  const child = { parent: args.parent, provider: args.provider };
  const operator = kedaWorkloads(args.kedaNamespace).operator;
  const authenticate = (broker: QueueBroker, endpoint: Endpoint, values: pulumi.Output<Record<string, string>>) => {
    const authName = kedaAuthName(name, broker);
    const secret = new k8s.core.v1.Secret(`${authName}-secret`, { metadata: { name: authName, namespace, labels: { ...labels } }, type: "Opaque", stringData: pulumi.secret(values) }, child);
    new k8s.apiextensions.CustomResource(`${authName}-trigger-authentication`, triggerAuthenticationManifest({ app: name, namespace, broker, labels }), {
      ...child,
      dependsOn: [secret, ...(args.kedaRelease === undefined ? [] : [args.kedaRelease])],
    });
    // KEDA's operator, not the app, reads the broker here: from the operators namespace.
    const target = pulumi.output(endpoint.host).apply((host) => serviceOfHost(host) ?? { name: `(not an in-cluster name: ${host})`, namespace: "" });
    declareConnection({
      purpose: `KEDA ${broker} scaler (${name})`,
      from: fromWorkload(operator),
      to: { kind: "service", namespace: target.apply((t) => t.namespace), name: target.apply((t) => t.name), port: endpoint.port },
    });
  };
  const triggers: pulumi.Output<QueueTrigger>[] = [];
  if (lag !== undefined) {
    const kafka = args.endpoints.kafka;
    const settings = kafka?.kafka;
    if (kafka === undefined || settings === undefined) throw new Error(`AppService ${name}: kafkaLag without the Kafka client settings`);
    authenticate(
      "kafka",
      kafka,
      pulumi.all([kafka.username, kafka.password, settings.caCert]).apply(([username, password, caCert]) => kafkaAuthValues({ username, password, caCert, saslMechanism: settings.saslMechanism })),
    );
    triggers.push(pulumi.output(settings.bootstrapServers).apply((bootstrapServers) => kafkaLagTrigger(name, lag, { bootstrapServers })));
  }
  if (queue !== undefined) {
    const rabbitmq = args.endpoints.rabbitmq;
    if (rabbitmq === undefined) throw new Error(`AppService ${name}: queueLength without a RabbitMQ endpoint`);
    authenticate("rabbitmq", rabbitmq, pulumi.output(rabbitmq.url).apply(rabbitmqAuthValues));
    triggers.push(pulumi.output(queueLengthTrigger(name, queue)));
  }
  return pulumi.all(triggers);
}
