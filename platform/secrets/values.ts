/**
 * Pure: the external-secrets (2.9.0) and reloader (2.2.16) charts' values.
 *
 * External Secrets Operator runs its controller, admission webhook and cert controller
 * `replicas` times on the platform pools, the controller with leader election and each with a
 * PodDisruptionBudget when there is more than one. It reconciles only what strata uses:
 * ExternalSecrets against the platform's ClusterSecretStores; PushSecrets (which write into a
 * store) and ClusterExternalSecrets are not processed. The chart installs and upgrades the CRDs
 * (`installCRDs`, templates/crds).
 *
 * Reloader watches every namespace and rolls a workload whose `secret.reloader.stakater.com/reload`
 * annotation names a Secret that changed; it never rolls on its own (`autoReloadAll: false`).
 */
import type { Environment } from "../../config/schema";
import { IMAGES } from "../../lib/catalog";
import type { Placement } from "../../lib/contracts";

/** Replicas of each component: two in prod, so a node drain never stops syncing or admission. */
export const secretsReplicas = (environment: Environment): number => (environment === "prod" ? 2 : 1);

/**
 * Requests of every pod (the charts set none): the controllers idle between refreshes; the
 * limit bounds the informer caches of a cluster with many Secrets.
 */
export const SECRETS_REQUESTS = { cpuMillis: 20, memoryMi: 64, limitMemoryMi: 256 } as const;
const resources = { requests: { cpu: `${SECRETS_REQUESTS.cpuMillis}m`, memory: `${SECRETS_REQUESTS.memoryMi}Mi` }, limits: { memory: `${SECRETS_REQUESTS.limitMemoryMi}Mi` } };

/** Release names; the chart's fullname is the release name (it contains the chart name). */
export const ESO_RELEASE = "external-secrets";
export const RELOADER_RELEASE = "reloader";

/** `app.kubernetes.io/name` of each ESO component's pods (templates/_helpers.tpl `*.selectorLabels`). */
export const ESO_APPS = { controller: "external-secrets", webhook: "external-secrets-webhook", certController: "external-secrets-cert-controller" } as const;

/** The webhook's container port (`webhook.port`, default 10250) behind its Service's 443. */
export const ESO_WEBHOOK_PORT = 10250;
/** Metrics port of every ESO component (`metrics.listen.port`). */
export const ESO_METRICS_PORT = 8080;

/** The annotation a workload sets to the Secrets whose change rolls it (Reloader README, "Annotations"). */
export const RELOADER_ANNOTATION = "secret.reloader.stakater.com/reload";

export interface SecretsValuesInput {
  /** Replicas of each component. */
  readonly replicas: number;
  /** Where the pods run (the platform pools). */
  readonly placement: Placement;
  /** Render the chart's ServiceMonitors (the platform's Prometheus is installed). */
  readonly monitoring: boolean;
}

function scheduling(input: SecretsValuesInput, app: string) {
  const spread = input.replicas > 1 ? [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { "app.kubernetes.io/name": app } } }] : [];
  return { nodeSelector: { ...input.placement.nodeSelector }, tolerations: input.placement.tolerations.map((t) => ({ ...t })), topologySpreadConstraints: spread };
}

export function externalSecretsValues(input: SecretsValuesInput) {
  const ha = input.replicas > 1;
  const budget = { enabled: ha, minAvailable: 1 };
  return {
    installCRDs: true,
    replicaCount: input.replicas,
    resources,
    // Always on: a second controller during a rolling update must not write the same Secrets.
    leaderElect: true,
    podDisruptionBudget: budget,
    processClusterExternalSecret: false,
    processClusterPushSecret: false,
    processPushSecret: false,
    // The controller creates the store service accounts' tokens (TokenRequest) for IRSA and Vault.
    rbac: { serviceAccountTokenCreate: true },
    ...scheduling(input, ESO_APPS.controller),
    // `alwaysRender`: the Prometheus Operator CRDs arrive in the same update; `skipIfMissing`
    // (the default) would look them up at install time and silently skip the monitors.
    serviceMonitor: { enabled: input.monitoring, renderMode: "alwaysRender" },
    webhook: { replicaCount: input.replicas, resources, podDisruptionBudget: budget, ...scheduling(input, ESO_APPS.webhook) },
    certController: { replicaCount: input.replicas, resources, podDisruptionBudget: budget, ...scheduling(input, ESO_APPS.certController) },
  };
}

export function reloaderValues(input: SecretsValuesInput) {
  const ha = input.replicas > 1;
  return {
    image: { repository: IMAGES.reloader.repository, tag: IMAGES.reloader.tag },
    reloader: {
      autoReloadAll: false,
      // Leader election: only one replica rolls workloads (templates/deployment.yaml `--enable-ha`).
      enableHA: ha,
      watchGlobally: true,
      ignoreConfigMaps: false,
      readOnlyRootFileSystem: true,
      podDisruptionBudget: { enabled: ha, minAvailable: 1 },
      podMonitor: { enabled: input.monitoring },
      deployment: {
        replicas: input.replicas,
        resources,
        nodeSelector: { ...input.placement.nodeSelector },
        tolerations: input.placement.tolerations.map((t) => ({ ...t })),
        containerSecurityContext: { capabilities: { drop: ["ALL"] }, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true },
      },
    },
  };
}
