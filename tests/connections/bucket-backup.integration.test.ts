/**
 * Issue #19: the app buckets' copier (platform/object-store/bucket-backup.ts) in the EMIS prod
 * plan, with a test target outside the cluster on MinIO's port: the connection check proves its
 * three paths (filer gRPC, filer HTTP, the target with its keys Secret) over the whole plan, and
 * taking its egress policy or the target's Secret away breaks the path to the target.
 */
import { expect } from "chai";
import { brokenConnections, proveConnections } from "../../tools/connections";
import type { PlanDocument, PlannedResource } from "../../tools/engine/plan-document";
import { toPlanDocument } from "../../tools/engine/run";
import type { BackupTarget } from "../../platform/data-service";
import { appBuckets } from "../../platform/object-store/bucket-backup";
import { BUCKET_BACKUP_NAME, bucketBackupConfig, bucketBackupConnections, bucketBackupDeploymentSpec, bucketBackupPolicies, type BucketBackupSpec } from "../../platform/object-store/bucket-backup-objects";
import { planStack } from "../harness";

const TARGET: BackupTarget = { endpoint: "https://backup.example.net:9000", region: "eu-west-1", bucket: "offsite-backups", prefix: "buckets", forcePathStyle: true, credentialsSecret: "offsite-backup-s3" };
const DATA = "data";

let counter = 0;
const resource = (type: string, inputs: Record<string, unknown>): PlannedResource => ({
  urn: `urn:pulumi:prod::strata::${type}::bucket-backup-test-${++counter}`,
  type,
  name: `bucket-backup-test-${counter}`,
  parent: "",
  dependencies: [],
  provider: "",
  protect: false,
  custom: true,
  version: "",
  inputs,
});

/** The prod plan with the copier's objects, the test target's Secret and the copier's declared paths. */
function withCopier(plan: PlanDocument, drop: { readonly egress?: boolean; readonly secret?: boolean } = {}): PlanDocument {
  const placement = { nodeSelector: { "node.strata.io/pool": "storage" }, tolerations: [] };
  const seaweedfs = plan.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && (r.inputs["name"] === "seaweedfs" || r.name.endsWith("object-store-release")));
  expect(seaweedfs, "the prod plan has the SeaweedFS release").not.to.equal(undefined);
  const spec: BucketBackupSpec = { namespace: DATA, buckets: appBuckets({ objects: "emis-objects", backups: "strata-backups" }), target: TARGET, placement, internalRanges: ["10.244.0.0/16", "10.96.0.0/12", "10.20.0.0/23", "169.254.0.0/16"] };
  const policies = bucketBackupPolicies(spec);
  const added = [
    resource("kubernetes:core/v1:ConfigMap", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `${BUCKET_BACKUP_NAME}-config`, namespace: DATA }, data: bucketBackupConfig(spec) }),
    resource("kubernetes:apps/v1:Deployment", { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: BUCKET_BACKUP_NAME, namespace: DATA }, spec: bucketBackupDeploymentSpec(spec, `${BUCKET_BACKUP_NAME}-config`, "sum") }),
    ...(drop.egress === true ? [] : [policies.egress]).concat(policies.filerIngress).map((p) =>
      resource("kubernetes:networking.k8s.io/v1:NetworkPolicy", { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: p.name, namespace: p.namespace }, spec: p.spec }),
    ),
    ...(drop.secret === true ? [] : [resource("kubernetes:core/v1:Secret", { apiVersion: "v1", kind: "Secret", metadata: { name: TARGET.credentialsSecret, namespace: DATA }, stringData: { AWS_ACCESS_KEY_ID: "[secret]", AWS_SECRET_ACCESS_KEY: "[secret]" } })]),
  ];
  const connections = plan.connections ?? { workloads: [], connections: [] };
  return { ...plan, resources: [...plan.resources, ...added], connections: { ...connections, connections: [...connections.connections, ...bucketBackupConnections(DATA, TARGET)] } as typeof connections };
}

const mine = (rows: readonly { connection: string; message: string }[]) => rows.filter((b) => b.message.includes("app bucket copies"));

describe("connections: the app buckets' copier in the prod plan (issue #19)", () => {
  let prod: PlanDocument;
  before(async function () {
    this.timeout(600000);
    prod = toPlanDocument(await planStack({ stack: "prod" }));
  });

  it("issue #19: proves the copier's paths to the filer's gRPC and HTTP ports and to the target with its keys", async () => {
    const results = (await proveConnections(withCopier(prod))).filter((r) => r.purpose.startsWith("app bucket copies"));
    // The prod stack's own copier (its target is S3 on 443), then the one added here (port 9000).
    expect(results.map((r) => r.destination)).to.deep.equal([
      `${DATA}/seaweedfs-filer:18888`,
      `${DATA}/seaweedfs-filer:8888`,
      "backup-target:443 (outside)",
      `${DATA}/seaweedfs-filer:18888`,
      `${DATA}/seaweedfs-filer:8888`,
      "backup-target:9000 (outside)",
    ]);
    expect(mine(brokenConnections(results))).to.deep.equal([]);
  });

  it("issue #19: without its egress policy the copier cannot reach a target on port 9000 (the data namespace opens 443 only)", async () => {
    const broken = mine(brokenConnections(await proveConnections(withCopier(prod, { egress: true }))));
    expect(broken.map((b) => `${b.connection.split(" → ")[1]}: ${b.message.split(":")[0]}`)).to.deep.equal(["backup-target:9000 (outside): egress"]);
  });

  it("issue #19: without the target's Secret in the data namespace the path is broken at its keys", async () => {
    const broken = mine(brokenConnections(await proveConnections(withCopier(prod, { secret: true }))));
    expect(broken.map((b) => b.message.split(" (")[0])).to.deep.equal([`secrets: Secret ${TARGET.credentialsSecret} is not in the client's namespace ${DATA}`]);
  });
});
