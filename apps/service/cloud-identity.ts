/**
 * An app's AWS identity on EKS: an IAM role only EKS Pod Identity may assume, with the managed
 * policies and inline statements of `awsAccess` and, for `uses: objectStore`, read/write on the
 * apps' `objects` bucket (and its KMS key, through S3 only), bound to the app's ServiceAccount
 * by a Pod Identity association. The policy documents are pure functions, tested with the IAM
 * simulator.
 */
import * as aws from "../../lib/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AwsAccessSpec } from "../../config/apps/runtime";
import { podIdentityTrust, type PodIdentitySubject } from "../../lib/aws-calls";
import { rdsDbUserArn } from "../../config/apps/external";

/** An IAM policy document (the subset strata writes). */
export interface IamPolicy {
  readonly Version: "2012-10-17";
  readonly Statement: readonly {
    readonly Sid?: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: Readonly<Record<string, string>>;
    readonly Action: readonly string[];
    readonly Resource?: readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  }[];
}

/**
 * Only the EKS Pod Identity service assumes an app's role, on behalf of an association of the
 * app's cluster and account, and only for sessions it tags with the app's cluster, namespace and
 * ServiceAccount.
 */
export function appRoleTrust(subject: PodIdentitySubject): IamPolicy {
  return podIdentityTrust(subject);
}

/** The apps' bucket and the key it is encrypted with. */
export interface AppBucket {
  readonly bucketArn: string;
  readonly keyArn: string;
  readonly region: string;
}

/** Object actions an app gets on the apps' bucket. */
export const APP_OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"] as const;

/**
 * The role's inline policy: the spec's statements, then the bucket's, then `rds-db:connect` on the
 * database users of external services with IAM authentication (`rdsUserArns`); undefined when
 * there are none.
 */
export function appRolePolicy(access: AwsAccessSpec | undefined, bucket: AppBucket | undefined, rdsUserArns: readonly string[] = []): IamPolicy | undefined {
  const statements = [
    ...(access?.statements ?? []).map((s, i) => ({ Sid: `App${i}`, Effect: s.effect, Action: [...s.actions], Resource: [...s.resources] })),
    ...(rdsUserArns.length === 0 ? [] : [{ Sid: "RdsIamAuth", Effect: "Allow" as const, Action: ["rds-db:connect"], Resource: [...rdsUserArns] }]),
    ...(bucket === undefined
      ? []
      : [
          // GetBucketLocation: MinIO SDKs not given the region ask for the bucket's before anything else.
          { Sid: "ListObjects", Effect: "Allow" as const, Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: [bucket.bucketArn] },
          { Sid: "ReadWriteObjects", Effect: "Allow" as const, Action: [...APP_OBJECT_ACTIONS], Resource: [`${bucket.bucketArn}/*`] },
          {
            Sid: "BucketKeyThroughS3",
            Effect: "Allow" as const,
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: [bucket.keyArn],
            Condition: { StringEquals: { "kms:ViaService": `s3.${bucket.region}.amazonaws.com` } },
          },
        ]),
  ];
  return statements.length === 0 ? undefined : { Version: "2012-10-17", Statement: statements };
}

export interface AppCloudIdentityArgs {
  /** EKS cluster the association is made in. */
  readonly clusterName: string;
  /** Account of the cluster (InfraOutputs `eks.accountId`). */
  readonly accountId: pulumi.Input<string>;
  /** ARN of the cluster (InfraOutputs `eks.clusterArn`). */
  readonly clusterArn: pulumi.Input<string>;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** `awsAccess` of the spec. @default - none */
  readonly access?: AwsAccessSpec;
  /** The apps' bucket, for `uses: objectStore`. @default - none */
  readonly bucket?: { readonly arn: pulumi.Output<string>; readonly keyArn: pulumi.Output<string>; readonly region: string };
  /** Database users of external RDS services with `iamAuth`, each the resource of `rds-db:connect` in the cluster's account. @default [] */
  readonly rdsUsers?: readonly RdsUser[];
}

/** One database user an app connects as with RDS IAM authentication. */
export interface RdsUser {
  readonly region: string;
  readonly dbiResourceId: string;
  readonly user: string;
}

/** IAM role, its policies and the Pod Identity association of one app's ServiceAccount. */
export class AppCloudIdentity extends pulumi.ComponentResource {
  public readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: AppCloudIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:apps:AppCloudIdentity", name, {}, opts);
    const child = { parent: this };
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `${args.namespace}/${args.serviceAccount} on ${args.clusterName} (EKS Pod Identity)`,
        assumeRolePolicy: pulumi
          .all([args.accountId, args.clusterArn])
          .apply(([accountId, clusterArn]) => JSON.stringify(appRoleTrust({ clusterName: args.clusterName, namespace: args.namespace, serviceAccount: args.serviceAccount, accountId, clusterArn }))),
      },
      child,
    );
    const attached = (args.access?.policyArns ?? []).map(
      (policyArn) => new aws.iam.RolePolicyAttachment(`${name}-${policyArn.split("/").pop() ?? policyArn}`, { role: role.name, policyArn }, child),
    );
    const bucket = args.bucket;
    const rdsUsers = args.rdsUsers ?? [];
    const rdsArns = pulumi.output(args.accountId).apply((account) => rdsUsers.map((u) => rdsDbUserArn(u.region, account, u.dbiResourceId, u.user)));
    const document =
      bucket === undefined
        ? rdsArns.apply((arns) => appRolePolicy(args.access, undefined, arns))
        : pulumi.all([bucket.arn, bucket.keyArn, rdsArns]).apply(([bucketArn, keyArn, arns]) => appRolePolicy(args.access, { bucketArn, keyArn, region: bucket.region }, arns));
    const hasInline = (args.access?.statements.length ?? 0) > 0 || bucket !== undefined || rdsUsers.length > 0;
    const inline = hasInline ? [new aws.iam.RolePolicy(`${name}-policy`, { role: role.id, policy: document.apply((doc) => JSON.stringify(doc)) }, child)] : [];
    new aws.eks.PodIdentityAssociation(
      `${name}-association`,
      { clusterName: args.clusterName, namespace: args.namespace, serviceAccount: args.serviceAccount, roleArn: role.arn },
      { ...child, dependsOn: [...attached, ...inline] },
    );
    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
