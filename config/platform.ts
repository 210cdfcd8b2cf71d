/** `strata:platform`: shared data services, observability and backups. */
import type { z } from "zod";
import { strictObject } from "./common";
import { ObservabilityConfig } from "./platform-observability";

export const PlatformConfig = strictObject({
  observability: ObservabilityConfig.optional().describe("Metrics, alerts, logs, traces and dashboards; absent means none are installed."),
});
export type PlatformConfig = z.infer<typeof PlatformConfig>;
