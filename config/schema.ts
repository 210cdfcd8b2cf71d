/**
 * The whole strata configuration: one schema per `strata:*` key, parsed together so every
 * problem is reported at once, before any resource is declared.
 */
import { z } from "zod";
import { LAYERS, type Layer } from "../lib/contracts";
import { AppsConfig } from "./apps";
import { resolveApps } from "./apps/checks";
import { backupTargetSecretProblems } from "./platform/backup-target";
import { poolBounds } from "./apps/capacity";
import { runtimeContext } from "./apps/runtime-checks";
import { ClusterConfig } from "./cluster";
import { amiAliasProblem } from "./cluster/backends";
import { kubeconfigSecretProblems } from "./credential-keys";
import { closestKey } from "./common";
import { ConfigError, describeValue, formatIssues } from "./errors";
import { ENVIRONMENTS, type Environment } from "./environment";
import type { ConfigKeyState } from "./apps/secret-sources";
import { InfraConfig } from "./infra";
import { endpointReachabilityProblem, resolveDeployerAdmin, resolveEksPlacement, type NatMode } from "./infra/eks";
import { PlatformConfig, resolvePlatform } from "./platform";
import { platformContext } from "./platform/context";
import { accessDomain, accessProblems, grafanaReplicasProblems, prodAlertingProblems, receiverSecretProblems } from "./platform/observability";
import { withTelemetryExpiry } from "./platform/telemetry-buckets";
import { vsphereAccountProblems } from "./infra/vsphere/accounts";
import { vcenterTrustProblems } from "./infra/vsphere/trust";
import { breakGlassProblems } from "./infra/vsphere/break-glass";
import { routedHosts, unservedCertificateHostProblems } from "./apps/certificate-hosts";
import { parseVsphereConnection, type RawVsphereConnection, type VsphereConnection } from "./infra/vsphere/connection";

export { ENVIRONMENTS, type Environment };

/** Settings whose safe value depends on the environment. */
export const ENVIRONMENT_DEFAULTS: Record<
  Environment,
  {
    readonly protectStatefulResources: boolean;
    /** EKS: one NAT gateway (cheap) or one per zone (survives a zone loss). */
    readonly natMode: NatMode;
    /** EKS: refuse cluster deletion through the API. */
    readonly deletionProtection: boolean;
  }
> = {
  dev: { protectStatefulResources: false, natMode: "single", deletionProtection: false },
  staging: { protectStatefulResources: false, natMode: "single", deletionProtection: false },
  prod: { protectStatefulResources: true, natMode: "perAz", deletionProtection: true },
};

/** Every key strata reads under the `strata:` namespace. */
export const STRATA_KEYS = ["environment", "layers", "upstreamStack", "kubeconfig", "vsphereCpiPassword", "vsphereCsiPassword", "vsphereMachineControllerPassword", "vsphereBreakGlassPasswordHash", "infra", "cluster", "platform", "apps"] as const;

export const environment = z.enum(ENVIRONMENTS);
export const layers = z.array(z.enum(LAYERS)).min(1).default([...LAYERS]);
/** `stack`, `project/stack` or `org/project/stack`. */
export const upstreamStack = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/, { error: "must be a stack name: stack, project/stack or org/project/stack" });

