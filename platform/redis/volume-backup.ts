/**
 * Pure: what Velero copies of each Redis pod, and how the copy is made consistent.
 *
 * redis-ha 4.39.0 (templates/redis-ha-statefulset.yaml) names the server's persistent volume
 * `data` (the StatefulSet's volumeClaimTemplate, mounted at `/data`, the `dir` of the rendered
 * redis.conf) and puts `redis.podAnnotations` on the server pods. The chart's default config keeps
 * RDB snapshots on (`save "900 1"`, values.yaml), which strata's `redis.config` does not override.
 *
 * Redis writes a snapshot to `temp-<pid>.rdb` and renames it over `dump.rdb` (src/rdb.c
 * `rdbSave`), so the file kopia reads is always a whole snapshot. The pre-backup hook makes it a
 * fresh one: it asks for a background save (`BGSAVE SCHEDULE` waits for an AOF rewrite instead of
 * failing) and waits until the save is done and succeeded. The chart's own probes run `redis-cli`
 * in the same container with the password in `$AUTH` (templates/_configs.tpl), so the image has
 * what the hook needs (Valkey's image keeps the `redis-*` names).
 *
 * If the hook fails (disk full, timeout), Velero still copies the volume (`Continue`): the last
 * snapshot on disk is older but whole, which beats no copy of the pod at all.
 */
import type { PodVolumeBackup } from "../backups/pod-volumes";

/** The server pods' persistent volume, as the chart names it in the pod spec. */
export const REDIS_DATA_VOLUME = "data";
/** The container the server runs in (the hook runs there, beside `redis-cli` and `$AUTH`). */
export const REDIS_CONTAINER = "redis";
/** Time Velero gives the hook: a snapshot of the largest strata dataset (4 Gi limit) with room to spare. */
export const REDIS_HOOK_TIMEOUT = "5m";

/**
 * A fresh RDB snapshot before the copy. LASTSAVE is read a second before the save is asked for,
 * so a save that ends within the same second as an earlier one is still seen as new.
 */
export function redisSnapshotScript(port: number): string {
  return [
    "set -eu",
    `cli() { redis-cli -p ${port} -a "$AUTH" --no-auth-warning "$@"; }`,
    `persistence() { cli INFO persistence | tr -d '\\r' | sed -n "s/^$1://p"; }`,
    "before=$(cli LASTSAVE)",
    "sleep 1",
    // A save already running answers with an error: wait for that one instead.
    "cli BGSAVE SCHEDULE >/dev/null || true",
    'while [ "$(persistence rdb_bgsave_in_progress)" != 0 ] || [ "$(cli LASTSAVE)" = "$before" ]; do sleep 1; done',
    '[ "$(persistence rdb_last_bgsave_status)" = ok ]',
  ].join("\n");
}

/** What Velero copies of each Redis server pod: its `data` volume, after a fresh snapshot of the server on `port`. */
export function redisVolumeBackup(port: number): PodVolumeBackup {
  return {
    volumes: [REDIS_DATA_VOLUME],
    preHook: { container: REDIS_CONTAINER, command: ["/bin/sh", "-c", redisSnapshotScript(port)], onError: "Continue", timeout: REDIS_HOOK_TIMEOUT },
  };
}
