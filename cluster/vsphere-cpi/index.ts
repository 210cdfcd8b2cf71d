import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Placement, VsphereExtras } from "../../lib/contracts";
import { helmRelease } from "../../lib/helm";
import { standardLabels } from "../../lib/labels";
import { CPI_CA_KEY, CPI_CONFIG_MAP, CPI_NAMESPACE, CPI_SECRET, cpiConfigDigest, cpiCredentials, cpiVsphereConf, vsphereCpiValues } from "./values";

export interface VsphereCpiArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** vCenter connection from the infra layer; the CPI logs in with `vsphere.cpi`. */
  readonly vsphere: VsphereExtras;
  /** Where the controller runs: the control-plane pools (`placementFor("control-plane")`). */
  readonly controlPlane: Placement;
  /** Resources the release waits for. @default [] */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * vSphere cloud provider (vsphere-cloud-controller-manager): initialises every node the kubelets
 * register with `--cloud-provider=external`, setting `spec.providerID` (`vsphere://<vm uuid>`) the
 * CSI driver needs and lifting the uninitialised taint.
 */
export class VsphereCpi extends pulumi.ComponentResource {
  /** The chart release; the CSI driver and everything scheduled on nodes wait on it. */
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: VsphereCpiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:VsphereCpi", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    const { vsphere } = args;
    const labels = standardLabels({ name: "vsphere-cpi", component: "cloud-provider" });
    // `data`, not `stringData`: the user name alone is no secret (plain config and infra output),
    // and a bare secret leaf holding it would mark those plain copies as leaks.
    const data = pulumi
      .all([vsphere.cpi.username, vsphere.cpi.password])
      .apply(([username, password]) =>
        Object.fromEntries(Object.entries(cpiCredentials(vsphere.vcenterServer, username, password)).map(([key, value]) => [key, Buffer.from(value).toString("base64")])),
      );
    const secret = new k8s.core.v1.Secret(
      `${name}-credentials`,
      { metadata: { name: CPI_SECRET, namespace: CPI_NAMESPACE, labels }, type: "Opaque", data: pulumi.secret(data) },
      { ...childOpts, dependsOn: args.dependsOn ?? [] },
    );
    const vsphereConf = cpiVsphereConf({
      vcenterServer: vsphere.vcenterServer,
      datacenter: vsphere.datacenter,
      insecure: vsphere.insecure,
      ...(vsphere.thumbprint === undefined ? {} : { thumbprint: vsphere.thumbprint }),
      caFile: vsphere.caBundle !== undefined,
    });
    const config = new k8s.core.v1.ConfigMap(
      `${name}-config`,
      { metadata: { name: CPI_CONFIG_MAP, namespace: CPI_NAMESPACE, labels }, data: { "vsphere.conf": vsphereConf, ...(vsphere.caBundle === undefined ? {} : { [CPI_CA_KEY]: vsphere.caBundle }) } },
      { ...childOpts, dependsOn: args.dependsOn ?? [] },
    );
    this.release = helmRelease(
      `${name}-release`,
      { chart: "vsphere-cpi", namespace: CPI_NAMESPACE, releaseName: "vsphere-cpi", values: vsphereCpiValues(args.controlPlane, cpiConfigDigest(vsphereConf, vsphere.caBundle)) },
      { ...childOpts, dependsOn: [secret, config] },
    );
    this.registerOutputs({ release: this.release.status });
  }
}
