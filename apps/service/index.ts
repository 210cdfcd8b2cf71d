/**
 * `AppService`: one application service as production workloads — Deployment, Service,
 * ServiceAccount, HPA, PDB, NetworkPolicy, and where asked a ServiceMonitor with the
 * PrometheusRule recording its HTTP metrics, an HTTPRoute on the shared Gateway and a Secret
 * with its connection and generated variables.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { type AppServiceSpec, type EndpointField, isPlatformService, KAFKA_CONNECTION_FIELDS, type KafkaConnectionField, type PlatformService } from "../../config/apps/service";
import { servicePortOf } from "../../config/apps/service-port";
import type { Endpoint, Placement } from "../../lib/contracts";
import { standardLabels } from "../../lib/labels";
import { OBJECT_STORE_USE, type ObjectStoreField } from "../../config/apps/runtime";
import { type AppRuntimeArgs, declareAutoscaler, declareCloudIdentity, inClusterStore, objectStoreEnv } from "./runtime";
import { disruptionBudgetManifest, minAvailableFor } from "./autoscaler";
import { verticalAutoscalerManifest } from "./vertical-autoscaler";
import { connectionValue, isSecretConnection, type ResolvedEndpoint } from "./connections";
import { deploymentManifest } from "./deployment";
import { httpRuleManifest } from "./http-rules";
import { sloRuleManifest } from "./slo-rules";
import { telemetryEnv } from "./telemetry";
import { sloSource } from "../../config/apps/slo-checks";
import { DEFAULT_RUNBOOK_BASE_URL } from "../../lib/prometheus-rules";
import { podMonitorManifest, type RouteGateway, serviceAccountManifest, serviceMonitorManifest } from "./exposure";
import { authorizationPolicyManifest, metricsPeerAuthenticationManifest } from "./mesh-policies";
import { destinationRuleManifest, edgeResilience, meshRouteManifest, USE_WAYPOINT_LABEL, WAYPOINT_NAME, waypointAuthorizationManifest } from "./resilience";
import { type AppMesh, type EgressTarget, networkPolicyManifest, type Peer } from "./network-policy";
import { serviceManifest } from "./service";
import { type MonitoringCrds, withMonitoringCrds } from "../../lib/monitoring-crds";
import { appSelector, previewBackends, releaseTracks, routeBackends, serviceSelector, withServiceAccount } from "./release";
import { backendTrafficSpec, redirectRouteManifest, routeCorsSpec, routeTargets, trafficRouteManifest } from "./traffic";
import { declareAppConnections } from "./declared-connections";
import { declareBatch } from "./batch-resources";
import { declareQueueScaling } from "./queue-scaler";
import { kafkaCaDigest, kafkaConnectionValue } from "./kafka-client";
import { secretDigest } from "../../lib/secret-digest";
import { DOCKER_CONFIG_KEY } from "../../config/apps/secret-sources";
import type { SecretStoreRef } from "../../lib/contracts";
import { appSecretSources, envSecretNameOf, type SourcedKey } from "./secret-sources";
import { DOCKER_CONFIG_SECRET_TYPE, externalSecretManifest } from "./external-secret";
import type { ExternalServiceSpec } from "../../config/apps/external";
import { externalCa, externalPlainValue, externalSecretValue, withExternalUses } from "../external/values";
import { declareExternalConnections } from "../external/connections";

export interface AppServiceArgs {
  /** The service as configured under `strata:apps.services.<name>`. */
  readonly spec: AppServiceSpec;
  /** The Istio ambient mesh (ClusterOutputs.mesh); applies when the app's namespace is meshed. @default - no mesh */
  readonly mesh?: AppMesh & { readonly mtls: "strict" | "permissive" };
  readonly provider: k8s.Provider;
  /** Where the pods run (from `cluster.placementFor` / `placementForPool`). */
  readonly placement: Placement;
  /** Endpoints of the platform services in `spec.uses`, by service. */
  readonly endpoints: Readonly<Partial<Record<PlatformService, Endpoint>>>;
  /** Apps allowed to call this one. @default [] */
  readonly callers?: readonly Peer[];
  /** Apps this one calls: their container ports (policies) and Service ports (what callers dial). @default [] */
  readonly calls?: readonly (Peer & { readonly port: number; readonly servicePort: number })[];
  /** ServiceAccounts in this app's namespace of the load tests aimed at it, admitted by the mesh's AuthorizationPolicy (apps/load-tests/mesh.ts). @default [] */
  readonly loadTesters?: readonly string[];
  /** The Gateway listener the route attaches to; absent when the app has no route. */
  readonly gateway?: RouteGateway;
  /** The Gateway listener of each of `route.redirects`, in order. @default [] */
  readonly redirectGateways?: readonly RouteGateway[];
  /** The Gateway listener the blue-green preview route attaches to; absent without a `previewHost`. */
  readonly previewGateway?: RouteGateway;
  /** Namespace Prometheus scrapes from; ingress to the metrics port is allowed from there. @default - none */
  readonly monitoringNamespace?: string;
  /** Declare a ServiceMonitor when the spec has a metrics port. @default true */
  readonly serviceMonitor?: boolean;
  /** Settles to the release installing the Prometheus Operator CRDs (`PlatformOutputs.monitoringCrds`). @default - none to wait for */
  readonly monitoringCrds?: MonitoringCrds;
  /** The values of `strata:apps.sharedSecrets` by name, for the spec's `sharedSecretEnv`. @default {} */
  readonly sharedSecrets?: Readonly<Record<string, pulumi.Output<string>>>;
  /** Object store, KEDA and EKS facts for the run-time keys (`runtime.ts`). @default {} */
  readonly runtime?: AppRuntimeArgs;
  /** The Kafka CA Secret in the app's namespace (`apps/kafka-ca`), which the pods mount. @default - the app does not use Kafka */
  readonly kafkaCa?: pulumi.Resource;
  /** Values of the config keys the spec's `config:` secret sources name, `<namespace>:<key>` → secret value. @default {} */
  readonly configSecrets?: Readonly<Record<string, pulumi.Output<string>>>;
  /** The platform's secret stores (`PlatformOutputs.secretStores`), for `external:` sources. @default {} */
  readonly secretStores?: Readonly<Record<string, SecretStoreRef>>;
  /**
   * Reloader's annotation (`PlatformOutputs.reloaderAnnotation`) when the platform runs Reloader,
   * set on the Deployment to name the Secrets strata does not write (the ExternalSecret's, those of
   * `secret:` sources), so a rotated value rolls the pods.
   * @default - no Reloader: a changed value reaches the pods when they next restart
   */
  readonly reloaderAnnotation?: string;
  /**
   * The trace collectors' OTLP/HTTP URL (`PlatformOutputs.observability.otlpHttp`): the pods get
   * the OpenTelemetry SDK variables pointing at it (`telemetry.ts`).
   * @default - no collectors: no OTEL_* variables
   */
  readonly otlpEndpoint?: pulumi.Input<string>;
  /** Base URL of the runbooks the app's alerts link (`PlatformOutputs.observability.runbookBaseUrl`). @default DEFAULT_RUNBOOK_BASE_URL */
  readonly runbookBaseUrl?: pulumi.Input<string>;
  /**
   * The external data services in `spec.uses` (`strata:apps.external`), by name, with the password
   * read from its config key where it has one (`../external`).
   * @default {}
   */
  readonly external?: Readonly<Record<string, { readonly spec: ExternalServiceSpec; readonly password?: pulumi.Output<string> }>>;
  /**
   * The cluster runs the VPA recommender: each Deployment gets a VerticalPodAutoscaler in
   * recommendation mode, created after `crds`. @default - none
   */
  readonly verticalPodAutoscaler?: { readonly crds: pulumi.Resource };
}

