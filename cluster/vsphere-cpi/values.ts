/**
 * Pure: the vSphere cloud provider's chart values, its `vsphere.conf` and its credentials Secret
 * data. strata owns the config and the Secret (the chart's `config.enabled` stays false): the
 * chart's own config template always writes `insecureFlag: true` unless a thumbprint or CA file is
 * given, and would carry the vCenter password through Helm values.
 */
import { createHash } from "node:crypto";
import { stringify } from "yaml";
import { IMAGES } from "../../lib/catalog";
import type { Placement } from "../../lib/contracts";
import { CONFIG_DIGEST_ANNOTATION } from "../../lib/digest-annotations";

/** Namespace the cloud provider runs in, as upstream installs it. */
export const CPI_NAMESPACE = "kube-system";
/** ConfigMap the chart's DaemonSet mounts when its own config is disabled. */
export const CPI_CONFIG_MAP = "cloud-config";
/** Secret `vsphere.conf` points the cloud provider to for the vCenter credentials. */
export const CPI_SECRET = "vsphere-cloud-secret";

/** Taint the kubelet puts on its node with `--cloud-provider=external` until the CPI initialises it. */
export const UNINITIALIZED_TAINT = "node.cloudprovider.kubernetes.io/uninitialized";
/**
 * Key of `CPI_CONFIG_MAP` holding vCenter's CA bundle. The chart mounts the whole ConfigMap at
 * `daemonset.cmdline.cloudConfig.dir` (/etc/cloud by default; vsphere-cpi 1.35.0
 * templates/daemonset.yaml, volume `vsphere-config-volume`), so it lands beside `vsphere.conf`.
 */
export const CPI_CA_KEY = "vcenter-ca.pem";
/** Where the controller reads the CA bundle: `vcenter.<server>.caFile` in `vsphere.conf`. */
export const CPI_CA_FILE = `/etc/cloud/${CPI_CA_KEY}`;

/** Label kubeadm puts on every control-plane node. */
export const KUBEADM_CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane";

export interface CpiCloudConfig {
  readonly vcenterServer: string;
  readonly datacenter: string;
  /** Accept a self-signed vCenter certificate. */
  readonly insecure: boolean;
  /** SHA-1 fingerprint of vCenter's certificate the CPI pins. @default - none */
  readonly thumbprint?: string;
  /**
   * Whether `CPI_CA_KEY` holds vCenter's CA bundle: the controller then trusts it
   * (`caFile`, read by cloud-provider-vsphere v1.35.1 pkg/common/vclib/connection.go `NewClient`
   * with `SetRootCAs`). @default false
   */
  readonly caFile?: boolean;
}

type Toleration = Placement["tolerations"][number];

/**
 * Everything the CPI must run through on a fresh cluster: its own node's uninitialised taint, the
 * control-plane taint, and `not-ready` (it runs on the host network, so it starts before the CNI).
 */
const BOOTSTRAP_TOLERATIONS: readonly Toleration[] = [
  { key: UNINITIALIZED_TAINT, operator: "Equal", value: "true", effect: "NoSchedule" },
  { key: KUBEADM_CONTROL_PLANE_LABEL, operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoSchedule" },
  { key: "CriticalAddonsOnly", operator: "Exists", effect: "NoExecute" },
];

const tolerationId = (t: Toleration): string => `${t.key}=${t.value ?? ""}:${t.effect}`;

/**
 * vsphere-cpi chart values: strata's config, control-plane nodes only, node DNS. `configDigest`
 * (of `vsphere.conf`) goes on the pods: the controller reads `--cloud-config` only when it starts,
 * and the chart checksums nothing (vsphere-cpi 1.35.0 templates/daemonset.yaml). The credentials
 * Secret needs none: the controller reads it through a Secret lister on every login
 * (cloud-provider-vsphere v1.35.0 pkg/common/credentialmanager/credentialmanager.go `GetCredential`).
 */
export function vsphereCpiValues(controlPlane: Placement, configDigest: string) {
  const seen = new Set(BOOTSTRAP_TOLERATIONS.map(tolerationId));
  const extra = controlPlane.tolerations.filter((t) => !seen.has(tolerationId(t)));
  const selector = Object.entries(controlPlane.nodeSelector)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({ key, operator: "In", values: [value] }));
  return {
    config: { enabled: false },
    daemonset: {
      podAnnotations: { [CONFIG_DIGEST_ANNOTATION]: configDigest },
      image: IMAGES.vsphereCpi.repository,
      tag: IMAGES.vsphereCpi.tag,
      // CoreDNS cannot schedule before the CPI lifts the uninitialised taint, so the CPI must find
      // vCenter through the node's resolver (a host-network pod's ClusterFirst would fall back to
      // it too; stated here so nothing depends on that fallback).
      dnsPolicy: "Default",
      tolerations: [...BOOTSTRAP_TOLERATIONS, ...extra].map((t) => ({ ...t })),
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: KUBEADM_CONTROL_PLANE_LABEL, operator: "Exists" }, ...selector] }],
          },
        },
      },
      resources: { requests: { cpu: "50m", memory: "64Mi" } },
    },
  };
}

/** `vsphere.conf` (the YAML format): one vCenter, keyed by its server name, credentials from `CPI_SECRET`. */
export function cpiVsphereConf(config: CpiCloudConfig): string {
  return stringify(
    {
      global: { port: 443, insecureFlag: config.insecure, secretName: CPI_SECRET, secretNamespace: CPI_NAMESPACE },
      vcenter: {
        [config.vcenterServer]: {
          server: config.vcenterServer,
          datacenters: [config.datacenter],
          ...(config.thumbprint === undefined ? {} : { thumbprint: config.thumbprint }),
          ...(config.caFile === true ? { caFile: CPI_CA_FILE } : {}),
        },
      },
    },
    { lineWidth: 0 },
  );
}

/**
 * The digest of `vsphere.conf` and the CA bundle the pods carry (no secret in them: the
 * credentials are in `CPI_SECRET`), so a changed CA restarts the controller like a changed config.
 */
export function cpiConfigDigest(vsphereConf: string, caBundle?: string): string {
  const hash = createHash("sha256").update(vsphereConf);
  if (caBundle !== undefined) hash.update("\0").update(caBundle);
  return hash.digest("hex").slice(0, 16);
}

/** Secret data the CPI reads credentials from: `<server>.username` and `<server>.password`. */
export function cpiCredentials(vcenterServer: string, username: string, password: string): Record<string, string> {
  return { [`${vcenterServer}.username`]: username, [`${vcenterServer}.password`]: password };
}
