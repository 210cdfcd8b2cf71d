/**
 * issue #19: rotating a generated password (`pulumi up --replace <RandomPassword>`) must change
 * the object that sets it on the server together with the Secret its clients read; before, the
 * clients got the new password and the servers kept the old one.
 */
import { expect } from "chai";
import * as k8s from "@pulumi/kubernetes";
import type { MongodbSettings } from "../../config/platform/mongodb";
import type { MysqlSettings } from "../../config/platform/mysql";
import type { PostgresSettings } from "../../config/platform/postgres";
import type { RedisSettings } from "../../config/platform/redis";
import { Mongodb } from "../../platform/mongodb";
import { Mysql } from "../../platform/mysql";
import { Postgres } from "../../platform/postgres";
import { Redis } from "../../platform/redis";
import { PASSWORD_DIGEST_ANNOTATION } from "../../lib/digest-annotations";
import { renderedOne, renderWithPassword, secretValue } from "./rotation-run";

const PLACEMENT = { nodeSelector: {}, tolerations: [] };
const MYSQL: MysqlSettings = {
  enabled: true,
  name: "mysql",
  members: 3,
  resources: { cpuMillis: 500, memoryMi: 1024, limitCpuMillis: 1000, limitMemoryMi: 2048 },
  storage: { sizeGi: 20, purpose: "database" },
  haproxyReplicas: 2,
  database: "app",
  username: "app",
  backup: { enabled: false, schedule: "0 2 * * *", keep: 7 },
  metrics: false,
};

