/**
 * issue #19: one identity per object-store consumer. The grants strata renders, evaluated the way
 * the SeaweedFS 4.44 gateway evaluates identity actions (tools/seaweedfs-auth/evaluate.ts cites
 * upstream), against the calls each backup writer really makes.
 */
import { expect } from "chai";
import type { S3Target } from "../../lib/aws-calls";
import { BACKUP_PREFIXES } from "../../lib/bucket-layout";
import type { AwsCall } from "../../lib/connections";
import { kopiaCalls, veleroPluginCalls } from "../../platform/backups/connections";
import { backupWriterGrant, bucketGrant, bucketOnlyRead, grantActions, s3IdentitiesJson } from "../../platform/object-store/identity-actions";
import { barmanCloudCalls } from "../../platform/postgres/backup-calls";
import { authorize, canDo, type EvaluatedIdentity, matchesWildcard, requestOfDeclaredCall, type S3Request } from "../../tools/seaweedfs-auth/evaluate";

const BUCKETS = { backups: "strata-backups", objects: "emis-objects", logs: "strata-logs", traces: "strata-traces" };
const B = BUCKETS.backups;
const target: S3Target = { bucketArn: `arn:aws:s3:::${B}`, keyArn: "arn:aws:kms:eu-central-1:123456789012:key/k", region: "eu-central-1", accountId: "123456789012" };
const identity = (name: string, grants: Parameters<typeof grantActions>[0]): EvaluatedIdentity => ({ name, actions: grantActions(grants, BUCKETS) });
const requests = (calls: readonly AwsCall[]): S3Request[] =>
  calls.flatMap((call) => {
    const request = requestOfDeclaredCall({ action: call.action, resource: call.resource as string, ...(call.context === undefined ? {} : { context: call.context as Record<string, string> }) });
    return request === undefined ? [] : [request];
  });
const label = (r: S3Request) => `${r.operation} ${String(r.key ?? r.prefix ?? "")}`;
/** Every call a writer makes, moved to another prefix of the backups bucket. */
const movedTo = (calls: readonly S3Request[], from: string, to: string): S3Request[] =>
  calls.map((r) => ({ ...r, ...(typeof r.key === "string" ? { key: r.key.replace(from, to) } : {}), ...(r.prefix === undefined ? {} : { prefix: r.prefix.replace(from, to) }) }));

