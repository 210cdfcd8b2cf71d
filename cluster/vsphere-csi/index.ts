import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { MANIFESTS } from "../../lib/catalog";
import type { VsphereExtras } from "../../lib/contracts";
import { standardLabels } from "../../lib/labels";
import { CSI_CA_KEY, CSI_CONFIG_SECRET, csiVsphereConf } from "./values";

export interface VsphereCsiArgs {
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** Cluster name; becomes the CNS cluster id. */
  readonly clusterName: string;
  /** vCenter connection from the infra layer; the driver logs in with `vsphere.csi`. */
  readonly vsphere: VsphereExtras;
  /** The namespace object(s) the config secret waits for. @default [] */
  readonly namespace?: pulumi.Input<pulumi.Resource>[];
  /**
   * What the driver waits for: the CNI (its controller is not host-networked) and the cloud
   * provider (the controller runs on control-plane nodes, which stay tainted until the CPI
   * initialises them). @default []
   */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** vSphere CSI driver: its config secret, then the pinned upstream manifest. */
export class VsphereCsi extends pulumi.ComponentResource {
  /** The applied driver manifest; storage classes wait on it. */
  public readonly driver: k8s.yaml.v2.ConfigFile;

  constructor(name: string, args: VsphereCsiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:cluster:VsphereCsi", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    const { vsphere } = args;
    const conf = pulumi.all([vsphere.csi.username, vsphere.csi.password]).apply(([username, password]) =>
      csiVsphereConf({ clusterId: args.clusterName, vcenterServer: vsphere.vcenterServer, datacenter: vsphere.datacenter, insecure: vsphere.insecure, ...(vsphere.thumbprint === undefined ? {} : { thumbprint: vsphere.thumbprint }), caFile: vsphere.caBundle !== undefined, username, password }),
    );
    const secret = new k8s.core.v1.Secret(
      `${name}-config`,
      {
        metadata: { name: CSI_CONFIG_SECRET, namespace: MANIFESTS.vsphereCsiDriver.namespace, labels: standardLabels({ name: "vsphere-csi", component: "storage" }) },
        type: "Opaque",
        stringData: { "csi-vsphere.conf": pulumi.secret(conf), ...(vsphere.caBundle === undefined ? {} : { [CSI_CA_KEY]: vsphere.caBundle }) },
      },
      { ...childOpts, dependsOn: args.namespace ?? [] },
    );
    this.driver = new k8s.yaml.v2.ConfigFile(`${name}-driver`, { file: MANIFESTS.vsphereCsiDriver.url }, { ...childOpts, dependsOn: [secret, ...(args.dependsOn ?? [])] });
    this.registerOutputs({ driver: MANIFESTS.vsphereCsiDriver.version });
  }
}
