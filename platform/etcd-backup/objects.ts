/**
 * Pure: what copies the vSphere control planes' etcd snapshots to the backup target, as
 * Kubernetes objects: a CronJob whose pod runs on a control plane, reads the node's snapshot
 * folder (written by the infra layer's `strata-etcd-snapshot` timer) through a read-only
 * hostPath, and copies the snapshots not yet in the bucket to `<bucket>/etcd/<cluster>/<node>/`
 * with rclone; its namespace's NetworkPolicies; and its path for the connection check.
 *
 * One CronJob that runs on whichever control plane the scheduler picks, not one per control
 * plane: every member's snapshot holds the whole keyspace, and a restore starts every member from
 * one snapshot (etcd "Disaster recovery", https://etcd.io/docs/v3.6/op-guide/recovery/), so one
 * recent snapshot off the cluster is enough. Each run copies what its node has (every snapshot
 * not yet uploaded); runs land on different control planes over time. A run fails when its node
 * has no snapshot from the last `FRESH_SNAPSHOT_HOURS`, so a control plane whose timer is broken
 * turns the upload alert on instead of re-copying old files.
 *
 * rclone (MIT; rclone/rclone v1.75.0): an on-the-fly `:s3:` remote configured from the
 * environment (`RCLONE_S3_<OPTION>`, `RCLONE_<GLOBAL FLAG>`; docs/content/docs.md, "Environment
 * variables"), keys from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` through `env_auth`
 * (backend/s3/s3.go), `no_check_bucket` so the writer needs no bucket-creation right,
 * `--immutable` (fs/config.go: never modify an existing object; a snapshot name is unique), and
 * `--ca-cert` for a target whose certificate a private CA signed. rclone's config and cache go to
 * an emptyDir (`XDG_CONFIG_HOME`/`XDG_CACHE_HOME`): the root filesystem is read-only.
 *
 * Why the pod runs as uid 0 (with no capability, no privilege escalation, a read-only root
 * filesystem and a read-only mount): the snapshots are root's (folder 0700, files 0600; they hold
 * every Secret of the cluster) and stay so. The owner reads its own files without
 * CAP_DAC_OVERRIDE, so dropping every capability still lets it read them and nothing else of
 * the host's; the image's own non-root user (1009, `rclone`) could not read them without the
 * nodes loosening the files' mode. A hostPath volume needs the `privileged` Pod Security level
 * (`baseline` forbids hostPath), hence the dedicated namespace (ETCD_BACKUP_NAMESPACE).
 */
import { CREDENTIALS_DIGEST_ANNOTATION } from "../../lib/digest-annotations";
import type * as k8sInput from "@pulumi/kubernetes/types/input";
import { BACKUP_PREFIXES } from "../../lib/bucket-layout";
import { IMAGES } from "../../lib/catalog";
import type { ConnectionDeclaration } from "../../lib/connections";
import { fromPods, serviceOfHost } from "../../lib/connections";
import { ETCD_SNAPSHOT_DIR, ETCD_SNAPSHOT_GLOB } from "../../lib/etcd-snapshots";
import { standardLabels } from "../../lib/labels";
import type { BackupTarget } from "../data-service";
import { targetOf } from "../object-store/bucket-backup-objects";
import { OBJECT_STORE_SECRET_KEYS } from "../object-store/credentials";

/** Namespace of the upload: privileged for its hostPath, and nothing else runs there. */
export const ETCD_BACKUP_NAMESPACE = "etcd-backup";
/** CronJob name; the alert (alerts.ts) selects it by this name. */
export const ETCD_UPLOAD_NAME = "etcd-snapshot-upload";
/** Labels of the upload's pods. */
export const ETCD_UPLOAD_LABELS: Readonly<Record<string, string>> = { "app.kubernetes.io/name": ETCD_UPLOAD_NAME, "app.kubernetes.io/instance": ETCD_UPLOAD_NAME };
/** Secret (in the namespace) with the target's keys and CA bundle. */
export const ETCD_UPLOAD_SECRET = "etcd-snapshots-backup-s3";
/** A node's newest snapshot must be younger than this; its timer runs at least daily (config/infra/vsphere/etcd-snapshots.ts). */
export const FRESH_SNAPSHOT_HOURS = 25;
/** kubeadm's control-plane node label and taint (kubeadm `mark-control-plane` phase). */
const CONTROL_PLANE = "node-role.kubernetes.io/control-plane";
const SNAPSHOTS_MOUNT = "/snapshots";
const CA_DIR = "/etc/etcd-upload-ca";

