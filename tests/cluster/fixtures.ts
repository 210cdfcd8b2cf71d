/**
 * Hand-built infra contracts for the cluster-layer tests, shaped like the prod (vSphere) and dev
 * (EKS) seeds: fixed fake endpoints, ids and ARNs so plans are deterministic.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ClusterConfig } from "../../config/cluster";
import { parseConfig } from "../../config/schema";
import type { InfraOutputs, NodePool } from "../../lib/contracts";

const pool = (name: string, role: NodePool["role"], count: number, maxCount: number, cpuCores: number, memoryGi: number, taint?: string): NodePool => ({
  name,
  role,
  count,
  maxCount,
  cpuCores,
  memoryGi,
  labels: { "strata.io/pool": name, "strata.io/role": role },
  taints: taint === undefined ? [] : [{ key: "strata.io/role", value: taint, effect: "NoSchedule" }],
  addresses: [],
});

export const VSPHERE_POOLS: readonly NodePool[] = [
  pool("cp", "control-plane", 3, 3, 4, 8, "control-plane"),
  pool("workers", "worker", 6, 6, 8, 32),
  pool("storage", "storage", 3, 3, 8, 32, "storage"),
  pool("db", "database", 3, 3, 16, 64, "database"),
  pool("lb", "load-balancer", 2, 2, 2, 4, "load-balancer"),
];

export const EKS_POOLS: readonly NodePool[] = [pool("system", "system", 2, 3, 4, 16, "system"), pool("workers", "worker", 6, 20, 4, 16)];

export function vsphereInfra(): InfraOutputs {
  return {
    backend: "vsphere",
    clusterName: "prod",
    kubernetesVersion: "1.35",
    kubeconfig: pulumi.secret("apiVersion: v1\nkind: Config\n"),
    apiEndpoint: pulumi.output("https://10.0.10.5:6443"),
    nodePools: VSPHERE_POOLS,
    network: { podCidr: "10.244.0.0/16", serviceCidr: "10.96.0.0/12", dnsDomain: "cluster.local", nodeCidr: "10.0.10.0/24" },
    vsphere: {
      vcenterServer: "vcenter.example.internal",
      datacenter: "dc1",
      insecure: false,
      cpi: { username: pulumi.output("svc-k8s-cpi@vsphere.local"), password: pulumi.secret("fake-cpi-password") },
      csi: { username: pulumi.output("svc-k8s-csi@vsphere.local"), password: pulumi.secret("fake-csi-password") },
      apiVip: "10.0.10.5",
      ingressAddress: "10.0.10.240",
      storagePolicies: { default: "strata-general", database: "strata-fast" },
      dataDisks: {
        object: { pools: ["storage"], paths: ["/var/lib/strata/disks/object-1"] },
        "object-fast": { pools: ["storage"], paths: ["/var/lib/strata/disks/object-fast-1"] },
      },
    },
    ready: pulumi.output(true),
  };
}

export function eksInfra(withKarpenter = true): InfraOutputs {
  return {
    backend: "eks",
    clusterName: "dev",
    kubernetesVersion: "1.35",
    kubeconfig: pulumi.secret("apiVersion: v1\nkind: Config\n"),
    apiEndpoint: pulumi.output("https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com"),
    nodePools: EKS_POOLS,
    network: { serviceCidr: "172.20.0.0/16", dnsDomain: "cluster.local", nodeCidr: "10.20.0.0/16" },
    eks: {
      region: "eu-west-1",
      accountId: pulumi.output("123456789012"),
      clusterArn: pulumi.output("arn:aws:eks:eu-west-1:123456789012:cluster/dev"),
      oidcProviderArn: pulumi.output("arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF"),
      oidcIssuerUrl: pulumi.output("https://oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF"),
      vpcId: pulumi.output("vpc-0123456789abcdef0"),
      privateSubnetIds: pulumi.output(["subnet-0aaa", "subnet-0bbb", "subnet-0ccc"]),
      publicSubnetIds: pulumi.output(["subnet-1aaa", "subnet-1bbb", "subnet-1ccc"]),
      nodeRoleArn: pulumi.output("arn:aws:iam::123456789012:role/dev-nodes"),
      nodeRoleName: pulumi.output("dev-nodes"),
      nodeSecurityGroupId: pulumi.output("sg-0node"),
      clusterSecurityGroupId: pulumi.output("sg-0cluster"),
      kmsKeyArn: pulumi.output("arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555"),
      buckets: {},
      podIdentities: {},
      ...(withKarpenter
        ? { karpenter: { interruptionQueueName: pulumi.output("dev-karpenter-interruptions"), nodeRoleName: pulumi.output("dev-karpenter-nodes") } }
        : {}),
    },
    ready: pulumi.output(true),
  };
}

export function existingInfra(): InfraOutputs {
  return {
    backend: "existing",
    clusterName: "lab",
    kubernetesVersion: "1.35",
    kubeconfig: pulumi.secret(""),
    kubeContext: "lab",
    apiEndpoint: pulumi.output("https://lab.example.com:6443"),
    nodePools: [],
    network: { dnsDomain: "cluster.local" },
    ready: pulumi.output(true),
  };
}

/** Parses a `strata:cluster` block the way `loadConfig` does. */
export function clusterConfig(cluster: unknown): ClusterConfig {
  return parseConfig({ environment: "dev", layers: ["cluster"], upstreamStack: "org/strata/infra", cluster, hasKubeconfig: true }).cluster;
}

export const PROD_CLUSTER = {
  appNamespaces: { emis: {}, "emis-services": {} },
  gateway: {
    domains: { "emis.example.com": { issuer: "letsencrypt", hosts: ["@", "www", "api"] }, "emis.local": { issuer: "internal" } },
    cors: { allowOrigins: ["https://emis.example.com"] },
  },
  certificates: { acmeEmail: "ops@emis.example.com" },
  networkPolicies: { appsInternetEgress: true },
  vsphere: { loadBalancerAddresses: ["10.0.10.240-10.0.10.250"] },
};

export const DEV_CLUSTER = {
  // An internal NLB: its domain uses the internal CA, since ACME HTTP-01 could not reach it.
  gateway: { domains: { "dev.valueverse.example.com": { issuer: "internal", hosts: ["@", "api"] } }, loadBalancerScheme: "internal" },
  certificates: { acmeEmail: "ops@valueverse.example.com" },
};
