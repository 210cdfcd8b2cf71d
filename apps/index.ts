/**
 * The apps layer: the application services, wired to the platform's endpoints. No app kind is
 * built yet, so the contract is empty.
 */
import type { AppsConfig } from "../config/apps";
import type { AppsOutputs, ClusterOutputs, PlatformOutputs } from "../lib/contracts";

export function buildApps(_config: AppsConfig, _cluster: ClusterOutputs, _platform: PlatformOutputs): AppsOutputs {
  return { apps: {} };
}
