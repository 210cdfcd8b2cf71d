/**
 * The AWS side of Karpenter: the role its nodes run as (with an EC2_LINUX access entry so they
 * can join), and the SQS queue EventBridge fills with spot interruptions, rebalance hints,
 * scheduled maintenance and instance state changes. The Helm release is the cluster layer's job.
 */
import * as aws from "../../lib/aws";
import { NODE_POLICIES } from "./node-groups";
import { managedPolicyArn, serviceTrust, type AwsAccount, type ChildOptions, type PolicyDocument } from "./types";

export interface KarpenterAwsArgs {
  /** Cluster name, used in the queue name and descriptions. */
  readonly clusterName: string;
  /** The cluster the node role gets an access entry on. */
  readonly cluster: aws.eks.Cluster;
  /** Partition for managed policy ARNs. */
  readonly account: AwsAccount;
}

export interface KarpenterAws {
  readonly nodeRole: aws.iam.Role;
  readonly queue: aws.sqs.Queue;
}

/** EventBridge patterns whose events Karpenter handles, keyed by rule role. */
export const INTERRUPTION_EVENTS: Readonly<Record<string, { source: string[]; "detail-type": string[] }>> = {
  health: { source: ["aws.health"], "detail-type": ["AWS Health Event"] },
  spot: { source: ["aws.ec2"], "detail-type": ["EC2 Spot Instance Interruption Warning"] },
  rebalance: { source: ["aws.ec2"], "detail-type": ["EC2 Instance Rebalance Recommendation"] },
  state: { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"] },
};

/** Only EventBridge and SQS itself may send; plain-HTTP access is refused. */
export function interruptionQueuePolicy(queueArn: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "EventBridgeSends", Effect: "Allow", Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] }, Action: "sqs:SendMessage", Resource: queueArn },
      { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: queueArn, Condition: { Bool: { "aws:SecureTransport": "false" } } },
    ],
  };
}

export function createKarpenterAws(name: string, args: KarpenterAwsArgs, opts: ChildOptions): KarpenterAws {
  const nodeRole = new aws.iam.Role(`${name}-karpenter-node`, {
    description: `Nodes Karpenter launches for ${args.clusterName}`,
    assumeRolePolicy: JSON.stringify(serviceTrust("ec2.amazonaws.com")),
  }, opts);
  for (const policy of [...NODE_POLICIES, "AmazonSSMManagedInstanceCore"]) {
    new aws.iam.RolePolicyAttachment(`${name}-karpenter-node-${policy}`, {
      role: nodeRole.name,
      policyArn: args.account.partition.apply((p) => managedPolicyArn(p, policy)),
    }, opts);
  }
  new aws.eks.AccessEntry(`${name}-karpenter-node`, { clusterName: args.cluster.name, principalArn: nodeRole.arn, type: "EC2_LINUX" }, opts);

  const queue = new aws.sqs.Queue(`${name}-karpenter-interruptions`, {
    name: `${args.clusterName}-karpenter`,
    messageRetentionSeconds: 300,
    sqsManagedSseEnabled: true,
  }, opts);
  new aws.sqs.QueuePolicy(`${name}-karpenter-interruptions`, {
    queueUrl: queue.url,
    policy: queue.arn.apply((arn) => JSON.stringify(interruptionQueuePolicy(arn))),
  }, opts);
  for (const [event, pattern] of Object.entries(INTERRUPTION_EVENTS)) {
    const rule = new aws.cloudwatch.EventRule(`${name}-karpenter-${event}`, {
      // Named explicitly: an auto-name suffix could push a 40-character cluster name past 64.
      name: `${args.clusterName}-karpenter-${event}`,
      description: `Karpenter interruption handling for ${args.clusterName}: ${pattern["detail-type"].join(", ")}`,
      eventPattern: JSON.stringify(pattern),
    }, opts);
    new aws.cloudwatch.EventTarget(`${name}-karpenter-${event}`, { rule: rule.name, arn: queue.arn, targetId: "karpenter-interruption-queue" }, opts);
  }
  return { nodeRole, queue };
}
