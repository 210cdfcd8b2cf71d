/**
 * Pure: what machine-controller, OSM and cluster-autoscaler reach on the network, as
 * NetworkPolicies in kube-system and as connection declarations the check proves.
 *
 * strata puts no default-deny in kube-system (CoreDNS, kube-proxy, the CPI and the others run there
 * unisolated). A pod is isolated in a direction as soon as one NetworkPolicy selects it with that
 * policy type (Kubernetes docs, "Network Policies": "The two sorts of pod isolation"), so these
 * policies select only the controllers' pods and, for those, allow exactly: DNS, the API server,
 * the webhooks' ports from the control plane, and vCenter on 443 for machine-controller and its
 * webhook (they resolve vCenter's name through the cluster DNS, their pods keep
 * `dnsPolicy: ClusterFirst`). The webhook logs in too: it validates every MachineDeployment and
 * Machine with the provider's `Validate`, which opens a vCenter session (machine-controller v1.66.2
 * `pkg/admission/machines.go` `defaultAndValidateMachineSpec`, `pkg/cloudprovider/provider/vsphere/provider.go`
 * `Validate` → `NewSession`); without it, with `failurePolicy: Fail`, no MachineDeployment is admitted.
 */
import { type ConnectionDeclaration, fromPods, type WorkloadDeclaration } from "../../lib/connections";
import { type ClusterAddresses, LINK_LOCAL } from "../network-policies/addresses";
import type { PolicyPeer, PolicyRule, PolicySpec } from "../network-policies/values";
import { AUTOSCALER_LABELS, AUTOSCALER_RELEASE } from "./autoscaler-values";
import { MC, OSM } from "./controllers";
import { MACHINE_NAMESPACE, VCENTER_SECRET } from "./machine-deployment";

/** The external name the check gives vCenter. */
export const VCENTER_DESTINATION = "vcenter";
/** The policy that lets machine-controller out to vCenter (its own, so the check can show it missing). */
export const VCENTER_POLICY = "machine-controller-allow-vcenter";
/** The same for machine-controller's webhook. */
export const WEBHOOK_VCENTER_POLICY = "machine-controller-webhook-allow-vcenter";

/** The pod groups, by the labels their Deployments (controllers.ts) and the chart give them. */
const PODS = {
  machineController: { app: MC.controller },
  machineControllerWebhook: { app: MC.webhook },
  osm: { app: OSM.controller },
  osmWebhook: { app: OSM.webhook },
  autoscaler: AUTOSCALER_LABELS,
} as const satisfies Record<string, Readonly<Record<string, string>>>;

/** Pod name of each group, which also names its policy. */
const NAMES: Record<keyof typeof PODS, string> = {
  machineController: MC.controller,
  machineControllerWebhook: MC.webhook,
  osm: OSM.controller,
  osmWebhook: OSM.webhook,
  autoscaler: AUTOSCALER_RELEASE,
};

/** The webhook pods and the container port the API server calls. */
const WEBHOOK_PORTS: Partial<Record<keyof typeof PODS, number>> = { machineControllerWebhook: MC.webhookPort, osmWebhook: OSM.webhookPort };

const block = (cidr: string, except: readonly string[] = []): PolicyPeer => ({ ipBlock: { cidr, ...(except.length > 0 ? { except: [...except] } : {}) } });
const tcp = (...ports: readonly number[]) => ports.map((port) => ({ protocol: "TCP" as const, port }));

/** vCenter as a peer: its address when `vsphere:vsphereServer` is one, else anywhere outside the pod and Service ranges (a name has no range). */
export function vcenterPeer(vcenterServer: string, addresses: ClusterAddresses): PolicyPeer {
  const host = vcenterServer.replace(/^https?:\/\//, "").replace(/[:/].*$/, "");
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return block(`${host}/32`);
  return block("0.0.0.0/0", [...addresses.podsAndServices, LINK_LOCAL]);
}

/** One policy per pod group (ingress: its webhook port from the control plane, else nothing; egress: DNS and the API server), and machine-controller's egress to vCenter. */
export function controllerPolicies(vcenterServer: string, addresses: ClusterAddresses): PolicySpec[] {
  const dns: PolicyRule = {
    peers: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
    ports: [
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 53 },
    ],
  };
  const apiServer: PolicyRule[] = addresses.apiServer.map((range) => ({ peers: [block(range.cidr)], ports: tcp(...range.ports) }));
  const groups = Object.keys(PODS) as (keyof typeof PODS)[];
  return [
    ...groups.map((group): PolicySpec => {
      const webhook = WEBHOOK_PORTS[group];
      return {
        namespace: MACHINE_NAMESPACE,
        name: NAMES[group],
        podSelector: { matchLabels: PODS[group] },
        ingress: webhook === undefined ? [] : [{ peers: addresses.controlPlane.map((cidr) => block(cidr)), ports: tcp(webhook) }],
        egress: [dns, ...apiServer],
      };
    }),
    { namespace: MACHINE_NAMESPACE, name: VCENTER_POLICY, podSelector: { matchLabels: PODS.machineController }, egress: [{ peers: [vcenterPeer(vcenterServer, addresses)], ports: tcp(443) }] },
    { namespace: MACHINE_NAMESPACE, name: WEBHOOK_VCENTER_POLICY, podSelector: { matchLabels: PODS.machineControllerWebhook }, egress: [{ peers: [vcenterPeer(vcenterServer, addresses)], ports: tcp(443) }] },
  ];
}

/** cluster-autoscaler's pods, which its chart creates. */
export function autoscalerWorkload(): WorkloadDeclaration {
  return { id: `${MACHINE_NAMESPACE}/${AUTOSCALER_RELEASE}`, pods: { namespace: MACHINE_NAMESPACE, labels: AUTOSCALER_LABELS } };
}

/** Every path the controllers need: each to the API server, the API server to both webhooks, machine-controller and its webhook to vCenter. */
export function controllerConnections(): ConnectionDeclaration[] {
  const groups = Object.keys(PODS) as (keyof typeof PODS)[];
  const login = [{ name: VCENTER_SECRET.name, keys: [VCENTER_SECRET.usernameKey, VCENTER_SECRET.passwordKey] }];
  return [
    ...groups.map((group): ConnectionDeclaration => ({ purpose: `${NAMES[group]} watches and writes its objects`, from: fromPods(MACHINE_NAMESPACE, PODS[group]), to: { kind: "api-server" } })),
    // Service port 443 → the webhook container port (controllers.ts `service`).
    { purpose: "MachineDeployment and Machine defaulting webhook", from: { kind: "api-server" }, to: { kind: "service", namespace: MACHINE_NAMESPACE, name: MC.webhook, port: 443 } },
    { purpose: "OperatingSystemProfile/Config validation and MachineDeployment webhook", from: { kind: "api-server" }, to: { kind: "service", namespace: MACHINE_NAMESPACE, name: OSM.webhook, port: 443 } },
    {
      purpose: "clones, configures and deletes the autoscaled pools' VMs",
      from: fromPods(MACHINE_NAMESPACE, PODS.machineController),
      to: { kind: "external", name: VCENTER_DESTINATION, port: 443 },
      secrets: login,
    },
    {
      purpose: "validates each MachineDeployment and Machine against vCenter",
      from: fromPods(MACHINE_NAMESPACE, PODS.machineControllerWebhook),
      to: { kind: "external", name: VCENTER_DESTINATION, port: 443 },
      secrets: login,
    },
  ];
}