describe("issue #19: password rotation reaches servers and clients together", function () {
  this.timeout(60_000);

  describe("MySQL", () => {
    const render = (password: string) =>
      renderWithPassword(password, () => new Mysql("mysql", { provider: new k8s.Provider("test", {}), namespace: "data", settings: MYSQL, placement: PLACEMENT }));
    const jobTemplate = (job: Record<string, unknown>) => (job["spec"] as { template: { metadata: { annotations?: Record<string, string> } } }).template;

    it("a new password changes the app-user Job's pod template (a new Job runs ALTER USER) and the app Secret", async () => {
      const before = await render("first-password-0123456789abcdefgh");
      const after = await render("second-password-0123456789abcdefg");
      const jobBefore = renderedOne(before, "batch/v1:Job", "mysql-app-user");
      const jobAfter = renderedOne(after, "batch/v1:Job", "mysql-app-user");
      expect(secretValue(renderedOne(before, "core/v1:Secret", "mysql-app-secret"), "password")).to.equal("first-password-0123456789abcdefgh");
      expect(secretValue(renderedOne(after, "core/v1:Secret", "mysql-app-secret"), "password")).to.equal("second-password-0123456789abcdefg");
      // pulumi-kubernetes replaces a Job whose spec.template changes (tools/plan/replace-rules.ts).
      expect(jobTemplate(jobAfter)).to.not.deep.equal(jobTemplate(jobBefore));
      expect(jobTemplate(jobAfter).metadata.annotations?.[PASSWORD_DIGEST_ANNOTATION]).to.match(/^[0-9a-f]{16}$/);
      expect(JSON.stringify(jobAfter)).to.not.contain("second-password");
    });
    it("the same password renders the same Job (no rerun on every up)", async () => {
      const one = renderedOne(await render("same-password-0123456789abcdefghi"), "batch/v1:Job", "mysql-app-user");
      const two = renderedOne(await render("same-password-0123456789abcdefghi"), "batch/v1:Job", "mysql-app-user");
      expect(two).to.deep.equal(one);
    });
  });

  describe("Redis (redis-ha)", () => {
    const REDIS: RedisSettings = { enabled: true, image: "valkey", replicas: 3, hardAntiAffinity: true, storage: { sizeGi: 2, purpose: "database" }, resources: { cpuMillis: 100, memoryMi: 256, limitCpuMillis: 500, limitMemoryMi: 512 } };
    const render = (password: string) =>
      renderWithPassword(password, () => new Redis("redis", { provider: new k8s.Provider("test", {}), namespace: "data", settings: REDIS, storageClass: "database", placement: PLACEMENT, monitoring: false }));
    const podAnnotations = (release: Record<string, unknown>, part: "redis" | "haproxy") => ((release["values"] as Record<string, { podAnnotations?: Record<string, string> }>)[part]?.podAnnotations ?? {})[PASSWORD_DIGEST_ANNOTATION];

    it("a new password changes the auth Secret and the Redis/Sentinel and HAProxy pod templates, which read it only at start", async () => {
      const before = await render("first-password-0123456789abcdefgh");
      const after = await render("second-password-0123456789abcdefg");
      expect(secretValue(renderedOne(before, "core/v1:Secret", "redis-auth"), "auth")).to.equal("first-password-0123456789abcdefgh");
      expect(secretValue(renderedOne(after, "core/v1:Secret", "redis-auth"), "auth")).to.equal("second-password-0123456789abcdefg");
      const releaseBefore = renderedOne(before, "helm.sh/v3:Release", "redis-release");
      const releaseAfter = renderedOne(after, "helm.sh/v3:Release", "redis-release");
      for (const part of ["redis", "haproxy"] as const) {
        expect(podAnnotations(releaseAfter, part), part).to.match(/^[0-9a-f]{16}$/);
        expect(podAnnotations(releaseAfter, part), part).to.not.equal(podAnnotations(releaseBefore, part));
      }
    });
  });

  describe("PostgreSQL (CloudNativePG)", () => {
    const POSTGRES: PostgresSettings = {
      enabled: true,
      instances: 3,
      database: "app",
      owner: "app",
      storage: { sizeGi: 10, purpose: "database" },
      resources: { cpuMillis: 250, memoryMi: 512, limitCpuMillis: 1000, limitMemoryMi: 1024 },
      pooler: { instances: 2, maxClientConnections: 1000, defaultPoolSize: 20 },
      backup: { enabled: false, schedule: "0 1 * * *", retention: "7d" },
      monitoring: false,
    };
    const render = (password: string) =>
      renderWithPassword(password, () =>
        new Postgres("postgres", { provider: new k8s.Provider("test", {}), settings: POSTGRES, operatorNamespace: "operators", namespace: "data", storageClass: "database", placement: PLACEMENT, systemPlacement: PLACEMENT }),
      );

    // CNPG's instance manager on the primary re-applies the owner's password (ALTER ROLE) whenever
    // the resource version of the Secret `bootstrap.initdb.secret` names changes
    // (cloudnative-pg v1.30.0 internal/management/controller/instance_controller.go `reconcileUser`):
    // the Secret is the server-side object, and it must be the one the Cluster names.
    it("a new password changes the Secret the Cluster's initdb names, which CNPG applies to the role", async () => {
      const before = await render("first-password-0123456789abcdefgh");
      const after = await render("second-password-0123456789abcdefg");
      const cluster = renderedOne(after, "postgresql.cnpg.io/v1:Cluster", "postgres-cluster");
      const secretName = (cluster["spec"] as { bootstrap: { initdb: { secret: { name: string } } } }).bootstrap.initdb.secret.name;
      const secret = (all: typeof before) => renderedOne(all, "core/v1:Secret", "postgres-app-credentials");
      expect((secret(after)["metadata"] as { name: string }).name).to.equal(secretName);
      expect(secretValue(secret(before), "password")).to.equal("first-password-0123456789abcdefgh");
      expect(secretValue(secret(after), "password")).to.equal("second-password-0123456789abcdefg");
      expect(secretValue(secret(after), "username")).to.equal("app");
    });
  });

  describe("MongoDB (Percona)", () => {
    const MONGODB: MongodbSettings = {
      enabled: true,
      name: "mongodb",
      members: 3,
      resources: { cpuMillis: 250, memoryMi: 1024, limitCpuMillis: 1000, limitMemoryMi: 2048 },
      storage: { sizeGi: 20, purpose: "database" },
      database: "app",
      username: "app",
      backup: { enabled: false, schedule: "0 3 * * *", keep: 7 },
      metrics: false,
    };
    const render = (password: string) =>
      renderWithPassword(password, () => new Mongodb("mongodb", { provider: new k8s.Provider("test", {}), namespace: "data", settings: MONGODB, placement: PLACEMENT }));

    // psmdb-operator v1.22.0 compares the SHA-256 of the password in the Secret a `spec.users`
    // entry names with the hash it annotated that Secret with, and updates the user's password
    // when they differ (pkg/controller/perconaservermongodb/custom_users.go `updatePass`).
    it("a new password changes the Secret the cluster's spec.users names, which the operator applies to the user", async () => {
      const before = await render("first-password-0123456789abcdefgh");
      const after = await render("second-password-0123456789abcdefg");
      const cluster = renderedOne(after, "psmdb.percona.com/v1:PerconaServerMongoDB", "mongodb-cluster");
      const users = (cluster["spec"] as { users: { name: string; passwordSecretRef: { name: string; key: string } }[] }).users;
      const secret = (all: typeof before) => renderedOne(all, "core/v1:Secret", "mongodb-app-secret");
      expect(users.map((u) => u.passwordSecretRef)).to.deep.equal([{ name: (secret(after)["metadata"] as { name: string }).name, key: "password" }]);
      expect(secretValue(secret(before), "password")).to.equal("first-password-0123456789abcdefgh");
      expect(secretValue(secret(after), "password")).to.equal("second-password-0123456789abcdefg");
    });
  });
});
