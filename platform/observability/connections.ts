/**
 * The pods kube-prometheus-stack, Loki and Tempo create, and the paths they need beyond the
 * namespace (lib/connections.ts): Alertmanager to its receivers, the API server to the Prometheus
 * Operator's admission webhooks, and on EKS Loki and Tempo to S3 and STS with their IRSA roles.
 */
import * as pulumi from "@pulumi/pulumi";
import { type AwsCall, declareConnection, declareWorkload, fromWorkload } from "../../lib/connections";
import { LOKI_PORT, LOKI_TENANT } from "./logs-values";
import { STORE_PODS } from "./network-policies";
import { ALERTMANAGER_CONFIG_SECRET, ALERTMANAGER_POD_LABELS, ALERTMANAGER_PORT, METRICS_RELEASE, OPERATOR_POD_LABELS, OPERATOR_WEBHOOK } from "./prometheus-values";
import type { TelemetryIdentity, TelemetryStore } from "./store-identity";
import { TEMPO_HTTP_PORT } from "./traces-values";

export interface ObservabilityConnectionsInput {
  readonly namespace: string;
  /** Stores that reach their bucket on S3 with an IRSA role (EKS), with the role and bucket. @default {} */
  readonly identities?: Readonly<Partial<Record<TelemetryStore, TelemetryIdentity>>>;
  /** Region of the S3 buckets (the KMS calls go through S3 there). */
  readonly region: string;
}

/**
 * Each store's HTTP port as its chart names it on the container and on the Service (loki 18.11.0
 * `_pod.tpl`, `_service.tpl`; tempo 2.2.4 `statefulset.yaml`, `_ports.tpl`).
 */
const STORE_HTTP: Readonly<Record<TelemetryStore, { readonly service: string; readonly containerPort: string; readonly servicePort: string; readonly port: number }>> = {
  logs: { service: "loki", containerPort: "http-metrics", servicePort: "http-metrics", port: LOKI_PORT },
  traces: { service: "tempo", containerPort: "prom-metrics", servicePort: "tempo-prom-metrics", port: TEMPO_HTTP_PORT },
};

/**
 * What each store's S3 client does in its bucket, one call per action its role grants
 * (tests/infra/eks/iam/telemetry-stores.integration.test.ts has the full sequences), and the
 * SSE-KMS data keys S3 asks for on its behalf.
 */
function storeCalls(store: TelemetryStore, identity: TelemetryIdentity, region: string): AwsCall[] {
  const object = (key: string) => pulumi.interpolate`${identity.bucketArn}/${key}`;
  // The context AWS sets on the KMS calls S3 makes for the caller (SSE-KMS).
  const viaS3 = { "kms:ViaService": `s3.${region}.amazonaws.com`, "kms:CallerAccount": identity.keyArn.apply((arn) => arn.split(":")[4] ?? "") };
  const prefix = store === "logs" ? "index/" : "single-tenant/";
  const chunk = store === "logs" ? `${LOKI_TENANT}/6d2f1a0b3c4e5f60/18c1a2b3c4d:18c1a2b3c4e:1a2b3c4d` : "single-tenant/4f3c2b1a-0d9e-4c8b-a7f6-e5d4c3b2a190/data.parquet";
  return [
    { why: "list the stored objects", action: "s3:ListBucket", resource: identity.bucketArn, context: { "s3:prefix": prefix } },
    { why: "write a chunk or block", action: "s3:PutObject", resource: object(chunk) },
    { why: "encrypt it with the bucket key", action: "kms:GenerateDataKey", resource: identity.keyArn, context: viaS3 },
    { why: "read it for a query", action: "s3:GetObject", resource: object(chunk) },
    { why: "decrypt it", action: "kms:Decrypt", resource: identity.keyArn, context: viaS3 },
    ...(store === "traces"
      ? [
          { why: "tag a block", action: "s3:PutObjectTagging", resource: object(chunk) },
          { why: "read a block's tags", action: "s3:GetObjectTagging", resource: object(chunk) },
        ]
      : []),
    { why: "delete it past retention", action: "s3:DeleteObject", resource: object(chunk) },
  ];
}

export function declareObservabilityConnections(input: ObservabilityConnectionsInput): void {
  const { namespace } = input;
  const alertmanager = {
    id: `${namespace}/alertmanager`,
    pods: { namespace, labels: ALERTMANAGER_POD_LABELS },
    containerPorts: { "http-web": ALERTMANAGER_PORT },
    services: [{ name: `${METRICS_RELEASE}-alertmanager`, ports: { "http-web": ALERTMANAGER_PORT } }],
  };
  declareWorkload(alertmanager);
  declareConnection({
    purpose: "Alertmanager notifies its receivers (Slack, PagerDuty, webhooks)",
    from: fromWorkload(alertmanager),
    to: { kind: "external", name: "alert-receivers", port: 443 },
    secrets: [{ name: ALERTMANAGER_CONFIG_SECRET, keys: ["alertmanager.yaml"] }],
  });

  const operator = {
    id: `${namespace}/prometheus-operator`,
    pods: { namespace, labels: OPERATOR_POD_LABELS },
    containerPorts: { https: OPERATOR_WEBHOOK.containerPort },
    services: [{ name: `${METRICS_RELEASE}-operator`, ports: { https: OPERATOR_WEBHOOK.servicePort } }],
  };
  declareWorkload(operator);
  declareConnection({
    purpose: "the API server calls the Prometheus Operator's admission webhooks (PrometheusRule, AlertmanagerConfig)",
    from: { kind: "api-server" },
    to: { kind: "service", namespace, name: `${METRICS_RELEASE}-operator`, port: OPERATOR_WEBHOOK.servicePort },
  });

  for (const [store, identity] of Object.entries(input.identities ?? {}) as [TelemetryStore, TelemetryIdentity][]) {
    const pods = STORE_PODS[store];
    const http = STORE_HTTP[store];
    const workload = {
      id: `${namespace}/${pods.name}`,
      pods: { namespace, labels: pods.labels },
      containerPorts: { [http.containerPort]: http.port },
      services: [{ name: http.service, ports: { [http.servicePort]: http.port } }],
    };
    declareWorkload(workload);
    // The web-identity exchange is decided by the role's trust policy, not its permissions.
    declareConnection({ purpose: `${pods.name} trades its service account token for the role's credentials`, from: fromWorkload(workload), to: { kind: "external", name: "sts", port: 443 } });
    declareConnection({
      purpose: `${pods.name} keeps its data in the ${store} bucket`,
      from: fromWorkload(workload),
      to: { kind: "external", name: "s3", port: 443 },
      aws: { roleArn: identity.roleArn, calls: storeCalls(store, identity, input.region) },
    });
  }
}
