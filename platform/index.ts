/**
 * The platform layer: shared data services, observability and backups, each publishing an
 * `Endpoint`. No service is built yet, so the contract is empty.
 */
import type { PlatformConfig } from "../config/platform";
import type { ClusterOutputs, PlatformOutputs } from "../lib/contracts";

export function buildPlatform(_config: PlatformConfig, _cluster: ClusterOutputs): PlatformOutputs {
  return { endpoints: {}, observability: {} };
}
