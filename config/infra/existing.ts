/** `strata:infra.existing`: an already running cluster strata deploys onto. */
import { z } from "zod";
import { POOL_ROLES } from "../../lib/contracts";
import { count, labels, namedMap, strictObject, taint } from "../common";
import { infraCommon } from "./common";

/** A pool of the existing cluster, described (not created) so workloads can be placed on it. */
export const describedPool = strictObject({
  role: z.enum(POOL_ROLES).describe("What the pool is for; workloads are placed by role."),
  count: count(1).describe("Nodes in the pool."),
  maxCount: count(1).optional().describe("Upper bound if the cluster autoscales the pool."),
  cpuCores: count(1).describe("vCPUs per node."),
  memoryGi: count(1).describe("Memory per node, GiB."),
  labels: labels.default({}).describe("Labels the nodes carry."),
  taints: z.array(taint).default([]).describe("Taints the nodes carry."),
}).superRefine((pool, ctx) => {
  if (pool.maxCount !== undefined && pool.maxCount < pool.count) {
    ctx.addIssue({ code: "custom", path: ["maxCount"], message: `must be ≥ count (${pool.count})` });
  }
});

export const existingInfraSettings = strictObject({
  context: z
    .string()
    .min(1)
    .optional()
    .describe("kubeconfig context to use, from $KUBECONFIG or ~/.kube/config (or from strata:kubeconfig when set). Required unless strata:kubeconfig is set."),
  nodePools: namedMap(describedPool).default({}).describe("Node pools of the cluster, so the scheduling helper can target them."),
});

export const existingInfra = strictObject({
  backend: z.literal("existing"),
  ...infraCommon,
  existing: existingInfraSettings.prefault({}),
});

export type ExistingInfraConfig = z.infer<typeof existingInfra>;
