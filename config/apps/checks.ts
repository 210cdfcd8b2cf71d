/** Checks of `strata:apps` that need the service's other keys or the other slices of the same stack. */
import { sloProblems } from "./slo-checks";
import type { AppsConfig } from "./";
import { capacityCheckMode, pinnedPoolProblem, type PoolBound, unsizedPoolsProblem } from "./capacity";
import { releaseProblems, routeTrafficProblems } from "./route";
import { BOOTSTRAP_VARIABLE, CONNECTION_FIELDS, isPlatformService, KAFKA_CONNECTION_FIELDS, type AppServiceSpec } from "./service";
import { externalFields, externalProblems, externalReferenceProblem, type ExternalServiceSpec, unknownUseProblems } from "./external";
import { routeConflictProblems, routeHostProblems } from "./route-hosts";
import type { DomainConfig } from "../cluster/gateway";
import { isAcme } from "../cluster/gateway";
import { describeValue } from "../errors";
import { servicePortProblems } from "./service-port";
import { OBJECT_STORE_FIELDS, OBJECT_STORE_USE } from "./runtime";
import { sharedSecretProblems } from "./shared-secrets";
import { imagePinProblem } from "./image-pin";
import { runtimeContextProblems, runtimeProblems, type RuntimeContext } from "./runtime-checks";
import { TENANT_NAMESPACE_PREFIX } from "./tenants";
import { tenantProblems } from "./tenants-checks";
import { queueScalingContextProblems, scalesOnQueue, workloadKindProblems } from "./workload-kind-checks";
import { loadTestProblems } from "./load-test";
import { secretSourceProblems, type SecretSourceContext } from "./secret-checks";

/** Where strata mounts what it gives the pods itself (Kafka's CA): no secret file goes there. */
export const STRATA_MOUNT_ROOT = "/etc/strata";

/** What the apps slice is checked against; a field is absent when another stack owns that layer. */
export interface AppsContext {
  /** `enabled` per platform service, when this stack owns the platform layer. */
  readonly platform?: Readonly<Record<string, { readonly enabled: boolean } | undefined>>;
  /** Gateway domains, when this stack owns the cluster layer and the gateway is on. */
  readonly gatewayDomains?: Readonly<Record<string, DomainConfig>>;
  /** App namespace names, when this stack owns the cluster layer. */
  readonly appNamespaces?: readonly string[];
  /** Node pools and their maximum sizes, when this stack owns the infra layer. */
  readonly pools?: readonly PoolBound[];
  /** The stack's environment; sets the capacity check's default mode. */
  readonly environment?: string;
  /** KEDA, Prometheus, backend and object store facts (`apps-runtime-checks.ts`). */
  readonly runtime?: RuntimeContext;
  /** Config keys and secret stores the secret sources name (`apps-secret-checks.ts`). @default - not checked */
  readonly secrets?: SecretSourceContext;
}

