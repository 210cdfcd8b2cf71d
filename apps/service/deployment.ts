/** Pure: the app's Deployment, hardened by default. */
import type * as pulumi from "@pulumi/pulumi";
import type { AppServiceSpec, ProbeSpec } from "../../config/apps/service";
import type { Placement } from "../../lib/contracts";
import { ENV_SECRET_DIGEST_ANNOTATION } from "../../lib/digest-annotations";
import { isSecretConnection } from "./connections";
import { KAFKA_CA_DIGEST_ANNOTATION, kafkaCaVolume } from "./kafka-client";
import { migrationParts } from "./migration";
import { appSecretSources, type AppSecretSources } from "./secret-sources";

export const HTTP_PORT_NAME = "http";
export const METRICS_PORT_NAME = "metrics";

export interface DeploymentInput {
  readonly name: string;
  readonly namespace: string;
  readonly spec: AppServiceSpec;
  readonly labels: Readonly<Record<string, string>>;
  /** Pod selector labels (a subset of `labels`). */
  readonly selector: Readonly<Record<string, string>>;
  readonly placement: Placement;
  /** Secret holding the connection and generated variables; absent when there are none. */
  readonly secretName?: string;
  /** Values of the `connectionEnv` variables that carry no credential (host, port, database). @default {} */
  readonly plainConnectionEnv?: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Digest of the `secretName` Secret's values, on the pods: a rotated password or key changes the
   * pod template, so the Deployment rolls and the pods read the new values (environment variables
   * from a Secret are read only when a container starts). @default - no Secret, no annotation
   */
  readonly secretDigest?: pulumi.Input<string>;
  /** Kafka's cluster CA: the Secret in the app's namespace mounted read-only, and its digest on the pods. @default - the app does not use Kafka */
  readonly kafkaCa?: { readonly secretName: string; readonly digest: pulumi.Input<string> };
  /** Where `secretEnv`, `secretFiles` and `imagePullSecrets` land in the pods (`secret-sources.ts`). @default - those of an app named `name` */
  readonly secretSources?: Pick<AppSecretSources, "env" | "volumes" | "mounts" | "pullSecrets">;
  /**
   * Annotations of the Deployment itself (not its pods): Reloader's, naming the synced Secret it
   * rolls the Deployment on. @default {}
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

function httpProbe(probe: ProbeSpec | undefined, defaultPort: number | undefined) {
  if (probe === undefined) return undefined;
  return {
    httpGet: { path: probe.path, port: probe.port ?? defaultPort ?? HTTP_PORT_NAME },
    initialDelaySeconds: probe.initialDelaySeconds,
    periodSeconds: probe.periodSeconds,
    timeoutSeconds: probe.timeoutSeconds,
    failureThreshold: probe.failureThreshold,
  };
}

/** Plain variables by name, then Secret-backed ones, each sorted so renders are stable. */
function containerEnv(spec: AppServiceSpec, secretName: string | undefined, plainConnectionEnv: Readonly<Record<string, pulumi.Input<string>>>) {
  const secretKeys = [...Object.entries(spec.connectionEnv).flatMap(([env, ref]) => (isSecretConnection(ref) ? [env] : [])), ...Object.keys(spec.generatedSecrets), ...Object.keys(spec.sharedSecretEnv)].sort();
  return [
    ...Object.entries({ ...spec.env, ...plainConnectionEnv })
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => ({ name, value })),
    ...(secretName === undefined ? [] : secretKeys.map((name) => ({ name, valueFrom: { secretKeyRef: { name: secretName, key: name } } }))),
  ];
}

