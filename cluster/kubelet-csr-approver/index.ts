import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { helmRelease } from "../../lib/helm";
import { type CsrApproverOptions, csrApproverValues } from "./values";

export interface KubeletCsrApproverArgs extends CsrApproverOptions {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Resources the release waits for (the CNI). @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * kubelet-csr-approver in kube-system: approves the serving certificates kubeadm's kubelets request
 * (`serverTLSBootstrap`), so metrics-server and the API server verify kubelets against the cluster CA.
 */
export class KubeletCsrApprover extends pulumi.ComponentResource {
  constructor(name: string, args: KubeletCsrApproverArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:KubeletCsrApprover", name, {}, opts);
    helmRelease(`${name}-release`, { chart: "kubelet-csr-approver", namespace: "kube-system", values: csrApproverValues(args) }, { parent: this, provider: args.provider, dependsOn: args.dependsOn ?? [] });
    this.registerOutputs({});
  }
}
