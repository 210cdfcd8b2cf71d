/**
 * Autoscaled vSphere worker pools (docs/adr/0001-vsphere-autoscaled-pools.md): machine-controller
 * and operating-system-manager with their CRDs and webhooks, in kube-system. Installed by the
 * cluster layer only when a pool declares `autoscaling`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MANIFESTS } from "../../lib/catalog";
import type { Placement } from "../../lib/contracts";
import { type KubeObject, machineControllerObjects, osmObjects } from "./controllers";
import { machineControllerCrds } from "./crds";

export interface MachineControllersArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** The cluster's Service CIDR (OSM's `-cluster-dns` is its 10th address). */
  readonly serviceCidr: string;
  /** Where the controllers run. */
  readonly placement: Placement;
  /** ClusterIssuer that signs the webhook certificates. */
  readonly issuer: string;
  /** vCenter's CA bundle, trusted by machine-controller and its webhook. @default - the image's CAs */
  readonly vcenterCa?: string;
  /** cert-manager's release and the issuer: the Certificates need their CRDs and webhook. */
  readonly certManager: pulumi.Input<pulumi.Resource>[];
  /** Resources the controllers wait for (CNI, PriorityClasses). @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** One plain document as a Pulumi resource (its type token is `kubernetes:<apiVersion>:<kind>`, built-in or custom). */
function apply(prefix: string, object: KubeObject, opts: pulumi.CustomResourceOptions): k8s.apiextensions.CustomResource {
  const { apiVersion, kind, metadata, ...rest } = object;
  const scope = metadata.namespace === undefined ? "" : `${metadata.namespace}-`;
  return new k8s.apiextensions.CustomResource(`${prefix}-${kind.toLowerCase()}-${scope}${metadata.name.replace(/:/g, "-")}`, { apiVersion, kind, metadata, ...rest }, opts);
}

export class MachineControllers extends pulumi.ComponentResource {
  /** What a MachineDeployment must wait for: both controllers and both webhooks are serving. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: MachineControllersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:MachineControllers", name, {}, opts);
    const base = { parent: this, provider: args.provider };
    const crds = [
      ...machineControllerCrds().map((crd) => apply(name, crd, base)),
      new k8s.yaml.v2.ConfigFile(`${name}-osp-crd`, { file: MANIFESTS.osmProfileCrd.url }, base),
      new k8s.yaml.v2.ConfigFile(`${name}-osc-crd`, { file: MANIFESTS.osmConfigCrd.url }, base),
    ];
    const options = { serviceCidr: args.serviceCidr, placement: args.placement, issuer: args.issuer, ...(args.vcenterCa === undefined ? {} : { vcenterCa: args.vcenterCa }) };
    const ready: pulumi.Resource[] = [];
    for (const [component, objects] of [
      ["machine-controller", machineControllerObjects(options)],
      ["osm", osmObjects(options)],
    ] as const) {
      const workloads = objects.workloads.map((object) =>
        apply(`${name}-${component}`, object, { ...base, dependsOn: [...crds, ...(object.kind === "Certificate" ? args.certManager : []), ...(args.dependsOn ?? [])] }),
      );
      // Registered after the webhook pods are ready: a webhook with failurePolicy Fail and no
      // server behind it would refuse every MachineDeployment write.
      ready.push(...objects.webhooks.map((object) => apply(`${name}-${component}`, object, { ...base, dependsOn: workloads })));
    }
    this.ready = ready;
    this.registerOutputs({});
  }
}
