/** `strata:cluster`: what every cluster gets before workloads. */
import { z } from "zod";
import { NAMESPACE_PURPOSES } from "../lib/contracts";
import { dnsLabel, namedMap, strictObject } from "./common";

export const POD_SECURITY_LEVELS = ["privileged", "baseline", "restricted"] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

const platformNamespace = strictObject({
  name: dnsLabel().optional().describe("Namespace name."),
  podSecurity: z.enum(POD_SECURITY_LEVELS).optional().describe("Pod Security Admission level enforced."),
});

const appNamespace = strictObject({
  podSecurity: z.enum(POD_SECURITY_LEVELS).default("restricted").describe("Pod Security Admission level enforced."),
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
  appNamespaces: namedMap(appNamespace).default({ apps: { podSecurity: "restricted" } }).describe("Namespaces application services run in, keyed by name."),
}).superRefine((cluster, ctx) => {
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
