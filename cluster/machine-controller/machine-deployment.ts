/**
 * One autoscaled vSphere pool as a machine-controller MachineDeployment (`cluster.k8s.io/v1alpha1`).
 * The CRD carries no field schema (x-kubernetes-preserve-unknown-fields, reference data
 * `machine-controller/crds/machine-controller.yaml`), so the shape is typed here from the upstream
 * Go types at v1.66.2: `sdk/apis/cluster/v1alpha1/machinedeployment_types.go`,
 * `sdk/providerconfig/types.go` (Config) and `sdk/cloudprovider/vsphere/types.go` (RawConfig).
 */
import type { AutoscaledVspherePool, Taint } from "../../lib/contracts";

/** Namespace machine-controller watches and cluster-autoscaler discovers node groups in. */
export const MACHINE_NAMESPACE = "kube-system";
/** The Secret the provider spec reads machine-controller's vCenter login and password from. */
export const VCENTER_SECRET = { name: "machine-controller-vsphere", usernameKey: "username", passwordKey: "password" } as const;
/**
 * machine-controller's API group: cluster-autoscaler reads it through `CAPI_GROUP`, which also
 * prefixes the size annotations (kubernetes/autoscaler cloudprovider/clusterapi/README.md,
 * "Specifying a Custom Resource Group").
 */
export const MACHINE_API_GROUP = "cluster.k8s.io";
export const MIN_SIZE_ANNOTATION = `${MACHINE_API_GROUP}/cluster-api-autoscaler-node-group-min-size`;
export const MAX_SIZE_ANNOTATION = `${MACHINE_API_GROUP}/cluster-api-autoscaler-node-group-max-size`;

/** The vCenter connection every machine of every pool uses. */
export interface MachineVcenter {
  readonly server: string;
  readonly datacenter: string;
  /** Skip certificate verification (only where the stack allows unverified SSL). */
  readonly insecure: boolean;
}

export interface MachineDeploymentObject {
  readonly apiVersion: "cluster.k8s.io/v1alpha1";
  readonly kind: "MachineDeployment";
  readonly metadata: { readonly name: string; readonly namespace: string; readonly annotations: Record<string, string>; readonly labels: Record<string, string> };
  readonly spec: Record<string, unknown>;
}

function taintsOf(taints: readonly Taint[]) {
  return taints.map((t) => ({ key: t.key, effect: t.effect, ...(t.value === undefined ? {} : { value: t.value }) }));
}

/**
 * The MachineDeployment of a pool, `replicas` = min (Pulumi ignores later changes to it: the
 * autoscaler owns it). Scale-from-zero capacity annotations are set so `min: 0` works
 * (clusterapi README, "Scale from zero support").
 */
export function machineDeployment(clusterName: string, pool: AutoscaledVspherePool, vcenter: MachineVcenter, kubeletVersion: string): MachineDeploymentObject {
  const name = `${clusterName}-${pool.pool}`;
  const selector = { "node.strata.io/machine-deployment": name };
  const labels = Object.entries(pool.labels).map(([k, v]) => `${k}=${v}`).join(",");
  const taints = pool.taints.map((t) => `${t.key}=${t.value ?? ""}:${t.effect}`).join(",");
  return {
    apiVersion: "cluster.k8s.io/v1alpha1",
    kind: "MachineDeployment",
    metadata: {
      name,
      namespace: MACHINE_NAMESPACE,
      labels: { "node.strata.io/pool": pool.pool },
      annotations: {
        [MIN_SIZE_ANNOTATION]: String(pool.min),
        [MAX_SIZE_ANNOTATION]: String(pool.max),
        "capacity.cluster-autoscaler.kubernetes.io/cpu": String(pool.cpus),
        "capacity.cluster-autoscaler.kubernetes.io/memory": `${pool.memoryGi}Gi`,
        ...(labels === "" ? {} : { "capacity.cluster-autoscaler.kubernetes.io/labels": labels }),
        ...(taints === "" ? {} : { "capacity.cluster-autoscaler.kubernetes.io/taints": taints }),
      },
    },
    spec: {
      replicas: pool.min,
      selector: { matchLabels: selector },
      // One new VM before an old one goes: a template or size change never shrinks the pool.
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: selector },
        spec: {
          metadata: { labels: { ...pool.labels } },
          taints: taintsOf(pool.taints),
          providerSpec: {
            value: {
              sshPublicKeys: [...pool.sshAuthorizedKeys],
              cloudProvider: "vsphere",
              cloudProviderSpec: {
                templateVMName: pool.template,
                networks: [pool.portGroup],
                // machine-controller's own account, both halves from its Secret (ConfigVarString secretKeyRef).
                username: { secretKeyRef: { namespace: MACHINE_NAMESPACE, name: VCENTER_SECRET.name, key: VCENTER_SECRET.usernameKey } },
                password: { secretKeyRef: { namespace: MACHINE_NAMESPACE, name: VCENTER_SECRET.name, key: VCENTER_SECRET.passwordKey } },
                vsphereURL: `https://${vcenter.server}`,
                datacenter: vcenter.datacenter,
                cluster: pool.computeCluster,
                // An absolute inventory path: the provider resolves it with govmomi's finder and
                // looks machines up as `<folder>/<machine>` (pkg/cloudprovider/provider/vsphere/provider.go).
                folder: `/${vcenter.datacenter}/vm/${pool.folder}`,
                ...(pool.resourcePool === undefined ? {} : { resourcePool: pool.resourcePool }),
                datastore: pool.datastore,
                cpus: pool.cpus,
                memoryMB: pool.memoryGi * 1024,
                diskSizeGB: pool.osDiskGi,
                allowInsecure: vcenter.insecure,
                vmAntiAffinity: pool.antiAffinity,
              },
              operatingSystem: "ubuntu",
              // Updates come through a template roll, as on Pulumi's nodes, never at boot.
              operatingSystemSpec: { distUpgradeOnBoot: false, disableAutoUpdate: true },
            },
          },
          versions: { kubelet: kubeletVersion },
        },
      },
    },
  };
}
