/**
 * Bad MySQL, MongoDB, RabbitMQ and Kafka config (issue #11) is rejected at parse time with the
 * exact message: key path, value, what is allowed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { parse } from "yaml";
import { parseConfig, type RawConfig } from "../../config/schema";
import { MYSQL_EKS_BACKUP_REFUSAL } from "../../config/platform/data-checks";
import { validRaw } from "./valid-config";
import { problemsOf } from "./problems";

/** An existing cluster with three workers, five MySQL nodes and three MongoDB nodes. */
function rawWith(platform: Record<string, unknown>, environment = "dev"): RawConfig {
  const raw = validRaw();
  return {
    ...raw,
    environment,
    infra: {
      ...raw.infra,
      existing: {
        context: "kind-strata",
        nodePools: {
          general: { role: "worker", count: 3, cpuCores: 8, memoryGi: 32 },
          mysql: { role: "database", count: 5, cpuCores: 16, memoryGi: 64 },
          mongodb: { role: "database", count: 3, cpuCores: 16, memoryGi: 32 },
        },
      },
    },
    cluster: { existing: { storageClasses: { default: "standard", database: "fast-ssd" } } },
    platform,
  };
}

const mysql = (patch: Record<string, unknown>) => ({ mysql: { enabled: true, pool: "mysql", ...patch } });
const mongodb = (patch: Record<string, unknown>) => ({ mongodb: { enabled: true, pool: "mongodb", ...patch } });
const kafka = (patch: Record<string, unknown>) => ({ kafka: { enabled: true, ...patch } });

const CASES: readonly [string, Record<string, unknown>, string][] = [
  ["even group-replication size", mysql({ members: 4 }), "strata:platform.mysql.members: must be odd, from 3 to 9, for group replication (got 4); use 3, 5, 7 or 9"],
  ["group replication of one", mysql({ members: 1 }), "strata:platform.mysql.members: must be odd, from 3 to 9, for group replication (got 1); use 3, 5, 7 or 9"],
  ["more MySQL members than pool nodes", mysql({ members: 7 }), 'strata:platform.mysql.members: needs 7 nodes, one per pod, but pool "mysql" has 5 (got 7); add nodes or lower it'],
  ["MySQL on an unknown pool", mysql({ pool: "mysq" }), 'strata:platform.mysql.pool: names no node pool (got "mysq"); use one of general, mysql, mongodb'],
  [
    "MySQL backup without a backup target",
    mysql({ backup: { enabled: true } }),
    "strata:platform.mysql.backup.enabled: backups need a backup target (got true); set strata:platform.backups.target (or strata:platform.objectStore.enabled outside prod), or turn backups off",
  ],
  ["MySQL request above its limit", mysql({ resources: { cpuMillis: 3000, limitCpuMillis: 2000 } }), "strata:platform.mysql.resources.cpuMillis: exceeds limitCpuMillis 2000 (got 3000); request at most the limit"],
  [
    "MySQL database name with upper case",
    mysql({ database: "App-DB" }),
    `strata:platform.mysql.database: must be a MySQL name of lower-case letters, digits and '_', starting with a letter, at most 32 characters (got "App-DB")`,
  ],
  [
    "MongoDB sharding requested",
    mongodb({ sharding: true }),
    "strata:platform.mongodb.sharding: sharded MongoDB is not supported (got true); strata runs one replica set (rs0): remove the key or set it to false",
  ],
  ["MongoDB arbiter requested", mongodb({ arbiter: true }), "strata:platform.mongodb.arbiter: an arbiter holds no data and weakens write durability (got true); use an odd number of data-bearing members instead"],
  ["even replica set", mongodb({ members: 2 }), "strata:platform.mongodb.members: must be odd, from 3 to 7, for a replica-set majority (got 2); use 3, 5 or 7"],
  ["even RabbitMQ cluster", { rabbitmq: { enabled: true, replicas: 2 } }, "strata:platform.rabbitmq.replicas: must be odd, from 1 to 7, for pause_minority partition handling (got 2); use 1, 3, 5 or 7"],
  [
    "Kafka replication factor above the broker count",
    kafka({ nodePools: { controllers: { roles: ["controller"], replicas: 3 }, brokers: { roles: ["broker"], replicas: 2 } }, replicationFactor: 3 }),
    "strata:platform.kafka.replicationFactor: exceeds the 2 brokers (got 3); use at most 2 or add brokers",
  ],
  [
    "Kafka min ISR equal to the replication factor",
    kafka({ replicationFactor: 3, minInSyncReplicas: 3 }),
    "strata:platform.kafka.minInSyncReplicas: must be below the replication factor 3 so writes continue with one replica down (got 3); use 2",
  ],
  [
    "even KRaft controller quorum",
    kafka({ nodePools: { dual: { roles: ["controller", "broker"], replicas: 2 } } }),
    "strata:platform.kafka.nodePools: the KRaft controller quorum must be odd (got 2 controllers); give the controller pools 1, 3 or 5 nodes in total",
  ],
  ["Kafka without brokers", kafka({ nodePools: { quorum: { roles: ["controller"], replicas: 3 } } }), 'strata:platform.kafka.nodePools: no pool has the broker role (got ["quorum"]); add "broker" to a pool\'s roles'],
  ["Kafka topic prefix with a space", kafka({ topicPrefix: "a b" }), `strata:platform.kafka.topicPrefix: must be * or a topic-name prefix of letters, digits, '.', '_' and '-' (got "a b")`],
  ["Kafka cluster CA valid for less than a year", kafka({ clusterCa: { validityDays: 30 } }), "strata:platform.kafka.clusterCa.validityDays: must be 365 or more (got 30)"],
];