/** Returns the slice unchanged; every problem found is appended. */
export function resolveApps(input: AppsConfig, ctx: AppsContext, problems: string[]): AppsConfig {
  const names = Object.keys(input.services);
  for (const [name, spec] of Object.entries(input.services)) {
    const key = `strata:apps.services.${name}`;
    problems.push(...serviceProblems(key, spec, names.filter((n) => n !== name), input.external));
    problems.push(...unknownUseProblems(key, spec.uses, input.external));
    problems.push(...sloProblems(key, spec), ...workloadKindProblems(key, name, spec), ...queueScalingContextProblems(key, spec, ctx.runtime?.keda));
    problems.push(...contextProblems(key, spec, ctx));
    const pinned = pinnedPoolProblem(key, spec.pool, ctx.pools);
    if (pinned !== undefined) problems.push(pinned);
    problems.push(...sharedSecretProblems(key, spec.sharedSecretEnv, Object.keys(input.sharedSecrets)));
    problems.push(...runtimeProblems(key, spec, input.serviceMonitors ?? true), ...runtimeContextProblems(key, spec, ctx.runtime));
    const mounts = [...Object.values(spec.writablePaths), STRATA_MOUNT_ROOT, ...(spec.migration === undefined ? [] : ["/tmp"])];
    problems.push(...secretSourceProblems(key, spec, mounts, ctx.secrets ?? {}));
  }
  problems.push(...loadTestProblems(input.loadTests, input.services));
  problems.push(...externalProblems(input.external, { ...(ctx.runtime?.backend === undefined ? {} : { backend: ctx.runtime.backend }), ...(ctx.secrets?.configKey === undefined ? {} : { configKey: ctx.secrets.configKey }) }));
  const monitored = Object.entries(input.services).filter(([, spec]) => spec.metricsPort !== undefined).map(([name]) => name);
  if (input.serviceMonitors === true && ctx.runtime?.prometheus === false && monitored.length > 0) {
    problems.push(
      `strata:apps.serviceMonitors: needs the Prometheus Operator CRDs, but strata:platform.observability is not set (got true; services with a metricsPort: ${monitored.join(", ")}); configure strata:platform.observability or leave strata:apps.serviceMonitors unset`,
    );
  }
  const unsized = ctx.environment === undefined ? undefined : unsizedPoolsProblem(capacityCheckMode(ctx.environment, input.capacityCheck), ctx.pools, names.length);
  if (unsized !== undefined) problems.push(unsized);
  problems.push(...tenantProblems(input.tenants, input.services, ctx));
  problems.push(...routeConflictProblems(Object.entries(input.services).flatMap(([name, spec]) => (spec.route === undefined ? [] : [{ name, route: spec.route }]))));
  return input;
}

