/**
 * issue #19: Redis, RabbitMQ and Kafka have no operator backup, and Velero's `daily-data` schedule
 * copies only the data namespace's objects, so their data was backed up by nothing. Their pods now
 * opt in to Velero's file-system backup (`backup.velero.io/backup-volumes`) by the volume names
 * the chart and operators give them, where Velero copies volume data; the databases' volumes stay
 * out. Pure builders here; the stacks as planned in velero-volumes.integration.test.ts.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { CHARTS } from "../../lib/catalog";
import type { RedisSettings } from "../../config/platform/redis";
import { BACKUP_VOLUMES_ANNOTATION, podVolumeBackupAnnotations } from "../../platform/backups/pod-volumes";
import { scheduleSpec } from "../../platform/backups/values";
import { veleroApiServerConnections, veleroWorkloads } from "../../platform/backups/workloads";
import { kafkaDataVolume } from "../../platform/kafka/volume-backup";
import { nodePoolSpec } from "../../platform/kafka/values";
import { rabbitmqClusterSpec } from "../../platform/rabbitmq/values";
import { redisValues } from "../../platform/redis/values";
import { redisSnapshotScript } from "../../platform/redis/volume-backup";
import { chartNameOf, loadChartReference } from "../../tools/verify/chart-reference";
import { valueKeyFindings } from "../../tools/verify/helm-values";
import { chartReference } from "../cluster/reference";

const PLACEMENT = { nodeSelector: {}, tolerations: [] };
const SIZE = { cpuMillis: 500, memoryMi: 1024, limitCpuMillis: 1000, limitMemoryMi: 2048 };
const REDIS: RedisSettings = { enabled: true, image: "valkey", replicas: 3, hardAntiAffinity: true, storage: { sizeGi: 10, purpose: "database" }, resources: SIZE };

const redis = (veleroVolumeBackup: boolean) => redisValues({ settings: REDIS, storageClass: "database", placement: PLACEMENT, authSecretName: "redis-auth", authDigest: "0123456789abcdef", monitoring: true, veleroVolumeBackup });
const podAnnotationsOf = (values: Record<string, unknown>) => (values["redis"] as Record<string, unknown>)["podAnnotations"] as Record<string, string> | undefined;

describe("Velero file-system backup of the data services without an operator backup", () => {
  describe("pod annotations", () => {
    it("names the volumes comma-separated, as velero splits them, and nothing without a backup", () => {
      expect(podVolumeBackupAnnotations({ volumes: ["data-0", "data-1"] })).to.deep.equal({ [BACKUP_VOLUMES_ANNOTATION]: "data-0,data-1" });
      expect(podVolumeBackupAnnotations(undefined)).to.deep.equal({});
      expect(podVolumeBackupAnnotations({ volumes: [] })).to.deep.equal({});
    });
    it("writes the hook's command as the JSON argument vector velero parses", () => {
      const annotations = podVolumeBackupAnnotations({ volumes: ["data"], preHook: { container: "c", command: ["/bin/sh", "-c", 'echo "a b"'], onError: "Fail", timeout: "1m" } });
      expect(JSON.parse(annotations["pre.hook.backup.velero.io/command"] ?? "")).to.deep.equal(["/bin/sh", "-c", 'echo "a b"']);
      expect(annotations).to.deep.include({ "pre.hook.backup.velero.io/container": "c", "pre.hook.backup.velero.io/on-error": "Fail", "pre.hook.backup.velero.io/timeout": "1m" });
    });
  });

  describe("redis (redis-ha)", () => {
    it("issue #19: puts the server pods' `data` volume and a snapshot hook in the redis container on the pods", () => {
      const annotations = podAnnotationsOf(redis(true)) ?? {};
      expect(annotations[BACKUP_VOLUMES_ANNOTATION]).to.equal("data");
      expect(annotations).to.deep.include({ "pre.hook.backup.velero.io/container": "redis", "pre.hook.backup.velero.io/on-error": "Continue", "pre.hook.backup.velero.io/timeout": "5m" });
      expect(JSON.parse(annotations["pre.hook.backup.velero.io/command"] ?? "[]")).to.deep.equal(["/bin/sh", "-c", redisSnapshotScript(6379)]);
    });
    it("sets no Velero annotation where Velero copies no volume data, and keeps the password digest either way", () => {
      expect(podAnnotationsOf(redis(false))).to.deep.equal({ "strata.io/password-sha256": "0123456789abcdef" });
      expect(podAnnotationsOf(redis(true))).to.have.property("strata.io/password-sha256", "0123456789abcdef");
    });
    it("sets only keys redis-ha 4.39.0 has (redis.podAnnotations)", () => {
      const ref = loadChartReference(chartReference(), chartNameOf(CHARTS["redis-ha"].chart));
      if (ref === undefined) throw new Error("no reference data for redis-ha");
      expect(valueKeyFindings("redis-ha", redis(true), ref).map((f) => `${f.path}: ${f.message}`)).to.deep.equal([]);
    });

    describe("the snapshot hook, run against a stand-in redis-cli", () => {
      /** A redis-cli that records its commands; BGSAVE moves LASTSAVE on after one poll in progress. */
      function standIn(status: "ok" | "err"): { dir: string; log: () => string[] } {
        const dir = mkdtempSync(join(tmpdir(), "redis-hook-"));
        writeFileSync(join(dir, "lastsave"), "1000\n");
        writeFileSync(
          join(dir, "redis-cli"),
          [
            "#!/bin/sh",
            `state=${dir}`,
            '[ "$1 $2 $3 $4 $5" = "-p 6379 -a secret --no-auth-warning" ] || { echo "bad args: $*" >&2; exit 2; }',
            "shift 5",
            'echo "$*" >> "$state/log"',
            'case "$*" in',
            '  LASTSAVE) cat "$state/lastsave" ;;',
            '  "BGSAVE SCHEDULE") echo 1001 > "$state/lastsave"; touch "$state/running"; echo "Background saving started" ;;',
            `  "INFO persistence") if [ -f "$state/running" ]; then rm "$state/running"; p=1; else p=0; fi; printf '# Persistence\\r\\nrdb_bgsave_in_progress:%s\\r\\nrdb_last_bgsave_status:${status}\\r\\n' "$p" ;;`,
            "  *) exit 3 ;;",
            "esac",
          ].join("\n"),
        );
        chmodSync(join(dir, "redis-cli"), 0o755);
        return { dir, log: () => readFileSync(join(dir, "log"), "utf8").trim().split("\n") };
      }
      const run = (dir: string) => spawnSync("/bin/sh", ["-c", redisSnapshotScript(6379)], { env: { PATH: `${dir}:/usr/bin:/bin`, AUTH: "secret" }, encoding: "utf8", timeout: 20_000 });

      it("asks for a background save and returns once it has finished and succeeded", function () {
        this.timeout(25_000);
        const cli = standIn("ok");
        const result = run(cli.dir);
        expect(result.status, result.stderr).to.equal(0);
        expect(cli.log()[0]).to.equal("LASTSAVE");
        expect(cli.log()).to.include("BGSAVE SCHEDULE");
        expect(cli.log().at(-1)).to.equal("INFO persistence");
      });
      it("fails when the save failed, so Velero records the hook's failure", function () {
        this.timeout(25_000);
        const cli = standIn("err");
        const result = run(cli.dir);
        expect(result.status).to.not.equal(0);
        expect(cli.log()).to.include("BGSAVE SCHEDULE");
      });
      it("passes shellcheck", function () {
        const version = spawnSync("shellcheck", ["--version"]);
        if (version.status !== 0) this.skip();
        const check = spawnSync("shellcheck", ["-s", "sh", "-"], { input: redisSnapshotScript(6379), encoding: "utf8" });
        expect(check.stdout, check.stdout).to.equal("");
      });
    });
  });

  describe("rabbitmq (cluster operator)", () => {
    const spec = (veleroVolumeBackup: boolean) => rabbitmqClusterSpec("rabbitmq", { replicas: 3, resources: SIZE, storageGi: 50, placement: PLACEMENT, defaultUserSecret: "u", veleroVolumeBackup });
    it("annotates the pod template with the operator's `persistence` volume through override.statefulSet", () => {
      expect(spec(true).override?.statefulSet.spec.template.metadata.annotations).to.deep.equal({ [BACKUP_VOLUMES_ANNOTATION]: "persistence" });
    });
    it("overrides nothing where Velero copies no volume data", () => {
      expect(spec(false)).to.not.have.property("override");
    });
  });

  describe("kafka (Strimzi node pools)", () => {
    const pool = (veleroVolumeBackup: boolean) => nodePoolSpec("kafka", { name: "brokers", roles: ["broker"], replicas: 3, resources: SIZE, storageGi: 100, veleroVolumeBackup }, PLACEMENT);
    it("issue #19: names each JBOD volume's pod volume, data-<id>, on the pool's pods", () => {
      const spec = pool(true);
      expect(spec.template.pod.metadata?.annotations).to.deep.equal({ [BACKUP_VOLUMES_ANNOTATION]: spec.storage.volumes.map((v) => `data-${v.id}`).join(",") });
      expect(spec.template.pod.metadata?.annotations[BACKUP_VOLUMES_ANNOTATION]).to.equal("data-0");
    });
    it("keeps the pod template's placement beside the annotation, and adds no metadata without Velero volume data", () => {
      expect(pool(true).template.pod).to.have.property("affinity");
      expect(pool(false).template.pod).to.not.have.property("metadata");
    });
    it("names a volume outside JBOD `data`, as Strimzi does", () => {
      expect(kafkaDataVolume(undefined)).to.equal("data");
      expect(kafkaDataVolume(2)).to.equal("data-2");
    });
  });

  describe("the schedules", () => {
    const settings = { target: { kind: "in-cluster" as const }, enabled: true, schedule: "0 1 * * *", retention: "30d", extraNamespaces: [], volumeData: true, etcd: { enabled: true, schedule: "20 * * * *" }, waivers: {} };
    it("keeps the data namespace opt-in only, so the databases' volumes stay out", () => {
      expect(scheduleSpec(settings, ["data"], false)).to.have.nested.property("template.defaultVolumesToFsBackup", false);
      expect(scheduleSpec(settings, ["shop"], true)).to.have.nested.property("template.defaultVolumesToFsBackup", true);
    });
  });

  describe("Velero's paths", () => {
    it("declares the server's path to the API server (objects, hooks as pods/exec) and the node agents' (PodVolumeBackups)", () => {
      const connections = veleroApiServerConnections(veleroWorkloads("velero", { nodeAgent: true, metrics: true }));
      expect(connections.map((c) => [c.from.kind === "pods" ? c.from.workload : "", c.to.kind])).to.deep.equal([
        ["velero/velero", "api-server"],
        ["velero/node-agent", "api-server"],
      ]);
      expect(veleroApiServerConnections(veleroWorkloads("velero", { nodeAgent: false, metrics: true }))).to.have.length(1);
    });
  });
});
