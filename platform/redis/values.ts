/**
 * redis-ha chart values: Redis (or Valkey) with a Sentinel beside each server, quorum 2, Redis
 * and Sentinel auth from one generated Secret, persistence on the database class, one pod per
 * node, HAProxy in front so clients always reach the master, exporter + ServiceMonitor.
 */
import type { RedisSettings } from "../../config/platform/redis";
import { resourceRequirements } from "../../config/platform/common";
import type * as pulumi from "@pulumi/pulumi";
import { IMAGES } from "../../lib/catalog";
import { PASSWORD_DIGEST_ANNOTATION } from "../../lib/digest-annotations";
import type { Placement } from "../../lib/contracts";
import { podVolumeBackupAnnotations } from "../backups/pod-volumes";
import { redisVolumeBackup } from "./volume-backup";

/** `fullnameOverride`: Services are `redis` (servers), `redis-haproxy` (master). */
export const REDIS_NAME = "redis";
export const REDIS_PORT = 6379;
export const SENTINEL_PORT = 26379;
export const EXPORTER_PORT = 9121;
/** Secret with both passwords, under these keys. */
export const AUTH_KEYS = { redis: "auth", sentinel: "sentinel-password" } as const;
/** Sentinels that must agree a master is down. */
export const SENTINEL_QUORUM = 2;

export interface RedisValuesArgs {
  readonly settings: RedisSettings;
  readonly storageClass: string;
  readonly placement: Placement;
  readonly authSecretName: string;
  /**
   * Digest of the auth Secret's passwords, on the Redis (with Sentinel) and HAProxy pods. The
   * chart's config-init writes `requirepass`/`masterauth` from the Secret into redis.conf and
   * sentinel.conf when a pod starts, and HAProxy's checks send `AUTH ${AUTH}` from its env
   * (redis-ha 4.39.0 templates/_configs.tpl, redis-haproxy-deployment.yaml); the StatefulSet's own
   * checksum covers the config templates only. A rotated password must change the pod templates
   * for the pods to read it.
   */
  readonly authDigest: pulumi.Input<string>;
  /** Declare ServiceMonitors (the chart checks the API is present). */
  readonly monitoring: boolean;
  /** Velero copies the servers' `data` volumes (file-system backup), after a fresh snapshot. @default false */
  readonly veleroVolumeBackup?: boolean;
}

/** maxmemory at 80% of the container limit, leaving room for replication buffers and fork. */
export function maxMemoryMb(settings: RedisSettings): number {
  return Math.floor(settings.resources.limitMemoryMi * 0.8);
}

export function redisValues(args: RedisValuesArgs): Record<string, unknown> {
  const { settings } = args;
  const image = IMAGES[settings.image];
  const podAnnotations = podVolumeBackupAnnotations(args.veleroVolumeBackup === true ? redisVolumeBackup(REDIS_PORT) : undefined);
  return {
    fullnameOverride: REDIS_NAME,
    image: { repository: image.repository, tag: image.tag },
    replicas: settings.replicas,
    priorityClassName: "data",
    hardAntiAffinity: settings.hardAntiAffinity,
    nodeSelector: { ...args.placement.nodeSelector },
    tolerations: [...args.placement.tolerations],
    auth: true,
    existingSecret: args.authSecretName,
    authKey: AUTH_KEYS.redis,
    redis: {
      port: REDIS_PORT,
      // The password's digest rolls the pods on a rotation; Velero's opt-in copies the data volume.
      podAnnotations: { [PASSWORD_DIGEST_ANNOTATION]: args.authDigest, ...podAnnotations },
      resources: resourceRequirements(settings.resources),
      config: { maxmemory: `${maxMemoryMb(settings)}mb`, "maxmemory-policy": "volatile-lru" },
    },
    sentinel: {
      port: SENTINEL_PORT,
      quorum: SENTINEL_QUORUM,
      auth: true,
      existingSecret: args.authSecretName,
      authKey: AUTH_KEYS.sentinel,
      resources: resourceRequirements({ cpuMillis: 50, memoryMi: 64, limitCpuMillis: 200, limitMemoryMi: 128 }),
    },
    persistentVolume: { enabled: true, storageClass: args.storageClass, size: `${settings.storage.sizeGi}Gi` },
    podDisruptionBudget: { maxUnavailable: 1 },
    exporter: { enabled: true, port: EXPORTER_PORT, serviceMonitor: { enabled: args.monitoring } },
    haproxy: {
      enabled: true,
      podAnnotations: { [PASSWORD_DIGEST_ANNOTATION]: args.authDigest },
      replicas: settings.replicas,
      hardAntiAffinity: settings.hardAntiAffinity,
      priorityClassName: "data",
      resources: resourceRequirements({ cpuMillis: 50, memoryMi: 64, limitCpuMillis: 500, limitMemoryMi: 256 }),
      podDisruptionBudget: { maxUnavailable: 1 },
      metrics: { enabled: true, serviceMonitor: { enabled: args.monitoring } },
    },
  };
}
