/**
 * The capacity check's verdict applied in the program, where Pulumi logs warnings; the check itself
 * (`./index`) stays free of the SDK so the offline plan's own process does not load it.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../config/errors";
import type { CapacityResult } from "./index";

/** In the program: `fail` throws the overflow messages as a ConfigError, `warn` logs them, `off` does nothing. */
export function enforceCapacity(result: CapacityResult): void {
  if (result.mode === "off" || result.problems.length === 0) return;
  if (result.mode === "fail") throw new ConfigError(result.problems);
  for (const problem of result.problems) void pulumi.log.warn(problem);
}
