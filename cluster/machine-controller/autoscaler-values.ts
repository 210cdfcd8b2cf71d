/**
 * Pure: cluster-autoscaler chart 9.59.0 values for machine-controller's MachineDeployments, as
 * KubeOne wires it (kubermatic/kubeone `addons/cluster-autoscaler/cluster-autoscaler-values` and
 * `Kustomization`): the clusterapi provider, discovery limited to the MachineDeployments'
 * namespace, `CAPI_GROUP=cluster.k8s.io` (kubernetes/autoscaler cloudprovider/clusterapi/README.md,
 * "Specifying a Custom Resource Group"), and the rules on that group the chart's ClusterRole lacks
 * (KubeOne patches them in; the chart takes them as `rbac.additionalRules`).
 */
import type { Placement } from "../../lib/contracts";
import { MACHINE_API_GROUP, MACHINE_NAMESPACE } from "./machine-deployment";

export const AUTOSCALER_RELEASE = "cluster-autoscaler";
/** Pod labels: `cluster-autoscaler.instance-name` in the chart's _helpers.tpl, name = `<cloudProvider>-<chart>`. */
export const AUTOSCALER_LABELS = { "app.kubernetes.io/instance": AUTOSCALER_RELEASE, "app.kubernetes.io/name": "clusterapi-cluster-autoscaler" } as const;
/** values.yaml `service.servicePort` (metrics). */
export const AUTOSCALER_PORT = 8085;

export function autoscalerValues(placement: Placement) {
  return {
    cloudProvider: "clusterapi",
    clusterAPIMode: "incluster-incluster",
    autoDiscovery: { namespace: MACHINE_NAMESPACE },
    extraEnv: { CAPI_GROUP: MACHINE_API_GROUP },
    extraArgs: {
      // Machines hold no data (no data disks), but pods with emptyDir or hostPath keep theirs:
      // upstream's default, kept explicit because it decides what scale-down may remove.
      "skip-nodes-with-local-storage": true,
      // machine-controller replaces a machine that has not joined after 25m (-join-cluster-timeout);
      // the autoscaler's default 15m would give the node group up before that.
      "max-node-provision-time": "25m0s",
    },
    rbac: {
      additionalRules: [
        { apiGroups: [MACHINE_API_GROUP], resources: ["machinedeployments", "machinepools", "machines", "machinesets"], verbs: ["get", "list", "update", "watch"] },
        { apiGroups: [MACHINE_API_GROUP], resources: ["machinedeployments/scale", "machinepools/scale"], verbs: ["get", "patch", "update"] },
      ],
    },
    resources: { requests: { cpu: "100m", memory: "300Mi" }, limits: { memory: "600Mi" } },
    securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: "RuntimeDefault" } },
    containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
    nodeSelector: { ...placement.nodeSelector },
    tolerations: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" }, ...placement.tolerations.map((t) => ({ ...t }))],
  };
}
