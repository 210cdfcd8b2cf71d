/**
 * issue #19: the gateway's identities as the stacks plan them, with the real generated keys: which
 * Secret holds which identity's keys, and what each can do (tools/seaweedfs-auth/evaluate.ts).
 * EMIS prod (apps on their bucket, MySQL and MongoDB backups, Velero, Loki, Tempo) and the vSphere
 * dev example (PostgreSQL with Barman).
 */
import { expect } from "chai";
import type { CapturedRecord } from "../../tools/engine/capture";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { REPO_ROOT, type RunResult } from "../../tools/engine/run";
import { authorize, type EvaluatedIdentity, type S3Operation } from "../../tools/seaweedfs-auth/evaluate";
import { ofType, planStack } from "../harness";
import { exampleRun } from "../infra/vsphere/fixtures";

interface Identity extends EvaluatedIdentity {
  readonly credentials: { readonly accessKey: string; readonly secretKey: string }[];
}

const secretId = (r: CapturedRecord) => {
  const meta = r.rawInputs.metadata as { namespace?: string; name?: string };
  return `${meta.namespace ?? ""}/${meta.name ?? ""}`;
};
const stringData = (r: CapturedRecord) => (r.rawInputs.stringData ?? {}) as Record<string, unknown>;

/** The gateway's identities, and for each the Secrets (namespace/name) that hold its access key. */
function identitiesOf(result: RunResult): { identities: Identity[]; holders: Map<string, string[]> } {
  const secrets = ofType(result, "kubernetes:core/v1:Secret");
  const config = secrets.find((r) => secretId(r) === "data/seaweedfs-s3-config");
  expect(config, "the gateway's identities Secret").to.not.equal(undefined);
  const identities = (JSON.parse(String(stringData(config as CapturedRecord)["seaweedfs_s3_config"])) as { identities: Identity[] }).identities;
  const holders = new Map<string, string[]>();
  for (const identity of identities) {
    const key = identity.credentials[0]?.accessKey ?? "";
    expect(key, identity.name).to.not.equal("");
    holders.set(
      identity.name,
      secrets.filter((r) => r !== config && Object.values(stringData(r)).some((v) => typeof v === "string" && v.includes(key))).map(secretId),
    );
  }
  return { identities, holders };
}

const BACKUPS = "strata-backups";
/** Calls on the backups bucket that would read, list or destroy backups. */
const AGAINST_BACKUPS: readonly { operation: S3Operation; key?: string; prefix?: string }[] = [
  { operation: "ListObjectsV2" },
  { operation: "ListObjectsV2", prefix: "velero/" },
  { operation: "ListObjectsV2", prefix: "mysql/" },
  { operation: "GetObject", key: "velero/backups/daily/daily.tar.gz" },
  { operation: "GetObject", key: "mysql/emis/2026-11-27/xtrabackup_info" },
  { operation: "DeleteObject", key: "velero/backups/daily/daily.tar.gz" },
  { operation: "DeleteObject", key: "postgres/postgres/base/20261127T020000/data.tar.gz" },
  { operation: "PutObject", key: "mongodb/emis/2026-11-27/meta.pbm" },
  { operation: "DeleteBucket" },
];

/**
 * Pulumi.prod.yaml as a staging stack whose backups stay in the cluster: every backup writer is
 * then a consumer of the in-cluster store (prod's own backups go to S3, outside it).
 */
function inClusterStaging(): string {
  const doc = parseDocument(readFileSync(join(REPO_ROOT, "Pulumi.prod.yaml"), "utf8"));
  doc.setIn(["config", "strata:environment"], "staging");
  doc.setIn(["config", "strata:platform", "backups", "target"], doc.createNode({ type: "in-cluster" }));
  // Staging's Redis volumes default smaller than prod's memory limit, which a snapshot must fit in.
  doc.setIn(["config", "strata:platform", "redis", "storage"], doc.createNode({ sizeGi: 8 }));
  const file = join(mkdtempSync(join(tmpdir(), "strata-identities-")), "Pulumi.staging.yaml");
  writeFileSync(file, doc.toString());
  return file;
}

