/** `strata:platform.rabbitmq`: a RabbitmqCluster managed by the RabbitMQ cluster operator. */
import { z } from "zod";
import { resolveMonitors } from "./monitors";
import { count, dnsLabel, strictObject } from "../common";
import { checkOdd, checkOnePerNode } from "./data-checks";
import { checkPool, checkStoragePurpose, type PlatformContext, poolName, resolveResources, type Resources, resourcesConfig, storageConfig } from "./common";
import type { Environment } from "../environment";

export const RabbitmqConfig = strictObject({
  enabled: z.boolean().default(false).describe("Run RabbitMQ (cluster operator + RabbitmqCluster)."),
  name: dnsLabel(40).default("rabbitmq").describe("Cluster name; the AMQP service is <name>."),
  replicas: count(1).default(3).describe("RabbitMQ nodes, one per Kubernetes node; odd (pause_minority needs a majority)."),
  pool: poolName.optional().describe("Node pool RabbitMQ runs on (its taints are tolerated). Default: the worker pools (by role)."),
  resources: resourcesConfig.prefault({}).describe("RabbitMQ container resources. Default: seed sizes in prod (1–2 CPU, 2–4 Gi)."),
  storage: storageConfig({ purpose: "database", sizeText: "50 in prod (seed), 10 elsewhere" }).prefault({}).describe("Data volume per node (Velero backs it up with the namespace)."),
  tls: z.boolean().default(true).describe("AMQPS (5671) with a certificate from the cluster's internal issuer, beside plain AMQP (5672)."),
  metrics: z.boolean().optional().describe("PodMonitor for the built-in Prometheus endpoint (needs the Prometheus Operator CRDs). Default: on where strata:platform.observability is set, off otherwise."),
});
export type RabbitmqInput = z.infer<typeof RabbitmqConfig>;

export interface RabbitmqSettings {
  readonly enabled: boolean;
  readonly name: string;
  readonly replicas: number;
  readonly pool?: string;
  readonly resources: Resources;
  readonly storage: { readonly sizeGi: number; readonly purpose: string };
  readonly tls: boolean;
  readonly metrics: boolean;
}

const DEFAULTS: Record<Environment, { sizeGi: number; resources: Resources }> = {
  dev: { sizeGi: 10, resources: { cpuMillis: 250, memoryMi: 512, limitCpuMillis: 1000, limitMemoryMi: 1024 } },
  staging: { sizeGi: 20, resources: { cpuMillis: 500, memoryMi: 1024, limitCpuMillis: 1000, limitMemoryMi: 2048 } },
  // EMIS seed: requests 1 CPU / 2 Gi, limits 2 CPU / 4 Gi, 50 Gi volumes.
  prod: { sizeGi: 50, resources: { cpuMillis: 1000, memoryMi: 2048, limitCpuMillis: 2000, limitMemoryMi: 4096 } },
};

export function resolveRabbitmq(input: RabbitmqInput, ctx: PlatformContext, problems: string[]): RabbitmqSettings {
  const key = "strata:platform.rabbitmq";
  const d = DEFAULTS[ctx.environment];
  const found: string[] = [];
  const settings: RabbitmqSettings = {
    enabled: input.enabled,
    name: input.name,
    replicas: input.replicas,
    ...(input.pool === undefined ? {} : { pool: input.pool }),
    resources: resolveResources(`${key}.resources`, input.resources, d.resources, found),
    storage: { sizeGi: input.storage.sizeGi ?? d.sizeGi, purpose: input.storage.purpose },
    tls: input.tls,
    metrics: resolveMonitors("rabbitmq.metrics", input.metrics, ctx, problems),
  };
  if (!input.enabled) return settings;
  problems.push(...found);
  checkOdd(`${key}.replicas`, input.replicas, { min: 1, max: 7 }, "pause_minority partition handling", problems);
  checkPool(`${key}.pool`, input.pool, ctx, problems);
  checkOnePerNode(`${key}.replicas`, input.replicas, input.pool, "worker", ctx, problems);
  checkStoragePurpose(`${key}.storage.purpose`, settings.storage.purpose, ctx, problems);
  return settings;
}
