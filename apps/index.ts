/**
 * The apps layer: one `AppService` per `strata:apps.services` entry, placed and wired through
 * the cluster and platform contracts. Returns each app's in-cluster and public URL.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { domainOf } from "../config/apps/checks";
import type { AppsConfig } from "../config/apps";
import { isPlatformService, type PlatformService } from "../config/apps/service";
import { ExternalServiceCa } from "./external";
import { OBJECT_STORE_USE } from "../config/apps/runtime";
import { containerPortOf, servicePortOf } from "../config/apps/service-port";
import type { AppServiceSpec } from "../config/apps/service";
import { ISTIO_NAMESPACE } from "../cluster/mesh/values";
import { Waypoint } from "./waypoint";
import { ConfigError } from "../config/errors";
import { externalSourceProblems, sourcesOf } from "../config/apps/secret-sources";
import type { AppsOutputs, AppUrls, ClusterOutputs, Endpoint, InfraOutputs, PlatformOutputs } from "../lib/contracts";
import { OTLP_HTTP_OUTPUT, PROMETHEUS_QUERY_OUTPUT, RUNBOOK_BASE_OUTPUT } from "../platform/observability/prometheus-values";
import { appRuntime } from "./runtime-contract";
import { listenerFor, type RouteGateway } from "./service/exposure";
import { AppService } from "./service";
import { tenantOf } from "../config/apps/tenants-checks";
import { tenantNamespace } from "../config/apps/tenants";
import { DataAccess } from "./data-access";
import type { DataService, ServiceClients } from "./data-access/values";
import { inClusterStore } from "./service/runtime";
import { Tenant } from "./tenants";
import { KafkaClientCa } from "./kafka-ca";
import { RabbitmqAppUser } from "./rabbitmq-users";
import { LoadTests } from "./load-tests";
import { loadTestServiceAccountName } from "./load-tests/mesh";
import { loadTestTargets } from "./load-tests/targets";

/**
 * @param configSecrets values of the config keys the services' `config:` secret sources name
 *   (`LoadedConfig.appSecrets`), `<namespace>:<key>` → secret value.
 */
