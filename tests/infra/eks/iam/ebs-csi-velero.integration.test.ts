/**
 * Issue #9: the EBS CSI driver (AWS managed AmazonEBSCSIDriverPolicyV2 + strata's key policy) and
 * Velero (plugin README policy) against realistic requests: an encrypted gp3/io2 volume for a
 * claim, attach, resize, snapshot, delete; backups written to the backups bucket.
 */
import { expect } from "chai";
import { keyPolicy } from "../../../../infra/eks/kms";
import { ebsCsiKmsPolicy, veleroPolicy } from "../../../../infra/eks/policies";
import { ACCOUNT, BACKUPS_BUCKET_ARN, CLUSTER, KEY_ARN, REGION, decide, namedActions, upstreamEbsCsi, upstreamVelero, type SimRequest } from "./simulator";

const ec2 = (type: string, id: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:${type}/${id}`;
const VOLUME = ec2("volume", "vol-0a1b2c3d4e5f60718");
const SNAPSHOT = `arn:aws:ec2:${REGION}::snapshot/snap-0a1b2c3d4e5f60718`;
const NODE = ec2("instance", "i-0a1b2c3d4e5f60718");
const viaEc2 = { "kms:ViaService": `ec2.${REGION}.amazonaws.com`, "kms:CallerAccount": ACCOUNT };
const requestTags = (tags: Record<string, string>) => ({
  ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
  "aws:TagKeys": Object.keys(tags),
});
/** The driver tags what it creates; the pvc tags come from --extra-create-metadata (the add-on's default). */
const CSI_TAGS = {
  "ebs.csi.aws.com/cluster": "true",
  CSIVolumeName: "pvc-6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
  "kubernetes.io/created-for/pvc/name": "data-postgres-1",
  "kubernetes.io/created-for/pvc/namespace": "data",
  "kubernetes.io/created-for/pv/name": "pvc-6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
};
const MANAGED = Object.fromEntries(Object.entries(CSI_TAGS).map(([k, v]) => [`ec2:ResourceTag/${k}`, v]));

describe("IAM simulation: EBS CSI driver (AmazonEBSCSIDriverPolicyV2, upstream v1.64.0)", () => {
  const managed = upstreamEbsCsi();
  const kms = ebsCsiKmsPolicy(KEY_ARN);
  const key = keyPolicy(ACCOUNT, "aws", REGION, CLUSTER);
  const requests: SimRequest[] = [
    { why: "create an encrypted volume for a claim", action: "ec2:CreateVolume", resource: VOLUME, context: { ...requestTags(CSI_TAGS), "ec2:Encrypted": "true" } },
    { why: "tag the volume as it is created", action: "ec2:CreateTags", resource: VOLUME, context: { ...requestTags(CSI_TAGS), "ec2:CreateAction": "CreateVolume" } },
    { why: "attach it to the pod's node (volume)", action: "ec2:AttachVolume", resource: VOLUME, context: MANAGED },
    { why: "attach it to the pod's node (instance)", action: "ec2:AttachVolume", resource: NODE },
    { why: "detach it", action: "ec2:DetachVolume", resource: VOLUME, context: MANAGED },
    { why: "expand it", action: "ec2:ModifyVolume", resource: VOLUME, context: MANAGED },
    { why: "snapshot it (volume)", action: "ec2:CreateSnapshot", resource: VOLUME, context: MANAGED },
    { why: "snapshot it (snapshot)", action: "ec2:CreateSnapshot", resource: SNAPSHOT, context: requestTags({ "ebs.csi.aws.com/cluster": "true", CSIVolumeSnapshotName: "snapshot-1" }) },
    { why: "delete the snapshot", action: "ec2:DeleteSnapshot", resource: SNAPSHOT, context: { "ec2:ResourceTag/ebs.csi.aws.com/cluster": "true" } },
    { why: "delete the volume when the claim goes", action: "ec2:DeleteVolume", resource: VOLUME, context: MANAGED },
    { why: "find volumes", action: "ec2:DescribeVolumes", resource: "*" },
  ];
  for (const request of requests) {
    it(`allows: ${request.why} (${request.action})`, async () => {
      expect(await decide(request, [managed, kms])).to.equal("Allowed");
    });
  }

  it("lets EC2 use the cluster key on the driver's behalf for the encrypted volume", async () => {
    for (const action of ["kms:GenerateDataKeyWithoutPlaintext", "kms:Decrypt", "kms:DescribeKey"]) {
      expect(await decide({ why: "encrypt the volume", action, resource: KEY_ARN, context: viaEc2 }, [managed, kms], key), action).to.equal("Allowed");
    }
    const grant = { why: "grant the attaching instance", action: "kms:CreateGrant", resource: KEY_ARN, context: { ...viaEc2, "kms:GrantIsForAWSResource": "true" } };
    expect(await decide(grant, [managed, kms], key)).to.equal("Allowed");
  });

  it("refuses to delete a volume it did not create (a Karpenter node's root volume)", async () => {
    const root = { "ec2:ResourceTag/karpenter.sh/nodepool": "workers", [`ec2:ResourceTag/kubernetes.io/cluster/${CLUSTER}`]: "owned" };
    expect(await decide({ why: "delete a root volume", action: "ec2:DeleteVolume", resource: VOLUME, context: root }, [managed, kms])).to.not.equal("Allowed");
  });
});

describe("IAM simulation: Velero (velero-plugin-for-aws README policy)", () => {
  const bucketName = BACKUPS_BUCKET_ARN.split(":::")[1] ?? "";
  const upstream = upstreamVelero(bucketName);
  // With volume snapshots on, strata's policy covers every upstream call; off (strata's setting), none of the EC2 ones.
  const strata = veleroPolicy(BACKUPS_BUCKET_ARN, KEY_ARN, "velero/", { volumeSnapshots: true });
  const withoutSnapshots = veleroPolicy(BACKUPS_BUCKET_ARN, KEY_ARN, "velero/", { volumeSnapshots: false });
  // The backup storage location's prefix is `velero` (platform/backups/values.ts).
  const object = `${BACKUPS_BUCKET_ARN}/velero/backups/daily-20261127/daily-20261127.tar.gz`;
  const requests: SimRequest[] = [
    ...["GetObject", "PutObject", "DeleteObject", "PutObjectTagging", "AbortMultipartUpload", "ListMultipartUploadParts"].map((a) => ({ why: `backup object (${a})`, action: `s3:${a}`, resource: object })),
    { why: "list backups", action: "s3:ListBucket", resource: BACKUPS_BUCKET_ARN, context: { "s3:prefix": "velero/backups/" } },
    { why: "snapshot a volume", action: "ec2:CreateSnapshot", resource: ec2("volume", "vol-0a1b2c3d4e5f60718") },
    { why: "snapshot (snapshot side)", action: "ec2:CreateSnapshot", resource: `arn:aws:ec2:${REGION}::snapshot/snap-0a1b2c3d4e5f60718` },
    { why: "tag the snapshot", action: "ec2:CreateTags", resource: `arn:aws:ec2:${REGION}::snapshot/snap-0a1b2c3d4e5f60718`, context: { "ec2:CreateAction": "CreateSnapshot" } },
    { why: "restore a volume from a snapshot", action: "ec2:CreateVolume", resource: ec2("volume", "vol-0a1b2c3d4e5f60719") },
    { why: "delete an expired snapshot", action: "ec2:DeleteSnapshot", resource: `arn:aws:ec2:${REGION}::snapshot/snap-0a1b2c3d4e5f60718` },
    ...["DescribeVolumes", "DescribeSnapshots"].map((a) => ({ why: `read (${a})`, action: `ec2:${a}`, resource: "*" })),
  ];
  for (const request of requests) {
    it(`allows: ${request.why} (${request.action})`, async () => {
      expect(await decide(request, [upstream]), "upstream allows it").to.equal("Allowed");
      expect(await decide(request, [strata]), "strata's policy").to.equal("Allowed");
    });
  }
  for (const request of requests.filter((r) => r.action.startsWith("ec2:"))) {
    it(`issue #22: without volume snapshots, refuses: ${request.why} (${request.action})`, async () => {
      expect(await decide(request, [withoutSnapshots])).to.not.equal("Allowed");
    });
  }
  it("exercises every upstream action", () => {
    const exercised = new Set(requests.map((r) => r.action));
    expect(namedActions([upstream]).filter((a) => !exercised.has(a))).to.deep.equal([]);
  });
  it("writes backup objects encrypted with the cluster key through S3", async () => {
    const key = keyPolicy(ACCOUNT, "aws", REGION, CLUSTER);
    const context = { "kms:ViaService": `s3.${REGION}.amazonaws.com`, "kms:CallerAccount": ACCOUNT };
    for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
      expect(await decide({ why: "SSE-KMS", action, resource: KEY_ARN, context }, [strata], key), action).to.equal("Allowed");
    }
  });
  it("refuses the application objects bucket and bucket deletion", async () => {
    const objects = `arn:aws:s3:::${CLUSTER}-objects-${ACCOUNT}`;
    expect(await decide({ why: "read app objects", action: "s3:GetObject", resource: `${objects}/invoice.pdf` }, [strata])).to.not.equal("Allowed");
    expect(await decide({ why: "delete the bucket", action: "s3:DeleteBucket", resource: BACKUPS_BUCKET_ARN }, [strata])).to.not.equal("Allowed");
  });
});
