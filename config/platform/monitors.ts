/**
 * Monitors (PodMonitors, ServiceMonitors) of the data services need the Prometheus Operator CRDs,
 * which strata installs with `strata:platform.observability` in the stack that owns the platform
 * layer. So a service's monitors follow observability by default, and turning them on without it
 * is a config error here rather than a failed `pulumi up` later.
 */
import { describeValue } from "../errors";
import type { PlatformContext } from "./common";

/** Resolves one service's monitor switch (`strata:platform.<service>.<key>`); problems are appended. */
export function resolveMonitors(key: string, value: boolean | undefined, ctx: PlatformContext, problems: string[]): boolean {
  // Without the platform layer this stack builds no monitors: the value is kept as written.
  if (ctx.observability === undefined) return value ?? false;
  if (value === true && !ctx.observability) {
    problems.push(
      `strata:platform.${key}: monitors need the Prometheus Operator CRDs, which strata:platform.observability installs, and strata:platform.observability is not set (got ${describeValue(value)}); set strata:platform.observability (e.g. to {}) or remove strata:platform.${key}, which follows observability by default`,
    );
  }
  return value ?? ctx.observability;
}
