/** `strata:cluster`: what every cluster gets before workloads. */
import { z } from "zod";
import { NAMESPACE_PURPOSES } from "../lib/contracts";
import { eksClusterConfig, existingClusterConfig, guardRailIssues, limitsConfig, networkPolicyConfig, quotaConfig, vsphereClusterConfig } from "./cluster-backends";
import { certificatesConfig, gatewayConfig, gatewayIssues } from "./cluster-gateway";
import { dnsLabel, namedMap, strictObject } from "./common";

export const POD_SECURITY_LEVELS = ["privileged", "baseline", "restricted"] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

const platformNamespace = strictObject({
  /** Namespace name. @default - the purpose, e.g. `monitoring` */
  name: dnsLabel().optional(),
  /** Pod Security Admission level enforced. @default - per purpose, see cluster/namespaces */
  podSecurity: z.enum(POD_SECURITY_LEVELS).optional(),
});

const appNamespace = strictObject({
  /** Pod Security Admission level enforced. @default "restricted" */
  podSecurity: z.enum(POD_SECURITY_LEVELS).default("restricted"),
  /** ResourceQuota of the namespace. */
  quota: quotaConfig.prefault({}),
  /** LimitRange defaults and maxima for its containers. */
  limits: limitsConfig.prefault({}),
});

export const ClusterConfig = strictObject({
  /** Platform namespaces by purpose. */
  namespaces: strictObject(
    Object.fromEntries(NAMESPACE_PURPOSES.map((purpose) => [purpose, platformNamespace.prefault({})])) as Record<
      (typeof NAMESPACE_PURPOSES)[number],
      z.ZodPrefault<typeof platformNamespace>
    >,
  ).prefault({}),
  /** Namespaces application services run in, keyed by name. */
  appNamespaces: namedMap(appNamespace).prefault({ apps: {} }),
  /** Envoy Gateway and the shared Gateway: domains, replicas, traffic policies. */
  gateway: gatewayConfig.prefault({}),
  /** cert-manager issuers: ACME contact and the internal CA. */
  certificates: certificatesConfig.prefault({}),
  /** Default-deny NetworkPolicies and their explicit allows. */
  networkPolicies: networkPolicyConfig.prefault({}),
  /** Used when strata:infra.backend is vsphere: MetalLB, Calico, local volumes. */
  vsphere: vsphereClusterConfig.prefault({}),
  /** Used when strata:infra.backend is eks: Karpenter and EBS classes. */
  eks: eksClusterConfig.prefault({}),
  /** Used when strata:infra.backend is existing: storage classes the cluster already has. */
  existing: existingClusterConfig.prefault({}),
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
