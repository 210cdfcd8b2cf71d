/**
 * `DataAccess`: in the namespace of each platform data service the apps use, the NetworkPolicy
 * that admits exactly the apps and tenants using it, on its port. Declared by the apps layer,
 * through the apps stack's provider, which targets the same cluster when the platform lives in
 * another stack.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { dataAccessPolicies, type ServiceClients } from "./values";

export interface DataAccessArgs {
  readonly provider: k8s.Provider;
  /** Each used platform service with its namespace, port and clients. */
  readonly services: readonly ServiceClients[];
}

export class DataAccess extends pulumi.ComponentResource {
  /** `<namespace>/<policy>` of every policy declared. */
  public readonly names: readonly string[];

  constructor(name: string, args: DataAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:apps:DataAccess", name, {}, opts);
    const policies = dataAccessPolicies(args.services);
    for (const policy of policies) {
      new k8s.networking.v1.NetworkPolicy(`${name}-${policy.metadata.namespace}-${policy.metadata.name}`, policy, { parent: this, provider: args.provider });
    }
    this.names = policies.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    this.registerOutputs({ names: this.names });
  }
}
