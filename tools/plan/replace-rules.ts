/**
 * Which input changes make the engine replace a resource rather than update it. Offline there is no
 * provider to ask, so this is a table of what the providers are known to do; anything not listed is
 * reported as an update. Sources:
 * - Kubernetes: pulumi-kubernetes replaces on a change of `metadata.name` or `metadata.namespace`
 *   (object identity) and of the fields its forceNew table lists per kind (selectors, StatefulSet
 *   identity fields, Job templates, StorageClass provisioner/parameters, Service clusterIP/type,
 *   Secret type, RoleBinding roleRef, PVC spec).
 * - vSphere: the provider schema (`reference/pulumi-vsphere-4.17.0-schema.json`) states that changing
 *   any `clone` option of a VirtualMachine forces a new resource, and so does a Folder's `type`.
 * - AWS: the attributes the AWS provider documents as "forces a new resource" for the types strata
 *   declares (names, VPC/subnet placement, node-group instance settings, key specs).
 * - random and tls: generators whose every input requires replacement.
 */

const KUBERNETES_IDENTITY = ["metadata.name", "metadata.namespace"];

const KUBERNETES_KIND_RULES: Readonly<Record<string, readonly string[]>> = {
  "apps/v1:Deployment": ["spec.selector"],
  "apps/v1:StatefulSet": ["spec.podManagementPolicy", "spec.selector", "spec.serviceName", "spec.volumeClaimTemplates"],
  "batch/v1:Job": ["spec.selector", "spec.template"],
  "storage.k8s.io/v1:StorageClass": ["parameters", "provisioner"],
  "core/v1:Service": ["spec.clusterIP", "spec.type"],
  "core/v1:Secret": ["type"],
  "core/v1:PersistentVolumeClaim": ["spec"],
  "core/v1:ResourceQuota": ["spec.scopes"],
  "rbac.authorization.k8s.io/v1:RoleBinding": ["roleRef"],
  "rbac.authorization.k8s.io/v1:ClusterRoleBinding": ["roleRef"],
};

const TYPE_RULES: Readonly<Record<string, readonly string[]>> = {
  "kubernetes:helm.sh/v3:Release": ["name", "namespace"],
  "vsphere:index/virtualMachine:VirtualMachine": ["clone"],
  "vsphere:index/folder:Folder": ["type"],
  "aws:eks/cluster:Cluster": ["name", "roleArn", "kubernetesNetworkConfig"],
  "aws:eks/nodeGroup:NodeGroup": ["clusterName", "nodeGroupName", "nodeRoleArn", "subnetIds", "amiType", "capacityType", "diskSize", "instanceTypes"],
  "aws:eks/addon:Addon": ["clusterName", "addonName"],
  "aws:eks/accessEntry:AccessEntry": ["clusterName", "principalArn"],
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": ["clusterName", "namespace", "serviceAccount"],
  "aws:ec2/vpc:Vpc": ["cidrBlock"],
  "aws:ec2/subnet:Subnet": ["vpcId", "cidrBlock", "availabilityZone"],
  "aws:ec2/securityGroup:SecurityGroup": ["name", "description", "vpcId"],
  "aws:ec2/launchTemplate:LaunchTemplate": ["name"],
  "aws:iam/role:Role": ["name", "path"],
  "aws:kms/key:Key": ["customerMasterKeySpec", "keySpec", "keyUsage"],
  "aws:kms/alias:Alias": ["name"],
  "aws:s3/bucket:Bucket": ["bucket", "bucketPrefix"],
  "aws:sqs/queue:Queue": ["name", "fifoQueue"],
  "aws:cloudwatch/logGroup:LogGroup": ["name"],
};

const ALL_INPUTS_REPLACE = [/^random:/, /^tls:/];

/** The rule paths that apply to a type; `*` means every input. */
export function rulesFor(type: string): readonly string[] {
  if (ALL_INPUTS_REPLACE.some((re) => re.test(type))) return ["*"];
  const kubernetes = /^kubernetes:(.+)$/.exec(type);
  if (kubernetes?.[1] !== undefined && !type.startsWith("kubernetes:helm.sh/") && !type.startsWith("kubernetes:yaml/")) {
    return [...KUBERNETES_IDENTITY, ...(KUBERNETES_KIND_RULES[kubernetes[1]] ?? [])];
  }
  return TYPE_RULES[type] ?? [];
}

/** A changed input path and a rule path meet when one is a prefix of the other. */
function meets(changed: string, rule: string): boolean {
  if (rule === "*") return true;
  const under = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
  return under(changed, rule) || under(rule, changed);
}

/** The changed input paths that force a replacement of a resource of this type. */
export function replacingPaths(type: string, changed: readonly string[]): string[] {
  const rules = rulesFor(type);
  return changed.filter((path) => rules.some((rule) => meets(path, rule)));
}
