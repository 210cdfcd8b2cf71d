/**
 * Pure: machine-controller (v1.66.2) and operating-system-manager (OSM, v1.11.3) as strata runs
 * them: the objects of the upstream install manifests with pinned images, real flags, strata's
 * pod hardening and the webhook certificates from strata's internal CA. Upstream facts:
 * - machine-controller `examples/machine-controller.yaml` (reference data
 *   `machine-controller/crds/machine-controller.yaml`): ServiceAccount, Roles in kube-system /
 *   kube-public / default, ClusterRole, the webhook Deployment on 9876 with its certificate at
 *   `/tmp/cert/` (`cmd/webhook/main.go`: `-tls-cert-path=/tmp/cert/tls.crt`, `-tls-key-path=/tmp/cert/tls.key`),
 *   the MutatingWebhookConfiguration for machinedeployments and machines.
 * - OSM `deploy/{rbac-controller,rbac-webhook,operating-system-manager,operating-system-manager-webhook,cloud-init-settings}.yaml`:
 *   the webhook serves on 9443 from `/tmp/k8s-webhook-server/serving-certs`, health on 8081.
 * Flags (`cmd/machine-controller/main.go` @ v1.66.2, `cmd/osm-controller/main.go` @ v1.11.3):
 * - machine-controller's `-cluster-dns` and `-use-external-bootstrap` are no-ops at v1.66.2
 *   ("DEPRECATED: This flag is no-op", bootstrap is always external = OSM), so they are not set;
 *   the node's DNS goes to OSM's `-cluster-dns`.
 * - `-node-csr-approver=false`: kubelet-csr-approver already approves serving certificates, by
 *   node name and IP prefix; two approvers would only race.
 * - `-join-cluster-timeout=25m` as upstream: a machine that has not joined by then is deleted and
 *   its MachineSet makes a new one.
 * - OSM `-external-cloud-provider` (strata runs the vSphere CPI), `-pause-image` = the pause image
 *   Pulumi's nodes use, `-namespace=kube-system` (where the OSPs and OSCs live).
 */
import { createHash } from "node:crypto";
import { intToIp, ipToInt } from "../../config/common";
import { IMAGES, VSPHERE_NODE } from "../../lib/catalog";
import type { Placement } from "../../lib/contracts";
import { MACHINE_NAMESPACE } from "./machine-deployment";

/** A Kubernetes object as a plain document. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly [field: string]: unknown;
}

export interface ControllerOptions {
  /** The cluster's Service CIDR: the DNS Service is its 10th address (kubeadm's `GetDNSIP`). */
  readonly serviceCidr: string;
  /** Where the controllers run (the control planes, as KubeOne places them). */
  readonly placement: Placement;
  /** ClusterIssuer that signs the webhooks' serving certificates (strata's internal CA). */
  readonly issuer: string;
  /**
   * PEM bundle vCenter's certificate chains to (`strata:infra.vsphere.vcenterCa`). machine-controller
   * and its webhook replace their image's CA pool with it (`-ca-bundle`, v1.66.2
   * cmd/machine-controller/main.go and cmd/webhook/main.go → pkg/cloudprovider/util/http.go
   * `SetCABundleFile`; the vSphere client takes the pool as `RootCAs`,
   * pkg/cloudprovider/provider/vsphere/client.go). @default - the image's CAs only
   */
  readonly vcenterCa?: string;
}

/** The ConfigMap holding vCenter's CA bundle and where both machine-controller pods mount it. */
export const VCENTER_CA = { configMap: "machine-controller-vcenter-ca", key: "ca.crt", mountPath: "/etc/strata/vcenter-ca" } as const;

/** The names the connection declarations, NetworkPolicies and tests share. */
export const MC = {
  controller: "machine-controller",
  webhook: "machine-controller-webhook",
  webhookPort: 9876,
  metricsPort: 8080,
  healthPort: 8085,
  certificate: "machine-controller-webhook-serving-cert",
} as const;
export const OSM = {
  controller: "operating-system-manager",
  webhook: "operating-system-manager-webhook",
  webhookPort: 9443,
  webhookHealthPort: 8081,
  metricsPort: 8080,
  healthPort: 8085,
  certificate: "operating-system-manager-webhook-serving-cert",
  /** Where OSM keeps each machine's provisioning Secret (deploy/cloud-init-settings.yaml). */
  provisioningNamespace: "cloud-init-settings",
} as const;

