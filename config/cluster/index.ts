/** `strata:cluster`: what every cluster gets before workloads. */
import { z } from "zod";
import { NAMESPACE_PURPOSES } from "../../lib/contracts";
import { eksClusterConfig, existingClusterConfig, guardRailIssues, limitsConfig, networkPolicyConfig, quotaConfig, vsphereClusterConfig } from "./backends";
import { certificatesConfig, gatewayConfig, gatewayIssues } from "./gateway";
import { meshConfig } from "./mesh";
import { vpaConfig } from "./vpa";
import { dnsLabel, namedMap, strictObject } from "../common";

export const POD_SECURITY_LEVELS = ["privileged", "baseline", "restricted"] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

const platformNamespace = strictObject({
  name: dnsLabel().optional().describe("Namespace name."),
  podSecurity: z.enum(POD_SECURITY_LEVELS).optional().describe("Pod Security Admission level enforced."),
});

const appNamespace = strictObject({
  podSecurity: z.enum(POD_SECURITY_LEVELS).default("restricted").describe("Pod Security Admission level enforced."),
  quota: quotaConfig.prefault({}).describe("ResourceQuota of the namespace."),
  limits: limitsConfig.prefault({}).describe("LimitRange defaults and maxima for its containers."),
});

export const ClusterConfig = strictObject({
  namespaces: strictObject(
    Object.fromEntries(NAMESPACE_PURPOSES.map((purpose) => [purpose, platformNamespace.prefault({})])) as Record<
      (typeof NAMESPACE_PURPOSES)[number],
      z.ZodPrefault<typeof platformNamespace>
    >,
  )
    .prefault({})
    .describe("Platform namespaces by purpose: name and Pod Security level. Defaults: see cluster/namespaces."),
  appNamespaces: namedMap(appNamespace).prefault({ apps: {} }).describe("Namespaces application services run in, keyed by name, each with its quota and container limits."),
  gateway: gatewayConfig.prefault({}).describe("Envoy Gateway and the shared Gateway: domains, replicas, traffic policies."),
  certificates: certificatesConfig.prefault({}).describe("cert-manager issuers: ACME contact and the internal CA."),
  networkPolicies: networkPolicyConfig.prefault({}).describe("Default-deny NetworkPolicies and their explicit allows."),
  mesh: meshConfig.prefault({}).describe("Optional Istio ambient mesh: mTLS and workload identity between app pods."),
  vsphere: vsphereClusterConfig.prefault({}).describe("Used when strata:infra.backend is vsphere: MetalLB pool, Calico, local volumes (the cloud provider and CSI driver take vCenter from the infra layer)."),
  eks: eksClusterConfig.prefault({}).describe("Used when strata:infra.backend is eks: Karpenter and EBS classes."),
  existing: existingClusterConfig.prefault({}).describe("Used when strata:infra.backend is existing: storage classes the cluster already has."),
  vpa: vpaConfig.prefault({}).describe("VerticalPodAutoscaler in recommendation mode for the app Deployments."),
}).superRefine((cluster, ctx) => {
  gatewayIssues(cluster.gateway, cluster.certificates, ctx);
  for (const [name, ns] of Object.entries(cluster.appNamespaces)) guardRailIssues(ns.quota, ns.limits, ["appNamespaces", name], ctx);
  const seen = new Map<string, string>();
  for (const purpose of NAMESPACE_PURPOSES) {
    const name = cluster.namespaces[purpose].name ?? purpose;
    const other = seen.get(name);
    if (other !== undefined) {
      ctx.addIssue({ code: "custom", path: ["namespaces", purpose, "name"], message: `duplicates the name of namespaces.${other}; every namespace needs its own name` });
    }
    seen.set(name, purpose);
  }
  for (const name of Object.keys(cluster.appNamespaces)) {
    const other = seen.get(name);
    if (other !== undefined) {
      ctx.addIssue({ code: "custom", path: ["appNamespaces", name], message: `duplicates the name of namespaces.${other}; choose another app namespace name` });
    }
  }
});

export type ClusterConfig = z.infer<typeof ClusterConfig>;
