import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { standardLabels } from "../../lib/labels";
import { networkPolicies, networkPolicySpec, type NetworkPolicyInput } from "./values";

export interface NetworkPoliciesArgs extends NetworkPolicyInput {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Namespace objects by name; each policy waits for its own. @default {} */
  readonly namespaceObjects?: Readonly<Record<string, pulumi.Resource>>;
}

/** Default-deny plus explicit allows in every namespace strata owns. */
export class NetworkPolicies extends pulumi.ComponentResource {
  /** `<namespace>/<policy>` of every policy declared. */
  public readonly names: readonly string[];

  constructor(name: string, args: NetworkPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:NetworkPolicies", name, {}, opts);
    const policies = networkPolicies(args);
    const namespaceOf = (namespace: string): pulumi.Resource[] => {
      const found = args.namespaceObjects?.[namespace];
      return found === undefined ? [] : [found];
    };
    for (const policy of policies) {
      new k8s.networking.v1.NetworkPolicy(
        `${name}-${policy.namespace}-${policy.name}`,
        {
          metadata: { name: policy.name, namespace: policy.namespace, labels: standardLabels({ name: policy.name, component: "network-policy" }) },
          spec: networkPolicySpec(policy),
        },
        { parent: this, provider: args.provider, dependsOn: namespaceOf(policy.namespace) },
      );
    }
    this.names = policies.map((p) => `${p.namespace}/${p.name}`);
    this.registerOutputs({ names: this.names });
  }
}