/** kubeadm puts the cluster DNS Service at the 10th address of the Service CIDR (cmd/kubeadm/app/constants `GetDNSIP`). */
export function clusterDnsIp(serviceCidr: string): string {
  const [base] = serviceCidr.split("/");
  if (base === undefined) throw new Error(`clusterDnsIp: not a CIDR: ${serviceCidr}`);
  return intToIp(ipToInt(base) + 10);
}

const image = (pin: { repository: string; tag: string }) => `${pin.repository}:${pin.tag}`;

const HARDENED = {
  runAsNonRoot: true,
  runAsUser: 65534,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
} as const;

const rule = (apiGroups: string[], resources: string[], verbs: string[], resourceNames?: string[]) => ({
  apiGroups,
  resources,
  verbs,
  ...(resourceNames === undefined ? {} : { resourceNames }),
});

function serviceAccount(name: string): KubeObject {
  return { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: MACHINE_NAMESPACE, labels: { app: name } } };
}

function role(name: string, namespace: string, rules: unknown[], account = name): KubeObject[] {
  const subjects = [{ kind: "ServiceAccount", name: account, namespace: MACHINE_NAMESPACE }];
  return [
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name, namespace }, rules },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name, namespace }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name }, subjects },
  ];
}

function clusterRole(name: string, account: string, rules: unknown[]): KubeObject[] {
  const subjects = [{ kind: "ServiceAccount", name: account, namespace: MACHINE_NAMESPACE }];
  return [
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name }, rules },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name }, subjects },
  ];
}

interface PodArgs {
  readonly name: string;
  readonly serviceAccount: string;
  readonly command: string[];
  readonly ports: Record<string, number>;
  readonly probe: { readonly port: number; readonly scheme: "HTTP" | "HTTPS"; readonly live: string; readonly ready: string };
  readonly certificate?: { readonly secret: string; readonly mountPath: string };
  readonly placement: Placement;
  /** vCenter's CA bundle: mounted, passed with `-ca-bundle`, its digest on the pod template. @default - none */
  readonly vcenterCa?: string;
}

function deployment(args: PodArgs, pin: { repository: string; tag: string }): KubeObject {
  const labels = { app: args.name };
  const mounts = [
    ...(args.certificate === undefined ? [] : [{ name: "serving-cert", mountPath: args.certificate.mountPath, readOnly: true }]),
    ...(args.vcenterCa === undefined ? [] : [{ name: "vcenter-ca", mountPath: VCENTER_CA.mountPath, readOnly: true }]),
  ];
  const volumes = [
    ...(args.certificate === undefined ? [] : [{ name: "serving-cert", secret: { secretName: args.certificate.secret, defaultMode: 0o440 } }]),
    ...(args.vcenterCa === undefined ? [] : [{ name: "vcenter-ca", configMap: { name: VCENTER_CA.configMap } }]),
  ];
  // The bundle is read once at start: its digest on the pod template rolls the pods when it changes.
  const annotations = args.vcenterCa === undefined ? {} : { annotations: { "strata.io/vcenter-ca-sha256": createHash("sha256").update(args.vcenterCa).digest("hex") } };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: args.name, namespace: MACHINE_NAMESPACE, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, ...annotations },
        spec: {
          serviceAccountName: args.serviceAccount,
          priorityClassName: "system-cluster-critical",
          nodeSelector: { ...args.placement.nodeSelector },
          tolerations: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" }, ...args.placement.tolerations.map((t) => ({ ...t }))],
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: args.name,
              image: image(pin),
              imagePullPolicy: "IfNotPresent",
              command: args.vcenterCa === undefined ? args.command : [...args.command, `-ca-bundle=${VCENTER_CA.mountPath}/${VCENTER_CA.key}`],
              ports: Object.entries(args.ports).map(([name, containerPort]) => ({ name, containerPort, protocol: "TCP" })),
              livenessProbe: { httpGet: { path: args.probe.live, port: args.probe.port, scheme: args.probe.scheme }, initialDelaySeconds: 5, periodSeconds: 10 },
              readinessProbe: { httpGet: { path: args.probe.ready, port: args.probe.port, scheme: args.probe.scheme }, periodSeconds: 5 },
              resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
              securityContext: HARDENED,
              ...(mounts.length === 0 ? {} : { volumeMounts: mounts }),
            },
          ],
          ...(volumes.length === 0 ? {} : { volumes }),
        },
      },
    },
  };
}

