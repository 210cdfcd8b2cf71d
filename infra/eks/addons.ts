/**
 * EKS managed add-ons, at the versions `lib/kubernetes-versions.ts` pairs with the cluster's minor. The Pod Identity agent, then networking
 * (vpc-cni with NetworkPolicy enforcement and its own role, kube-proxy) go in before nodes join;
 * CoreDNS and the EBS CSI driver need nodes to schedule on and go in after.
 */
import * as aws from "../../lib/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { EksAddonName } from "../../lib/catalog";
import { eksVersionPins } from "../../lib/kubernetes-versions";
import type { ChildOptions } from "./types";

/**
 * Created first: the vpc-cni add-on's Pod Identity association needs the agent set up (EKS user
 * guide, "Use Pod Identities to assign an IAM role to an Amazon EKS add-on"). The agent runs on
 * the host network, so it serves credentials on a node before the CNI is ready there.
 */
export const IDENTITY_AGENT: readonly EksAddonName[] = ["eks-pod-identity-agent"];
/** Created after the agent and before the node groups. */
export const BEFORE_COMPUTE: readonly EksAddonName[] = ["vpc-cni", "kube-proxy"];
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
  /** The cluster's Kubernetes minor, which picks the add-on versions (lib/kubernetes-versions.ts). */
  readonly kubernetesVersion: string;
  /** Resources each add-on waits for (node groups, Pod Identity associations). */
  readonly dependsOn?: readonly pulumi.Resource[];
  /** Pod Identity associations the add-on owns, by add-on (EKS restarts its pods when they change). @default - none */
  readonly podIdentityAssociations?: Readonly<Partial<Record<EksAddonName, readonly { readonly serviceAccount: string; readonly roleArn: pulumi.Input<string> }[]>>>;
}

export function createAddons(name: string, args: AddonsArgs, opts: ChildOptions): aws.eks.Addon[] {
  return args.names.map((addon) => {
    const configuration = ADDON_CONFIGURATION[addon];
    const associations = args.podIdentityAssociations?.[addon];
    return new aws.eks.Addon(`${name}-${addon}`, {
      clusterName: args.clusterName,
      addonName: addon,
      addonVersion: eksVersionPins(args.kubernetesVersion).addons[addon],
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "OVERWRITE",
      ...(configuration === undefined ? {} : { configurationValues: stringifyConfigurationValues(configuration) }),
      ...(associations === undefined ? {} : { podIdentityAssociations: associations.map((a) => ({ serviceAccount: a.serviceAccount, roleArn: a.roleArn })) }),
    }, { ...opts, dependsOn: [...(args.dependsOn ?? [])] });
  });
}
