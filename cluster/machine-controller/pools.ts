/**
 * Autoscaled vSphere pools end to end: the controllers (./index.ts), machine-controller's vCenter
 * Secret, cluster-autoscaler, and one MachineDeployment per pool. Order on create: CRDs →
 * controllers and webhooks → Secret → MachineDeployments; on `pulumi destroy` the reverse, so the
 * MachineDeployments go while machine-controller still runs and deletes their VMs
 * (docs/adr/0001-vsphere-autoscaled-pools.md, "Destroy").
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { AutoscaledVspherePool, Placement, VsphereExtras } from "../../lib/contracts";
import { declareConnection, declareWorkload } from "../../lib/connections";
import { helmRelease } from "../../lib/helm";
import { standardLabels } from "../../lib/labels";
import type { ClusterAddresses } from "../network-policies/addresses";
import { networkPolicySpec } from "../network-policies/values";
import { AUTOSCALER_RELEASE, autoscalerValues } from "./autoscaler-values";
import { MachineControllers } from "./index";
import { MACHINE_NAMESPACE, machineDeployment, VCENTER_SECRET } from "./machine-deployment";
import { autoscalerWorkload, controllerConnections, controllerPolicies } from "./network";

export interface AutoscaledPoolsArgs {
  readonly provider: k8s.Provider;
  readonly clusterName: string;
  /** kubelet version the machines run (the cluster's Kubernetes version). */
  readonly kubernetesVersion: string;
  readonly serviceCidr: string;
  readonly vsphere: VsphereExtras & { readonly autoscaledPools: readonly AutoscaledVspherePool[] };
  /** Where the controllers and the autoscaler run (the control planes). */
  readonly placement: Placement;
  /** ClusterIssuer for the webhook certificates. */
  readonly issuer: string;
  /** cert-manager's release and issuer. */
  readonly certManager: pulumi.Input<pulumi.Resource>[];
  /** CNI and PriorityClasses. @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
  /** The cluster's address ranges, when strata writes NetworkPolicies (`cluster.networkPolicies.enabled`). @default - no policies */
  readonly networkPolicies?: { readonly addresses: ClusterAddresses };
}

export class AutoscaledPools extends pulumi.ComponentResource {
  constructor(name: string, args: AutoscaledPoolsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:AutoscaledPools", name, {}, opts);
    const base = { parent: this, provider: args.provider };
    const account = args.vsphere.machineController;
    if (account === undefined) throw new Error("infra.vsphere.machineController is missing; the vSphere backend must publish machine-controller's account with autoscaled pools");
    const controllers = new MachineControllers(
      `${name}-controllers`,
      {
        provider: args.provider,
        serviceCidr: args.serviceCidr,
        placement: args.placement,
        issuer: args.issuer,
        certManager: args.certManager,
        dependsOn: args.dependsOn ?? [],
        ...(args.vsphere.caBundle === undefined ? {} : { vcenterCa: args.vsphere.caBundle }),
      },
      { parent: this },
    );
    // The provider spec's `username`/`password` `secretKeyRef`s (machine-controller sdk/providerconfig/types.go,
    // ConfigVarString) are resolved from this Secret by the controller (ClusterRole: secrets get).
    const secret = new k8s.core.v1.Secret(
      `${name}-vcenter`,
      {
        metadata: { name: VCENTER_SECRET.name, namespace: MACHINE_NAMESPACE },
        type: "Opaque",
        stringData: { [VCENTER_SECRET.usernameKey]: account.username, [VCENTER_SECRET.passwordKey]: account.password },
      },
      base,
    );
    helmRelease(`${name}-autoscaler`, { chart: "cluster-autoscaler", namespace: MACHINE_NAMESPACE, releaseName: AUTOSCALER_RELEASE, values: autoscalerValues(args.placement) }, {
      ...base,
      dependsOn: [...controllers.ready, ...(args.dependsOn ?? [])],
    });
    for (const pool of args.vsphere.autoscaledPools) {
      const md = machineDeployment(args.clusterName, pool, { server: args.vsphere.vcenterServer, datacenter: args.vsphere.datacenter, insecure: args.vsphere.insecure }, args.kubernetesVersion);
      new k8s.apiextensions.CustomResource(
        `${name}-${pool.pool}`,
        {
          apiVersion: "cluster.k8s.io/v1alpha1",
          kind: "MachineDeployment",
          metadata: md.metadata,
          spec: md.spec,
        },
        // The autoscaler owns replicas after creation; Pulumi sets only the first value (min).
        { ...base, dependsOn: [...controllers.ready, secret], ignoreChanges: ["spec.replicas"] },
      );
    }
    // Only the controllers' pods are selected: the rest of kube-system stays as it is.
    for (const policy of args.networkPolicies === undefined ? [] : controllerPolicies(args.vsphere.vcenterServer, args.networkPolicies.addresses)) {
      new k8s.networking.v1.NetworkPolicy(
        `${name}-policy-${policy.name}`,
        { metadata: { name: policy.name, namespace: policy.namespace, labels: standardLabels({ name: policy.name, component: "network-policy" }) }, spec: networkPolicySpec(policy) },
        base,
      );
    }
    declareWorkload(autoscalerWorkload());
    for (const connection of controllerConnections()) declareConnection(connection);
    this.registerOutputs({});
  }
}
