/**
 * Bad `strata:platform` input is rejected while config is parsed, with the key path, the value
 * and what is allowed; checks that need the node pools or storage classes use the infra and
 * cluster slices of the same stack. Each case asserts the exact text.
 */
import { expect } from "chai";
import { parseConfig, type RawConfig } from "../../config/schema";
import { validRaw } from "./valid-config";
import { problemsOf } from "./problems";

/** An existing cluster with a worker, a 3-node storage and a 2-node database pool, and classes for three purposes. */
function withPlatform(platform: Record<string, unknown>, cluster?: Record<string, unknown>): RawConfig {
  const raw = validRaw();
  return {
    ...raw,
    infra: {
      ...raw.infra,
      existing: {
        context: "kind-strata",
        nodePools: {
          general: { role: "worker", count: 2, cpuCores: 4, memoryGi: 8 },
          storage: { role: "storage", count: 3, cpuCores: 4, memoryGi: 8 },
          db: { role: "database", count: 2, cpuCores: 4, memoryGi: 8 },
        },
      },
    },
    cluster: cluster ?? { existing: { storageClasses: { default: "standard", database: "fast", local: "local-path" } } },
    platform,
  };
}

const redis = (extra: Record<string, unknown>) => ({ redis: { enabled: true, hardAntiAffinity: false, ...extra } });
const postgres = (extra: Record<string, unknown>) => ({ postgres: { enabled: true, ...extra } });
const objectStore = (extra: Record<string, unknown>) => ({ objectStore: { enabled: true, ...extra } });

const CASES: readonly [string, RawConfig, string][] = [
  ["Sentinel below 3", withPlatform(redis({ replicas: 2 })), "strata:platform.redis.replicas: Sentinel needs at least 3 for a quorum of 2 (got 2); use 3 or 5"],
  ["even Sentinel count", withPlatform(redis({ replicas: 4 })), "strata:platform.redis.replicas: must be odd for Sentinel quorum (got 4); use 3 or 5"],
  ["no PostgreSQL instance", withPlatform(postgres({ instances: 0 })), "strata:platform.postgres.instances: must be 1 or more (got 0)"],
  [
    "cron field out of range",
    withPlatform(postgres({ backup: { schedule: "61 * * * *" } })),
    'strata:platform.postgres.backup.schedule: is not a five-field cron expression such as "0 1 * * *" (01:00 daily): minute field "61" is outside 0-59 (got "61 * * * *")',
  ],
  [
    "cron that is a word",
    withPlatform(postgres({ backup: { schedule: "daily" } })),
    'strata:platform.postgres.backup.schedule: is not a five-field cron expression such as "0 1 * * *" (01:00 daily): must have 5 fields (minute hour day-of-month month day-of-week), has 1 (got "daily")',
  ],
  ["retention that is not a duration", withPlatform(postgres({ backup: { retention: "30 days" } })), 'strata:platform.postgres.backup.retention: must be a retention in days or weeks such as 7d or 4w (got "30 days")'],
  ["Velero retention in hours", withPlatform({ ...objectStore({}), backups: { enabled: true, retention: "720h" } }), 'strata:platform.backups.retention: must be a retention in days or weeks such as 7d or 4w (got "720h")'],
  ["storage below the minimum", withPlatform(redis({ storage: { sizeGi: 0 } })), "strata:platform.redis.storage.sizeGi: must be 1 or more (got 0)"],
  [
    "Redis volume smaller than its memory",
    withPlatform(redis({ resources: { limitMemoryMi: 4096 }, storage: { sizeGi: 1 } })),
    "strata:platform.redis.storage.sizeGi: is smaller than the memory limit, so a snapshot may not fit (got 1); use 4 or more",
  ],
  ["placement pool that does not exist", withPlatform(redis({ pool: "redis" })), 'strata:platform.redis.pool: names no node pool (got "redis"); use one of general, storage, db'],
  [
    "hard anti-affinity on too few nodes",
    withPlatform({ redis: { enabled: true } }),
    "strata:platform.redis.hardAntiAffinity: needs 3 nodes, one per replica, but the pool has 2 (got true); add nodes, or set it to false to allow two pods on one node",
  ],
  [
    "PostgreSQL instances beyond the pool",
    withPlatform(postgres({ instances: 3 })),
    "strata:platform.postgres.instances: more than the 2 nodes they may run on, one per node (got 3); use at most 2 or add nodes to the pool",
  ],
  [
    "service enabled where its storage purpose has no class",
    withPlatform(redis({}), {}),
    'strata:platform.redis.storage.purpose: the cluster has no storage class for this purpose (got "database"); name the existing cluster\'s classes in strata:cluster.existing.storageClasses',
  ],
  [
    "unknown storage purpose",
    withPlatform(postgres({ storage: { purpose: "fast" } })),
    'strata:platform.postgres.storage.purpose: must be one of "default", "database", "database-io2", "local", "object", "object-fast" (got "fast")',
  ],
  ["even SeaweedFS masters", withPlatform(objectStore({ masters: 2 })), "strata:platform.objectStore.masters: must be odd for a Raft quorum (got 2); use 1, 3 or 5"],
  [
    "issue #19: a second SeaweedFS filer on the embedded leveldb2 store",
    withPlatform(objectStore({ filers: 2 })),
    "strata:platform.objectStore.filers: more than one filer on the embedded leveldb2 store copies metadata between filers asynchronously, so objects and multipart parts written through one can be missing on another (seaweedfs issues #3224, #7062, #4225) (got 2); use 1 and scale the S3 gateway with strata:platform.objectStore.gateways",
  ],
  [
    "replication beyond the volume servers",
    withPlatform(objectStore({ volumeServers: 1, replication: "001" })),
    'strata:platform.objectStore.replication: needs 2 volume servers for its 2 copies, has 1 (got "001"); add volume servers or use "000"',
  ],
  [
    "replication that is not a placement",
    withPlatform(objectStore({ replication: "3x" })),
    'strata:platform.objectStore.replication: must be three digits 0-2 such as "001" (data centre, rack, server copies) (got "3x")',
  ],
  [
    "more volume servers than storage nodes",
    withPlatform(objectStore({ volumeServers: 5 })),
    "strata:platform.objectStore.volumeServers: more than the 3 nodes they may run on, one per node (got 5); use at most 3 or add storage nodes",
  ],
  [
    "object store without a backups bucket",
    withPlatform(objectStore({ buckets: { objects: "strata-objects" } })),
    'strata:platform.objectStore.buckets: has no "backups" bucket (got {"objects":"strata-objects"}); add backups: <bucket name>',
  ],
  ["Velero without a backup target", withPlatform({ backups: { enabled: true } }), "strata:platform.backups.enabled: Velero needs a backup target (got true); set strata:platform.backups.target, or strata:platform.objectStore.enabled to true outside prod"],
  [
    "PostgreSQL backups without a backup target",
    withPlatform(postgres({ backup: { enabled: true } })),
    "strata:platform.postgres.backup.enabled: backups need a backup target (got true); set strata:platform.backups.target (or strata:platform.objectStore.enabled outside prod), or turn backups off",
  ],
  ["superuser as the app owner", withPlatform(postgres({ owner: "postgres" })), 'strata:platform.postgres.owner: is the superuser, which stays disabled (got "postgres"); name an application role such as app'],
  ["unknown Redis image", withPlatform(redis({ image: "keydb" })), 'strata:platform.redis.image: must be one of "valkey", "redis" (got "keydb")'],
  [
    "request above its limit",
    withPlatform(postgres({ resources: { cpuMillis: 2000, limitCpuMillis: 1000 } })),
    "strata:platform.postgres.resources.cpuMillis: exceeds limitCpuMillis 1000 (got 2000); request at most the limit",
  ],
  [
    "pool size above the client limit",
    withPlatform(postgres({ pooler: { defaultPoolSize: 500, maxClientConnections: 100 } })),
    "strata:platform.postgres.pooler.defaultPoolSize: exceeds maxClientConnections 100 (got 500); lower it",
  ],
  [
    "EKS object store without the backups bucket",
    {
      ...validRaw(),
      infra: { backend: "eks", clusterName: "strata-test", eks: { endpoint: { deployerInVpc: true, privateAccessCidrs: ["10.50.0.0/24"] }, buckets: { backups: { enabled: false } } } },
      awsRegion: "eu-central-1",
      platform: objectStore({}),
    },
    "strata:platform.objectStore.enabled: the EKS object store is the infra layer's buckets, and its backups bucket is off (got true); set strata:infra.eks.buckets.backups.enabled to true",
  ],
];