/** Resolves an endpoint's fields together (secrets stay secret through `pulumi.all`). */
function resolveEndpoint(endpoint: Endpoint): pulumi.Output<ResolvedEndpoint> {
  return pulumi
    .all([endpoint.host, endpoint.port, endpoint.database ?? pulumi.output(undefined), endpoint.username, endpoint.password, endpoint.url])
    .apply(([host, port, database, username, password, url]) => ({ kind: endpoint.kind, host, port, username, password, url, ...(database === undefined ? {} : { database }) }));
}

export class AppService extends pulumi.ComponentResource {
  /** `http://<name>.<namespace>.svc:<port>`; absent for the kinds that serve no port (worker, cronjob, job). */
  public readonly internalUrl?: pulumi.Output<string>;
  /** `https://<host>` when the app has a route. */
  public readonly publicUrl?: pulumi.Output<string>;

  constructor(name: string, args: AppServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:apps:AppService", name, {}, opts);
    const external = args.external ?? {};
    // External names leave `uses`; their egress, CA file and existing-Secret reads join the spec.
    const spec = withExternalUses(args.spec, Object.fromEntries(Object.entries(external).map(([n, e]) => [n, e.spec])));
    const runtime = args.runtime ?? {};
    const namespace = spec.namespace;
    const child = { parent: this, provider: args.provider };
    const labels = standardLabels({ name, component: "app" });
    const selector = { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": name };
    const base = { name, namespace, labels };

    const connection = (ref: string): pulumi.Output<string> => {
      const [usedName = "", usedField = ""] = ref.split(".");
      const ext = external[usedName];
      if (ext !== undefined) {
        if (!isSecretConnection(ref)) return pulumi.output(externalPlainValue(usedName, ext.spec, usedField));
        const password = ext.password ?? pulumi.output("");
        return pulumi.secret(password.apply((p) => externalSecretValue(usedName, ext.spec, usedField, { username: ext.spec.username ?? "", password: p })));
      }
      if (ref.startsWith(`${OBJECT_STORE_USE}.`)) {
        const value = objectStoreEnv(runtime, ref.slice(OBJECT_STORE_USE.length + 1) as ObjectStoreField);
        // Endpoint, bucket and region are resolved beside the keys but carry none of them.
        return isSecretConnection(ref) ? value : pulumi.unsecret(value);
      }
      const [service, field] = ref.split(".") as [PlatformService, EndpointField | KafkaConnectionField];
      const endpoint = args.endpoints[service];
      if (endpoint === undefined) throw new Error(`AppService ${name}: no endpoint for ${service}`);
      if ((KAFKA_CONNECTION_FIELDS as readonly string[]).includes(field)) {
        const kafka = endpoint.kafka;
        if (kafka === undefined) throw new Error(`AppService ${name}: the ${service} endpoint has no Kafka client settings`);
        return pulumi.output(kafka.bootstrapServers).apply((bootstrapServers) => kafkaConnectionValue({ ...kafka, bootstrapServers }, field as KafkaConnectionField));
      }
      // Host, port and database alone: resolving them with the credentials would make them secret.
      if (field === "host") return pulumi.output(endpoint.host);
      if (field === "port") return pulumi.output(endpoint.port).apply(String);
      if (field === "database") return pulumi.output(endpoint.database ?? "");
      return resolveEndpoint(endpoint).apply((e) => connectionValue(e, field as EndpointField));
    };
    const connectionEntries = Object.entries(spec.connectionEnv);
    const plainConnectionEnv = Object.fromEntries(connectionEntries.filter(([, ref]) => !isSecretConnection(ref)).map(([env, ref]) => [env, connection(ref)]));
    const secretConnections = connectionEntries.filter(([, ref]) => isSecretConnection(ref));
    const caSecrets = Object.entries(external).flatMap(([n, e]) => {
      const ca = externalCa(n, e.spec);
      return ca?.strataMade === true ? [ca.secret] : [];
    });
    const sources = appSecretSources(name, spec, caSecrets);
    const configValue = (key: string): pulumi.Output<string> => {
      const value = args.configSecrets?.[key];
      if (value === undefined) throw new Error(`AppService ${name}: config key ${key} was not read`);
      return value;
    };
    const secretKeys = [...secretConnections.map(([env]) => env), ...Object.keys(spec.generatedSecrets), ...Object.keys(spec.sharedSecretEnv), ...sources.envSecretKeys.map(({ key }) => key)];
    const secretName = secretKeys.length === 0 ? undefined : envSecretNameOf(name);
    const dependsOn: pulumi.Resource[] = [];
    let envDigest: pulumi.Output<string> | undefined;
    if (secretName !== undefined) {
      const generated = Object.entries(spec.generatedSecrets).map(
        ([env, length]) => [env, new random.RandomPassword(`${name}-${env.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`, { length, special: false }, { parent: this }).result] as const,
      );
      const connections = secretConnections.map(([env, ref]) => [env, connection(ref)] as const);
      const shared = Object.entries(spec.sharedSecretEnv).map(([env, secret]) => {
        const value = args.sharedSecrets?.[secret];
        if (value === undefined) throw new Error(`AppService ${name}: no shared secret ${secret}`);
        return [env, value] as const;
      });
      // `config:` sources: their digest joins the others', so a changed value rolls the pods.
      const configured = sources.envSecretKeys.map(({ key, configKey }) => [key, configValue(configKey)] as const);
      const values = [...connections, ...generated, ...shared, ...configured];
      const stringData = pulumi.secret(pulumi.all(values.map(([, value]) => value)).apply((resolved) => Object.fromEntries(values.map(([env], i) => [env, resolved[i] ?? ""]))));
      dependsOn.push(new k8s.core.v1.Secret(`${name}-env`, { metadata: { name: secretName, namespace, labels }, type: "Opaque", stringData }, child));
      envDigest = secretDigest(stringData);
    }

    const externalSecret = (secretName: string, keys: readonly SourcedKey[], dockerConfig: boolean) => {
      const store = keys[0]?.source.kind === "external" ? keys[0].source.store : "";
      const ref = args.secretStores?.[store];
      if (ref === undefined) throw new Error(`AppService ${name}: no secret store ${store} in the platform contract`);
      return new k8s.apiextensions.CustomResource(`${secretName}-external-secret`, externalSecretManifest({ name: secretName, namespace, labels, store: ref, keys, dockerConfig }), child);
    };
    if (sources.externalSecretName !== undefined) dependsOn.push(externalSecret(sources.externalSecretName, sources.externalKeys, false));
    for (const pull of sources.pullSecrets) {
      if (pull.source.kind === "config") {
        const stringData = pulumi.secret(configValue(pull.source.key).apply((value) => ({ [DOCKER_CONFIG_KEY]: value })));
        dependsOn.push(new k8s.core.v1.Secret(pull.name, { metadata: { name: pull.name, namespace, labels }, type: DOCKER_CONFIG_SECRET_TYPE, stringData }, child));
      } else if (pull.source.kind === "external") {
        dependsOn.push(externalSecret(pull.name, [{ key: "dockerconfigjson", source: pull.source }], true));
      }
    }
    // Reloader rolls the pods when a Secret they read and strata does not write changes: the one the
    // ExternalSecret syncs, and those `secret:` sources name (pull secrets are read at image pull only).
    const pullSecretNames = new Set(sources.pullSecrets.map((pull) => pull.name));
    const watched = [
      ...(sources.externalSecretName === undefined ? [] : [sources.externalSecretName]),
      ...sources.reads.filter((read) => read.madeOutsideStrata !== undefined && !pullSecretNames.has(read.name)).map((read) => read.name),
    ];
    const reload = watched.length === 0 || args.reloaderAnnotation === undefined ? undefined : { [args.reloaderAnnotation]: watched.join(",") };

    const identity = declareCloudIdentity(name, namespace, spec, runtime, this);
    declareAppConnections({
      name,
      namespace,
      podLabels: appSelector(name),
      spec,
      endpoints: args.endpoints,
      calls: (args.calls ?? []).map((callee) => ({ ...callee, port: callee.servicePort })),
      ...(secretName === undefined ? {} : { secretName }),
      runtime,
      ...(identity === undefined ? {} : { roleArn: identity.roleArn }),
      ...(args.otlpEndpoint === undefined ? {} : { otlpEndpoint: args.otlpEndpoint }),
      secretReads: sources.reads,
    });
    declareExternalConnections({
      namespace,
      podLabels: appSelector(name),
      spec,
      external: Object.fromEntries(Object.entries(external).map(([n, e]) => [n, e.spec])),
      ...(secretName === undefined ? {} : { secretName }),
      ...(identity === undefined || runtime.eks === undefined ? {} : { aws: { roleArn: identity.roleArn, accountId: runtime.eks.accountId, serviceAccount: name } }),
    });
    const kafka = spec.uses.includes("kafka") ? args.endpoints.kafka : undefined;
    const kafkaCa = kafka?.kafka === undefined ? undefined : { secretName: kafka.kafka.caSecretName, digest: pulumi.unsecret(kafka.kafka.caCert.apply(kafkaCaDigest)) };
    if (kafkaCa !== undefined && args.kafkaCa !== undefined) dependsOn.push(args.kafkaCa);
    const account = new k8s.core.v1.ServiceAccount(`${name}-account`, serviceAccountManifest({ ...base, spec }), { ...child, ...(identity === undefined ? {} : { dependsOn: [identity] }) });
    // One Deployment, Service, HPA, PDB and ServiceMonitor per track (`release.ts`); the main
    // track keeps the names it had before releases existed.
    const runbookBase = pulumi.output(args.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL);
    const queueTriggers =
      runtime.keda === undefined
        ? undefined
        : declareQueueScaling({ name, namespace, labels, spec, endpoints: args.endpoints, kedaNamespace: runtime.keda.namespace, ...(runtime.keda.release === undefined ? {} : { kedaRelease: runtime.keda.release }), parent: this, provider: args.provider });
    for (const track of releaseTracks(name, spec)) {
      const prefix = track.role === "main" ? name : track.name;
      const trackBase = { name: track.name, namespace, labels: track.labels };
      const trackSpec = { ...spec, image: track.image };
      const otlpEndpoint = args.otlpEndpoint;
      const trackEnv = otlpEndpoint === undefined ? plainConnectionEnv : { ...telemetryEnv({ service: name, namespace, image: track.image, endpoint: otlpEndpoint, own: spec.env }), ...plainConnectionEnv };
      const deployment = withServiceAccount(
        deploymentManifest({ ...trackBase, spec: trackSpec, selector: track.selector, placement: args.placement, plainConnectionEnv: trackEnv, ...(secretName === undefined ? {} : { secretName }), ...(envDigest === undefined ? {} : { secretDigest: envDigest }), ...(kafkaCa === undefined ? {} : { kafkaCa }), secretSources: sources, ...(reload === undefined ? {} : { annotations: reload }) }),
        name,
      );
      // A cronjob or job runs the same pod template to completion (`batch.ts`); it has no release tracks.
      if (spec.kind === "cronjob" || spec.kind === "job") {
        declareBatch(name, { ...trackBase, name }, spec, deployment.spec.template, { ...child, dependsOn: [account, ...dependsOn] });
        continue;
      }
      new k8s.apps.v1.Deployment(`${prefix}-deployment`, deployment, { ...child, dependsOn: [account, ...dependsOn] });
      if (args.verticalPodAutoscaler !== undefined) {
        new k8s.apiextensions.CustomResource(`${prefix}-vertical-autoscaler`, verticalAutoscalerManifest(trackBase), { ...child, dependsOn: [args.verticalPodAutoscaler.crds] });
      }
      if (track.role !== "main") new k8s.core.v1.Service(`${prefix}-service`, serviceManifest({ ...trackBase, spec, selector: track.selector }), child);
      declareAutoscaler(prefix, trackBase, spec, runtime, child, queueTriggers);
      const minAvailable = minAvailableFor(spec);
      if (minAvailable !== undefined) {
        new k8s.policy.v1.PodDisruptionBudget(`${prefix}-disruption-budget`, disruptionBudgetManifest({ ...trackBase, minAvailable, selector: track.selector }), child);
      }
      if (spec.metricsPort !== undefined && (args.serviceMonitor ?? true)) {
        const afterCrds = { ...child, dependsOn: withMonitoringCrds([], args.monitoringCrds) };
        if (spec.kind === "service") new k8s.apiextensions.CustomResource(`${prefix}-service-monitor`, serviceMonitorManifest({ ...trackBase, spec, selector: track.selector }), afterCrds);
        else new k8s.apiextensions.CustomResource(`${prefix}-pod-monitor`, podMonitorManifest({ ...trackBase, spec, selector: track.selector }), afterCrds);
        // The track's golden signals and KEDA's request metrics, recorded from what it exports (a worker serves no HTTP).
        const rule = (runbookBaseUrl: string) => httpRuleManifest({ ...trackBase, spec, runbookBaseUrl });
        if (spec.kind === "service") new k8s.apiextensions.CustomResource(`${prefix}-http-rules`, { ...rule(DEFAULT_RUNBOOK_BASE_URL), spec: runbookBase.apply((url) => rule(url).spec) }, afterCrds);
      }
    }
    // The SLOs' ratios and burn-rate alerts, over every track (or the route at the edge).
    const slo = spec.slo;
    const sloMeasuredAt = sloSource(spec);
    if (slo !== undefined && sloMeasuredAt !== undefined && (args.serviceMonitor ?? true)) {
      const rule = (runbookBaseUrl: string) => sloRuleManifest({ ...base, spec, slo, source: sloMeasuredAt, runbookBaseUrl });
      new k8s.apiextensions.CustomResource(
        `${name}-slo-rules`,
        { ...rule(DEFAULT_RUNBOOK_BASE_URL), spec: runbookBase.apply((url) => rule(url).spec) },
        { ...child, dependsOn: withMonitoringCrds([], args.monitoringCrds) },
      );
    }
    // In-cluster callers reach the main track, or the active blue-green track; the other kinds serve no port.
    const meshed = args.mesh?.namespaces.includes(namespace) === true;
    // With the mesh on, `resilience` is enforced by the namespace's waypoint, which the Service opts into.
    const viaWaypoint = meshed && spec.resilience !== undefined;
    const serviceLabels = viaWaypoint ? { ...labels, [USE_WAYPOINT_LABEL]: WAYPOINT_NAME } : labels;
    if (spec.kind === "service") new k8s.core.v1.Service(`${name}-service`, serviceManifest({ ...base, labels: serviceLabels, spec, selector: serviceSelector(name, spec.release) }), child);
    const podSelector = spec.release === undefined ? selector : appSelector(name);
    new k8s.networking.v1.NetworkPolicy(
      `${name}-network-policy`,
      networkPolicyManifest({
        ...base,
        spec,
        selector: podSelector,
        callers: args.callers ?? [],
        calls: args.calls ?? [],
        uses: spec.uses.flatMap((service): EgressTarget[] => {
          if (service === OBJECT_STORE_USE) return inClusterStore(runtime.objectStore?.store);
          const endpoint = isPlatformService(service) ? args.endpoints[service] : undefined;
          return endpoint === undefined ? [] : [{ namespace: endpoint.namespace, ports: endpoint.ports }];
        }),
        cloud: { podIdentity: identity !== undefined, s3: runtime.objectStore !== undefined && runtime.objectStore.store.credentials === undefined },
        ...(args.gateway === undefined ? {} : { gatewayNamespace: args.gateway.namespace }),
        ...(args.monitoringNamespace === undefined ? {} : { monitoringNamespace: args.monitoringNamespace }),
        ...(meshed && args.mesh !== undefined ? { mesh: args.mesh } : {}),
        viaWaypoint,
      }),
      child,
    );
    if (meshed && args.mesh !== undefined) {
      const meshPolicy = {
        ...base,
        spec,
        selector: podSelector,
        callers: args.callers ?? [],
        loadTesters: args.loadTesters ?? [],
        ...(args.gateway === undefined || !args.mesh.gateway ? {} : { gatewayNamespace: args.gateway.namespace }),
        scraped: args.monitoringNamespace !== undefined && (args.serviceMonitor ?? true),
        ...(viaWaypoint ? { waypoint: WAYPOINT_NAME } : {}),
      };
      const authorization = authorizationPolicyManifest(meshPolicy);
      new k8s.apiextensions.CustomResource(`${name}-authorization`, authorization, child);
      if (viaWaypoint && spec.resilience !== undefined) {
        const target = { ...base, servicePort: servicePortOf(spec) };
        new k8s.apiextensions.CustomResource(`${name}-waypoint-authorization`, waypointAuthorizationManifest(authorization, name), child);
        const rule = destinationRuleManifest(target, spec.resilience);
        if (rule !== undefined) new k8s.apiextensions.CustomResource(`${name}-destination-rule`, rule, child);
        const meshRoute = meshRouteManifest(target, spec.resilience);
        if (meshRoute !== undefined) new k8s.apiextensions.CustomResource(`${name}-mesh-route`, meshRoute, child);
      }
      const metricsMtls = args.mesh.mtls === "strict" ? metricsPeerAuthenticationManifest(meshPolicy) : undefined;
      if (metricsMtls !== undefined) new k8s.apiextensions.CustomResource(`${name}-metrics-mtls`, metricsMtls, child);
    }
    if (spec.route !== undefined && args.gateway !== undefined) {
      const route = spec.route;
      const routeName = (suffix: string) => `${name}${suffix}`;
      const declareRoute = (suffix: string, host: string, gateway: RouteGateway, backends: ReturnType<typeof routeBackends>, moreHosts: readonly string[] = []) =>
        new k8s.apiextensions.CustomResource(
          `${routeName(suffix)}-route`,
          trafficRouteManifest({ name: routeName(suffix), namespace, labels, host, moreHosts, route, backends, gateway }),
          child,
        );
      declareRoute("", route.host, args.gateway, routeBackends(name, servicePortOf(spec), spec.release), route.hosts);
      route.redirects.forEach((redirect, i) => {
        const gateway = args.redirectGateways?.[i];
        if (gateway === undefined) return;
        const manifest = redirectRouteManifest({ name: routeName(`-redirect-${i}`), namespace, labels, redirect, to: redirect.to ?? route.host, gateway });
        new k8s.apiextensions.CustomResource(`${routeName(`-redirect-${i}`)}-route`, manifest, child);
      });
      const preview = previewBackends(name, servicePortOf(spec), spec.release);
      const previewHost = spec.release?.strategy === "blueGreen" ? spec.release.previewHost : undefined;
      const routes = [name];
      if (preview !== undefined && previewHost !== undefined && args.previewGateway !== undefined) {
        declareRoute("-preview", previewHost, args.previewGateway, preview);
        routes.push(routeName("-preview"));
      }
      const policy = (role: string, kind: string, policySpec: Record<string, unknown>) =>
        new k8s.apiextensions.CustomResource(
          `${name}-${role}`,
          { apiVersion: "gateway.envoyproxy.io/v1alpha1", kind, metadata: { name: `${name}-${role}`, namespace, labels }, spec: policySpec },
          child,
        );
      const traffic = backendTrafficSpec(routeTargets(routes), route, args.gateway.rateLimitType, edgeResilience(spec.resilience));
      if (traffic !== undefined) policy("traffic", "BackendTrafficPolicy", traffic);
      const cors = routeCorsSpec(routeTargets(routes), route.cors);
      if (cors !== undefined) policy("cors", "SecurityPolicy", cors);
      this.publicUrl = pulumi.output(`https://${route.host}`);
    }
    if (spec.kind === "service") this.internalUrl = pulumi.output(`http://${name}.${namespace}.svc:${servicePortOf(spec)}`);
    this.registerOutputs({ internalUrl: this.internalUrl, publicUrl: this.publicUrl });
  }
}
