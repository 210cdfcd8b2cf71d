/**
 * Pure: what one consumer of the object store may do, and how the SeaweedFS S3 gateway's
 * identities JSON (`-config`, the chart's `seaweedfs_s3_config`) spells it.
 *
 * SeaweedFS 4.44 evaluates an identity's legacy `actions` in `Identity.CanDo`
 * (weed/s3api/auth_credentials.go): `Admin` allows everything; a bare action (`Read`) allows it on
 * every bucket; an action without wildcards (`Read:b`) matches only `<action>:<bucket>`, i.e. the
 * whole bucket whatever the key; an action with `*` or `?` is a glob
 * (weed/util/wildcard/wildcard_matcher.go `matchWildcardString`: `*` any run, `?` one character,
 * `/` not special) matched against `<action>:<bucket>/<key>`. So a prefix is granted as
 * `Write:b/p/*` and only ever with a wildcard; `Write:b/p` would match nothing.
 * tools/seaweedfs-auth/ evaluates requests against these strings the same way.
 */
import type { ObjectStoreGrant } from "../../lib/contracts";

export type { ObjectStoreAction, ObjectStoreGrant } from "../../lib/contracts";

/** A consumer's identity as the gateway reads it. */
export interface S3Identity {
  readonly name: string;
  readonly credentials: readonly { readonly accessKey: string; readonly secretKey: string }[];
  readonly actions: readonly string[];
}

/** The only action that reaches every bucket and every call; only the break-glass identity has it. */
export const ADMIN_ACTION = "Admin";

/** Name of the break-glass identity, the only one with `Admin`. */
export const BREAK_GLASS_IDENTITY = "break-glass";

/**
 * A prefix's consumers also need the bucket itself: barman-cloud's HeadBucket (test_connectivity)
 * and the SDKs' GetBucketLocation are `Read` with an empty key (weed/s3api/s3api_server.go routes
 * HeadBucket and `?location` to ACTION_READ), i.e. the target `Read:<bucket>`. `Read:<bucket>`
 * itself would match every key of the bucket (the exact-match branch of CanDo compares with
 * `<action>:<bucket>` whatever the key), so the grant is a pattern that matches the bucket's name
 * and nothing longer: its last character as `?`.
 */
export function bucketOnlyRead(bucketName: string): string {
  return `Read:${bucketName.slice(0, -1)}?`;
}

/** The gateway's action strings for `grants`, with bucket purposes resolved to names. */
export function grantActions(grants: readonly ObjectStoreGrant[], buckets: Readonly<Record<string, string>>): string[] {
  const actions = new Set<string>();
  for (const grant of grants) {
    const bucket = buckets[grant.bucket];
    if (bucket === undefined) throw new Error(`object store grant: no bucket with purpose ${grant.bucket} (buckets: ${Object.keys(buckets).join(", ")})`);
    if (grant.prefix === undefined) {
      for (const action of grant.actions) actions.add(`${action}:${bucket}`);
      continue;
    }
    if (!/^[^*?]+\/$/.test(grant.prefix)) throw new Error(`object store grant on ${bucket}: prefix must end with "/" and hold no wildcard (got ${JSON.stringify(grant.prefix)})`);
    for (const action of grant.actions) actions.add(`${action}:${bucket}/${grant.prefix}*`);
    const twin = Object.values(buckets).find((other) => other !== bucket && other.length === bucket.length && other.slice(0, -1) === bucket.slice(0, -1));
    if (twin !== undefined) throw new Error(`object store grant on ${bucket}: ${bucketOnlyRead(bucket)} would also match bucket ${twin}; rename one of them`);
    actions.add(bucketOnlyRead(bucket));
  }
  return [...actions].sort();
}

/** The gateway's identities JSON (`{ identities: [...] }`), identities sorted by name. */
export function s3IdentitiesJson(identities: readonly S3Identity[]): string {
  const sorted = [...identities].sort((a, b) => a.name.localeCompare(b.name));
  return JSON.stringify({ identities: sorted.map((i) => ({ name: i.name, credentials: i.credentials, actions: i.actions })) });
}

/** A backup writer's grant: read, write (and delete), list under its own prefix of the backups bucket. */
export function backupWriterGrant(prefix: string): ObjectStoreGrant {
  return { bucket: "backups", prefix: prefix.endsWith("/") ? prefix : `${prefix}/`, actions: ["Read", "Write", "List"] };
}

/** A store's grant on a whole bucket of its own (Loki's logs, Tempo's traces, the apps' bucket). */
export function bucketGrant(purpose: string): ObjectStoreGrant {
  return { bucket: purpose, actions: ["Read", "Write", "List", "Tagging"] };
}