function service(name: string, port: number): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: MACHINE_NAMESPACE, labels: { app: name } },
    spec: { type: "ClusterIP", selector: { app: name }, ports: [{ name: "https", port: 443, targetPort: port, protocol: "TCP" }] },
  };
}

/** The webhook's serving certificate; the Secret holds `tls.crt`, `tls.key` and `ca.crt`. */
function certificate(name: string, serviceName: string, issuer: string): KubeObject {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name, namespace: MACHINE_NAMESPACE },
    spec: {
      secretName: name,
      dnsNames: [`${serviceName}.${MACHINE_NAMESPACE}.svc`, `${serviceName}.${MACHINE_NAMESPACE}.svc.cluster.local`],
      issuerRef: { group: "cert-manager.io", kind: "ClusterIssuer", name: issuer },
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
    },
  };
}

function webhook(path: string, service: string, resource: { group: string; resource: string }, name: string) {
  return {
    name,
    failurePolicy: "Fail",
    sideEffects: "None",
    admissionReviewVersions: ["v1"],
    rules: [{ apiGroups: [resource.group], apiVersions: ["v1alpha1"], operations: ["CREATE", "UPDATE"], resources: [resource.resource] }],
    clientConfig: { service: { namespace: MACHINE_NAMESPACE, name: service, path } },
  };
}

/** cainjector copies the Certificate's CA into `caBundle` (the upstream manifests' annotation). */
const injectCa = (cert: string) => ({ "cert-manager.io/inject-ca-from": `${MACHINE_NAMESPACE}/${cert}` });

