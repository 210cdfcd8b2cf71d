/**
 * EKS and EC2: secrets encrypted with KMS, a private or CIDR-restricted API endpoint, IMDSv2 with a
 * hop limit of 1 (pods cannot reach the node's credentials), encrypted EBS volumes, rotating KMS keys.
 */
import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { isObj, type Obj } from "../kubernetes/workloads";

function obj(value: unknown): Obj {
  return isObj(value) ? value : {};
}

/** AWS takes some booleans as strings in launch templates (`"true"`). */
/** A scalar for messages; anything else as JSON. */
function show(value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
}

function truthy(value: unknown): boolean {
  return value === true || value === "true";
}

function forType(types: readonly string[], check: (props: Obj, report: (message: string) => void, args: ResourceValidationArgs) => void) {
  return (args: ResourceValidationArgs, reportViolation: ReportViolation): void => {
    if (types.includes(args.type)) check(args.props, (message) => reportViolation(message), args);
  };
}

export const eksSecretsEncryption: ResourceValidationPolicy = {
  name: "eks-secrets-encryption",
  description: "EKS clusters encrypt Kubernetes secrets with a KMS key (envelope encryption).",
  validateResource: forType(["aws:eks/cluster:Cluster"], (props, report) => {
    const config = obj(props["encryptionConfig"]);
    const resources = Array.isArray(config["resources"]) ? (config["resources"] as unknown[]) : [];
    if (!resources.includes("secrets") || obj(config["provider"])["keyArn"] === undefined) report('set encryptionConfig { resources: ["secrets"], provider.keyArn: <KMS key> }');
  }),
};

export const eksEndpointRestricted: ResourceValidationPolicy = {
  name: "eks-endpoint-restricted",
  description: "The EKS API endpoint is private, or public only to listed CIDRs (never 0.0.0.0/0).",
  validateResource: forType(["aws:eks/cluster:Cluster"], (props, report) => {
    const vpc = obj(props["vpcConfig"]);
    // The provider's defaults: endpointPublicAccess true, publicAccessCidrs ["0.0.0.0/0"].
    if (vpc["endpointPublicAccess"] === false) return;
    const cidrs = Array.isArray(vpc["publicAccessCidrs"]) ? (vpc["publicAccessCidrs"] as unknown[]) : [];
    if (cidrs.length === 0) report("the public endpoint is open to 0.0.0.0/0 (publicAccessCidrs unset); set endpointPublicAccess: false or list the allowed networks");
    else if (cidrs.some((c) => c === "0.0.0.0/0" || c === "::/0")) report(`publicAccessCidrs opens the endpoint to everyone (got ${cidrs.join(", ")}); list the allowed networks`);
  }),
};

export const imdsv2HopLimit: ResourceValidationPolicy = {
  name: "ec2-imdsv2-hop-limit-1",
  description: "Instances and launch templates require IMDSv2 tokens with a response hop limit of 1.",
  validateResource: forType(["aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/instance:Instance"], (props, report) => {
    const metadata = obj(props["metadataOptions"]);
    if (metadata["httpTokens"] !== "required") report(`metadataOptions.httpTokens must be "required" (got ${show(metadata["httpTokens"], "unset")})`);
    if (metadata["httpPutResponseHopLimit"] !== 1) report(`metadataOptions.httpPutResponseHopLimit must be 1 (got ${show(metadata["httpPutResponseHopLimit"], "unset")})`);
  }),
};

export const ebsEncrypted: ResourceValidationPolicy = {
  name: "ebs-encrypted",
  description: "EBS volumes (stand-alone, instance and launch-template block devices) are encrypted.",
  validateResource: forType(["aws:ebs/volume:Volume", "aws:ec2/instance:Instance", "aws:ec2/launchTemplate:LaunchTemplate"], (props, report, args) => {
    if (args.type === "aws:ebs/volume:Volume") {
      if (!truthy(props["encrypted"])) report("set encrypted: true (and kmsKeyId)");
      return;
    }
    if (args.type === "aws:ec2/instance:Instance") {
      const devices = [props["rootBlockDevice"], ...(Array.isArray(props["ebsBlockDevices"]) ? (props["ebsBlockDevices"] as unknown[]) : [])].filter(isObj);
      for (const device of devices) if (!truthy(device["encrypted"])) report(`block device ${show(device["deviceName"], "root")} is not encrypted`);
      return;
    }
    const mappings = Array.isArray(props["blockDeviceMappings"]) ? (props["blockDeviceMappings"] as unknown[]).filter(isObj) : [];
    for (const mapping of mappings) {
      if (mapping["ebs"] !== undefined && !truthy(obj(mapping["ebs"])["encrypted"])) report(`block device ${show(mapping["deviceName"], "?")} is not encrypted; set ebs.encrypted: "true"`);
    }
  }),
};

export const kmsRotation: ResourceValidationPolicy = {
  name: "kms-key-rotation",
  description: "Symmetric KMS keys rotate automatically.",
  validateResource: forType(["aws:kms/key:Key"], (props, report) => {
    const spec = props["customerMasterKeySpec"] ?? props["keySpec"] ?? "SYMMETRIC_DEFAULT";
    if (spec === "SYMMETRIC_DEFAULT" && props["enableKeyRotation"] !== true) report("set enableKeyRotation: true");
  }),
};
