import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { LimitsConfig, QuotaConfig } from "../../config/cluster/backends";
import { standardLabels } from "../../lib/labels";
import { containerLimits, PRIORITY_CLASS_NAMES, PRIORITY_CLASSES, quotaHard } from "./values";

export interface GuardRailsArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** App namespaces (by name) with their quota and container limits. */
  readonly appNamespaces: Readonly<Record<string, { readonly quota: QuotaConfig; readonly limits: LimitsConfig }>>;
  /** Namespace objects by name; each quota waits for its own. @default {} */
  readonly namespaces?: Readonly<Record<string, pulumi.Resource>>;
}

/** PriorityClasses for the whole cluster and a ResourceQuota + LimitRange per app namespace. */
export class GuardRails extends pulumi.ComponentResource {
  /** PriorityClass names by tier. */
  public readonly priorityClasses: Readonly<Record<(typeof PRIORITY_CLASS_NAMES)[number], string>>;
  /** The PriorityClass objects: add-ons whose pods use a class wait for these, not for the quotas. */
  public readonly priorityClassObjects: readonly k8s.scheduling.v1.PriorityClass[];

  constructor(name: string, args: GuardRailsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:GuardRails", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    this.priorityClassObjects = PRIORITY_CLASS_NAMES.map((tier) => {
      const { value, globalDefault, preemptionPolicy, description } = PRIORITY_CLASSES[tier];
      return new k8s.scheduling.v1.PriorityClass(
        `${name}-${tier}`,
        { metadata: { name: tier, labels: standardLabels({ name: tier, component: "priority-class" }) }, value, globalDefault, preemptionPolicy, description },
        childOpts,
      );
    });
    for (const [namespace, entry] of Object.entries(args.appNamespaces)) {
      const own = args.namespaces?.[namespace];
      const scoped = { ...childOpts, dependsOn: own === undefined ? [] : [own] };
      new k8s.core.v1.ResourceQuota(
        `${name}-${namespace}-quota`,
        { metadata: { name: "strata-quota", namespace, labels: standardLabels({ name: "strata-quota", component: "guard-rails" }) }, spec: { hard: quotaHard(entry.quota) } },
        scoped,
      );
      new k8s.core.v1.LimitRange(
        `${name}-${namespace}-limits`,
        { metadata: { name: "strata-limits", namespace, labels: standardLabels({ name: "strata-limits", component: "guard-rails" }) }, spec: { limits: [containerLimits(entry.limits)] } },
        scoped,
      );
    }
    this.priorityClasses = Object.fromEntries(PRIORITY_CLASS_NAMES.map((tier) => [tier, tier])) as GuardRails["priorityClasses"];
    this.registerOutputs({ priorityClasses: this.priorityClasses });
  }
}