describe("config: bad MySQL, MongoDB, RabbitMQ and Kafka settings", () => {
  for (const [label, platform, message] of CASES) {
    it(`rejects: ${label}`, () => {
      expect(problemsOf(rawWith(platform))).to.deep.equal([message]);
    });
  }

  it("rejects a Kafka replication factor below 3 in prod", () => {
    const problems = problemsOf(rawWith(kafka({ replicationFactor: 2, minInSyncReplicas: 1 }), "prod"));
    expect(problems).to.include(
      "strata:platform.kafka.replicationFactor: must be at least 3 in prod so a topic survives a broker loss with min.insync.replicas 2 (got 2); use 3 with 3 or more brokers",
    );
  });

  it("issue #19: says on EKS that nothing backs MySQL up, and no longer turns MongoDB's backup off or refuses it", () => {
    const config = (parse(readFileSync(join(__dirname, "..", "..", "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, Record<string, unknown>> }).config;
    const platform = config["strata:platform"] ?? {};
    const raw: RawConfig = {
      environment: config["strata:environment"],
      infra: config["strata:infra"],
      cluster: config["strata:cluster"],
      platform: { ...platform, mysql: { enabled: true }, mongodb: { enabled: true, backup: { enabled: true } } },
      awsRegion: config["aws:region"],
      hasKubeconfig: false,
    };
    // The default (backup on) is refused too, instead of being turned off in silence.
    expect(problemsOf(raw)).to.deep.equal([
      `strata:platform.mysql.backup.enabled: ${MYSQL_EKS_BACKUP_REFUSAL} (got true); set it to false and back MySQL up outside strata (e.g. mysqldump to S3), or run MySQL where strata runs the object store`,
    ]);
    expect(MYSQL_EKS_BACKUP_REFUSAL).to.not.match(/Velero backs up|cover the volumes/);
    const parsed = parseConfig({ ...raw, platform: { ...platform, mysql: { enabled: true, backup: { enabled: false } }, mongodb: { enabled: true } } });
    expect(parsed.platform.mongodb.backup.enabled).to.equal(true);
  });

  it("checks nothing of a service that is off", () => {
    expect(() => parseConfig(rawWith({ mysql: { members: 4 }, mongodb: { sharding: true }, kafka: { replicationFactor: 9 } }))).to.not.throw();
  });
});
