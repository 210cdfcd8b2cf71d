/** issue #19: the Job that creates SeaweedFS's buckets runs on the storage pool, unlike the chart's hook. */
import { expect } from "chai";
import { bucketJobManifest, bucketScript } from "../../platform/object-store/bucket-job";

const placement = { nodeSelector: { "node.strata.io/pool": "storage" }, tolerations: [{ key: "dedicated", operator: "Equal" as const, value: "storage", effect: "NoSchedule" as const }] };
const args = { namespace: "data", buckets: ["strata-backups", "emis-objects"], versionedBuckets: ["strata-backups"], image: "docker.io/chrislusf/seaweedfs:4.44", placement };

describe("SeaweedFS bucket Job", () => {
  it("issue #19: is placed on the storage pool", () => {
    const pod = bucketJobManifest(args).spec.template.spec;
    expect(pod.nodeSelector).to.deep.equal({ "node.strata.io/pool": "storage" });
    expect(pod.tolerations).to.deep.equal(placement.tolerations);
    expect(pod.priorityClassName).to.equal("data");
  });
  it("creates missing buckets, then turns versioning on for the backups bucket only", () => {
    const script = bucketScript(args);
    expect(script).to.contain("weed shell -master=seaweedfs-master.data.svc:9333 -filer=seaweedfs-filer-client.data.svc:8888");
    expect(script).to.contain("grep -Fxq 'strata-backups' || weed_shell 's3.bucket.create --name strata-backups'");
    expect(script).to.contain("grep -Fxq 'emis-objects' || weed_shell 's3.bucket.create --name emis-objects'");
    expect(script).to.contain("weed_shell 's3.bucket.versioning -name strata-backups -status Enabled'");
    expect(script).to.not.contain("-name emis-objects -status");
  });
  it("is a new Job when the buckets change, so it runs again", () => {
    expect(bucketJobManifest(args).metadata.name).to.match(/^seaweedfs-buckets-[0-9a-f]{8}$/);
    expect(bucketJobManifest({ ...args, buckets: [...args.buckets, "strata-logs"] }).metadata.name).to.not.equal(bucketJobManifest(args).metadata.name);
  });
});