export function deploymentManifest(input: DeploymentInput) {
  const { spec } = input;
  const sec = spec.security;
  const runAsGroup = sec.runAsGroup ?? sec.runAsUser;
  const volumes = Object.entries(spec.writablePaths).sort(([a], [b]) => a.localeCompare(b));
  const kafkaCa = input.kafkaCa === undefined ? undefined : kafkaCaVolume(input.kafkaCa.secretName);
  const annotations: Record<string, pulumi.Input<string>> = {
    ...(input.secretName === undefined || input.secretDigest === undefined ? {} : { [ENV_SECRET_DIGEST_ANNOTATION]: input.secretDigest }),
    ...(input.kafkaCa === undefined ? {} : { [KAFKA_CA_DIGEST_ANNOTATION]: input.kafkaCa.digest }),
  };
  const resources = spec.resources;
  const sources = input.secretSources ?? appSecretSources(input.name, spec);
  const secretMounts = sources.mounts;
  const spread = (topologyKey: string) => ({ maxSkew: 1, topologyKey, whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { ...input.selector } } });
  const ports = [
    ...(spec.port === undefined ? [] : [{ name: HTTP_PORT_NAME, containerPort: spec.port, protocol: "TCP" }]),
    ...(spec.metricsPort === undefined ? [] : [{ name: METRICS_PORT_NAME, containerPort: spec.metricsPort, protocol: "TCP" }]),
  ];
  // A worker serves no HTTP port: its probes ask its metrics server (a health path beside /metrics).
  const probePort = spec.port ?? spec.metricsPort;
  const container = {
    name: input.name,
    image: spec.image,
    imagePullPolicy: "IfNotPresent",
    ...(spec.command === undefined ? {} : { command: spec.command }),
    ...(spec.args === undefined ? {} : { args: spec.args }),
    ...(ports.length === 0 ? {} : { ports }),
    env: [...containerEnv(spec, input.secretName, input.plainConnectionEnv ?? {}), ...sources.env],
    resources: {
      requests: { cpu: `${resources.cpuMillis}m`, memory: `${resources.memoryMi}Mi` },
      limits: { ...(resources.limitCpuMillis === undefined ? {} : { cpu: `${resources.limitCpuMillis}m` }), memory: `${resources.limitMemoryMi}Mi` },
    },
    ...optional("livenessProbe", httpProbe(spec.probes.liveness, probePort)),
    ...optional("readinessProbe", httpProbe(spec.probes.readiness, probePort)),
    ...optional("startupProbe", httpProbe(spec.probes.startup, probePort)),
    securityContext: {
      runAsNonRoot: true,
      runAsUser: sec.runAsUser,
      runAsGroup,
      readOnlyRootFilesystem: sec.readOnlyRootFilesystem,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    },
    volumeMounts: [...volumes.map(([name, mountPath]) => ({ name, mountPath })), ...(kafkaCa === undefined ? [] : [kafkaCa.mount]), ...secretMounts],
  };
  // The migration reads what the app reads: Kafka's CA and the secret files.
  const migration = migrationParts(spec, { ...container, sharedMounts: [...(kafkaCa === undefined ? [] : [kafkaCa.mount]), ...secretMounts] });
  const pullSecrets = sources.pullSecrets;
  return {
    metadata: { name: input.name, namespace: input.namespace, labels: { ...input.labels }, ...(input.annotations === undefined || Object.keys(input.annotations).length === 0 ? {} : { annotations: { ...input.annotations } }) },
    spec: {
      // With an HPA the autoscaler owns the count; a fixed value here would reset it on every update.
      ...(spec.autoscaling === undefined ? { replicas: spec.replicas } : {}),
      revisionHistoryLimit: 5,
      selector: { matchLabels: { ...input.selector } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: spec.maxSurge, maxUnavailable: spec.maxUnavailable } },
      template: {
        metadata: { labels: { ...input.labels }, ...(Object.keys(annotations).length === 0 ? {} : { annotations }) },
        spec: {
          serviceAccountName: input.name,
          automountServiceAccountToken: spec.automountServiceAccountToken,
          ...(spec.priorityClassName === undefined ? {} : { priorityClassName: spec.priorityClassName }),
          ...(pullSecrets.length === 0 ? {} : { imagePullSecrets: pullSecrets.map(({ name }) => ({ name })) }),
          securityContext: {
            runAsNonRoot: true,
            runAsUser: sec.runAsUser,
            runAsGroup,
            fsGroup: sec.fsGroup ?? runAsGroup,
            seccompProfile: { type: "RuntimeDefault" },
          },
          nodeSelector: { ...input.placement.nodeSelector },
          tolerations: input.placement.tolerations.map((t) => ({ ...t })),
          topologySpreadConstraints: [spread("kubernetes.io/hostname"), spread("topology.kubernetes.io/zone")],
          ...(migration.initContainers.length === 0 ? {} : { initContainers: migration.initContainers }),
          containers: [container],
          volumes: [...volumes.map(([name]) => ({ name, emptyDir: {} })), ...migration.volumes, ...(kafkaCa === undefined ? [] : [kafkaCa.volume]), ...sources.volumes.map(projectedVolume)],
        },
      },
    },
  };
}

/** A mutable copy, as the Kubernetes types want it. */
function projectedVolume(volume: AppSecretSources["volumes"][number]) {
  return { name: volume.name, projected: { sources: volume.projected.sources.map(({ secret }) => ({ secret: { name: secret.name, items: secret.items.map((item) => ({ ...item })) } })) } };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
