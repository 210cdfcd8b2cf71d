/** The vSphere backend: VMs bootstrapped into an HA kubeadm cluster. */
export { VsphereCluster, type VsphereClusterArgs } from "./cluster";
export type { VsphereCredentials } from "./provider";