const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** `aws:region`, which the `eks` backend needs (the AWS provider's own namespace). */
function parseAwsRegion(value: unknown, problems: string[]): string | undefined {
  if (value === undefined) {
    problems.push("aws:region: is required for the eks backend (got nothing); set it with `pulumi config set aws:region eu-central-1`");
    return undefined;
  }
  if (typeof value !== "string" || !AWS_REGION.test(value)) {
    problems.push(`aws:region: must be an AWS region name (got ${describeValue(value)}); use e.g. eu-central-1 or us-east-1`);
    return undefined;
  }
  return value;
}

/** Config values as read from Pulumi, before validation. */
export interface RawConfig {
  readonly environment?: unknown;
  readonly layers?: unknown;
  readonly upstreamStack?: unknown;
  readonly infra?: unknown;
  readonly cluster?: unknown;
  readonly platform?: unknown;
  readonly apps?: unknown;
  /** Whether `strata:platform` is stored encrypted (it must be once it holds alert-receiver secrets). */
  readonly platformIsSecret?: boolean;
  /**
   * Top-level `strata:*` keys stored encrypted. The runtime knows secrecy per top-level key only,
   * so a secret `strata:apps`, `strata:cluster` or `strata:infra` (one `--secret --path` leaf
   * makes the whole key secret) is refused: strata could not tell which value to keep secret.
   * @default []
   */
  readonly secretKeys?: readonly string[];
  /** How a config key that an app's `config:` secret source names is stored. @default - not checked */
  readonly configKey?: (key: string) => ConfigKeyState;
  /** `aws:region` (provider namespace); the `eks` backend requires it. */
  readonly awsRegion?: unknown;
  /** `vsphere:*` (provider namespace); the `vsphere` backend requires it. */
  readonly vsphere?: RawVsphereConnection;
  /** Whether the secret `strata:kubeconfig` is set (its value never reaches the parser). */
  readonly hasKubeconfig: boolean;
  /** Whether `strata:kubeconfig` is stored encrypted; a kubeconfig in clear is refused. @default - unknown: not checked */
  readonly kubeconfigIsSecret?: boolean;
  /** `strata:*` keys present in the stack that strata does not know. */
  readonly unknownKeys?: readonly string[];
}

export interface StrataConfig {
  readonly environment: Environment;
  /** Layers this stack declares, in order. */
  readonly layers: readonly Layer[];
  /** Stack the contracts of the layers not owned here are read from. */
  readonly upstreamStack?: string;
  /** Present when the stack owns the infra layer. */
  readonly infra?: InfraConfig;
  readonly cluster: ClusterConfig;
  readonly platform: PlatformConfig;
  readonly apps: AppsConfig;
  /** AWS region from `aws:region`; set when the `eks` backend is used. */
  readonly awsRegion?: string;
  /** vCenter connection from `vsphere:*` (the password is read separately, as a secret); set for the `vsphere` backend. */
  readonly vsphere?: VsphereConnection;
  /** `protect` stateful resources (data VMs, releases, buckets, keys). @default - true in prod */
  readonly protectStatefulResources: boolean;
}

/**
 * Validates raw config. Throws one `ConfigError` listing every problem, each naming the key,
 * the value and what is allowed.
 */
export function parseConfig(raw: RawConfig): StrataConfig {
  const problems: string[] = [];
  const slice = <T extends z.ZodType>(key: string, schema: T, value: unknown): z.infer<T> | undefined => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    problems.push(...formatIssues(`strata:${key}`, value, result.error.issues));
    return undefined;
  };

  for (const key of SLICES_NEVER_SECRET) {
    if (raw.secretKeys?.includes(`strata:${key}`)) problems.push(secretSliceProblem(key));
  }
  for (const key of raw.unknownKeys ?? []) {
    const guess = closestKey(key, STRATA_KEYS.map((k) => `strata:${k}`));
    problems.push(`${key}: unknown key (got ${describeValue(key)}); ${guess === undefined ? `strata reads ${STRATA_KEYS.map((k) => `strata:${k}`).join(", ")}` : `did you mean ${guess}?`}`);
  }

  const env = slice("environment", environment, raw.environment);
  const owned = slice("layers", layers, raw.layers);
  const upstream = raw.upstreamStack === undefined ? undefined : slice("upstreamStack", upstreamStack, raw.upstreamStack);
  const ownsInfra = owned?.includes("infra") ?? true;
  const parsedInfra = ownsInfra ? slice("infra", InfraConfig, raw.infra) : undefined;
  const infra = parsedInfra?.backend === "eks" ? resolveDeployerAdmin(parsedInfra, owned?.includes("cluster") ?? true, problems) : parsedInfra;
  if (!ownsInfra && raw.infra !== undefined) {
    problems.push(`strata:infra: set, but strata:layers does not include "infra" (got ${describeValue(owned)}); remove strata:infra or own the infra layer`);
  }
  const cluster = slice("cluster", ClusterConfig, raw.cluster ?? {});
  const platformInput = slice("platform", PlatformConfig, raw.platform ?? {});
  // Data-service monitors follow observability where this stack builds the platform layer.
  const observabilityHere = (owned?.includes("platform") ?? true) ? { observability: platformInput?.observability !== undefined } : {};
  const platform = platformInput && env ? resolvePlatform(platformInput, { ...platformContext(env, infra, cluster), ...observabilityHere }, problems) : undefined;
  const appsInput = slice("apps", AppsConfig, raw.apps ?? {});
  const ownsLayer = (layer: Layer) => owned?.includes(layer) ?? true;
  const apps =
    appsInput && ownsLayer("apps")
      ? resolveApps(
          appsInput,
          {
            ...(ownsLayer("platform") && platform ? { platform: switchableServices(platform) } : {}),
            ...(env ? { environment: env } : {}),
            ...(infra ? { pools: poolBounds(infra) ?? [] } : {}),
            ...(ownsLayer("cluster") && cluster ? { appNamespaces: Object.keys(cluster.appNamespaces), ...(cluster.gateway.enabled ? { gatewayDomains: cluster.gateway.domains } : {}) } : {}),
            runtime: runtimeContext(ownsLayer("platform") ? platform : undefined, infra),
            secrets: { ...(raw.configKey === undefined ? {} : { configKey: raw.configKey }), ...(ownsLayer("platform") ? { stores: rawSecretStores(raw.platform) } : {}) },
          },
          problems,
        )
      : appsInput;

  if (owned) problems.push(...layerProblems(owned, upstream));
  if (cluster && apps && platform && ownsLayer("cluster") && ownsLayer("apps") && ownsLayer("platform")) problems.push(...unservedCertificateHostProblems(cluster.gateway, routedHosts(apps, platform.observability, cluster.gateway.domains)));
  if (platform !== undefined) problems.push(...backupTargetSecretProblems(platform.backups.target, raw.platformIsSecret ?? false));
  if (platform?.observability !== undefined) {
    problems.push(...receiverSecretProblems(platform.observability, raw.platformIsSecret ?? false));
    if (env !== undefined) problems.push(...prodAlertingProblems(platform.observability, env));
    problems.push(...grafanaReplicasProblems(platform.observability, platform.postgres.enabled));
    // The UIs' domain is checked where the Gateway's domains are known: in the stack that owns the cluster layer.
    if (cluster !== undefined && (owned?.includes("cluster") ?? true)) problems.push(...accessProblems(platform.observability, cluster.gateway));
  }
  problems.push(...kubeconfigSecretProblems(raw.hasKubeconfig, raw.kubeconfigIsSecret));
  if (infra?.backend === "existing" && infra.existing.context === undefined && !raw.hasKubeconfig) {
    problems.push(
      "strata:infra.existing.context: is required when strata:kubeconfig is not set (got nothing); name a kubeconfig context, or set the kubeconfig with `pulumi config set --secret strata:kubeconfig < file`",
    );
  }

  if (infra?.backend === "eks") {
    const unreachable = endpointReachabilityProblem(infra, owned?.includes("cluster") ?? true);
    if (unreachable !== undefined) problems.push(unreachable);
  }
  // Karpenter runs where the cluster layer targets EKS: an owned eks infra with Karpenter on, or
  // (infra in another stack) a stack that configures strata:cluster.eks.
  const ownsCluster = owned?.includes("cluster") ?? true;
  const karpenterOnEks = infra === undefined ? isObject(raw.cluster) && raw.cluster.eks !== undefined : infra.backend === "eks" && infra.eks.enableKarpenter;
  if (env && cluster && ownsCluster && karpenterOnEks) {
    const unpinned = amiAliasProblem(env, cluster.eks.karpenter.amiAlias);
    if (unpinned !== undefined) problems.push(unpinned);
  }
  const awsRegion = infra?.backend === "eks" ? parseAwsRegion(raw.awsRegion, problems) : undefined;
  const placedInfra = infra?.backend === "eks" ? resolveEksPlacement(infra, awsRegion, env, problems) : infra;
  const vsphere = infra?.backend === "vsphere" ? parseVsphereConnection(raw.vsphere, problems) : undefined;
  if (infra?.backend === "vsphere") problems.push(...vsphereAccountProblems(infra.vsphere, env, raw.vsphere));
  if (infra?.backend === "vsphere" && vsphere !== undefined) problems.push(...vcenterTrustProblems(infra.vsphere, vsphere.allowUnverifiedSsl));
  if (infra?.backend === "vsphere") problems.push(...breakGlassProblems(infra.vsphere, raw.vsphere?.breakGlassPasswordHash));
  // The logs/traces buckets expire after the stores' retention, where this stack sees both.
  const telemetryInfra = placedInfra?.backend === "eks" && env && platform && ownsLayer("platform") ? withTelemetryExpiry(placedInfra, platform.observability, env, problems) : undefined;
  if (problems.length > 0 || !env || !owned || !cluster || !platform || !apps) throw new ConfigError(problems);
  return {
    environment: env,
    layers: LAYERS.filter((layer) => owned.includes(layer)),
    ...(upstream === undefined ? {} : { upstreamStack: upstream }),
    ...(placedInfra === undefined ? {} : { infra: telemetryInfra ?? placedInfra }),
    ...(awsRegion === undefined ? {} : { awsRegion }),
    ...(vsphere === undefined ? {} : { vsphere }),
    cluster,
    platform: withAccessDomain(platform, cluster),
    apps,
    protectStatefulResources: ENVIRONMENT_DEFAULTS[env].protectStatefulResources,
  };
}

