/**
 * kube-vip as a static pod on the control-plane nodes, used when the cluster has no
 * load-balancer nodes: ARP mode with leader election holds the API VIP on one control plane.
 *
 * From Kubernetes 1.29, `admin.conf` only gains its rights after `kubeadm init` finishes, so the
 * first node starts kube-vip with `super-admin.conf` and switches to `admin.conf` afterwards.
 */
import { stringify } from "yaml";
import { INTERFACE_PLACEHOLDER } from "./network";

export const KUBE_VIP_MANIFEST = "/etc/kubernetes/manifests/kube-vip.yaml";
export const ADMIN_CONF = "/etc/kubernetes/admin.conf";
export const SUPER_ADMIN_CONF = "/etc/kubernetes/super-admin.conf";

export interface KubeVipSettings {
  readonly image: string;
  readonly vip: string;
  readonly apiServerPort: number;
  /** Kubeconfig kube-vip uses for leader election. */
  readonly kubeconfig: typeof ADMIN_CONF | typeof SUPER_ADMIN_CONF;
}

export function kubeVipManifest(settings: KubeVipSettings): string {
  const env = {
    vip_arp: "true",
    port: String(settings.apiServerPort),
    // Resolved at boot: the interface carrying the node address.
    vip_interface: INTERFACE_PLACEHOLDER,
    vip_cidr: "32",
    cp_enable: "true",
    cp_namespace: "kube-system",
    vip_leaderelection: "true",
    vip_leasename: "plndr-cp-lock",
    vip_leaseduration: "5",
    vip_renewdeadline: "3",
    vip_retryperiod: "1",
    address: settings.vip,
  };
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "kube-vip", namespace: "kube-system" },
    spec: {
      hostNetwork: true,
      hostAliases: [{ ip: "127.0.0.1", hostnames: ["kubernetes"] }],
      containers: [
        {
          name: "kube-vip",
          image: settings.image,
          imagePullPolicy: "IfNotPresent",
          args: ["manager"],
          env: Object.entries(env).map(([name, value]) => ({ name, value })),
          securityContext: { capabilities: { add: ["NET_ADMIN", "NET_RAW"] } },
          volumeMounts: [{ mountPath: "/etc/kubernetes/admin.conf", name: "kubeconfig" }],
        },
      ],
      volumes: [{ name: "kubeconfig", hostPath: { path: settings.kubeconfig } }],
    },
  };
  return stringify(pod, { lineWidth: 0 });
}
