/**
 * The connections an app needs, declared for the connection check (lib/connections.ts): each
 * platform service it `uses` (the Service its endpoint's host names, on every port the service
 * publishes, with the app's env Secret holding the credentials and, for Kafka, the cluster CA
 * Secret), each app it calls, and the object store (in-cluster S3 Service, or S3 outside the
 * cluster on EKS, with the app's role, service account and S3 calls), and the Secrets its
 * `secretEnv`, `secretFiles` and `imagePullSecrets` read (made by strata, by the app's
 * ExternalSecret, or, for `secret:` sources, outside strata).
 */
import * as pulumi from "@pulumi/pulumi";
import { OBJECT_STORE_USE } from "../../config/apps/runtime";
import { type AppServiceSpec, isPlatformService, type PlatformService } from "../../config/apps/service";
import { S3_ENDPOINT } from "../../lib/aws-calls";
import { declareConnection, fromPods, serviceOfHost } from "../../lib/connections";
import type { Endpoint } from "../../lib/contracts";
import { appObjectStoreAccess } from "./aws-connections";
import { isSecretConnection } from "./connections";
import { KAFKA_CA_KEY } from "./kafka-client";
import { hostPortOf } from "./object-store";
import type { AppRuntimeArgs } from "./runtime";
import type { AppSecretSources } from "./secret-sources";

export interface AppConnectionsArgs {
  readonly name: string;
  readonly namespace: string;
  /** Labels every pod of the app carries, whatever its track. */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly spec: AppServiceSpec;
  readonly endpoints: Readonly<Partial<Record<PlatformService, Endpoint>>>;
  readonly calls: readonly { readonly namespace: string; readonly app?: string; readonly port: number }[];
  /** The app's env Secret, when it has one. */
  readonly secretName?: string;
  readonly runtime: AppRuntimeArgs;
  /** The app's IAM role on EKS (`awsAccess`, or the EKS object store). @default - none */
  readonly roleArn?: pulumi.Output<string>;
  /** Secrets the pods read through their secret sources (`secret-sources.ts`). @default [] */
  readonly secretReads?: AppSecretSources["reads"];
  /** The trace collectors' OTLP/HTTP URL the pods export to (`OTEL_EXPORTER_OTLP_ENDPOINT`). @default - none */
  readonly otlpEndpoint?: pulumi.Input<string>;
}

const unknownService = (host: string) => ({ name: `(not an in-cluster name: ${host})`, namespace: "" });

export function declareAppConnections(args: AppConnectionsArgs): void {
  const from = fromPods(args.namespace, args.podLabels);
  const secretKeysFor = (prefix: string) =>
    Object.entries(args.spec.connectionEnv)
      .filter(([, ref]) => ref.startsWith(`${prefix}.`) && isSecretConnection(ref))
      .map(([env]) => env);
  for (const service of args.spec.uses) {
    if (!isPlatformService(service)) continue;
    const endpoint = args.endpoints[service];
    if (endpoint === undefined) continue;
    const target = pulumi.output(endpoint.host).apply((host) => serviceOfHost(host) ?? unknownService(host));
    const keys = secretKeysFor(service);
    // A Kafka client also reads the cluster CA, which apps/kafka-ca writes into its namespace.
    const secrets = [
      ...(endpoint.kafka === undefined ? [] : [{ name: endpoint.kafka.caSecretName, keys: [KAFKA_CA_KEY] }]),
      ...(keys.length === 0 || args.secretName === undefined ? [] : [{ name: args.secretName, keys }]),
    ];
    // Apps get `host` (never `readHost`), and every port the service publishes is on that Service.
    for (const port of endpoint.ports) {
      declareConnection({
        purpose: `${service} client`,
        from,
        to: { kind: "service", namespace: target.apply((t) => t.namespace), name: target.apply((t) => t.name), port },
        ...(secrets.length === 0 ? {} : { secrets }),
      });
    }
  }
  for (const callee of args.calls) {
    if (callee.app === undefined) continue;
    declareConnection({ purpose: "calls", from, to: { kind: "service", namespace: callee.namespace, name: callee.app, port: callee.port } });
  }
  if (args.otlpEndpoint !== undefined) {
    // The SDKs' exports (traces; metrics and logs too, if the app sends them) to the agent tier.
    const url = pulumi.output(args.otlpEndpoint).apply((endpoint) => new URL(endpoint));
    const target = url.apply((u) => serviceOfHost(u.hostname) ?? unknownService(u.hostname));
    declareConnection({
      purpose: "OpenTelemetry export (OTLP/HTTP)",
      from,
      to: { kind: "service", namespace: target.apply((t) => t.namespace), name: target.apply((t) => t.name), port: url.apply((u) => Number(u.port)) },
    });
  }
  if ((args.secretReads ?? []).length > 0) {
    declareConnection({ purpose: "secret sources", from, to: { kind: "mounted", description: "Secrets the kubelet hands the pods" }, secrets: args.secretReads ?? [] });
  }
  const roleArn = args.roleArn;
  const store = args.runtime.objectStore?.store;
  if (store !== undefined) {
    const keys = secretKeysFor(OBJECT_STORE_USE);
    if (store.credentials === undefined) {
      const eks = args.runtime.eks;
      const bucket = eks?.bucket === undefined ? undefined : { ...eks.bucket, region: eks.region };
      declareConnection({
        purpose: "object store (S3)",
        from,
        to: S3_ENDPOINT,
        ...(roleArn === undefined || bucket === undefined ? {} : { aws: appObjectStoreAccess({ name: args.name, namespace: args.namespace, roleArn, bucket }) }),
      });
    } else {
      const hostPort = store.endpoint.apply((url) => hostPortOf(url));
      const target = hostPort.apply((hp) => serviceOfHost(hp) ?? unknownService(hp));
      declareConnection({
        purpose: "object store (S3)",
        from,
        to: { kind: "service", namespace: target.apply((t) => t.namespace), name: target.apply((t) => t.name), port: hostPort.apply((hp) => Number(hp.split(":")[1])) },
        ...(keys.length === 0 || args.secretName === undefined ? {} : { secrets: [{ name: args.secretName, keys }] }),
      });
    }
  }
}