export function buildApps(config: AppsConfig, cluster: ClusterOutputs, platform: PlatformOutputs, infra?: InfraOutputs, configSecrets: Readonly<Record<string, pulumi.Output<string>>> = {}): AppsOutputs {
  const problems: string[] = [];
  const apps: Record<string, AppUrls> = {};
  const services = Object.entries(config.services);
  const built: [string, (opts?: { dependsOn: pulumi.Resource[] }, kafkaCa?: pulumi.Resource) => AppService][] = [];
  // Declared once the config is known to be good: one value for every service that names it.
  let sharedSecrets: Record<string, pulumi.Output<string>> = {};
  // Tenants: a tenant's callers may call each of its services; its namespace is created here.
  const callersOf = (spec: (typeof services)[number][1]) => {
    const id = tenantOf(spec.namespace, config.tenants);
    return [...new Set([...spec.callers, ...(id === undefined ? [] : (config.tenants[id]?.callers ?? []))])];
  };
  const clusterNamespaces = [...cluster.namespaces.apps, ...Object.entries(cluster.namespaces).flatMap(([purpose, ns]) => (purpose === "apps" ? [] : [ns as string]))];
  for (const [id, tenant] of Object.entries(config.tenants)) {
    if (clusterNamespaces.includes(tenantNamespace(id))) {
      problems.push(`strata:apps.tenants.${id}: its namespace is also a namespace of the cluster (got "${tenantNamespace(id)}"); rename the tenant`);
    }
    tenant.uses.forEach((service, i) => {
      const endpoint = platform.endpoints[service];
      if (endpoint === undefined) problems.push(`strata:apps.tenants.${id}.uses[${i}]: the platform contract has no ${service} endpoint (got "${service}"); enable strata:platform.${service}.enabled in the platform stack`);
      else if (endpoint.kind === "kafka" && endpoint.kafka === undefined) problems.push(kafkaContractProblem(`strata:apps.tenants.${id}.uses[${i}]`));
    });
  }
  const meshNamespaces = cluster.mesh === undefined ? [] : [...cluster.mesh.namespaces, ...Object.keys(config.tenants).map(tenantNamespace)];
  for (const [name, spec] of services) {
    const key = `strata:apps.services.${name}`;
    // The stores as this stack sees them: its own platform layer's, or the upstream contract's.
    for (const { at, source } of sourcesOf(key, spec)) problems.push(...externalSourceProblems(at, source, platform.secretStores));
    const endpoints: Partial<Record<PlatformService, Endpoint>> = {};
    spec.uses.forEach((service, i) => {
      // External services (strata:apps.external) were checked while config was parsed.
      if (!isPlatformService(service)) return;
      const endpoint = platform.endpoints[service];
      if (endpoint === undefined) problems.push(`${key}.uses[${i}]: the platform contract has no ${service} endpoint (got "${service}"); enable strata:platform.${service}.enabled in the platform stack`);
      else if (endpoint.kind === "kafka" && endpoint.kafka === undefined) problems.push(kafkaContractProblem(`${key}.uses[${i}]`));
      else endpoints[service] = endpoint;
    });
    if (!cluster.namespaces.apps.includes(spec.namespace) && tenantOf(spec.namespace, config.tenants) === undefined) {
      problems.push(`${key}.namespace: is not an app namespace of the cluster (got "${spec.namespace}"); use one of ${cluster.namespaces.apps.join(", ")}`);
    }
    let gateway: RouteGateway | undefined;
    const redirectGateways: RouteGateway[] = [];
    if (spec.route !== undefined) {
      const ref = cluster.gateway;
      const listenerOf = (at: string, host: string): string | undefined => {
        const domain = ref === undefined ? undefined : domainOf(host, Object.keys(ref.listeners ?? {}));
        const sectionName = ref === undefined || domain === undefined ? undefined : listenerFor(host, domain, ref.listeners?.[domain] ?? []);
        if (sectionName === undefined) problems.push(`${key}.route.${at}: no listener of the cluster's gateway serves it (got "${host}"); use a domain of strata:cluster.gateway.domains or one label under it`);
        return sectionName;
      };
      const sectionName = listenerOf("host", spec.route.host);
      const more = spec.route.hosts.map((host, i) => listenerOf(`hosts[${i}]`, host));
      const redirects = spec.route.redirects.map((redirect, i) => listenerOf(`redirects[${i}].from`, redirect.from));
      if (ref !== undefined && sectionName !== undefined) {
        gateway = {
          name: ref.name,
          namespace: ref.namespace,
          sectionName,
          moreSectionNames: [...new Set(more.filter((s): s is string => s !== undefined))],
          ...(ref.globalRateLimit === true ? { rateLimitType: "Global" as const } : {}),
        };
        for (const section of redirects) if (section !== undefined) redirectGateways.push({ name: ref.name, namespace: ref.namespace, sectionName: section });
      }
    }
    let previewGateway: RouteGateway | undefined;
    const previewHost = spec.release?.strategy === "blueGreen" ? spec.release.previewHost : undefined;
    if (previewHost !== undefined && gateway !== undefined) {
      const ref = cluster.gateway;
      const domain = ref === undefined ? undefined : domainOf(previewHost, Object.keys(ref.listeners ?? {}));
      const sectionName = ref === undefined || domain === undefined ? undefined : listenerFor(previewHost, domain, ref.listeners?.[domain] ?? []);
      if (ref === undefined || sectionName === undefined) problems.push(`${key}.release.previewHost: no listener of the cluster's gateway serves it (got "${previewHost}"); use a domain of strata:cluster.gateway.domains or one label under it`);
      else previewGateway = { name: ref.name, namespace: ref.namespace, sectionName };
    }
    const allowed = callersOf(spec).map((caller) => ({ namespace: config.services[caller]?.namespace ?? spec.namespace, app: caller }));
    const calls = services
      .filter(([, other]) => callersOf(other).includes(name))
      .map(([callee, other]) => ({ namespace: other.namespace, app: callee, port: containerPortOf(other), servicePort: servicePortOf(other), waypoint: other.resilience !== undefined && meshNamespaces.includes(other.namespace) }));
    const rdsUsers = spec.uses.flatMap((use) => {
      const iam = config.external[use]?.iamAuth;
      return iam === undefined ? [] : [{ region: iam.region, dbiResourceId: iam.dbiResourceId, user: config.external[use]?.username ?? "" }];
    });
    const runtime = appRuntime(key, spec, platform, infra, problems, rdsUsers);
    const external = Object.fromEntries(
      spec.uses.flatMap((use) => {
        const ext = config.external[use];
        if (ext === undefined) return [];
        const password = ext.password === undefined ? undefined : configSecrets[ext.password];
        if (ext.password !== undefined && password === undefined) problems.push(`strata:apps.external.${use}.password: config key ${ext.password} was not read (got "${ext.password}"); set it with \`pulumi config set --secret ${ext.password} <value>\``);
        return [[use, { spec: ext, ...(password === undefined ? {} : { password }) }] as const];
      }),
    );
    const placement = spec.pool === undefined ? cluster.placementFor(spec.role) : cluster.placementForPool(spec.pool);
    built.push([
      name,
      (opts, kafkaCa) =>
        new AppService(name, {
          spec,
          ...(cluster.mesh === undefined ? {} : { mesh: { ...cluster.mesh, namespaces: meshNamespaces } }),
          provider: cluster.provider,
          placement,
          endpoints: endpoints.rabbitmq === undefined ? endpoints : { ...endpoints, rabbitmq: rabbitmqAppUser(name, endpoints.rabbitmq) },
          callers: allowed,
          calls,
          loadTesters: Object.entries(config.loadTests).flatMap(([test, load]) => (load.target.service === name && meshNamespaces.includes(spec.namespace) ? [loadTestServiceAccountName(test)] : [])),
          ...(gateway === undefined ? {} : { gateway, redirectGateways }),
          ...(previewGateway === undefined ? {} : { previewGateway }),
          monitoringNamespace: cluster.namespaces.monitoring,
          ...(cluster.verticalPodAutoscaler === undefined ? {} : { verticalPodAutoscaler: cluster.verticalPodAutoscaler }),
          serviceMonitor: config.serviceMonitors ?? platform.observability[PROMETHEUS_QUERY_OUTPUT] !== undefined,
          ...(platform.monitoringCrds === undefined ? {} : { monitoringCrds: platform.monitoringCrds }),
          runtime,
          external,
          sharedSecrets,
          ...(kafkaCa === undefined ? {} : { kafkaCa }),
          configSecrets,
          secretStores: platform.secretStores,
          // Reloader runs where the platform has secret stores (platform/secrets).
          ...(Object.keys(platform.secretStores).length === 0 ? {} : { reloaderAnnotation: platform.reloaderAnnotation }),
          ...(platform.observability[OTLP_HTTP_OUTPUT] === undefined ? {} : { otlpEndpoint: platform.observability[OTLP_HTTP_OUTPUT] }),
          ...(platform.observability[RUNBOOK_BASE_OUTPUT] === undefined ? {} : { runbookBaseUrl: platform.observability[RUNBOOK_BASE_OUTPUT] }),
        }, opts),
    ]);
  }
  // Each app that uses RabbitMQ connects as its own user, to its own vhost (apps/rabbitmq-users).
  const rabbitmqAppUser = (app: string, endpoint: Endpoint): Endpoint =>
    new RabbitmqAppUser(`${app}-rabbitmq`, { provider: cluster.provider, app, endpoint, ...(platform.rabbitmqTopologyOperator === undefined ? {} : { topologyOperator: platform.rabbitmqTopologyOperator }) }).endpoint;
  const kafkaNamespaces = kafkaClientNamespaces(config);
  const kafka = platform.endpoints["kafka"];
  // Tenant namespaces pin Pod Security to the cluster's minor, which only the infra contract knows.
  const kubernetesVersion = infra?.kubernetesVersion;
  if (kubernetesVersion === undefined && Object.keys(config.tenants).length > 0) {
    problems.push(`strata:apps.tenants: the cluster's Kubernetes version is unknown (got no infra contract), so the tenants' Pod Security version cannot be pinned; deploy the apps layer with the infra layer or over an upstream stack that exports it`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  sharedSecrets = Object.fromEntries(
    Object.entries(config.sharedSecrets).map(([name, length]) => [name, new random.RandomPassword(`apps-shared-${name}`, { length, special: false }).result]),
  );
  const tenants = Object.fromEntries(
    Object.entries(config.tenants).map(([id, tenant]) => {
      const namespace = tenantNamespace(id);
      const own = services.filter(([, spec]) => spec.namespace === namespace).map(([, spec]) => spec);
      const uses = tenant.uses.flatMap((service) => {
        const endpoint = platform.endpoints[service];
        return endpoint === undefined ? [] : [{ namespace: endpoint.namespace, ports: endpoint.ports }];
      });
      const metricsPorts = own.flatMap((spec) => (spec.metricsPort === undefined ? [] : [spec.metricsPort]));
      return [namespace, new Tenant(namespace, { id, spec: tenant, kubernetesVersion: kubernetesVersion ?? "", provider: cluster.provider, uses, metricsPorts, monitoringNamespace: cluster.namespaces.monitoring, ...(cluster.mesh === undefined ? {} : { meshMtls: cluster.mesh.mtls }) })] as const;
    }),
  );
  const clients = dataClients(config, platform);
  if (clients.length > 0) new DataAccess("apps-data-access", { provider: cluster.provider, services: clients });
  const kafkaCa =
    kafka?.kafka === undefined || kafkaNamespaces.length === 0
      ? undefined
      : new KafkaClientCa("apps-kafka-ca", {
          provider: cluster.provider,
          settings: kafka.kafka,
          namespaces: Object.fromEntries(kafkaNamespaces.map((ns) => [ns, tenants[ns] === undefined ? [] : [tenants[ns]]])),
        });
  // Each external service's CA (plain config) as a Secret in the namespaces of its users.
  const externalCas = Object.entries(config.external).flatMap(([service, ext]) => {
    const caCert = ext.tls?.enabled === false ? undefined : ext.tls?.ca;
    const namespaces = [...new Set(Object.values(config.services).flatMap((spec) => (spec.uses.includes(service) ? [spec.namespace] : [])))].sort();
    if (caCert === undefined || namespaces.length === 0) return [];
    return [[service, new ExternalServiceCa(`apps-external-${service}-ca`, { provider: cluster.provider, service, caCert, namespaces: Object.fromEntries(namespaces.map((ns) => [ns, tenants[ns] === undefined ? [] : [tenants[ns]]])) })] as const];
  });
  // Services with `resilience` in the mesh reach their pods through their namespace's waypoint.
  for (const [namespace, users] of waypointUsers(services, meshNamespaces)) {
    new Waypoint(`apps-waypoint-${namespace}`, {
      namespace,
      provider: cluster.provider,
      apps: users.flatMap(([name, spec]) => (spec.port === undefined ? [] : [{ name, port: spec.port, servicePort: servicePortOf(spec) }])),
      callerNamespaces: [...meshNamespaces, ...(cluster.gateway === undefined || cluster.mesh?.gateway !== true ? [] : [cluster.gateway.namespace])],
      istioNamespace: ISTIO_NAMESPACE,
      monitoringNamespace: cluster.namespaces.monitoring,
      ...(platform.monitoringCrds === undefined ? {} : { monitoringCrds: platform.monitoringCrds }),
    });
  }
  for (const [name, build] of built) {
    const namespace = config.services[name]?.namespace ?? "";
    const tenant = tenants[namespace];
    const ca = config.services[name]?.uses.includes("kafka") === true ? kafkaCa?.secrets[namespace] : undefined;
    const externalCaSecrets = externalCas.flatMap(([service, component]) => (config.services[name]?.uses.includes(service) === true && component.secrets[namespace] !== undefined ? [component.secrets[namespace]] : []));
    const waits = [...(tenant === undefined ? [] : [tenant]), ...externalCaSecrets];
    const app = build(waits.length === 0 ? undefined : { dependsOn: waits }, ca);
    apps[name] = { ...(app.internalUrl === undefined ? {} : { internalUrl: app.internalUrl }), ...(app.publicUrl === undefined ? {} : { publicUrl: app.publicUrl }) };
  }
  // Shipped with the stack, run on demand (apps/load-tests/index.ts says why never on up).
  if (Object.keys(config.loadTests).length > 0) {
    new LoadTests("apps-load-tests", { provider: cluster.provider, operatorNamespace: cluster.namespaces.operators, operatorPlacement: cluster.placementFor("system"), tests: loadTestTargets(config, cluster, meshNamespaces) });
  }
  return { apps };
}

/** Per meshed namespace, its services that set `resilience` (they route through a waypoint). */
export function waypointUsers(services: readonly (readonly [string, AppServiceSpec])[], meshNamespaces: readonly string[]): Map<string, (readonly [string, AppServiceSpec])[]> {
  const users = new Map<string, (readonly [string, AppServiceSpec])[]>();
  for (const entry of services) {
    const [, spec] = entry;
    if (spec.resilience === undefined || !meshNamespaces.includes(spec.namespace)) continue;
    users.set(spec.namespace, [...(users.get(spec.namespace) ?? []), entry]);
  }
  return users;
}

/** A platform stack deployed before Kafka's client settings existed publishes none; its clients would get no CA. */
const kafkaContractProblem = (key: string) =>
  `${key}: the platform contract's kafka endpoint has no client settings (got "kafka"); run pulumi up on the platform stack first, so it publishes bootstrapServers and the cluster CA`;

/** Namespaces whose pods use Kafka (its services' and its tenants'), sorted: each gets the cluster CA. */
function kafkaClientNamespaces(config: AppsConfig): string[] {
  const namespaces = [
    ...Object.values(config.services).flatMap((spec) => (spec.uses.includes("kafka") ? [spec.namespace] : [])),
    ...Object.entries(config.tenants).flatMap(([id, tenant]) => (tenant.uses.includes("kafka") ? [tenantNamespace(id)] : [])),
  ];
  return [...new Set(namespaces)].sort();
}

/**
 * Per used platform service, the apps that use it and the tenants whose namespace may: every
 * endpoint's ports, and the object store's S3 port where it runs in the cluster (SeaweedFS; S3 on
 * EKS is outside the cluster and reached through the apps' own egress).
 */
function dataClients(config: AppsConfig, platform: PlatformOutputs): ServiceClients[] {
  const used = new Map<DataService, ServiceClients["clients"][number][]>();
  const add = (service: DataService, client: ServiceClients["clients"][number]) => used.set(service, [...(used.get(service) ?? []), client]);
  for (const [name, spec] of Object.entries(config.services)) for (const service of spec.uses) if (isPlatformService(service) || service === OBJECT_STORE_USE) add(service, { namespace: spec.namespace, app: name });
  for (const [id, tenant] of Object.entries(config.tenants)) for (const service of tenant.uses) add(service, { namespace: tenantNamespace(id) });
  return [...used].flatMap(([service, clients]): ServiceClients[] => {
    if (service === OBJECT_STORE_USE) return inClusterStore(platform.objectStore).map((store) => ({ service, ...store, clients }));
    const endpoint = platform.endpoints[service];
    return endpoint === undefined ? [] : [{ service, namespace: endpoint.namespace, ports: endpoint.ports, clients }];
  });
}
