/**
 * `strata:platform.keda`: KEDA, which scales apps on Prometheus metrics (requests per second,
 * latency) through ScaledObjects. Off unless enabled; an app that asks for custom-metric scaling
 * with KEDA off is a config error naming both keys.
 */
import { z } from "zod";
import { count, strictObject } from "../common";
import { checkPool, poolName, type PlatformContext } from "./common";
import type { Environment } from "../environment";

export const KedaConfig = strictObject({
  enabled: z.boolean().default(false).describe("Install KEDA (operator, metrics API server, admission webhooks) for apps' requestsPerSecond/latencyMs scaling."),
  replicas: count(1).max(5, { error: "must be 5 or less" }).optional().describe("Replicas of each KEDA component (the operator elects a leader). Default: 2 in prod, 1 in dev/staging."),
  pool: poolName.optional().describe("Node pool KEDA runs on. Default: the system pools (by role)."),
});
export type KedaInput = z.infer<typeof KedaConfig>;

export interface KedaSettings {
  readonly enabled: boolean;
  readonly replicas: number;
  readonly pool?: string;
}

const REPLICAS: Record<Environment, number> = { dev: 1, staging: 1, prod: 2 };

export function resolveKeda(input: KedaInput, ctx: PlatformContext, problems: string[]): KedaSettings {
  if (input.enabled) checkPool("strata:platform.keda.pool", input.pool, ctx, problems);
  return { enabled: input.enabled, replicas: input.replicas ?? REPLICAS[ctx.environment], ...(input.pool === undefined ? {} : { pool: input.pool }) };
}
