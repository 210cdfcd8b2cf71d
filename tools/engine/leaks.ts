/**
 * Finds secret values that reach plan output in clear: an input or output that carries a value
 * the run knows to be secret without being marked secret. In a real deployment that value
 * would be stored unencrypted in the state and shown in `pulumi preview` diffs.
 */
import type { PlanDocument } from "./plan-document";
import { findLeaks } from "./values";

export interface Leak {
  /** Where the value appears: `<urn> inputs.<path>` or `outputs.<name>`. */
  readonly where: string;
  /** First characters and length of the leaked value, never the value. */
  readonly value: string;
}

export function leaksIn(plan: PlanDocument, secrets: readonly string[]): Leak[] {
  const leaks: Leak[] = [];
  const walk = (value: unknown, where: string): void => {
    if (typeof value === "string") {
      for (const found of findLeaks(value, secrets)) leaks.push({ where, value: found });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, `${where}[${i}]`));
    } else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) walk(item, `${where}.${key}`);
    }
  };
  for (const resource of plan.resources) walk(resource.inputs, `${resource.urn} inputs`);
  walk(plan.outputs, "outputs");
  return leaks;
}
