import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { helmRelease } from "../../lib/helm";
import { metallbValues } from "./values";

export interface MetalLbArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Namespace MetalLB runs in (privileged: the speaker uses the host network). */
  readonly namespace: string;
  /** CIDRs or `first-last` ranges MetalLB may assign. */
  readonly addresses: readonly string[];
  /** Resources the release waits for (namespace, CNI). @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** MetalLB in L2 mode with one address pool announced on the node network. */
export class MetalLb extends pulumi.ComponentResource {
  /** Name of the IPAddressPool Services draw from. */
  public readonly poolName: string;
  /** The release; everything needing a LoadBalancer address waits on it. */
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: MetalLbArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:MetalLb", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    this.poolName = "strata";
    this.release = helmRelease(`${name}-release`, { chart: "metallb", namespace: args.namespace, values: metallbValues() }, { ...childOpts, dependsOn: args.dependsOn ?? [] });
    new k8s.apiextensions.CustomResource(
      `${name}-pool`,
      {
        apiVersion: "metallb.io/v1beta1",
        kind: "IPAddressPool",
        metadata: { name: this.poolName, namespace: args.namespace },
        spec: { addresses: [...args.addresses], autoAssign: true },
      },
      { ...childOpts, dependsOn: [this.release] },
    );
    new k8s.apiextensions.CustomResource(
      `${name}-l2`,
      {
        apiVersion: "metallb.io/v1beta1",
        kind: "L2Advertisement",
        metadata: { name: this.poolName, namespace: args.namespace },
        spec: { ipAddressPools: [this.poolName] },
      },
      // The pool is referenced by name; MetalLB reconciles when it appears.
      { ...childOpts, dependsOn: [this.release] },
    );
    this.registerOutputs({ poolName: this.poolName });
  }
}
