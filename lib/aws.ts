/**
 * The AWS provider's modules strata uses, each imported on its own: `@pulumi/aws` as a whole
 * requires all of its ~250 service modules (about 300 files) in every run, vSphere stacks and
 * the offline plan's own tools included. Import AWS through this module.
 */
export * as cloudwatch from "@pulumi/aws/cloudwatch";
export * as ec2 from "@pulumi/aws/ec2";
export * as eks from "@pulumi/aws/eks";
export * as iam from "@pulumi/aws/iam";
export * as kms from "@pulumi/aws/kms";
export * as s3 from "@pulumi/aws/s3";
export * as sqs from "@pulumi/aws/sqs";
export * as vpc from "@pulumi/aws/vpc";
export { Provider } from "@pulumi/aws/provider";
export { getCallerIdentity, getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
export { getPartitionOutput } from "@pulumi/aws/getPartition";
export type { Region } from "@pulumi/aws";
export type * as types from "@pulumi/aws/types";
