/** Pure: the `csi-vsphere.conf` the vSphere CSI driver reads from `vsphere-config-secret`. */

/** The Secret the driver's controller mounts whole at /etc/cloud and reads `csi-vsphere.conf` from. */
export const CSI_CONFIG_SECRET = "vsphere-config-secret";
/**
 * Key of `CSI_CONFIG_SECRET` holding vCenter's CA bundle. vsphere-csi-driver v3.7.3
 * manifests/vanilla/vsphere-csi-driver.yaml mounts the Secret (no `items`) at /etc/cloud in the
 * vsphere-csi-controller and vsphere-syncer containers, so every key is a file there.
 */
export const CSI_CA_KEY = "vcenter-ca.pem";
/** `ca-file` of the `[VirtualCenter]` section. */
export const CSI_CA_FILE = `/etc/cloud/${CSI_CA_KEY}`;

export interface VsphereCsiConfig {
  readonly clusterId: string;
  readonly vcenterServer: string;
  readonly datacenter: string;
  readonly insecure: boolean;
  /** SHA-1 fingerprint of vCenter's certificate the driver pins. @default - none */
  readonly thumbprint?: string;
  /**
   * Whether `CSI_CA_KEY` holds vCenter's CA bundle: `ca-file` then points at it (vsphere-csi-driver
   * v3.7.3 pkg/common/config/types.go `CAFile gcfg:"ca-file"`, loaded with `SetRootCAs` in
   * pkg/common/cns-lib/vsphere/virtualcenter.go when the insecure flag is off). @default false
   */
  readonly caFile?: boolean;
  readonly username: string;
  readonly password: string;
}

const quote = (value: string): string => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

export function csiVsphereConf(config: VsphereCsiConfig): string {
  return [
    "[Global]",
    `cluster-id = ${quote(config.clusterId)}`,
    "",
    `[VirtualCenter ${quote(config.vcenterServer)}]`,
    `insecure-flag = ${quote(String(config.insecure))}`,
    ...(config.thumbprint === undefined ? [] : [`thumbprint = ${quote(config.thumbprint)}`]),
    ...(config.caFile === true ? [`ca-file = ${quote(CSI_CA_FILE)}`] : []),
    `user = ${quote(config.username)}`,
    `password = ${quote(config.password)}`,
    `port = "443"`,
    `datacenters = ${quote(config.datacenter)}`,
    "",
  ].join("\n");
}
