/** Shapes the EKS backend's files pass to one another. */
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** Options every child of the EKS component is created with. */
export interface ChildOptions {
  /** The EKS component. */
  readonly parent: pulumi.Resource;
  /** The explicit, tagging AWS provider. */
  readonly provider: aws.Provider;
}

/** Account facts read once through the explicit provider. */
export interface AwsAccount {
  /** 12-digit account id of the deploying credentials. */
  readonly accountId: pulumi.Output<string>;
  /** `aws`, `aws-cn` or `aws-us-gov`. */
  readonly partition: pulumi.Output<string>;
  /** Region from `aws:region`. */
  readonly region: string;
}

/** An IAM policy document as plain data, serialised with `JSON.stringify`. */
export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** Trust policy letting an AWS service assume a role. */
export function serviceTrust(service: string, actions: readonly string[] = ["sts:AssumeRole"]): PolicyDocument {
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: actions }] };
}

/** ARN of an AWS managed IAM policy in the given partition. */
export function managedPolicyArn(partition: string, name: string): string {
  return `arn:${partition}:iam::aws:policy/${name}`;
}
