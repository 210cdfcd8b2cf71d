/**
 * Pure: a secret store's IAM role on EKS, and the AWS calls ESO makes with it.
 *
 * The role trusts only the store's service account through the cluster's OIDC provider (IRSA)
 * and reads only names under the store's prefix. From external-secrets v2.9.0:
 * - Secrets Manager: an ExternalSecret's `remoteRef` is one `GetSecretValue` (version stage
 *   AWSCURRENT), or `DescribeSecret` with `metadataPolicy: Fetch`
 *   (`providers/v1/aws/secretsmanager/secretsmanager.go` `constructSecretValue`). `dataFrom.find`
 *   calls `ListSecrets`/`BatchGetSecretValue`, which IAM cannot restrict to a name prefix: not
 *   granted.
 * - Parameter Store: `GetParameter` with decryption (`parameterstore.go` `GetSecret`); `find`
 *   calls `DescribeParameters`/`GetParametersByPath`: not granted.
 * - Customer-managed KMS keys: Secrets Manager and SSM decrypt as the caller, through the service
 *   (`kms:ViaService`), only for a read the role is allowed. The AWS managed keys
 *   (`aws/secretsmanager`, `aws/ssm`) need no grant.
 */
import type { SecretStoreProvider } from "../../config/platform/secrets";
import { assumeRoleWithWebIdentity, type WebIdentity } from "../../lib/aws-calls";
import type { AwsCall } from "../../lib/connections";

/** Where a store's secrets live. */
export interface StoreLocation {
  readonly provider: Exclude<SecretStoreProvider, "vault">;
  readonly prefix: string;
  readonly region: string;
  readonly accountId: string;
}

/** The ARN pattern of every secret or parameter under the prefix. */
export function storeResourceArn(location: StoreLocation, name = "*"): string {
  const { region, accountId, prefix } = location;
  return location.provider === "aws-secrets-manager"
    ? `arn:aws:secretsmanager:${region}:${accountId}:secret:${prefix}${name}`
    : // A parameter's ARN drops the leading / of its name.
      `arn:aws:ssm:${region}:${accountId}:parameter/${prefix.replace(/^\//, "")}${name}`;
}

const SERVICE = { "aws-secrets-manager": "secretsmanager", "aws-parameter-store": "ssm" } as const;

/** The store role's only policy: read under the prefix, and decrypt through the service for it. */
export function storeReadPolicy(location: StoreLocation) {
  const actions = location.provider === "aws-secrets-manager" ? ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"] : ["ssm:GetParameter"];
  return {
    Version: "2012-10-17" as const,
    Statement: [
      { Sid: "ReadUnderPrefix", Effect: "Allow" as const, Action: actions, Resource: [storeResourceArn(location)] },
      {
        Sid: "DecryptThroughService",
        Effect: "Allow" as const,
        Action: ["kms:Decrypt"],
        Resource: [`arn:aws:kms:${location.region}:${location.accountId}:key/*`],
        // Only the service decrypts, and only for a read the statement above allows.
        Condition: { StringEquals: { "kms:ViaService": `${SERVICE[location.provider]}.${location.region}.amazonaws.com` } },
      },
    ],
  };
}

/** The store role's trust: the store's service account, through the cluster's OIDC provider. */
export function storeTrust(identity: WebIdentity) {
  const issuer = identity.issuerUrl.replace(/^https:\/\//, "");
  return {
    Version: "2012-10-17" as const,
    Statement: [
      {
        Effect: "Allow" as const,
        Principal: { Federated: identity.oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${issuer}:sub`]: `system:serviceaccount:${identity.namespace}:${identity.serviceAccount}`, [`${issuer}:aud`]: "sts.amazonaws.com" } },
      },
    ],
  };
}

/** The external name ESO reaches for the store's API. */
export const storeEndpoint = (provider: StoreLocation["provider"]): string => SERVICE[provider];

/**
 * What ESO does for one ExternalSecret of the store: read `name` (under the prefix), and, for a
 * secret encrypted with a customer-managed key (`customerKey`), the decryption the service asks
 * KMS for as the caller. The connection check leaves that one out: the key and its key policy are
 * the user's, not in the plan; the IAM simulator tests evaluate it against the role's policy.
 */
export function storeCalls(location: StoreLocation, name: string, customerKey = false): AwsCall[] {
  const arn = location.provider === "aws-secrets-manager" ? `${storeResourceArn(location, name)}-AbCdEf` : storeResourceArn(location, name);
  const kms: AwsCall = {
    why: `${SERVICE[location.provider]} decrypts ${name} with a customer-managed key, as the caller`,
    action: "kms:Decrypt",
    resource: `arn:aws:kms:${location.region}:${location.accountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    context: { "kms:ViaService": `${SERVICE[location.provider]}.${location.region}.amazonaws.com` },
  };
  const decrypt = customerKey ? [kms] : [];
  if (location.provider === "aws-parameter-store") return [{ why: `read ${name} (GetParameter, WithDecryption)`, action: "ssm:GetParameter", resource: arn }, ...decrypt];
  return [
    { why: `read ${name} (GetSecretValue, AWSCURRENT)`, action: "secretsmanager:GetSecretValue", resource: arn },
    { why: `read ${name}'s tags (DescribeSecret, metadataPolicy Fetch)`, action: "secretsmanager:DescribeSecret", resource: arn },
    ...decrypt,
  ];
}

/** The identity step: the store's service account token for the role. */
export const storeIdentityStep = (roleArn: string, identity: WebIdentity) => assumeRoleWithWebIdentity(roleArn, identity);