function serviceProblems(key: string, spec: AppServiceSpec, others: readonly string[], external: Readonly<Record<string, ExternalServiceSpec>> = {}): string[] {
  const problems: string[] = [];
  const pin = imagePinProblem(spec.image);
  if (pin !== undefined) problems.push(`${key}.image: ${pin} (got ${describeValue(spec.image)}); pin a version tag such as app:1.4.2 or a digest app@sha256:…`);
  const releasePin = spec.release === undefined ? undefined : imagePinProblem(spec.release.image);
  if (releasePin !== undefined) problems.push(`${key}.release.image: ${releasePin} (got ${describeValue(spec.release?.image)}); pin a version tag such as app:1.4.2 or a digest app@sha256:…`);
  if (spec.route !== undefined) problems.push(...routeTrafficProblems(key, spec.route), ...routeHostProblems(key, spec.route));
  if (spec.release !== undefined) problems.push(...releaseProblems(key, spec.release, spec.route, spec.image, others));

  const ports = [...(spec.port === undefined ? [] : [spec.port]), ...(spec.metricsPort === undefined ? [] : [spec.metricsPort])];
  problems.push(...servicePortProblems(key, spec));
  if (spec.metricsPort !== undefined && spec.metricsPort === spec.port) problems.push(`${key}.metricsPort: must differ from port (got ${spec.metricsPort}); serve metrics on their own port or leave metricsPort out`);
  for (const kind of ["liveness", "readiness", "startup"] as const) {
    const probe = spec.probes[kind];
    if (probe?.port !== undefined && !ports.includes(probe.port)) {
      problems.push(`${key}.probes.${kind}.port: is not a container port (got ${probe.port}); use ${ports.join(" or ")} (port, metricsPort)`);
    }
  }

  const scaling = spec.autoscaling;
  const fewest = scaling?.minReplicas ?? spec.replicas;
  if (scaling !== undefined) {
    if (scaling.minReplicas > scaling.maxReplicas) {
      problems.push(`${key}.autoscaling.minReplicas: must not exceed maxReplicas (got ${scaling.minReplicas}); use ${scaling.maxReplicas} or less, or raise maxReplicas`);
    }
    if (scaling.cpuPercent === undefined && scaling.memoryPercent === undefined && scaling.requestsPerSecond === undefined && scaling.latencyMs === undefined && !scalesOnQueue(spec)) {
      problems.push(`${key}.autoscaling: needs a target (got neither cpuPercent nor memoryPercent); set cpuPercent (e.g. 70) and/or memoryPercent (e.g. 80)`);
    }
    for (const direction of ["scaleUp", "scaleDown"] as const) {
      const policy = scaling[direction];
      if (policy !== undefined && policy.percent === undefined && policy.pods === undefined) {
        problems.push(`${key}.autoscaling.${direction}: needs a rate (got neither percent nor pods); set percent (e.g. 100) and/or pods (e.g. 4)`);
      }
    }
  }
  if (spec.minAvailable !== undefined && spec.minAvailable >= fewest) {
    problems.push(`${key}.minAvailable: must be below the fewest replicas (got ${spec.minAvailable}); use ${fewest - 1} or less so a node can be drained`);
  }
  if (spec.maxSurge === 0 && spec.maxUnavailable === 0) {
    problems.push(`${key}.maxUnavailable: a rolling update cannot progress with maxSurge 0 (got 0); allow maxSurge 1 or maxUnavailable 1`);
  }
  if (spec.resources.limitCpuMillis !== undefined && spec.resources.limitCpuMillis < spec.resources.cpuMillis) {
    problems.push(`${key}.resources.limitCpuMillis: must not be below cpuMillis (got ${spec.resources.limitCpuMillis}); use ${spec.resources.cpuMillis} or more`);
  }
  if (spec.resources.limitMemoryMi < spec.resources.memoryMi) {
    problems.push(`${key}.resources.limitMemoryMi: must not be below memoryMi (got ${spec.resources.limitMemoryMi}); use ${spec.resources.memoryMi} or more`);
  }
  const paths = Object.values(spec.writablePaths);
  const duplicate = paths.find((p, i) => paths.indexOf(p) !== i);
  if (duplicate !== undefined) problems.push(`${key}.writablePaths: mounts ${duplicate} twice (got ${describeValue(spec.writablePaths)}); give each emptyDir its own path`);

  spec.callers.forEach((caller, i) => {
    if (!others.includes(caller)) {
      problems.push(`${key}.callers[${i}]: is not another service of strata:apps.services (got ${describeValue(caller)}); use one of ${others.join(", ") || "(none)"}`);
    }
  });
  for (const [env, ref] of Object.entries(spec.connectionEnv)) {
    const [service, field, ...rest] = ref.split(".");
    const ext = service === undefined ? undefined : external[service];
    const fields: readonly string[] =
      ext !== undefined ? externalFields(ext.kind, CONNECTION_FIELDS, KAFKA_CONNECTION_FIELDS, OBJECT_STORE_FIELDS) : service === OBJECT_STORE_USE ? OBJECT_STORE_FIELDS : service === "kafka" ? [...CONNECTION_FIELDS, ...KAFKA_CONNECTION_FIELDS] : CONNECTION_FIELDS;
    if (service === undefined || field === undefined || rest.length > 0 || !fields.includes(field)) {
      problems.push(`${key}.connectionEnv.${env}: must be <service>.<field> (got ${describeValue(ref)}); fields: ${fields.join(", ")}`);
    } else if (!(spec.uses as readonly string[]).includes(service)) {
      problems.push(`${key}.connectionEnv.${env}: ${service} is not in uses (got ${describeValue(ref)}); add ${service} to ${key}.uses`);
    } else if (ext !== undefined) {
      const problem = externalReferenceProblem(ext, service, field);
      if (problem !== undefined) problems.push(`${key}.connectionEnv.${env}: ${problem}`);
    }
    // An external Kafka's bootstrap list is `<name>.bootstrapServers`.
    const bootstrap = ext?.kind === "kafka" && field === "bootstrapServers" ? undefined : bootstrapVariableProblem(env, ref);
    if (bootstrap !== undefined) problems.push(`${key}.connectionEnv.${env}: ${bootstrap}`);
  }
  const envNames = [...Object.keys(spec.env), ...Object.keys(spec.connectionEnv), ...Object.keys(spec.generatedSecrets), ...Object.keys(spec.sharedSecretEnv), ...Object.keys(spec.secretEnv)];
  const clash = envNames.find((n, i) => envNames.indexOf(n) !== i);
  if (clash !== undefined) problems.push(`${key}: sets environment variable ${clash} twice (got ${describeValue(clash)}); keep it in one of env, connectionEnv, generatedSecrets, sharedSecretEnv and secretEnv`);
  return problems;
}

