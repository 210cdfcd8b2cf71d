/**
 * The one file with version strings: Kubernetes, provider plugins, Helm charts and images.
 * Typed over `as const` unions so a missing entry does not compile. The chart pins are checked
 * against the chart reference data by `npm run verify`.
 */

/** Kubernetes minor strata deploys and tests against. */
export const KUBERNETES_VERSION = "1.35";

/** Provider plugin versions requested through the `version` resource option. */
export const PLUGINS = {
  vsphere: "4.17.0",
} as const;