/** machine-controller: controller, webhook, RBAC and webhook registration. */
export function machineControllerObjects(options: ControllerOptions): { readonly workloads: KubeObject[]; readonly webhooks: KubeObject[] } {
  const sa = MC.controller;
  const rbac = [
    serviceAccount(sa),
    ...role(sa, MACHINE_NAMESPACE, [
      rule([""], ["secrets", "configmaps"], ["create", "update", "list", "watch"]),
      rule([""], ["endpoints"], ["*"], [sa]),
      rule([""], ["endpoints"], ["create"]),
      rule(["coordination.k8s.io"], ["leases"], ["*"]),
    ]),
    ...role(sa, "kube-public", [rule([""], ["configmaps"], ["get", "watch", "list"])]),
    ...role(sa, "default", [rule(["discovery.k8s.io"], ["endpointslices"], ["get", "watch", "list"])]),
    // OSPs the webhook checks a MachineDeployment's annotation against (upstream Role machine-controller-webhook).
    ...role(MC.webhook, MACHINE_NAMESPACE, [rule(["operatingsystemmanager.k8c.io"], ["operatingsystemprofiles"], ["get", "list"])], sa),
    ...clusterRole(sa, sa, [
      rule([""], ["events"], ["create", "patch"]),
      rule(["apiextensions.k8s.io"], ["customresourcedefinitions"], ["create", "get", "list", "watch"]),
      rule(["apiextensions.k8s.io"], ["customresourcedefinitions"], ["*"], ["machines.machine.k8s.io"]),
      rule(["machine.k8s.io"], ["machines"], ["*"]),
      rule(["cluster.k8s.io"], ["machines", "machinesets", "machinesets/status", "machinedeployments", "machinedeployments/status", "clusters", "clusters/status"], ["*"]),
      rule([""], ["nodes"], ["*"]),
      // Pods for draining, PVs and VolumeAttachments so vSphere volumes are detached before a VM is deleted.
      rule([""], ["pods"], ["list", "get"]),
      rule([""], ["persistentvolumes", "secrets", "configmaps"], ["list", "get", "watch"]),
      rule(["storage.k8s.io"], ["volumeattachments"], ["list", "get", "watch"]),
      rule([""], ["pods/eviction"], ["create"]),
    ]),
  ];
  const controller = deployment(
    {
      name: MC.controller,
      serviceAccount: sa,
      command: [
        "/usr/local/bin/machine-controller",
        "-log-format=json",
        "-worker-count=5",
        "-node-csr-approver=false",
        `-metrics-address=0.0.0.0:${MC.metricsPort}`,
        `-health-probe-address=0.0.0.0:${MC.healthPort}`,
        "-join-cluster-timeout=25m",
      ],
      ports: { metrics: MC.metricsPort, health: MC.healthPort },
      probe: { port: MC.healthPort, scheme: "HTTP", live: "/readyz", ready: "/healthz" },
      placement: options.placement,
      ...(options.vcenterCa === undefined ? {} : { vcenterCa: options.vcenterCa }),
    },
    IMAGES.machineController,
  );
  const webhookPod = deployment(
    {
      name: MC.webhook,
      serviceAccount: sa,
      command: ["/usr/local/bin/webhook", "-log-format=json", `-namespace=${MACHINE_NAMESPACE}`, `-listen-address=0.0.0.0:${MC.webhookPort}`],
      ports: { webhook: MC.webhookPort },
      probe: { port: MC.webhookPort, scheme: "HTTPS", live: "/healthz", ready: "/healthz" },
      certificate: { secret: MC.certificate, mountPath: "/tmp/cert" },
      placement: options.placement,
      ...(options.vcenterCa === undefined ? {} : { vcenterCa: options.vcenterCa }),
    },
    IMAGES.machineController,
  );
  return {
    workloads: [
      ...rbac,
      ...(options.vcenterCa === undefined
        ? []
        : [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: VCENTER_CA.configMap, namespace: MACHINE_NAMESPACE }, data: { [VCENTER_CA.key]: options.vcenterCa } }]),
      certificate(MC.certificate, MC.webhook, options.issuer),
      service(MC.webhook, MC.webhookPort),
      controller,
      webhookPod,
    ],
    webhooks: [
      {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "MutatingWebhookConfiguration",
        metadata: { name: "machinedeployments.machine-controller.kubermatic.io", annotations: injectCa(MC.certificate) },
        webhooks: [
          webhook("/machinedeployments", MC.webhook, { group: "cluster.k8s.io", resource: "machinedeployments" }, "machinedeployments.machine-controller.kubermatic.io"),
          webhook("/machines", MC.webhook, { group: "cluster.k8s.io", resource: "machines" }, "machines.machine-controller.kubermatic.io"),
        ],
      },
    ],
  };
}