export interface EtcdUploadSpec {
  /** Cluster name: the folder under `etcd/` in the bucket. */
  readonly cluster: string;
  /** The backup target; its `credentialsSecret` is ETCD_UPLOAD_SECRET in the namespace. */
  readonly target: BackupTarget;
  /** Cron, UTC. */
  readonly schedule: string;
  /** Ranges inside the cluster (`ClusterAddresses.internal`), excepted from the egress to an external target. */
  readonly internalRanges: readonly string[];
  /**
   * Digest of the keys Secret: on the pod template, so a rotation shows in the plan as a change of
   * the CronJob (each run's pod reads the Secret when it starts). @default - none
   */
  readonly credentialsDigest?: string;
}

/** The folder of one node's snapshots in the bucket, without the bucket: `etcd/<cluster>/` + the node. */
export function remoteFolder(cluster: string): string {
  return `${BACKUP_PREFIXES.etcd}${cluster}`;
}

/** The pod's script: refuse a node without a recent snapshot, then copy what is not in the bucket yet. */
export function uploadScript(spec: Pick<EtcdUploadSpec, "cluster" | "target">): string {
  return [
    "set -eu",
    `fresh=$(find ${SNAPSHOTS_MOUNT} -maxdepth 1 -name '${ETCD_SNAPSHOT_GLOB}' -mmin -${FRESH_SNAPSHOT_HOURS * 60} | head -n 1)`,
    'if [ -z "$fresh" ]; then',
    `  echo "strata: control plane $NODE_NAME has no etcd snapshot newer than ${FRESH_SNAPSHOT_HOURS} hours in ${ETCD_SNAPSHOT_DIR}; see its strata-etcd-snapshot timer" >&2`,
    "  exit 1",
    "fi",
    `rclone copy ${SNAPSHOTS_MOUNT} ":s3:${spec.target.bucket}/${remoteFolder(spec.cluster)}/$NODE_NAME" --include '${ETCD_SNAPSHOT_GLOB}' --immutable --stats-one-line -v`,
    "",
  ].join("\n");
}

/** rclone's S3 settings, as its environment variables. */
function rcloneEnv(target: BackupTarget): k8sInput.core.v1.EnvVar[] {
  const fromSecret = (name: string): k8sInput.core.v1.EnvVar => ({ name, valueFrom: { secretKeyRef: { name: ETCD_UPLOAD_SECRET, key: name } } });
  const aws = /\.amazonaws\.com(:443)?$/.test(new URL(target.endpoint).host);
  return [
    { name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
    fromSecret(OBJECT_STORE_SECRET_KEYS.accessKeyId),
    fromSecret(OBJECT_STORE_SECRET_KEYS.secretAccessKey),
    { name: "RCLONE_S3_PROVIDER", value: aws ? "AWS" : "Other" },
    { name: "RCLONE_S3_ENV_AUTH", value: "true" },
    { name: "RCLONE_S3_ENDPOINT", value: target.endpoint },
    { name: "RCLONE_S3_REGION", value: target.region },
    { name: "RCLONE_S3_FORCE_PATH_STYLE", value: String(target.forcePathStyle) },
    { name: "RCLONE_S3_NO_CHECK_BUCKET", value: "true" },
    ...(target.caBundleKey === undefined ? [] : [{ name: "RCLONE_CA_CERT", value: `${CA_DIR}/ca.crt` }]),
    { name: "XDG_CONFIG_HOME", value: "/tmp" },
    { name: "XDG_CACHE_HOME", value: "/tmp" },
  ];
}

/** The CronJob's spec. */
export function etcdUploadCronJobSpec(spec: EtcdUploadSpec): k8sInput.batch.v1.CronJobSpec {
  const labels = { ...standardLabels({ name: ETCD_UPLOAD_NAME, component: "etcd-backup" }), ...ETCD_UPLOAD_LABELS };
  return {
    schedule: spec.schedule,
    timeZone: "Etc/UTC",
    // A slow upload is never joined by a second one on the same files.
    concurrencyPolicy: "Forbid",
    startingDeadlineSeconds: 900,
    successfulJobsHistoryLimit: 1,
    failedJobsHistoryLimit: 3,
    jobTemplate: {
      metadata: { labels },
      spec: {
        backoffLimit: 2,
        activeDeadlineSeconds: 3000,
        template: {
          metadata: { labels, ...(spec.credentialsDigest === undefined ? {} : { annotations: { [CREDENTIALS_DIGEST_ANNOTATION]: spec.credentialsDigest } }) },
          spec: {
            restartPolicy: "Never",
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            nodeSelector: { [CONTROL_PLANE]: "" },
            tolerations: [{ key: CONTROL_PLANE, operator: "Exists", effect: "NoSchedule" }],
            // uid 0 without capabilities: the snapshots are root's 0600 files (see the file comment).
            securityContext: { runAsUser: 0, runAsGroup: 0, runAsNonRoot: false, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "upload",
                image: `${IMAGES.rclone.repository}:${IMAGES.rclone.tag}`,
                command: ["/bin/sh", "-c", uploadScript(spec)],
                env: rcloneEnv(spec.target),
                resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ["ALL"] } },
                volumeMounts: [
                  { name: "snapshots", mountPath: SNAPSHOTS_MOUNT, readOnly: true },
                  { name: "tmp", mountPath: "/tmp" },
                  ...(spec.target.caBundleKey === undefined ? [] : [{ name: "ca", mountPath: CA_DIR, readOnly: true }]),
                ],
              },
            ],
            volumes: [
              { name: "snapshots", hostPath: { path: ETCD_SNAPSHOT_DIR, type: "Directory" } },
              { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
              ...(spec.target.caBundleKey === undefined ? [] : [{ name: "ca", secret: { secretName: ETCD_UPLOAD_SECRET, items: [{ key: spec.target.caBundleKey, path: "ca.crt" }] } }]),
            ],
          },
        },
      },
    },
  };
}

