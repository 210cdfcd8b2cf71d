/** Issue #23: a prod stack whose Loki runs alone (no logs bucket) is told so, as one without PostgreSQL is about Grafana. */
import { expect } from "chai";
import { lokiSingleReplicaNote, observabilityConfig, tempoSingleReplicaNote } from "../../config/platform/observability";
import { telemetryBucketPurposes } from "../../config/platform/telemetry-buckets";
import { parseConfig } from "../../config/schema";
import { validRaw } from "../config/valid-config";

const defaults = observabilityConfig.parse({});

describe("issue #23: prod Loki without its bucket", () => {
  it("issue #23: warns in prod when the store has no logs bucket and replicas are left to the default, naming the key and both ways out", () => {
    expect(lokiSingleReplicaNote(defaults, "prod", false)).to.match(
      /^strata:platform\.observability\.logs\.replicas: prod runs one Loki, on its volume, because the object store has no logs bucket; .* add the bucket \(strata:platform\.objectStore\.enabled with buckets\.logs, or strata:infra\.eks\.buckets\.logs on EKS\) for three Loki pods with replication factor 3, or set logs\.replicas: 1 to accept one$/,
    );
    for (const [config, environment, hasBucket] of [
      [defaults, "prod", true],
      [defaults, "prod", undefined],
      [defaults, "dev", false],
      [observabilityConfig.parse({ logs: { replicas: 1 } }), "prod", false],
      [observabilityConfig.parse({ logs: { enabled: false } }), "prod", false],
      [undefined, "prod", false],
    ] as const) {
      expect(lokiSingleReplicaNote(config, environment, hasBucket), `${environment} ${String(hasBucket)}`).to.equal(undefined);
    }
  });

  it("issue #23: Tempo alone in prod (no traces bucket) is told the same way, naming its own key and bucket", () => {
    expect(tempoSingleReplicaNote(defaults, "prod", false)).to.match(
      /^strata:platform\.observability\.traces\.replicas: prod runs one Tempo, on its volume, because the object store has no traces bucket; while its node drains or fails no traces .* strata:infra\.eks\.buckets\.traces on EKS\) for three Tempo pods with replication factor 3, or set traces\.replicas: 1 to accept one$/,
    );
    for (const [config, environment, hasBucket] of [
      [defaults, "prod", true],
      [defaults, "prod", undefined],
      [defaults, "staging", false],
      [observabilityConfig.parse({ traces: { replicas: 1 } }), "prod", false],
      [observabilityConfig.parse({ traces: { enabled: false } }), "prod", false],
    ] as const) {
      expect(tempoSingleReplicaNote(config, environment, hasBucket), `${environment} ${String(hasBucket)}`).to.equal(undefined);
    }
  });

  it("issue #23: the bucket fact is the platform's: the in-cluster store's buckets, the infra layer's enabled S3 buckets on EKS, unknown without them", () => {
    const raw = validRaw();
    const platform = (objectStore: Record<string, unknown>) => parseConfig({ ...raw, cluster: { ...raw.cluster, existing: { storageClasses: { default: "standard", database: "fast" } } }, platform: { objectStore, observability: { access: { enabled: false } } } }).platform;
    expect(telemetryBucketPurposes(platform({ enabled: false }), "vsphere")).to.deep.equal([]);
    expect(telemetryBucketPurposes(platform({ enabled: true, buckets: { backups: "strata-backups", logs: "strata-logs" } }), "existing")).to.deep.equal(["backups", "logs"]);
    expect(telemetryBucketPurposes(platform({ enabled: false }), "eks", { logs: { enabled: true }, traces: { enabled: false } })).to.deep.equal(["logs"]);
    expect(telemetryBucketPurposes(platform({ enabled: false }), "eks")).to.equal(undefined);
  });
});