/** Slices that hold no credential by design; a secret one hides which of its values is secret. */
const SLICES_NEVER_SECRET = ["infra", "cluster", "apps"] as const;

function secretSliceProblem(key: (typeof SLICES_NEVER_SECRET)[number]): string {
  const fix =
    key === "apps"
      ? 'move it to its own key (`pulumi config set --secret <ns>:<key> <value>`, e.g. orders:apiKey) and reference it with secretEnv: {NAME: {config: "<ns>:<key>"}}'
      : "move it to its own secret key and keep the rest in clear (`pulumi config set --path` without --secret)";
  return `strata:${key}: a value inside was stored with --secret, which makes the whole key secret, so strata cannot tell which value is secret and would render it in clear (got a secret strata:${key}); ${fix}`;
}

/**
 * The stores of `strata:platform.secrets.stores`, read from the raw slice: the platform schema
 * owns their validation, the apps need only their names.
 */
function rawSecretStores(platform: unknown): Record<string, unknown> {
  const secrets = isObject(platform) ? platform["secrets"] : undefined;
  const stores = isObject(secrets) ? secrets["stores"] : undefined;
  return isObject(stores) ? stores : {};
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Fills in the observability UIs' domain from the Gateway's domains (the platform layer sees only the base domain). */
function withAccessDomain(platform: PlatformConfig, cluster: ClusterConfig): PlatformConfig {
  const observability = platform.observability;
  if (observability === undefined || observability.access.domain !== undefined) return platform;
  const domain = accessDomain(observability, cluster.gateway.domains);
  return domain === undefined ? platform : { ...platform, observability: { ...observability, access: { ...observability.access, domain } } };
}

/** Owned layers must be distinct and contiguous; anything upstream of them needs a reference. */
function layerProblems(owned: readonly Layer[], upstream: string | undefined): string[] {
  const problems: string[] = [];
  const duplicates = owned.filter((layer, i) => owned.indexOf(layer) !== i);
  if (duplicates.length > 0) {
    problems.push(`strata:layers: lists ${duplicates.join(", ")} more than once (got ${describeValue(owned)}); name each layer once`);
  }
  const positions = [...new Set(owned)].map((layer) => LAYERS.indexOf(layer)).sort((a, b) => a - b);
  const first = positions[0] ?? 0;
  const contiguous = positions.every((position, i) => position === first + i);
  if (!contiguous) {
    problems.push(
      `strata:layers: must be consecutive layers of ${LAYERS.join(" → ")} (got ${describeValue(owned)}); a stack cannot skip a layer between two it owns`,
    );
  }
  if (first > 0 && upstream === undefined) {
    problems.push(
      `strata:upstreamStack: is required when strata:layers starts at "${LAYERS[first]}" (got nothing); name the stack that owns ${LAYERS.slice(0, first).join(", ")}`,
    );
  }
  return problems;
}

/** The platform services an app may `use`: those with an `enabled` switch (observability has none). */
function switchableServices(platform: PlatformConfig): Record<string, { readonly enabled: boolean }> {
  return Object.fromEntries(
    Object.entries(platform).filter((entry): entry is [string, { readonly enabled: boolean }] => {
      const settings: unknown = entry[1];
      return isObject(settings) && typeof settings["enabled"] === "boolean";
    }),
  );
}