describe("object store identities (SeaweedFS gateway)", () => {
  describe("the evaluator follows upstream's CanDo", () => {
    it("globs like matchWildcardString: * spans slashes, ? is one character", () => {
      expect(matchesWildcard("Write:b/p/*", "Write:b/p/x/y")).to.equal(true);
      expect(matchesWildcard("Write:b/p/*", "Write:b/q/x")).to.equal(false);
      expect(matchesWildcard("Read:b?", "Read:bc")).to.equal(true);
      expect(matchesWildcard("Read:b?", "Read:bc/key")).to.equal(false);
    });
    it("an action without wildcards is the whole bucket, and a prefix without a wildcard matches nothing", () => {
      expect(canDo({ name: "x", actions: ["Read:b"] }, "Read", "b", "any/key")).to.equal(true);
      expect(canDo({ name: "x", actions: ["Write:b/p"] }, "Write", "b", "p/key")).to.equal(false);
      expect(canDo({ name: "x", actions: ["Admin"] }, "DeleteBucket", "b", "")).to.equal(true);
    });
    it("authorises a list call on its prefix and DeleteObjects key by key", () => {
      const writer = { name: "w", actions: ["List:b/p/*", "Write:b/p/*"] };
      expect(authorize(writer, { operation: "ListObjectsV2", bucket: "b", prefix: "p/x" })).to.equal(true);
      expect(authorize(writer, { operation: "ListObjectsV2", bucket: "b" })).to.equal(false);
      expect(authorize(writer, { operation: "DeleteObjects", bucket: "b", key: ["p/1", "q/2"] })).to.equal(false);
      expect(authorize(writer, { operation: "DeleteObjects", bucket: "b", key: ["p/1", "p/2"] })).to.equal(true);
    });
  });

  describe("grants as the gateway reads them", () => {
    it("a prefix grant is a wildcard pattern per action plus HeadBucket on the bucket alone", () => {
      expect(grantActions([backupWriterGrant("mysql/emis")], BUCKETS)).to.deep.equal([
        "List:strata-backups/mysql/emis/*",
        "Read:strata-backup?",
        "Read:strata-backups/mysql/emis/*",
        "Write:strata-backups/mysql/emis/*",
      ]);
    });
    it("refuses a bucket-only read pattern that would also match another bucket", () => {
      expect(() => grantActions([backupWriterGrant("velero/")], { ...BUCKETS, other: "strata-backupz" })).to.throw(
        "object store grant on strata-backups: Read:strata-backup? would also match bucket strata-backupz; rename one of them",
      );
    });
    it("refuses a grant on a bucket the store does not have", () => {
      expect(() => grantActions([bucketGrant("media")], BUCKETS)).to.throw("object store grant: no bucket with purpose media");
    });
    it("renders the identities JSON sorted by name", () => {
      const json = JSON.parse(s3IdentitiesJson([
        { name: "velero", credentials: [{ accessKey: "A2", secretKey: "S2" }], actions: ["Read:x"] },
        { name: "apps", credentials: [{ accessKey: "A1", secretKey: "S1" }], actions: ["Read:y"] },
      ])) as { identities: { name: string }[] };
      expect(json.identities.map((i) => i.name)).to.deep.equal(["apps", "velero"]);
    });
    it("matches only the bucket itself with the bucket-only read", () => {
      expect(bucketOnlyRead(B)).to.equal("Read:strata-backup?");
    });
  });

  describe("issue #19: each consumer can do its own calls and nothing else", () => {
    const apps = identity("apps", [bucketGrant("objects")]);
    const barman = identity("postgres-backups", [backupWriterGrant(`${BACKUP_PREFIXES.postgres}postgres/`)]);
    const velero = identity("velero", [backupWriterGrant(BACKUP_PREFIXES.velero)]);
    const barmanCalls = requests(barmanCloudCalls(target));
    const veleroCalls = requests([...veleroPluginCalls(target, { region: "" }), ...kopiaCalls(target, "emis")]);

    it("the apps' identity cannot list, read, write or delete backups", () => {
      for (const request of [...barmanCalls, ...veleroCalls]) expect(authorize(apps, request), label(request)).to.equal(false);
      expect(authorize(apps, { operation: "ListObjectsV2", bucket: B })).to.equal(false);
      expect(authorize(apps, { operation: "DeleteObjects", bucket: B, key: ["velero/backups/x/x.tar.gz"] })).to.equal(false);
      expect(authorize(apps, { operation: "DeleteBucket", bucket: B })).to.equal(false);
    });
    it("the apps' identity reads, writes, lists and deletes in its own bucket", () => {
      for (const operation of ["GetObject", "PutObject", "CreateMultipartUpload", "DeleteObject"] as const) expect(authorize(apps, { operation, bucket: BUCKETS.objects, key: "students/1.pdf" }), operation).to.equal(true);
      expect(authorize(apps, { operation: "ListObjectsV2", bucket: BUCKETS.objects })).to.equal(true);
      expect(authorize(apps, { operation: "GetObject", bucket: BUCKETS.logs, key: "x" })).to.equal(false);
    });
    it("Barman makes every call of its sequence, multipart and retention deletes included", () => {
      for (const request of barmanCalls) expect(authorize(barman, request), label(request)).to.equal(true);
    });
    it("Velero and kopia make every call of their sequences", () => {
      for (const request of veleroCalls) expect(authorize(velero, request), label(request)).to.equal(true);
    });
    it("a backup writer cannot make the same calls under another writer's prefix, list the bucket, or reach another bucket", () => {
      const barmanElsewhere = movedTo(barmanCalls, BACKUP_PREFIXES.postgres, BACKUP_PREFIXES.velero).filter((r) => r.operation !== "HeadBucket");
      for (const request of barmanElsewhere) expect(authorize(barman, request), label(request)).to.equal(false);
      const veleroElsewhere = movedTo(veleroCalls, BACKUP_PREFIXES.velero, "mysql/emis/").filter((r) => r.operation !== "HeadBucket");
      for (const request of veleroElsewhere) expect(authorize(velero, request), label(request)).to.equal(false);
      for (const writer of [barman, velero]) {
        expect(authorize(writer, { operation: "ListObjectsV2", bucket: B }), `${writer.name} lists the whole bucket`).to.equal(false);
        expect(authorize(writer, { operation: "GetObject", bucket: BUCKETS.objects, key: "students/1.pdf" }), `${writer.name} reads the apps' bucket`).to.equal(false);
        expect(authorize(writer, { operation: "DeleteBucket", bucket: B }), `${writer.name} deletes the bucket`).to.equal(false);
        expect(authorize(writer, { operation: "CreateBucket", bucket: "x" }), `${writer.name} creates a bucket`).to.equal(false);
      }
    });
    it("a PostgreSQL cluster's Barman cannot reach another cluster's server folder", () => {
      const other = movedTo(barmanCalls, `${BACKUP_PREFIXES.postgres}postgres/`, `${BACKUP_PREFIXES.postgres}postgres-old/`).filter((r) => r.operation !== "HeadBucket");
      for (const request of other) expect(authorize(barman, request), label(request)).to.equal(false);
    });
  });
});
