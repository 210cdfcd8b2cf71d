import { expect } from "chai";
import { ebsEncrypted, eksEndpointRestricted, eksSecretsEncryption, imdsv2HopLimit, kmsRotation } from "../../policy/aws/eks-and-ec2";
import { s3Encrypted, s3PublicAccessBlocked } from "../../policy/aws/s3";
import { statefulVmsProtected, vmRole } from "../../policy/vsphere/protected-vms";
import { check, resource } from "./fixtures";

const KEY = "arn:aws:kms:eu-central-1:123456789012:key/k";

describe("policy: AWS", () => {
  const cluster = (vpcConfig: Record<string, unknown>, encryptionConfig: unknown = { resources: ["secrets"], provider: { keyArn: KEY } }) =>
    resource("aws:eks/cluster:Cluster", { name: "c", vpcConfig, encryptionConfig });

  it("eks-secrets-encryption: accepts KMS envelope encryption of secrets, rejects a cluster without it", async () => {
    expect(await check(eksSecretsEncryption, [cluster({ endpointPublicAccess: false })])).to.deep.equal([]);
    const bad = cluster({ endpointPublicAccess: false }, null);
    expect((await check(eksSecretsEncryption, [bad])).map((v) => [v.urn, v.message])).to.deep.equal([[bad.urn, 'set encryptionConfig { resources: ["secrets"], provider.keyArn: <KMS key> }']]);
  });

  it("eks-endpoint-restricted: private or CIDR-listed passes; the provider default and 0.0.0.0/0 fail", async () => {
    expect(await check(eksEndpointRestricted, [cluster({ endpointPublicAccess: false }), cluster({ endpointPublicAccess: true, publicAccessCidrs: ["198.51.100.0/24"] })])).to.deep.equal([]);
    expect((await check(eksEndpointRestricted, [cluster({})])).map((v) => v.message)).to.deep.equal([
      "the public endpoint is open to 0.0.0.0/0 (publicAccessCidrs unset); set endpointPublicAccess: false or list the allowed networks",
    ]);
    expect((await check(eksEndpointRestricted, [cluster({ endpointPublicAccess: true, publicAccessCidrs: ["10.0.0.0/8", "0.0.0.0/0"] })])).map((v) => v.message)).to.deep.equal([
      "publicAccessCidrs opens the endpoint to everyone (got 10.0.0.0/8, 0.0.0.0/0); list the allowed networks",
    ]);
  });

  it("ec2-imdsv2-hop-limit-1: requires tokens and hop limit 1 on launch templates and instances", async () => {
    const good = resource("aws:ec2/launchTemplate:LaunchTemplate", { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 } });
    expect(await check(imdsv2HopLimit, [good])).to.deep.equal([]);
    const bad = resource("aws:ec2/instance:Instance", { metadataOptions: { httpTokens: "optional", httpPutResponseHopLimit: 2 } });
    expect((await check(imdsv2HopLimit, [bad])).map((v) => v.message)).to.deep.equal([
      'metadataOptions.httpTokens must be "required" (got optional)',
      "metadataOptions.httpPutResponseHopLimit must be 1 (got 2)",
    ]);
  });

  it("ebs-encrypted: launch-template devices (string booleans), instances and volumes", async () => {
    const good = resource("aws:ec2/launchTemplate:LaunchTemplate", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: KEY } }] });
    const badTemplate = resource("aws:ec2/launchTemplate:LaunchTemplate", { blockDeviceMappings: [{ deviceName: "/dev/xvdb", ebs: { volumeSize: 20 } }] });
    const badVolume = resource("aws:ebs/volume:Volume", { size: 10 });
    const badInstance = resource("aws:ec2/instance:Instance", { rootBlockDevice: { encrypted: false } });
    expect(await check(ebsEncrypted, [good])).to.deep.equal([]);
    expect((await check(ebsEncrypted, [badTemplate, badVolume, badInstance])).map((v) => v.message)).to.deep.equal([
      'block device /dev/xvdb is not encrypted; set ebs.encrypted: "true"',
      "set encrypted: true (and kmsKeyId)",
      "block device root is not encrypted",
    ]);
  });

  it("kms-key-rotation: symmetric keys rotate; asymmetric keys cannot and are left alone", async () => {
    expect(await check(kmsRotation, [resource("aws:kms/key:Key", { enableKeyRotation: true }), resource("aws:kms/key:Key", { keySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" })])).to.deep.equal([]);
    expect((await check(kmsRotation, [resource("aws:kms/key:Key", { description: "k" })])).map((v) => v.message)).to.deep.equal(["set enableKeyRotation: true"]);
  });

  describe("S3", () => {
    const bucket = resource("aws:s3/bucket:Bucket", { bucket: "data-1" }, { name: "data" });
    const sse = (algorithm: string) =>
      resource("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", { bucket: "data-1", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: algorithm, kmsMasterKeyId: KEY } }] });
    const block = (restrictPublicBuckets: boolean) =>
      resource(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        { bucket: "unknown-at-preview", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets },
        { dependencies: [bucket.urn] },
      );

    it("s3-encrypted: finds the bucket's encryption configuration by name; rejects a bucket without one", async () => {
      expect(await check(s3Encrypted, [bucket, sse("aws:kms")])).to.deep.equal([]);
      expect((await check(s3Encrypted, [bucket])).map((v) => [v.urn, v.message])).to.deep.equal([[bucket.urn, "bucket data has no BucketServerSideEncryptionConfiguration with sseAlgorithm aws:kms or AES256"]]);
    });

    it("s3-public-access-blocked: finds the block through its dependency; rejects a missing block or one setting off", async () => {
      expect(await check(s3PublicAccessBlocked, [bucket, block(true)])).to.deep.equal([]);
      expect((await check(s3PublicAccessBlocked, [bucket, block(false)])).map((v) => v.message)).to.deep.equal(["bucket data: the public access block leaves restrictPublicBuckets off"]);
      expect((await check(s3PublicAccessBlocked, [bucket])).map((v) => v.message)).to.deep.equal(["bucket data has no BucketPublicAccessBlock"]);
    });
  });
});

describe("policy: vSphere", () => {
  const vm = (role: string, protect: boolean) =>
    resource("vsphere:index/virtualMachine:VirtualMachine", { name: `prod-${role}-1`, annotation: `Kubernetes node prod-${role}-1 (pool p, role ${role}). Managed by strata with Pulumi; do not edit by hand.` }, { protect });

  it("reads the pool role from the annotation strata writes", () => {
    expect(vmRole("Kubernetes node x (pool mysql, role database). Managed by strata")).to.equal("database");
    expect(vmRole("hand-made VM")).to.equal(undefined);
  });

  it("vsphere-stateful-vms-protected: protected data VMs and unprotected workers pass; an unprotected storage VM fails", async () => {
    expect(await check(statefulVmsProtected, [vm("database", true), vm("storage", true), vm("worker", false)])).to.deep.equal([]);
    const bad = vm("storage", false);
    expect((await check(statefulVmsProtected, [bad])).map((v) => [v.urn, v.message])).to.deep.equal([[bad.urn, "VM prod-storage-1 (role storage) holds data and is not protected; set protect: true"]]);
  });

  it("is off where the environment's config sets requireProtection: false", async () => {
    expect(await check(statefulVmsProtected, [vm("database", false)], { "vsphere-stateful-vms-protected": { requireProtection: false } })).to.deep.equal([]);
  });
});