describe("config: bad strata:platform input is rejected with the key, the value and what is allowed", () => {
  for (const [title, raw, message] of CASES) {
    it(title, () => {
      expect(problemsOf(raw)).to.deep.equal([message]);
    });
  }

  it("has at least 15 distinct cases", () => {
    expect(new Set(CASES.map(([, , message]) => message)).size).to.be.at.least(15);
  });

  it("checks nothing of a disabled service but its shape", () => {
    expect(() => parseConfig(withPlatform({ redis: { replicas: 2 }, postgres: { instances: 9 } }))).to.not.throw();
  });

  it("applies environment defaults: dev is small, prod is HA", () => {
    const accepted = { backups: { target: { type: "in-cluster", acceptSameFailureDomain: true, reason: "a test of the defaults" } } };
    const prodRaw = { ...withPlatform({ ...postgres({}), ...objectStore({}), ...accepted }), environment: "prod" };
    const prod = parseConfig({ ...prodRaw, infra: { ...(prodRaw.infra as object), existing: { context: "kind-strata", nodePools: { db: { role: "database", count: 3, cpuCores: 4, memoryGi: 8 }, storage: { role: "storage", count: 3, cpuCores: 4, memoryGi: 8 } } } } });
    const dev = parseConfig(withPlatform({ ...postgres({}), ...objectStore({ volumeServers: 1 }) }));
    expect([prod.platform.postgres.instances, prod.platform.postgres.storage.sizeGi, prod.platform.postgres.backup.retention]).to.deep.equal([3, 100, "30d"]);
    expect([dev.platform.postgres.instances, dev.platform.postgres.storage.sizeGi, dev.platform.postgres.backup.retention]).to.deep.equal([1, 10, "7d"]);
    expect([prod.platform.objectStore.masters, prod.platform.objectStore.replication, prod.platform.objectStore.volumeServers]).to.deep.equal([3, "001", 3]);
    expect([dev.platform.objectStore.masters, dev.platform.objectStore.replication]).to.deep.equal([1, "000"]);
    expect(prod.platform.postgres.backup.enabled).to.equal(true);
  });
});
