/**
 * Pure: the pods the external-secrets (2.9.0) and reloader (2.2.16) charts render for strata's
 * values, as the connection check sees them (lib/connections.ts), and the paths they need.
 * - ESO: every pod carries `app.kubernetes.io/name` (its component) and `app.kubernetes.io/instance`
 *   (the release) (templates/_helpers.tpl `*.selectorLabels`); the webhook's container port
 *   `webhook` (`webhook.port`, 10250) sits behind Service `external-secrets-webhook` 443
 *   (templates/webhook-service.yaml), called by the ValidatingWebhookConfiguration.
 * - Reloader: pods labelled `app: <release>-reloader`, `release: <release>`
 *   (templates/_helpers.tpl `reloader-match-labels.chart`).
 * Every one of them talks to the API server; the controller also reaches each store.
 */
import * as pulumi from "@pulumi/pulumi";
import type { SecretStoreSettings } from "../../config/platform/secrets";
import { type ConnectionDeclaration, fromWorkload, type WorkloadDeclaration } from "../../lib/connections";
import { storeCalls, storeEndpoint } from "./aws-access";
import { storeServiceAccount } from "./stores";
import { ESO_APPS, ESO_METRICS_PORT, ESO_RELEASE, ESO_WEBHOOK_PORT, RELOADER_RELEASE } from "./values";

export type SecretsWorkloads = Readonly<Record<"controller" | "webhook" | "certController" | "reloader", WorkloadDeclaration>>;

export function secretsWorkloads(namespace: string): SecretsWorkloads {
  const eso = (app: string, containerPorts: Record<string, number>, services: WorkloadDeclaration["services"] = []): WorkloadDeclaration => ({
    id: `${namespace}/${app}`,
    pods: { namespace, labels: { "app.kubernetes.io/name": app, "app.kubernetes.io/instance": ESO_RELEASE } },
    containerPorts,
    services,
  });
  const reloaderApp = `${RELOADER_RELEASE}-reloader`;
  return {
    controller: eso(ESO_APPS.controller, { metrics: ESO_METRICS_PORT }),
    webhook: eso(ESO_APPS.webhook, { webhook: ESO_WEBHOOK_PORT, metrics: ESO_METRICS_PORT }, [{ name: ESO_APPS.webhook, ports: { webhook: 443 }, targetPorts: { webhook: "webhook" } }]),
    certController: eso(ESO_APPS.certController, { metrics: ESO_METRICS_PORT }),
    reloader: { id: `${namespace}/${reloaderApp}`, pods: { namespace, labels: { app: reloaderApp, release: RELOADER_RELEASE } }, containerPorts: { http: 9090 } },
  };
}

/** The port a Vault URL is reached on. */
export function vaultPort(server: string): number {
  const match = /^https:\/\/[^/:]+:(\d+)/.exec(server);
  return match === null ? 443 : Number(match[1]);
}

/** What the AWS stores' connections need on EKS. */
export interface StoreIdentities {
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  /** Store name → its role's ARN. */
  readonly roleArns: Readonly<Record<string, pulumi.Input<string>>>;
}

export function secretsConnections(workloads: SecretsWorkloads, stores: Readonly<Record<string, SecretStoreSettings>>, identities?: StoreIdentities): ConnectionDeclaration[] {
  const namespace = workloads.controller.pods.namespace as string;
  const controller = fromWorkload(workloads.controller);
  const connections: ConnectionDeclaration[] = [
    { purpose: "ExternalSecret admission webhook", from: { kind: "api-server" }, to: { kind: "service", namespace, name: ESO_APPS.webhook, port: 443 } },
    { purpose: "ExternalSecrets, stores and the Secrets they write", from: controller, to: { kind: "api-server" } },
    { purpose: "webhook certificate and CRD conversion", from: fromWorkload(workloads.certController), to: { kind: "api-server" } },
    { purpose: "watch Secrets, roll workloads", from: fromWorkload(workloads.reloader), to: { kind: "api-server" } },
  ];
  for (const [name, store] of Object.entries(stores)) {
    if (store.provider === "vault") {
      connections.push({ purpose: `secret store ${name}: Vault Kubernetes login and KV reads`, from: controller, to: { kind: "external", name: "vault", port: vaultPort(store.vault?.server ?? "") } });
      continue;
    }
    const roleArn = identities?.roleArns[name];
    if (identities === undefined || roleArn === undefined) continue;
    const provider = store.provider;
    const serviceAccount = storeServiceAccount(name);
    connections.push({ purpose: `secret store ${name}: the store's role (AssumeRoleWithWebIdentity)`, from: controller, to: { kind: "external", name: "sts", port: 443 } });
    connections.push({
      purpose: `secret store ${name}: read under ${store.prefix}`,
      from: controller,
      to: { kind: "external", name: storeEndpoint(provider), port: 443 },
      // The identity step (storeIdentityStep) is decided by the role's trust, which the check
      // matches against `serviceAccount`; the calls are the role's own.
      aws: pulumi.all([roleArn, identities.accountId]).apply(([role, accountId]) => ({
        roleArn: role,
        serviceAccount: { namespace, name: serviceAccount },
        calls: storeCalls({ provider, prefix: store.prefix, region: identities.region, accountId }, "app/api-key"),
      })),
    });
  }
  return connections;
}
