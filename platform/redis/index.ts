/** Redis (or Valkey) with Sentinel from the redis-ha chart, behind HAProxy. */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { RedisSettings } from "../../config/platform/redis";
import type { Endpoint, Placement } from "../../lib/contracts";
import { helmRelease } from "../../lib/helm";
import { standardLabels } from "../../lib/labels";
import { AUTH_KEYS, REDIS_NAME, REDIS_PORT, redisValues } from "./values";
import { type MonitoringCrds, withMonitoringCrds } from "../../lib/monitoring-crds";
import { declareWorkload } from "../../lib/connections";
import { redisWorkloads } from "./workloads";
import { secretDigest } from "../../lib/secret-digest";

export interface RedisArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Resolved `strata:platform.redis`. */
  readonly settings: RedisSettings;
  /** Namespace Redis runs in. */
  readonly namespace: string;
  /** Storage class of the persistence volumes. */
  readonly storageClass: string;
  /** Where Redis runs (its pool). */
  readonly placement: Placement;
  /** Declare ServiceMonitors. @default true */
  readonly monitoring?: boolean;
  /** Velero copies the servers' volumes (file-system backup opt-in, with a snapshot first). @default false */
  readonly veleroVolumeBackup?: boolean;
  /** `protect` the release (it owns the data volumes). @default false */
  readonly protect?: boolean;
  /** Settles to the release installing the Prometheus Operator CRDs its monitors need. @default - none to wait for */
  readonly monitoringCrds?: MonitoringCrds;
}

export class Redis extends pulumi.ComponentResource {
  public readonly endpoint: Endpoint;
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:platform:Redis", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const password = pulumi.secret(new random.RandomPassword(`${name}-password`, { length: 32, special: false }, { parent: this }).result);
    const sentinelPassword = pulumi.secret(new random.RandomPassword(`${name}-sentinel-password`, { length: 32, special: false }, { parent: this }).result);
    const authSecretName = `${REDIS_NAME}-auth`;
    const auth = new k8s.core.v1.Secret(
      `${name}-auth`,
      {
        metadata: { name: authSecretName, namespace: args.namespace, labels: standardLabels({ name: "redis", component: "cache" }) },
        type: "Opaque",
        stringData: pulumi.secret({ [AUTH_KEYS.redis]: password, [AUTH_KEYS.sentinel]: sentinelPassword }),
      },
      child,
    );
    this.release = helmRelease(
      `${name}-release`,
      {
        chart: "redis-ha",
        releaseName: REDIS_NAME,
        namespace: args.namespace,
        values: redisValues({
          settings: args.settings,
          storageClass: args.storageClass,
          placement: args.placement,
          authSecretName,
          authDigest: secretDigest(pulumi.all({ [AUTH_KEYS.redis]: password, [AUTH_KEYS.sentinel]: sentinelPassword })),
          monitoring: args.monitoring ?? true,
          veleroVolumeBackup: args.veleroVolumeBackup ?? false,
        }),
      },
      { ...child, protect: args.protect ?? false, dependsOn: withMonitoringCrds([auth], args.monitoringCrds) },
    );
    for (const workload of Object.values(redisWorkloads(args.namespace))) declareWorkload(workload);
    const host = this.release.status.apply(() => `${REDIS_NAME}-haproxy.${args.namespace}.svc`);
    this.endpoint = {
      kind: "redis",
      namespace: args.namespace,
      host,
      port: pulumi.output(REDIS_PORT),
      ports: [REDIS_PORT],
      username: pulumi.output("default"),
      password,
      url: pulumi.secret(pulumi.interpolate`redis://:${password}@${host}:${REDIS_PORT}`),
      secretName: pulumi.output(authSecretName),
    };
    this.registerOutputs({ host });
  }
}
