/**
 * Pure builders of the AWS calls (lib/connections.ts `AwsCall`) S3 clients make on EKS: the
 * identity step, the S3 requests under the IAM action each one is authorised as, and the KMS
 * requests S3 makes with the caller's credentials for a bucket encrypted by default with a KMS
 * key. Components describe their clients' real call sequences with them, from upstream source;
 * the connection check and the IAM simulator tests evaluate them against the policies strata
 * renders.
 *
 * IAM actions by S3 API (Amazon S3 API reference, "Permissions" of each operation):
 * HeadBucket, ListObjects(V2) → `s3:ListBucket` (HeadBucket sends no `s3:prefix`);
 * GetBucketLocation → `s3:GetBucketLocation`; GetObject, HeadObject → `s3:GetObject`;
 * PutObject, CreateMultipartUpload, UploadPart, CompleteMultipartUpload, and CopyObject's
 * destination → `s3:PutObject`; AbortMultipartUpload → `s3:AbortMultipartUpload`; DeleteObject
 * and each key of DeleteObjects → `s3:DeleteObject`.
 * SSE-KMS: S3 calls `kms:GenerateDataKey` for PutObject and CreateMultipartUpload, and
 * `kms:Decrypt` for GetObject and for CompleteMultipartUpload (it reads the encrypted parts),
 * each as the caller, through S3 (`kms:ViaService`).
 */
import type { AwsCall, ConnectionTarget } from "./connections";

/** Where a client's S3 calls land: the bucket, the key it is encrypted with, region and account. */
export interface S3Target {
  readonly bucketArn: string;
  readonly keyArn: string;
  readonly region: string;
  readonly accountId: string;
}

/** Every strata client speaks HTTPS to S3; the buckets' policies refuse anything else. */
const OVER_TLS = { "aws:SecureTransport": "true" } as const;

/** One S3 request, authorised as `action` on the bucket (`key` undefined) or one of its objects. */
export function s3Call(target: S3Target, why: string, action: string, key?: string, context: Readonly<Record<string, string>> = {}): AwsCall {
  return { why, action, resource: key === undefined ? target.bucketArn : `${target.bucketArn}/${key}`, context: { ...OVER_TLS, ...context } };
}

/** HeadBucket: `s3:ListBucket` with no `s3:prefix` in the request. */
export const headBucket = (target: S3Target, why: string): AwsCall => s3Call(target, why, "s3:ListBucket");

/** ListObjects or ListObjectsV2 under a prefix (`s3:prefix`), with a delimiter when the client sends one. */
export function listObjects(target: S3Target, why: string, prefix: string, delimiter?: string): AwsCall {
  return s3Call(target, why, "s3:ListBucket", undefined, { "s3:prefix": prefix, ...(delimiter === undefined ? {} : { "s3:delimiter": delimiter }) });
}

/** A KMS request S3 makes with the caller's credentials for the bucket's default SSE-KMS key. */
export function viaS3(target: S3Target, why: string, action: "kms:GenerateDataKey" | "kms:Decrypt"): AwsCall {
  return { why, action, resource: target.keyArn, context: { "kms:ViaService": `s3.${target.region}.amazonaws.com`, "kms:CallerAccount": target.accountId } };
}

/** PutObject of one object, and the data key S3 asks KMS for. */
export function putObject(target: S3Target, why: string, key: string): AwsCall[] {
  return [s3Call(target, `${why} (PutObject)`, "s3:PutObject", key), viaS3(target, `${why}: data key for SSE-KMS`, "kms:GenerateDataKey")];
}

/** GetObject (or HeadObject when `head`) of one object, and the decryption S3 asks KMS for. */
export function getObject(target: S3Target, why: string, key: string, head = false): AwsCall[] {
  return [
    s3Call(target, `${why} (${head ? "HeadObject" : "GetObject"})`, "s3:GetObject", key),
    ...(head ? [] : [viaS3(target, `${why}: decrypt the data key`, "kms:Decrypt")]),
  ];
}

/** DeleteObject, or one key of DeleteObjects. */
export const deleteObject = (target: S3Target, why: string, key: string): AwsCall => s3Call(target, `${why} (DeleteObject)`, "s3:DeleteObject", key);

/**
 * A multipart upload: CreateMultipartUpload, UploadPart, CompleteMultipartUpload, with the KMS
 * requests each needs; AbortMultipartUpload when the client aborts a failed upload itself.
 */
export function multipartUpload(target: S3Target, why: string, key: string, abortsOnFailure: boolean): AwsCall[] {
  return [
    s3Call(target, `${why} (CreateMultipartUpload)`, "s3:PutObject", key),
    viaS3(target, `${why}: data key for SSE-KMS`, "kms:GenerateDataKey"),
    s3Call(target, `${why} (UploadPart)`, "s3:PutObject", key),
    s3Call(target, `${why} (CompleteMultipartUpload)`, "s3:PutObject", key),
    viaS3(target, `${why}: S3 decrypts the parts to complete the upload`, "kms:Decrypt"),
    ...(abortsOnFailure ? [s3Call(target, `${why} fails (AbortMultipartUpload)`, "s3:AbortMultipartUpload", key)] : []),
  ];
}