export interface NamedPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly spec: k8sInput.networking.v1.NetworkPolicySpec;
}

/** Host and port of the target's endpoint URL. */
function endpointOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: parsed.port === "" ? (parsed.protocol === "https:" ? 443 : 80) : Number(parsed.port) };
}

/** The namespace's policies by role; `targetIngress` only where the target is a Service in the cluster. */
export interface EtcdUploadPolicies {
  readonly defaultDeny: NamedPolicy;
  readonly dns: NamedPolicy;
  readonly egress: NamedPolicy;
  readonly targetIngress?: NamedPolicy;
}

/**
 * Deny by default, DNS, and the upload's egress to the target (its port outside the cluster, or
 * its Service's namespace); for an in-cluster target, that namespace's ingress from the upload on
 * the target's port (no other rule there admits this namespace).
 */
export function etcdUploadPolicies(spec: EtcdUploadSpec): EtcdUploadPolicies {
  const namespace = ETCD_BACKUP_NAMESPACE;
  const uploadPods = { podSelector: { matchLabels: { ...ETCD_UPLOAD_LABELS } } };
  const { host, port } = endpointOf(spec.target.endpoint);
  const service = serviceOfHost(host);
  const ports = [{ protocol: "TCP", port }];
  return {
    defaultDeny: { name: "default-deny", namespace, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
    dns: {
      name: "allow-dns",
      namespace,
      spec: {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
            ports: [
              { protocol: "UDP", port: 53 },
              { protocol: "TCP", port: 53 },
            ],
          },
        ],
      },
    },
    egress: {
      name: `${ETCD_UPLOAD_NAME}-egress`,
      namespace,
      spec: {
        ...uploadPods,
        policyTypes: ["Egress"],
        egress: [{ to: [service === undefined ? { ipBlock: { cidr: "0.0.0.0/0", except: [...spec.internalRanges] } } : { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": service.namespace } } }], ports }],
      },
    },
    ...(service === undefined
      ? {}
      : {
          targetIngress: {
            name: `allow-${ETCD_UPLOAD_NAME}`,
            namespace: service.namespace,
            spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } }, ...uploadPods }], ports }] },
          },
        }),
  };
}

/** The upload's path for the connection check: its pods → the target, with the keys (and CA) it reads. */
export function etcdUploadConnection(target: BackupTarget): ConnectionDeclaration {
  return {
    purpose: "etcd snapshots off the control planes to the backup target",
    from: fromPods(ETCD_BACKUP_NAMESPACE, ETCD_UPLOAD_LABELS),
    to: targetOf(target),
    secrets: [{ name: ETCD_UPLOAD_SECRET, keys: [OBJECT_STORE_SECRET_KEYS.accessKeyId, OBJECT_STORE_SECRET_KEYS.secretAccessKey, ...(target.caBundleKey === undefined ? [] : [target.caBundleKey])] }],
  };
}
