import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { NamespaceSpec } from "./values";
import { namespaceLabels } from "./values";

export interface NamespacesArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Namespaces to declare, with their purpose and PSA level. */
  readonly namespaces: readonly NamespaceSpec[];
}

/** Declares strata's namespaces with Pod Security Admission labels. */
export class Namespaces extends pulumi.ComponentResource {
  /** Namespace objects by name, for `dependsOn`. */
  public readonly byName: Readonly<Record<string, k8s.core.v1.Namespace>>;

  constructor(name: string, args: NamespacesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:Namespaces", name, {}, opts);
    const byName: Record<string, k8s.core.v1.Namespace> = {};
    for (const spec of args.namespaces) {
      byName[spec.name] = new k8s.core.v1.Namespace(
        `${name}-${spec.name}`,
        { metadata: { name: spec.name, labels: namespaceLabels(spec) } },
        { parent: this, provider: args.provider },
      );
    }
    this.byName = byName;
    this.registerOutputs({ names: Object.keys(byName) });
  }
}