/**
 * The identity step: the request that gets a client its role's credentials, made by the OIDC
 * provider (IRSA) or the EKS Pod Identity service rather than a session of the role, so it is
 * decided by the role's trust policy. A connection carries it as its `aws.serviceAccount`, which
 * the connection check matches against the trust; the IAM simulator tests run it as a request.
 */
export interface IdentityStep extends AwsCall {
  readonly principal: string;
}

/** The cluster's OIDC issuer and the service account IRSA trusts. */
export interface WebIdentity {
  readonly oidcProviderArn: string;
  /** `https://oidc.eks.<region>.amazonaws.com/id/<id>`. */
  readonly issuerUrl: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/**
 * IRSA: the SDK exchanges the pod's projected token (audience `sts.amazonaws.com`, subject
 * `system:serviceaccount:<namespace>:<name>`) for the role's credentials.
 */
export function assumeRoleWithWebIdentity(roleArn: string, identity: WebIdentity): IdentityStep {
  const issuer = identity.issuerUrl.replace(/^https:\/\//, "");
  return {
    why: `${identity.namespace}/${identity.serviceAccount} exchanges its service account token for the role (IRSA)`,
    action: "sts:AssumeRoleWithWebIdentity",
    resource: roleArn,
    principal: identity.oidcProviderArn,
    context: { [`${issuer}:sub`]: `system:serviceaccount:${identity.namespace}:${identity.serviceAccount}`, [`${issuer}:aud`]: "sts.amazonaws.com" },
  };
}

/** The pods a Pod Identity association binds a role to, and the cluster and account it is made in. */
export interface PodIdentitySubject {
  readonly clusterName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** 12-digit account the cluster (and the association) lives in. */
  readonly accountId: string;
  /** `arn:<partition>:eks:<region>:<account>:cluster/<name>`. */
  readonly clusterArn: string;
}

/**
 * Session tags EKS Pod Identity sets when it assumes a role, those trust policies test: the EKS
 * user guide ("Create IAM role with trust policy required by EKS Pod Identity", Setting
 * Conditions) lists `eks-cluster-arn`, `eks-cluster-name`, `kubernetes-namespace`,
 * `kubernetes-service-account` (and the pod's name and uid, which change with every pod).
 */
export function podIdentitySessionTags(subject: PodIdentitySubject): Readonly<Record<string, string>> {
  return {
    "aws:RequestTag/eks-cluster-arn": subject.clusterArn,
    "aws:RequestTag/eks-cluster-name": subject.clusterName,
    "aws:RequestTag/kubernetes-namespace": subject.namespace,
    "aws:RequestTag/kubernetes-service-account": subject.serviceAccount,
  };
}

/**
 * Trust policy of a role bound through EKS Pod Identity: the EKS Auth service assumes it and tags
 * the session, and only for the one cluster, namespace and service account the session tags name
 * (EKS user guide, "Create IAM role with trust policy required by EKS Pod Identity", Setting
 * Conditions). Without the tag conditions, a Pod Identity association made for any other service
 * account in the account could hand it this role.
 *
 * The service principal acts on behalf of the association, so the role also pins the account with
 * the global key AWS recommends against the cross-service confused deputy (IAM user guide, "The
 * confused deputy problem"): `aws:SourceAccount`, shown working with Pod Identity on live clusters
 * (awslabs/mountpoint-s3-csi-driver#781). The cluster is pinned by the documented
 * `eks-cluster-arn` session tag, whose ARN also names account and region, rather than by
 * `aws:SourceArn`: the EKS user guide documents no `aws:SourceArn` value for Pod Identity, and in
 * #781 a trust with `ArnLike aws:SourceArn arn:aws:eks:*:<account>:podidentityassociation/<cluster>/*`
 * refused credentials until that condition was removed. A wrong guess there would cut every
 * controller on the cluster (the VPC CNI included) off from AWS on the first `up`.
 */
export function podIdentityTrust(subject: PodIdentitySubject) {
  return {
    Version: "2012-10-17" as const,
    Statement: [
      {
        Effect: "Allow" as const,
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: { "aws:SourceAccount": subject.accountId, ...podIdentitySessionTags(subject) },
        },
      },
    ],
  };
}

/**
 * EKS Pod Identity: the pod asks the node's agent for credentials; the EKS Auth service assumes
 * the role (`sts:AssumeRole`) and tags the session with the pod's cluster, namespace and service
 * account (`sts:TagSession`), as `pods.eks.amazonaws.com`, on behalf of the association's account
 * (`aws:SourceAccount`).
 */
export function podIdentityAssume(roleArn: string, subject: PodIdentitySubject): IdentityStep[] {
  const who = `${subject.namespace}/${subject.serviceAccount}`;
  const context = { ...podIdentitySessionTags(subject), "aws:SourceAccount": subject.accountId };
  return [
    { why: `EKS Pod Identity assumes the role for ${who}`, action: "sts:AssumeRole", resource: roleArn, principal: "pods.eks.amazonaws.com", context },
    { why: `EKS Pod Identity tags ${who}'s session`, action: "sts:TagSession", resource: roleArn, principal: "pods.eks.amazonaws.com", context },
  ];
}

/** S3 on its regional HTTPS endpoint. */
export const S3_ENDPOINT: ConnectionTarget = { kind: "external", name: "s3", port: 443 };