describe("issue #19: object store identities of the planned stacks", () => {
  let prod: ReturnType<typeof identitiesOf>;
  let staging: ReturnType<typeof identitiesOf>;
  let vsDev: ReturnType<typeof identitiesOf>;
  before(async () => {
    const [p, s, d] = await Promise.all([planStack({ stack: "prod" }), planStack({ stack: "staging", configFile: inClusterStaging() }), planStack(exampleRun("vsphere-dev.yaml"))]);
    prod = identitiesOf(p);
    staging = identitiesOf(s);
    vsDev = identitiesOf(d);
  });
  const byName = (ids: readonly Identity[], name: string): Identity => {
    const found = ids.find((i) => i.name === name);
    expect(found, `identity ${name} among ${ids.map((i) => i.name).join(", ")}`).to.not.equal(undefined);
    return found as Identity;
  };

  it("gives every consumer its own identity, with keys of its own", () => {
    // Prod's backup writers go to the S3 target outside the cluster: none of them is a consumer here.
    expect(prod.identities.map((i) => i.name)).to.deep.equal(["apps", "break-glass", "loki-store", "tempo-store"]);
    // PostgreSQL (Grafana's database, issue #23) backs up as CloudNativePG cluster `postgres`.
    expect(staging.identities.map((i) => i.name)).to.deep.equal(["apps", "break-glass", "etcd-snapshots", "loki-store", "mongodb-backups", "mysql-backups", "postgres-postgres-backups", "tempo-store", "velero"]);
    expect(vsDev.identities.map((i) => i.name)).to.include("postgres-postgres-backups");
    const keys = prod.identities.map((i) => i.credentials[0]?.accessKey);
    expect(new Set(keys).size).to.equal(keys.length);
  });

  it("keeps Admin to the break-glass identity, whose keys are only in the store's namespace", () => {
    for (const { identities, holders } of [prod, staging, vsDev]) {
      expect(identities.filter((i) => i.actions.some((a) => a === "Admin" || a.startsWith("Admin:"))).map((i) => i.name)).to.deep.equal(["break-glass"]);
      expect(holders.get("break-glass")).to.deep.equal(["data/object-store-break-glass"]);
    }
  });

  it("holds the apps' keys only in the apps' Secrets, and that identity cannot list, read, write or delete backups", () => {
    const apps = byName(prod.identities, "apps");
    const holders = prod.holders.get("apps") ?? [];
    expect(holders, "the store's own copy and at least one app's env Secret").to.include("data/object-store-credentials");
    expect(holders.filter((h) => !h.startsWith("data/")), "an app's env Secret").to.not.be.empty;
    for (const request of AGAINST_BACKUPS) expect(authorize(apps, { ...request, bucket: BACKUPS }), `apps: ${request.operation} ${request.key ?? request.prefix ?? ""}`).to.equal(false);
    expect(authorize(apps, { operation: "PutObject", bucket: "emis-objects", key: "students/1.pdf" })).to.equal(true);
  });

  it("lets each backup writer read, write, list and delete under its own prefix of the backups bucket only", () => {
    const cases = [
      { ids: staging, name: "mysql-backups", secret: "data/mysql-backup-s3", prefix: "mysql/mysql/" },
      { ids: staging, name: "mongodb-backups", secret: "data/mongodb-backup-s3", prefix: "mongodb/mongodb/" },
      { ids: staging, name: "velero", secret: "velero/velero-object-store", prefix: "velero/" },
      { ids: vsDev, name: "postgres-postgres-backups", secret: "data/postgres-backup-credentials", prefix: "postgres/postgres/" },
    ];
    for (const c of cases) {
      const writer = byName(c.ids.identities, c.name);
      expect(c.ids.holders.get(c.name), c.name).to.deep.equal([c.secret]);
      for (const operation of ["PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload", "AbortMultipartUpload", "GetObject", "DeleteObject"] as const) {
        expect(authorize(writer, { operation, bucket: BACKUPS, key: `${c.prefix}2026-11-27/part` }), `${c.name}: ${operation}`).to.equal(true);
      }
      expect(authorize(writer, { operation: "ListObjectsV2", bucket: BACKUPS, prefix: c.prefix }), `${c.name}: list its prefix`).to.equal(true);
      expect(authorize(writer, { operation: "HeadBucket", bucket: BACKUPS }), `${c.name}: HeadBucket`).to.equal(true);
      const foreign = AGAINST_BACKUPS.filter((r) => !(r.key ?? r.prefix ?? "\0").startsWith(c.prefix));
      for (const request of foreign) expect(authorize(writer, { ...request, bucket: BACKUPS }), `${c.name}: ${request.operation} ${request.key ?? request.prefix ?? ""}`).to.equal(false);
      expect(authorize(writer, { operation: "GetObject", bucket: "emis-objects", key: "students/1.pdf" }), `${c.name}: the apps' bucket`).to.equal(false);
    }
  });

  it("lets Loki and Tempo reach their own bucket only", () => {
    const loki = byName(prod.identities, "loki-store");
    const tempo = byName(prod.identities, "tempo-store");
    expect(prod.holders.get("loki-store")).to.deep.equal(["monitoring/loki-object-store"]);
    expect(prod.holders.get("tempo-store")).to.deep.equal(["monitoring/tempo-object-store"]);
    expect(authorize(loki, { operation: "PutObject", bucket: "strata-logs", key: "chunks/x" })).to.equal(true);
    expect(authorize(loki, { operation: "GetObject", bucket: "strata-traces", key: "x" })).to.equal(false);
    expect(authorize(tempo, { operation: "PutObject", bucket: "strata-traces", key: "blocks/x" })).to.equal(true);
    for (const store of [loki, tempo]) for (const request of AGAINST_BACKUPS) expect(authorize(store, { ...request, bucket: BACKUPS }), `${store.name}: ${request.operation}`).to.equal(false);
  });
});
