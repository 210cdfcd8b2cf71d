/** `strata:infra.existing`: an already running cluster strata deploys onto. */
import { z } from "zod";
import { POOL_ROLES } from "../lib/contracts";
import { count, labels, namedMap, strictObject, taint } from "./common";
import { infraCommon } from "./infra-common";

/** A pool of the existing cluster, described (not created) so workloads can be placed on it. */
export const describedPool = strictObject({
  role: z.enum(POOL_ROLES),
  count: count(1),
  /** Upper bound if the cluster autoscales the pool. @default - count */
  maxCount: count(1).optional(),
  cpuCores: count(1),
  memoryGi: count(1),
  labels: labels.default({}),
  taints: z.array(taint).default([]),
}).superRefine((pool, ctx) => {
  if (pool.maxCount !== undefined && pool.maxCount < pool.count) {
    ctx.addIssue({ code: "custom", path: ["maxCount"], message: `must be ≥ count (${pool.count})` });
  }
});

export const existingInfraSettings = strictObject({
  /**
   * kubeconfig context to use from $KUBECONFIG or ~/.kube/config. Either this or the secret
   * `strata:kubeconfig` must be set.
   */
  context: z.string().min(1).optional(),
  /** Node pools of the cluster, so the scheduling helper can target them. */
  nodePools: namedMap(describedPool).default({}),
});

export const existingInfra = strictObject({
  backend: z.literal("existing"),
  ...infraCommon,
  existing: existingInfraSettings.prefault({}),
});

export type ExistingInfraConfig = z.infer<typeof existingInfra>;
