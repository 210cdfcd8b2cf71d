/** Pure: the `csi-vsphere.conf` the vSphere CSI driver reads from `vsphere-config-secret`. */

export interface VsphereCsiConfig {
  readonly clusterId: string;
  readonly vcenterServer: string;
  readonly datacenter: string;
  readonly insecure: boolean;
  /** SHA-1 fingerprint of vCenter's certificate the driver pins. @default - none */
  readonly thumbprint?: string;
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
    `user = ${quote(config.username)}`,
    `password = ${quote(config.password)}`,
    `port = "443"`,
    `datacenters = ${quote(config.datacenter)}`,
    "",
  ].join("\n");
}
