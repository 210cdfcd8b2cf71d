/**
 * `strata:apps.services.<name>.slo`: the service's objectives, rendered as recording rules and
 * multi-window, multi-burn-rate alerts (`lib/slo.ts`) over the HTTP metrics contract. Latency
 * objectives count requests under a bucket bound of the histogram, so the threshold must be one.
 */
import { z } from "zod";
import { count, strictObject } from "../common";

export const AppSloConfig = strictObject({
  availabilityPercent: z
    .number()
    .gt(0, { error: "must be above 0" })
    .lt(100, { error: "must be below 100 (100 % leaves no error budget)" })
    .optional()
    .describe("Share of requests answered without a 5xx over 30 days, in percent (e.g. 99.9; Tartware's 5 % error ceiling is 95)."),
  latencyMs: strictObject({
    p95: count(1).optional().describe("95 % of requests finish under this many milliseconds (ValueVerse: 200; Tartware: 500)."),
    p99: count(1).optional().describe("99 % of requests finish under this many milliseconds (ValueVerse: 500; Tartware: 1000)."),
  })
    .optional()
    .describe("Latency objectives; each must be a bucket bound of the histogram the service is measured by."),
});
export type AppSloSpec = z.infer<typeof AppSloConfig>;