/** operating-system-manager: controller, webhook, the provisioning namespace, RBAC and webhook registration. */
export function osmObjects(options: ControllerOptions): { readonly workloads: KubeObject[]; readonly webhooks: KubeObject[] } {
  const sa = OSM.controller;
  const provisioning = OSM.provisioningNamespace;
  const rbac = [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: provisioning, labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
    },
    // The account a new machine's first boot uses to fetch its provisioning Secret (deploy/cloud-init-settings.yaml).
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "cloud-init-getter", namespace: provisioning } },
    {
      apiVersion: "v1",
      kind: "Secret",
      type: "kubernetes.io/service-account-token",
      metadata: { name: "cloud-init-getter-token", namespace: provisioning, annotations: { "kubernetes.io/service-account.name": "cloud-init-getter" } },
    },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "cloud-init-getter", namespace: provisioning }, rules: [rule([""], ["secrets"], ["get", "list"])] },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "cloud-init-getter", namespace: provisioning },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "cloud-init-getter" },
      subjects: [{ kind: "ServiceAccount", name: "cloud-init-getter", namespace: provisioning }],
    },
    serviceAccount(sa),
    serviceAccount(OSM.webhook),
    ...role(sa, MACHINE_NAMESPACE, [
      rule([""], ["events"], ["create", "patch"]),
      rule([""], ["configmaps", "secrets"], ["create", "update", "list", "get"]),
      rule(["coordination.k8s.io"], ["leases"], ["*"]),
    ]),
    ...role(sa, provisioning, [rule([""], ["secrets"], ["get", "update", "list", "create", "delete"])]),
    ...role(sa, "kube-public", [rule([""], ["configmaps"], ["get"], ["cluster-info"])]),
    ...role(sa, "default", [rule(["discovery.k8s.io"], ["endpointslices"], ["get", "list", "watch"])]),
    ...clusterRole(`system:${sa}`, sa, [
      rule(["operatingsystemmanager.k8c.io"], ["operatingsystemprofiles", "operatingsystemconfigs"], ["*"]),
      rule(["cluster.k8s.io"], ["machinedeployments"], ["get", "list", "watch", "patch", "update"]),
      rule([""], ["secrets", "configmaps"], ["list", "get", "watch"]),
    ]),
    ...clusterRole(OSM.webhook, OSM.webhook, [rule(["operatingsystemmanager.k8c.io"], ["operatingsystemprofiles"], ["get", "list", "watch"])]),
  ];
  const controller = deployment(
    {
      name: OSM.controller,
      serviceAccount: sa,
      command: [
        "/usr/local/bin/osm-controller",
        "-log-format=json",
        "-worker-count=5",
        `-cluster-dns=${clusterDnsIp(options.serviceCidr)}`,
        `-metrics-address=0.0.0.0:${OSM.metricsPort}`,
        `-health-probe-address=0.0.0.0:${OSM.healthPort}`,
        `-namespace=${MACHINE_NAMESPACE}`,
        "-container-runtime=containerd",
        `-pause-image=${VSPHERE_NODE.pauseImage}`,
        "-external-cloud-provider",
      ],
      ports: { metrics: OSM.metricsPort, health: OSM.healthPort },
      probe: { port: OSM.healthPort, scheme: "HTTP", live: "/readyz", ready: "/healthz" },
      placement: options.placement,
    },
    IMAGES.operatingSystemManager,
  );
  const webhookPod = deployment(
    {
      name: OSM.webhook,
      serviceAccount: OSM.webhook,
      command: ["/usr/local/bin/webhook", "-log-format=json", `-namespace=${MACHINE_NAMESPACE}`],
      ports: { webhook: OSM.webhookPort, health: OSM.webhookHealthPort },
      probe: { port: OSM.webhookHealthPort, scheme: "HTTP", live: "/healthz", ready: "/readyz" },
      certificate: { secret: OSM.certificate, mountPath: "/tmp/k8s-webhook-server/serving-certs" },
      placement: options.placement,
    },
    IMAGES.operatingSystemManager,
  );
  const osmGroup = "operatingsystemmanager.k8c.io";
  return {
    workloads: [...rbac, certificate(OSM.certificate, OSM.webhook, options.issuer), service(OSM.webhook, OSM.webhookPort), controller, webhookPod],
    webhooks: [
      {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "MutatingWebhookConfiguration",
        metadata: { name: osmGroup, annotations: injectCa(OSM.certificate) },
        webhooks: [webhook("/mutate-v1alpha1-machinedeployment", OSM.webhook, { group: "cluster.k8s.io", resource: "machinedeployments" }, "machinedeployments.cluster.k8s.io")],
      },
      {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingWebhookConfiguration",
        metadata: { name: osmGroup, annotations: injectCa(OSM.certificate) },
        webhooks: [
          webhook("/operatingsystemprofile", OSM.webhook, { group: osmGroup, resource: "operatingsystemprofiles" }, `operatingsystemprofiles.${osmGroup}`),
          webhook("/operatingsystemconfig", OSM.webhook, { group: osmGroup, resource: "operatingsystemconfigs" }, `operatingsystemconfigs.${osmGroup}`),
        ],
      },
    ],
  };
}
