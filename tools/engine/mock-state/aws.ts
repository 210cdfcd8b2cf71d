/**
 * `@pulumi/aws`: the computed state the EKS backend reads (ARNs, ids, the cluster endpoint, CA
 * and OIDC issuer, launch template versions) and the invokes it calls. Values are deterministic,
 * derived from the resource name, in the shapes AWS returns.
 */
import * as pulumi from "@pulumi/pulumi";
import { hex, mockKmsKeyId, mockRoleName, str } from "./aws-names";
import type { MockResource, ProviderMocks, ResourceState } from "./types";

export const MOCK_ACCOUNT_ID = "123456789012";
let callerRole = "strata-deployer";

/** The IAM role the mocked caller identity assumed; one run per process, so set once before the program runs. */
export function setMockCallerRole(role: string): void {
  callerRole = role;
}

const region = () => pulumi.runtime.getConfig("aws:region") ?? "eu-central-1";

/** A resource whose id is `<prefix>-<17 hex>` and whose ARN is built from it. */
function ec2Like(prefix: string, arnType: string): ResourceState {
  return ({ name }) => {
    const id = `${prefix}-${hex(name, 17)}`;
    return { id, state: { arn: `arn:aws:ec2:${region()}:${MOCK_ACCOUNT_ID}:${arnType}/${id}`, ownerId: MOCK_ACCOUNT_ID } };
  };
}


