/** A minimal valid raw config that tests mutate one key at a time. */
import type { RawConfig } from "../../config/schema";

export function validRaw(): RawConfig & { infra: Record<string, unknown>; cluster: Record<string, unknown> } {
  return {
    environment: "dev",
    infra: {
      backend: "existing",
      clusterName: "strata-test",
      existing: { context: "kind-strata", nodePools: { general: { role: "worker", count: 2, cpuCores: 4, memoryGi: 8 } } },
    },
    cluster: {},
    hasKubeconfig: false,
  };
}

/** Alerting prod requires (a critical receiver, a heartbeat); its values stand in for secrets, so the raw config needs `platformIsSecret: true`. */
export const PROD_ALERTING = { receivers: { oncall: { type: "pagerduty", routingKey: "test-routing-key" } }, heartbeat: { url: "https://hc-ping.example/test" } } as const;
