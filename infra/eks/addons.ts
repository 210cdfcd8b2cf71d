/**
 * EKS managed add-ons, pinned in `lib/catalog.ts`. Networking (vpc-cni with NetworkPolicy
 * enforcement, kube-proxy) and the Pod Identity agent go in before nodes join; CoreDNS and the
 * EBS CSI driver need nodes to schedule on and go in after.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { EKS_ADDONS, type EksAddonName } from "../../lib/catalog";
import type { ChildOptions } from "./types";

/** Add-ons created before the node groups. */
export const BEFORE_COMPUTE: readonly EksAddonName[] = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"];
/** Add-ons created once nodes exist. */
export const AFTER_COMPUTE: readonly EksAddonName[] = ["coredns", "aws-ebs-csi-driver"];

type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** JSON with object keys sorted at every level, so equal settings always serialise equally. */
export function stringifyConfigurationValues(value: Json): string {
  const sort = (v: Json): Json => {
    if (Array.isArray(v)) return (v as readonly Json[]).map(sort);
    if (v !== null && typeof v === "object") {
      const obj = v as { readonly [key: string]: Json };
      return Object.fromEntries(Object.keys(obj).sort().map((key) => [key, sort(obj[key] ?? null)]));
    }
    return v;
  };
  return JSON.stringify(sort(value));
}

/** Settings strata passes to each add-on; absent means the add-on's defaults. */
export const ADDON_CONFIGURATION: Readonly<Partial<Record<EksAddonName, Json>>> = {
  // The VPC CNI's node agent enforces Kubernetes NetworkPolicy, which the cluster layer relies on.
  "vpc-cni": { enableNetworkPolicy: "true" },
};

export interface AddonsArgs {
  readonly clusterName: pulumi.Output<string>;
  readonly names: readonly EksAddonName[];
  /** Resources each add-on waits for (node groups, Pod Identity associations). */
  readonly dependsOn?: readonly pulumi.Resource[];
}

export function createAddons(name: string, args: AddonsArgs, opts: ChildOptions): aws.eks.Addon[] {
  return args.names.map((addon) => {
    const configuration = ADDON_CONFIGURATION[addon];
    return new aws.eks.Addon(`${name}-${addon}`, {
      clusterName: args.clusterName,
      addonName: addon,
      addonVersion: EKS_ADDONS[addon],
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      ...(configuration === undefined ? {} : { configurationValues: stringifyConfigurationValues(configuration) }),
    }, { ...opts, dependsOn: [...(args.dependsOn ?? [])] });
  });
}