/**
 * A bootstrap variable is read as Kafka's `bootstrap.servers`: a comma-separated `host:port`
 * list. A URL there fails to parse (`kafka+ssl://` is no scheme a client knows) and would hand the
 * password to every log line that prints the client's configuration.
 */
export function bootstrapVariableProblem(env: string, ref: string): string | undefined {
  if (!BOOTSTRAP_VARIABLE.test(env) || ref === "kafka.bootstrapServers") return undefined;
  const notUrl = ref.endsWith(".url") ? ", not a URL that clients cannot parse and that carries the password" : "";
  return `must be Kafka's bootstrap.servers, a host:port list${notUrl} (got ${describeValue(ref)}); use kafka.bootstrapServers`;
}

function contextProblems(key: string, spec: AppServiceSpec, ctx: AppsContext): string[] {
  const problems: string[] = [];
  if (ctx.platform !== undefined) {
    spec.uses.forEach((service, i) => {
      // External services are checked against strata:apps.external (external.ts).
      if ((isPlatformService(service) || service === OBJECT_STORE_USE) && ctx.platform?.[service]?.enabled !== true) {
        problems.push(`${key}.uses[${i}]: strata:platform.${service} is not enabled (got ${describeValue(service)}); set strata:platform.${service}.enabled to true or remove ${service} from ${key}.uses`);
      }
    });
  }
  // A tenant-<id> namespace is checked against strata:apps.tenants (apps-tenants-checks.ts).
  if (ctx.appNamespaces !== undefined && !ctx.appNamespaces.includes(spec.namespace) && !spec.namespace.startsWith(TENANT_NAMESPACE_PREFIX)) {
    problems.push(`${key}.namespace: is not an app namespace (got ${describeValue(spec.namespace)}); use one of strata:cluster.appNamespaces: ${ctx.appNamespaces.join(", ")}`);
  }
  if (spec.route !== undefined && ctx.gatewayDomains !== undefined) {
    const domains = ctx.gatewayDomains;
    const check = (at: string, host: string) => {
      const problem = hostProblem(host, domains);
      if (problem !== undefined) problems.push(`${key}.route.${at}: ${problem}`);
    };
    check("host", spec.route.host);
    spec.route.hosts.forEach((host, i) => check(`hosts[${i}]`, host));
    spec.route.redirects.forEach((redirect, i) => check(`redirects[${i}].from`, redirect.from));
  }
  const previewHost = spec.release?.strategy === "blueGreen" ? spec.release.previewHost : undefined;
  if (previewHost !== undefined && spec.route !== undefined && ctx.gatewayDomains !== undefined) {
    const problem = hostProblem(previewHost, ctx.gatewayDomains);
    if (problem !== undefined) problems.push(`${key}.release.previewHost: ${problem}`);
  }
  return problems;
}

/** The gateway domain a host is served under: the domain itself or one label below it (the wildcard listener). */
export function domainOf(host: string, domains: readonly string[]): string | undefined {
  return domains.find((domain) => host === domain || (host.endsWith(`.${domain}`) && !host.slice(0, -domain.length - 1).includes(".")));
}

function hostProblem(host: string, domains: Readonly<Record<string, DomainConfig>>): string | undefined {
  const names = Object.keys(domains);
  const domain = domainOf(host, names);
  if (domain === undefined) {
    return `is outside the gateway's domains (got ${describeValue(host)}); use one of ${names.join(", ") || "(none: add one to strata:cluster.gateway.domains)"} or a single label under it`;
  }
  const entry = domains[domain];
  const label = host === domain ? "@" : host.slice(0, -domain.length - 1);
  if (entry !== undefined && isAcme(entry.issuer) && !entry.hosts.includes(label)) {
    return `has no certificate (got ${describeValue(host)}); add ${describeValue(label)} to strata:cluster.gateway.domains.${domain}.hosts`;
  }
  return undefined;
}
