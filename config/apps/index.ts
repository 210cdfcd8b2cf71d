/**
 * `strata:apps`: the application services, keyed by name. The schema (`apps-service.ts`) says
 * what one service may hold; `resolveApps` checks what needs the other slices of the same stack
 * (`apps-checks.ts`).
 */
import { z } from "zod";
import { capacityCheck } from "./capacity";
import { ExternalServiceConfig } from "./external";
import { LoadTestConfig } from "./load-test";
import { AppServiceConfig } from "./service";
import { sharedSecrets } from "./shared-secrets";
import { TenantsConfig } from "./tenants";
import { namedMap, strictObject } from "../common";


export const AppsConfig = strictObject({
  services: namedMap(AppServiceConfig).default({}).describe("Application services keyed by name (the Deployment, Service and route names)."),
  capacityCheck,
  external: namedMap(ExternalServiceConfig).default({}).describe("Data services outside the cluster (managed databases, brokers, buckets) keyed by name, used in `uses` like platform services (apps/README.md, External data services)."),
  sharedSecrets,
  tenants: TenantsConfig.default({}).describe("Tenants keyed by id: each gets the namespace tenant-<id> with restricted Pod Security, quota, limits and isolating NetworkPolicies."),
  loadTests: namedMap(LoadTestConfig).default({}).describe("k6 load tests keyed by name, shipped as TestRun manifests and run on demand, never on `pulumi up` (apps/README.md, Load tests)."),
  serviceMonitors: z
    .boolean()
    .optional()
    .describe("Declare a ServiceMonitor for each service with a `metricsPort` (needs the Prometheus Operator CRDs). Default: where the platform runs Prometheus (strata:platform.observability here, or its query address in the upstream platform contract)."),
});
export type AppsConfig = z.infer<typeof AppsConfig>;
