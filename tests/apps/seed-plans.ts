/** Helpers shared by the seed-system tests: one offline plan per stack, read through small accessors. */
import type { RunResult } from "../../tools/engine/run";
import { at, named } from "../harness";

export const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
export const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
export const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
export const SERVICE = "kubernetes:core/v1:Service";
export const ROUTE = "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute";
export const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";

export const input = (plan: RunResult, type: string, name: string, path: string): unknown => at(named(plan, type, name).inputs, path);
export const podSpec = (plan: RunResult, app: string) => input(plan, DEPLOYMENT, `${app}-deployment`, "spec.template.spec") as Record<string, unknown>;
export const container = (plan: RunResult, app: string) => (podSpec(plan, app)["containers"] as Record<string, unknown>[])[0] ?? {};
export const envOf = (plan: RunResult, app: string) => container(plan, app)["env"] as { name: string; value?: string; valueFrom?: unknown }[];

/** `[resource, target]` pairs of an HPA's Resource metrics. */
export function resourceTargets(plan: RunResult, app: string): [string, number][] {
  const metrics = input(plan, HPA, `${app}-autoscaler`, "spec.metrics") as { type: string; resource?: { name: string; target: { averageUtilization: number } } }[];
  return metrics.flatMap((m) => (m.resource === undefined ? [] : [[m.resource.name, m.resource.target.averageUtilization] as [string, number]]));
}

/** Millicores or MiB of a Kubernetes quantity as the apps layer writes them (`250m`, `512Mi`). */
export function quantity(value: unknown): number {
  const text = String(value);
  if (text.endsWith("m") || text.endsWith("Mi")) return Number.parseInt(text, 10);
  if (text.endsWith("Gi")) return Number.parseInt(text, 10) * 1024;
  return Number(text) * 1000;
}