function iamRole({ name, inputs }: MockResource) {
  const roleName = mockRoleName(name, inputs);
  return { id: roleName, state: { name: roleName, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${roleName}`, uniqueId: `AROA${hex(name, 17).toUpperCase()}` } };
}

function eksCluster({ name, inputs }: MockResource) {
  const clusterName = str(inputs.name, name);
  const id = hex(clusterName, 32).toUpperCase();
  const vpcConfig = (inputs.vpcConfig ?? {}) as Record<string, unknown>;
  return {
    id: clusterName,
    state: {
      name: clusterName,
      arn: `arn:aws:eks:${region()}:${MOCK_ACCOUNT_ID}:cluster/${clusterName}`,
      endpoint: `https://${id}.gr7.${region()}.eks.amazonaws.com`,
      certificateAuthority: { data: Buffer.from(`-----BEGIN CERTIFICATE-----\nmock-ca-${clusterName}\n-----END CERTIFICATE-----\n`).toString("base64") },
      identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region()}.amazonaws.com/id/${id}` }] }],
      vpcConfig: { ...vpcConfig, clusterSecurityGroupId: `sg-${hex(`${clusterName}-cluster`, 17)}`, vpcId: `vpc-${hex("vpc", 17)}` },
      platformVersion: "eks.1",
      status: "ACTIVE",
      clusterId: hex(`${clusterName}-id`, 8),
    },
  };
}

export const awsMocks: ProviderMocks = {
  resources: {
    "pulumi:providers:aws": () => ({ state: {} }),
    "aws:ec2/vpc:Vpc": ec2Like("vpc", "vpc"),
    "aws:ec2/subnet:Subnet": ec2Like("subnet", "subnet"),
    "aws:ec2/internetGateway:InternetGateway": ec2Like("igw", "internet-gateway"),
    "aws:ec2/natGateway:NatGateway": ec2Like("nat", "natgateway"),
    "aws:ec2/eip:Eip": ({ name }) => ({ id: `eipalloc-${hex(name, 17)}`, state: { publicIp: `203.0.113.${parseInt(hex(name, 2), 16) % 250}`, allocationId: `eipalloc-${hex(name, 17)}` } }),
    "aws:ec2/routeTable:RouteTable": ec2Like("rtb", "route-table"),
    "aws:ec2/vpcEndpoint:VpcEndpoint": ec2Like("vpce", "vpc-endpoint"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": ({ name }) => ({ id: `rtbassoc-${hex(name, 17)}`, state: {} }),
    "aws:ec2/securityGroup:SecurityGroup": ec2Like("sg", "security-group"),
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": ec2Like("sg", "security-group"),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ({ name }) => {
      const id = `sgr-${hex(name, 17)}`;
      return { id, state: { securityGroupRuleId: id, arn: `arn:aws:ec2:${region()}:${MOCK_ACCOUNT_ID}:security-group-rule/${id}` } };
    },
    "aws:ec2/launchTemplate:LaunchTemplate": ({ name }) => {
      const id = `lt-${hex(name, 17)}`;
      return { id, state: { arn: `arn:aws:ec2:${region()}:${MOCK_ACCOUNT_ID}:launch-template/${id}`, latestVersion: 1, defaultVersion: 1 } };
    },
    "aws:kms/key:Key": ({ name }) => {
      const keyId = mockKmsKeyId(name);
      return { id: keyId, state: { keyId, arn: `arn:aws:kms:${region()}:${MOCK_ACCOUNT_ID}:key/${keyId}` } };
    },
    "aws:kms/alias:Alias": ({ inputs }) => ({ id: str(inputs.name, "alias/mock"), state: { arn: `arn:aws:kms:${region()}:${MOCK_ACCOUNT_ID}:${str(inputs.name, "alias/mock")}` } }),
    "aws:cloudwatch/logGroup:LogGroup": ({ inputs, name }) => {
      const logGroup = str(inputs.name, name);
      return { id: logGroup, state: { arn: `arn:aws:logs:${region()}:${MOCK_ACCOUNT_ID}:log-group:${logGroup}` } };
    },
    "aws:iam/role:Role": iamRole,
    "aws:iam/rolePolicy:RolePolicy": ({ name }) => ({ id: `${name}:${name}`, state: {} }),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ({ name }) => ({ id: `${name}-${hex(name, 8)}`, state: {} }),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": ({ inputs }) => {
      const host = str(inputs.url, "https://oidc.example").replace(/^https:\/\//, "");
      return { id: `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${host}`, state: { arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${host}` } };
    },
    "aws:eks/cluster:Cluster": eksCluster,
    "aws:eks/nodeGroup:NodeGroup": ({ name, inputs }) => {
      const groupName = `${str(inputs.nodeGroupNamePrefix, `${name}-`)}${hex(name, 8)}`;
      return {
        id: `${str(inputs.clusterName, "cluster")}:${groupName}`,
        state: { nodeGroupName: groupName, arn: `arn:aws:eks:${region()}:${MOCK_ACCOUNT_ID}:nodegroup/${str(inputs.clusterName, "cluster")}/${groupName}/${hex(name, 8)}`, status: "ACTIVE" },
      };
    },
    "aws:eks/addon:Addon": ({ inputs }) => ({
      id: `${str(inputs.clusterName, "cluster")}:${str(inputs.addonName, "addon")}`,
      state: { arn: `arn:aws:eks:${region()}:${MOCK_ACCOUNT_ID}:addon/${str(inputs.clusterName, "cluster")}/${str(inputs.addonName, "addon")}/${hex(str(inputs.addonName, "a"), 8)}` },
    }),
    "aws:eks/accessEntry:AccessEntry": ({ inputs }) => ({ id: `${str(inputs.clusterName, "cluster")}:${str(inputs.principalArn, "principal")}`, state: { accessEntryArn: `arn:aws:eks:${region()}:${MOCK_ACCOUNT_ID}:access-entry/${str(inputs.clusterName, "cluster")}/${hex(str(inputs.principalArn, "p"), 8)}` } }),
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": ({ inputs }) => ({ id: `${str(inputs.clusterName, "cluster")}#${str(inputs.principalArn, "principal")}#${str(inputs.policyArn, "policy")}`, state: {} }),
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": ({ name }) => ({ id: `a-${hex(name, 17)}`, state: { associationId: `a-${hex(name, 17)}`, associationArn: `arn:aws:eks:${region()}:${MOCK_ACCOUNT_ID}:podidentityassociation/a-${hex(name, 17)}` } }),
    "aws:sqs/queue:Queue": ({ inputs, name }) => {
      const queueName = str(inputs.name, name);
      return { id: `https://sqs.${region()}.amazonaws.com/${MOCK_ACCOUNT_ID}/${queueName}`, state: { name: queueName, arn: `arn:aws:sqs:${region()}:${MOCK_ACCOUNT_ID}:${queueName}`, url: `https://sqs.${region()}.amazonaws.com/${MOCK_ACCOUNT_ID}/${queueName}` } };
    },
    "aws:cloudwatch/eventRule:EventRule": ({ name }) => ({ id: `${name}-${hex(name, 7)}`, state: { name: `${name}-${hex(name, 7)}`, arn: `arn:aws:events:${region()}:${MOCK_ACCOUNT_ID}:rule/${name}-${hex(name, 7)}` } }),
    "aws:s3/bucket:Bucket": ({ inputs, name }) => {
      const bucket = str(inputs.bucket, `${name}-${hex(name, 7)}`);
      return { id: bucket, state: { bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: `${bucket}.s3.${region()}.amazonaws.com`, region: region() } };
    },
  },
  calls: {
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
      accountId: MOCK_ACCOUNT_ID,
      arn: `arn:aws:sts::${MOCK_ACCOUNT_ID}:assumed-role/${callerRole}/pulumi`,
      userId: `AROA${hex("deployer", 17).toUpperCase()}:pulumi`,
      id: MOCK_ACCOUNT_ID,
    }),
    "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" }),
    "aws:index/getRegion:getRegion": () => ({ name: region(), region: region(), id: region(), endpoint: `ec2.${region()}.amazonaws.com`, description: region() }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
      id: region(),
      names: ["a", "b", "c"].map((zone) => `${region()}${zone}`),
      zoneIds: [1, 2, 3].map((n) => `${region().slice(0, 2)}c1-az${n}`),
      groupNames: [region()],
    }),
    // Like the provider: an assumed-role session maps to its role (no path in the mock's roles);
    // any other ARN passes through.
    "aws:iam/getSessionContext:getSessionContext": ({ inputs }) => {
      const arn = str(inputs.arn, "");
      const assumed = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
      if (assumed === null) return { arn, id: arn, issuerArn: arn, issuerId: "", issuerName: "", sessionName: "" };
      const [, partition, account, role, session] = assumed;
      return { arn, id: arn, issuerArn: `arn:${partition}:iam::${account}:role/${role}`, issuerId: `AROA${hex(role ?? "", 17).toUpperCase()}`, issuerName: role, sessionName: session };
    },
    // The EKS backend reads the OIDC issuer's certificate chain for the IRSA provider thumbprint.
    "tls:index/getCertificate:getCertificate": ({ inputs }) => ({
      id: str(inputs.url, ""),
      url: str(inputs.url, ""),
      certificates: [{ sha1Fingerprint: hex(`root-ca:${str(inputs.url, "")}`, 40), subject: "CN=Amazon Root CA 1", issuer: "CN=Amazon Root CA 1", isCa: true, version: 3, signatureAlgorithm: "SHA256-RSA", publicKeyAlgorithm: "RSA", serialNumber: "1", notBefore: "2015-05-26T00:00:00Z", notAfter: "2038-01-17T00:00:00Z", certPem: "" }],
    }),
  },
};
