/**
 * The capacity check's verdict applied in the program, where Pulumi logs warnings; the check itself
 * (`./index`) stays free of the SDK so the offline plan's own process does not load it.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../config/errors";
import type { CapacityResult } from "./index";

/** In the program: placement refusals always throw; overflows throw under `fail`, are logged under `warn`; `off` does nothing. */
export function enforceCapacity(result: CapacityResult): void {
  if (result.mode === "off") return;
  if (result.refusals.length > 0 || (result.mode === "fail" && result.problems.length > 0)) throw new ConfigError([...result.refusals, ...(result.mode === "fail" ? result.problems : [])]);
  for (const problem of result.problems) void pulumi.log.warn(problem);
}
