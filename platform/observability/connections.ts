/**
 * The pods kube-prometheus-stack, Loki and Tempo create, and the paths they need beyond the
 * namespace (lib/connections.ts): Alertmanager to its receivers, the API server to the Prometheus
 * Operator's admission webhooks, and on EKS Loki and Tempo to S3 and STS with their IRSA roles.
 */
import * as pulumi from "@pulumi/pulumi";
import { type AwsCall, declareConnection, declareWorkload, fromWorkload } from "../../lib/connections";
import type { S3Target } from "../../lib/aws-calls";
import { alertmanagerWorkload, lokiWorkload, tempoWorkload } from "./chart-workloads";
import { STORE_PODS } from "./network-policies";
import { lokiS3Calls, tempoS3Calls } from "./store-calls";
import { ALERTMANAGER_CONFIG_SECRET, METRICS_RELEASE, OPERATOR_POD_LABELS, OPERATOR_WEBHOOK } from "./prometheus-values";
import type { TelemetryIdentity, TelemetryStore } from "./store-identity";

export interface ObservabilityConnectionsInput {
  readonly namespace: string;
  /** Stores that reach their bucket on S3 with an IRSA role (EKS), with the role and bucket. @default {} */
  readonly identities?: Readonly<Partial<Record<TelemetryStore, TelemetryIdentity>>>;
  /** Region of the S3 buckets (the KMS calls go through S3 there). */
  readonly region: string;
}

/**
 * What each store's S3 client does in its bucket, in order (store-calls.ts, from the clients'
 * source); Tempo's minio-go client is given the store's region (tempoConfig), so it never asks
 * for the bucket's.
 */
function storeCalls(store: TelemetryStore, target: S3Target, region: string): AwsCall[] {
  return store === "logs" ? lokiS3Calls(target) : tempoS3Calls(target, { region });
}

export function declareObservabilityConnections(input: ObservabilityConnectionsInput): void {
  const { namespace } = input;
  // Alertmanager's, Loki's and Tempo's pods are declared with the charts' others (chart-workloads.ts).
  const alertmanager = alertmanagerWorkload(namespace);
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
    const workload = store === "logs" ? lokiWorkload(namespace) : tempoWorkload(namespace);
    // The web-identity exchange is decided by the role's trust policy, not its permissions.
    declareConnection({ purpose: `${pods.name} trades its service account token for the role's credentials`, from: fromWorkload(workload), to: { kind: "external", name: "sts", port: 443 } });
    declareConnection({
      purpose: `${pods.name} keeps its data in the ${store} bucket`,
      from: fromWorkload(workload),
      to: { kind: "external", name: "s3", port: 443 },
      aws: pulumi.all([identity.roleArn, identity.bucketArn, identity.keyArn]).apply(([roleArn, bucketArn, keyArn]) => ({
        roleArn,
        // The chart's service account (`serviceAccount.name`), which the role's trust names.
        serviceAccount: { namespace, name: identity.serviceAccount },
        // The key is the account's: its ARN names the account S3 calls KMS from.
        calls: storeCalls(store, { bucketArn, keyArn, region: input.region, accountId: keyArn.split(":")[4] ?? "" }, input.region),
      })),
    });
  }
}
