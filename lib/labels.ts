/** The standard `app.kubernetes.io/*` labels every object strata renders carries. */

export const MANAGED_BY = "strata";
export const PART_OF = "strata";

export interface LabelArgs {
  /** What the thing is, e.g. `cert-manager`, `orders-api`. */
  readonly name: string;
  /** Which instance of it, e.g. the release or app name. @default - same as `name` */
  readonly instance?: string;
  /** Its role within the larger system, e.g. `gateway`, `database`. */
  readonly component?: string;
}

export function standardLabels(args: LabelArgs): Record<string, string> {
  return {
    "app.kubernetes.io/name": args.name,
    "app.kubernetes.io/instance": args.instance ?? args.name,
    ...(args.component === undefined ? {} : { "app.kubernetes.io/component": args.component }),
    "app.kubernetes.io/part-of": PART_OF,
    "app.kubernetes.io/managed-by": MANAGED_BY,
  };
}

/**
 * The Pod Security version label for a cluster running `kubernetesVersion` (`1.35.2` → `v1.35`):
 * pinned, so a control-plane upgrade cannot tighten the rules under running pods (`latest` would).
 */
export function podSecurityVersion(kubernetesVersion: string): string {
  return `v${kubernetesVersion.split(".").slice(0, 2).join(".")}`;
}
