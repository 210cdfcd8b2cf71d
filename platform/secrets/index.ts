/**
 * Secret stores (`strata:platform.secrets`): External Secrets Operator and Stakater Reloader in
 * the operators namespace, one ClusterSecretStore per store with the service account it
 * authenticates as, on EKS the store's IAM role, for Vault the TokenReview delegation, and the
 * egress the controller needs to reach each store. Apps render ExternalSecrets against the
 * stores and the Reloader annotation on their workloads (apps layer).
 */
import * as aws from "../../lib/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { SecretStoreSettings } from "../../config/platform/secrets";
import type { ClusterAddresses } from "../../cluster/network-policies/addresses";
import { declareConnection, declareWorkload } from "../../lib/connections";
import type { EksExtras, Placement, SecretStoreRef } from "../../lib/contracts";
import { helmRelease } from "../../lib/helm";
import { standardLabels } from "../../lib/labels";
import { type MonitoringCrds, withMonitoringCrds } from "../../lib/monitoring-crds";
import { storeReadPolicy, storeTrust } from "./aws-access";
import { storeEgressPolicy } from "./network-policies";
import { clusterSecretStore, storeServiceAccount } from "./stores";
import { ESO_RELEASE, externalSecretsValues, RELOADER_ANNOTATION, RELOADER_RELEASE, reloaderValues } from "./values";
import { secretsConnections, secretsWorkloads } from "./workloads";

export interface SecretStoresArgs {
  readonly provider: k8s.Provider;
  /** Namespace ESO and Reloader run in (the operators namespace). */
  readonly namespace: string;
  /** The configured stores, by name. */
  readonly stores: Readonly<Record<string, SecretStoreSettings>>;
  /** Namespaces a store without `namespaces` admits: every app namespace. */
  readonly appNamespaces: readonly string[];
  /** Replicas of each component. @default 1 */
  readonly replicas?: number;
  /** Where the pods run (the platform pools). */
  readonly placement: Placement;
  /** The cluster's ranges: the stores are reached outside them. */
  readonly addresses: ClusterAddresses;
  /** Render ServiceMonitors/PodMonitors (observability is installed). @default false */
  readonly monitoring?: boolean;
  /** Settles to what monitors wait for. @default - nothing */
  readonly monitoringCrds?: MonitoringCrds;
  /** EKS: region, account and OIDC provider the AWS stores' roles use; required for an AWS store. @default - none */
  readonly eks?: EksExtras;
  /** `protect` the ESO release (it owns the CRDs every ExternalSecret is). @default false */
  readonly protect?: boolean;
}

export class SecretStores extends pulumi.ComponentResource {
  /** The stores as the platform contract publishes them. */
  public readonly refs: Readonly<Record<string, SecretStoreRef>>;
  /** The annotation naming the Secrets a workload rolls on. */
  public readonly reloaderAnnotation = RELOADER_ANNOTATION;
  /** The release installing the ExternalSecret CRDs; ExternalSecrets wait for it. */
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: SecretStoresArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:platform:SecretStores", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const values = { replicas: args.replicas ?? 1, placement: args.placement, monitoring: args.monitoring ?? false };
    const monitors = values.monitoring ? args.monitoringCrds : undefined;
    this.release = helmRelease(
      `${name}-eso`,
      { chart: "external-secrets", releaseName: ESO_RELEASE, namespace: args.namespace, values: externalSecretsValues(values) },
      { ...child, protect: args.protect ?? false, dependsOn: withMonitoringCrds([], monitors) },
    );
    helmRelease(`${name}-reloader`, { chart: "reloader", releaseName: RELOADER_RELEASE, namespace: args.namespace, values: reloaderValues(values) }, { ...child, dependsOn: withMonitoringCrds([], monitors) });

    const roleArns: Record<string, pulumi.Output<string>> = {};
    const refs: Record<string, SecretStoreRef> = {};
    for (const [store, settings] of Object.entries(args.stores)) {
      const serviceAccount = storeServiceAccount(store);
      const labels = standardLabels({ name: serviceAccount, component: "secret-store" });
      let annotations: Record<string, pulumi.Input<string>> = {};
      if (settings.provider !== "vault") {
        const eks = args.eks;
        if (eks === undefined) throw new Error(`strata:platform.secrets.stores.${store}.provider: ${settings.provider} needs the eks backend`);
        const role = new aws.iam.Role(
          `${name}-${store}-role`,
          {
            description: `secret store ${store} on this cluster: ${settings.provider} under ${settings.prefix} (IRSA, ${args.namespace}/${serviceAccount})`,
            assumeRolePolicy: pulumi
              .all([eks.oidcProviderArn, eks.oidcIssuerUrl])
              .apply(([oidcProviderArn, issuerUrl]) => JSON.stringify(storeTrust({ oidcProviderArn, issuerUrl, namespace: args.namespace, serviceAccount }))),
          },
          { parent: this },
        );
        new aws.iam.RolePolicy(
          `${name}-${store}-read`,
          { role: role.name, policy: eks.accountId.apply((accountId) => JSON.stringify(storeReadPolicy({ provider: settings.provider as "aws-secrets-manager", prefix: settings.prefix, region: eks.region, accountId }))) },
          { parent: this },
        );
        roleArns[store] = role.arn;
        annotations = { "eks.amazonaws.com/role-arn": role.arn };
      }
      const account = new k8s.core.v1.ServiceAccount(`${name}-${store}-sa`, { metadata: { name: serviceAccount, namespace: args.namespace, labels, annotations }, automountServiceAccountToken: false }, child);
      if (settings.provider === "vault") {
        // Vault's Kubernetes auth reviews the login token with TokenReview; configured without a
        // reviewer JWT, it uses the login token itself, whose account must be allowed to review.
        new k8s.rbac.v1.ClusterRoleBinding(
          `${name}-${store}-token-review`,
          {
            metadata: { name: `${serviceAccount}-token-review`, labels },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "system:auth-delegator" },
            subjects: [{ kind: "ServiceAccount", name: serviceAccount, namespace: args.namespace }],
          },
          child,
        );
      }
      new k8s.apiextensions.CustomResource(
        `${name}-${store}-store`,
        clusterSecretStore(store, settings, { namespace: args.namespace, namespaces: settings.namespaces ?? args.appNamespaces, ...(args.eks === undefined ? {} : { region: args.eks.region }) }),
        { ...child, dependsOn: [this.release, account] },
      );
      refs[store] = { name: store, provider: settings.provider, prefix: settings.prefix, refreshInterval: settings.refreshInterval };
    }

    const policy = storeEgressPolicy(args.namespace, args.stores, args.addresses);
    if (policy !== undefined) {
      new k8s.networking.v1.NetworkPolicy(`${name}-egress`, { metadata: { name: policy.name, namespace: args.namespace, labels: standardLabels({ name: ESO_RELEASE, component: "secret-stores" }) }, spec: policy.spec }, child);
    }
    const workloads = secretsWorkloads(args.namespace);
    for (const workload of Object.values(workloads)) declareWorkload(workload);
    const identities = args.eks === undefined ? undefined : { region: args.eks.region, accountId: args.eks.accountId, roleArns };
    for (const connection of secretsConnections(workloads, args.stores, identities)) declareConnection(connection);
    this.refs = refs;
    this.registerOutputs({ stores: Object.keys(refs) });
  }
}
