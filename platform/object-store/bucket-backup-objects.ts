/**
 * Pure: what copies the apps' buckets of the in-cluster SeaweedFS to the backup target, as
 * Kubernetes objects: one `weed filer.backup` container per bucket (SeaweedFS 4.44,
 * `weed/command/filer_backup.go`) with an S3 sink (`weed/replication/sink/s3sink/s3_sink.go`),
 * its `replication.toml`, the NetworkPolicies of its two paths, and those paths for the
 * connection check (lib/connections.ts).
 *
 * Why `filer.backup`, in incremental mode (see the platform README, "App buckets off the cluster"):
 * - Continuous: it subscribes to the filer's metadata log and copies each new or changed file as
 *   it lands; no schedule, so the copy lags by seconds, not a day.
 * - Deletes never reach the copy: `-doDeleteFiles` is off by default, and with the sink's
 *   `is_incremental` the command turns it off whatever the flag says (`genProcessFunction`).
 * - Versions kept: incremental keys are `<directory>/<yyyy-mm-dd of the file's mtime>/<key>`
 *   (`destKey` in `filer_sync.go`), so an app (or an attacker) overwriting a file on a later day
 *   writes a new object beside the old one instead of replacing it; same-day rewrites replace
 *   each other. `-retentionDays` is left unset: the sink cannot delete directories anyway
 *   (`DeleteEntry` returns early for them), and a file never rewritten lives only in its first
 *   day's folder.
 * - Resumes where it stopped: every 3 s it stores the last event's timestamp in the filer's KV
 *   store under `backup.` + a hash of the sink's name and directory (`setOffset`), and reads it
 *   back at start; a first start replays the filer's metadata log from its beginning. Each bucket
 *   has its own sink directory, hence its own offset.
 * - `filer.remote.sync` was not chosen: it writes back a bucket mounted from remote storage
 *   (`remote.mount`, state kept in the filer) and mirrors deletes to it
 *   (`filer_remote_sync_dir.go`). `filer.sync` needs a second SeaweedFS. The chart (4.44.0)
 *   renders none of these, so strata runs the command itself.
 *
 * Keys: the toml's `aws_access_key_id`/`aws_secret_access_key` stay empty, which makes the sink
 * build its session without static credentials (`initialize`), so aws-sdk-go v1's default chain
 * reads `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` from the environment (`session/env_config.go`;
 * `AWS_CA_BUNDLE` the same way). The pod takes them from the target's own Secret: the keys are
 * never copied into strata's objects, and the toml is a ConfigMap with nothing secret in it. A
 * private endpoint's CA bundle (`caBundleKey` of the same Secret) is mounted for `AWS_CA_BUNDLE`.
 */
import type * as k8sInput from "@pulumi/kubernetes/types/input";
import { IMAGES } from "../../lib/catalog";
import { type ConnectionDeclaration, type ConnectionTarget, fromPods, serviceOfHost } from "../../lib/connections";
import type { Placement } from "../../lib/contracts";
import { standardLabels } from "../../lib/labels";
import { CONFIG_DIGEST_ANNOTATION } from "../../lib/digest-annotations";
import { type BackupTarget, placementFields, quantities } from "../data-service";
import { EXTERNAL_BACKUP_TARGET, OBJECT_STORE_SECRET_KEYS } from "./credentials";
import { SEAWEEDFS_RELEASE } from "./values";
import { SEAWEEDFS_PORTS, seaweedfsLabels } from "./workloads";

/** Deployment name; the alerts (bucket-backup-alerts.ts) select it by this name. */
export const BUCKET_BACKUP_NAME = "bucket-backup";
/** Labels of the copier's pods. */
export const BUCKET_BACKUP_LABELS: Readonly<Record<string, string>> = { "app.kubernetes.io/name": BUCKET_BACKUP_NAME, "app.kubernetes.io/instance": BUCKET_BACKUP_NAME };
/** Where each bucket's `replication.toml` is mounted: `<dir>/<purpose>/replication.toml`, read through `weed -config_dir`. */
export const CONFIG_DIR = "/etc/bucket-backup";
/** The image's non-root `seaweed` user and group (docker/Dockerfile.go_build: `adduser -u 1000`). */
const SEAWEED_UID = 1000;
/** Where the target's CA bundle is mounted when it has one (`AWS_CA_BUNDLE`). */
const CA_DIR = "/etc/bucket-backup-ca";
/** SeaweedFS's default folder of S3 buckets on the filer (`weed filer -dir.buckets`). */
const FILER_BUCKETS_DIR = "/buckets";

export interface BucketBackupSpec {
  /** Namespace of SeaweedFS, where the copier runs beside it. */
  readonly namespace: string;
  /** Buckets to copy, by purpose (`strata:platform.objectStore.buckets` without `backups`). */
  readonly buckets: Readonly<Record<string, string>>;
  /** Where the copies go: the bucket, a prefix inside it, and the Secret with its keys (in `namespace`). */
  readonly target: BackupTarget;
  /** Where the copier runs (the storage pool, beside SeaweedFS). */
  readonly placement: Placement;
  /** Ranges that are not outside the cluster (`ClusterAddresses.internal`), excepted from the egress to an external target. */
  readonly internalRanges: readonly string[];
  /** Walk each bucket's live tree before following the log (`-initialSnapshot`), for a store whose early metadata log is gone. @default false */
  readonly seedFromLiveTree?: boolean;
}

/** The filer the copier follows: one filer pod, whose own KV store keeps the copier's offsets. */
export function filerAddress(namespace: string, release = SEAWEEDFS_RELEASE): string {
  // Each filer on the embedded leveldb2 keeps its own KV store; through the load-balanced client
  // Service a restart could read another filer's (older or missing) offset and copy again. The
  // command dials gRPC at the HTTP port + 10000, 18888 (weed/pb/server_address.go, ToGrpcAddress).
  return `${release}-filer-0.${release}-filer.${namespace}.svc:${SEAWEEDFS_PORTS.filer}`;
}

/** The sink folder of one bucket: `/<target prefix>/<bucket>`. */
export function sinkDirectory(prefix: string, bucket: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, "");
  return trimmed === "" ? `/${bucket}` : `/${trimmed}/${bucket}`;
}

const tomlString = (value: string): string => JSON.stringify(value);

/**
 * One bucket's `replication.toml`: only the `[sink.s3]` table (the keys `S3Sink.Initialize`
 * reads; the scaffold's other sinks are off unless enabled). No keys: see the file comment.
 */
export function replicationToml(target: BackupTarget, bucket: string): string {
  return [
    "# weed filer.backup: copy one bucket to the backup target, keeping every day's version, never deleting.",
    "[sink.s3]",
    "enabled = true",
    `endpoint = ${tomlString(target.endpoint)}`,
    `region = ${tomlString(target.region)}`,
    `bucket = ${tomlString(target.bucket)}`,
    `directory = ${tomlString(sinkDirectory(target.prefix, bucket))}`,
    `s3_force_path_style = ${String(target.forcePathStyle)}`,
    "is_incremental = true",
    "",
  ].join("\n");
}

/** Container name of a bucket's copier (a DNS label). */
export const copierName = (purpose: string): string => `copy-${purpose}`.slice(0, 63).replace(/-+$/, "");

/** The ConfigMap's data: `<purpose>.toml` per bucket. */
export function bucketBackupConfig(spec: BucketBackupSpec): Record<string, string> {
  return Object.fromEntries(Object.entries(spec.buckets).map(([purpose, bucket]) => [`${purpose}.toml`, replicationToml(spec.target, bucket)]));
}

function copier(spec: BucketBackupSpec, purpose: string, bucket: string): k8sInput.core.v1.Container {
  const fromTarget = (name: string): k8sInput.core.v1.EnvVar => ({ name, valueFrom: { secretKeyRef: { name: spec.target.credentialsSecret, key: name } } });
  return {
    name: copierName(purpose),
    image: `${IMAGES.seaweedfs.repository}:${IMAGES.seaweedfs.tag}`,
    // The binary itself: the image's entrypoint starts as root to chown /data and drop to `seaweed`.
    command: ["/usr/bin/weed"],
    args: [
      "-logtostderr=true",
      `-config_dir=${CONFIG_DIR}/${purpose}`,
      "filer.backup",
      `-filer=${filerAddress(spec.namespace)}`,
      `-filerPath=${FILER_BUCKETS_DIR}/${bucket}`,
      // Chunks read through the filer's HTTP port, not from each volume server: one peer to allow.
      "-filerProxy=true",
      ...(spec.seedFromLiveTree === true ? ["-initialSnapshot=true"] : []),
    ],
    env: [
      fromTarget(OBJECT_STORE_SECRET_KEYS.accessKeyId),
      fromTarget(OBJECT_STORE_SECRET_KEYS.secretAccessKey),
      ...(spec.target.caBundleKey === undefined ? [] : [{ name: "AWS_CA_BUNDLE", value: `${CA_DIR}/ca.crt` }]),
    ],
    // `filer.backup` serves no port. It follows the filer it names, so both probes ask that
    // filer's `/healthz` (weed/server/filer_server.go) from inside the pod, with the image's
    // busybox wget: not ready while its source is unreachable, and restarted (a fresh metadata
    // subscription) when that lasts ten minutes.
    readinessProbe: { exec: { command: ["wget", "-q", "-O", "/dev/null", `http://${filerAddress(spec.namespace)}/healthz`] }, periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 2 },
    livenessProbe: { exec: { command: ["wget", "-q", "-O", "/dev/null", `http://${filerAddress(spec.namespace)}/healthz`] }, periodSeconds: 60, timeoutSeconds: 5, failureThreshold: 10 },
    // Parts of 8 MiB, 8 at a time (the sink's defaults): about 64 MiB of buffers per upload.
    resources: quantities({ cpuMillis: 50, memoryMi: 128, limitCpuMillis: 500, limitMemoryMi: 512 }),
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
    volumeMounts: [
      { name: "config", mountPath: CONFIG_DIR, readOnly: true },
      { name: "tmp", mountPath: "/tmp" },
      ...(spec.target.caBundleKey === undefined ? [] : [{ name: "ca", mountPath: CA_DIR, readOnly: true }]),
    ],
    // No probe: filer.backup serves no port; it retries the filer and the target itself, and the
    // alerts watch the Deployment's availability and restarts.
  };
}

/** The Deployment's spec; `configChecksum` rolls the pod when a toml changes. */
export function bucketBackupDeploymentSpec(spec: BucketBackupSpec, configMapName: string, configChecksum: string): k8sInput.apps.v1.DeploymentSpec {
  const buckets = Object.entries(spec.buckets).sort(([a], [b]) => a.localeCompare(b));
  return {
    // One copier per bucket at a time: two would race on the same offset and upload twice.
    replicas: 1,
    strategy: { type: "Recreate" },
    selector: { matchLabels: { ...BUCKET_BACKUP_LABELS } },
    template: {
      metadata: { labels: { ...standardLabels({ name: BUCKET_BACKUP_NAME, component: "object-store-backup" }) }, annotations: { [CONFIG_DIGEST_ANNOTATION]: configChecksum } },
      spec: {
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: { runAsNonRoot: true, runAsUser: SEAWEED_UID, runAsGroup: SEAWEED_UID, seccompProfile: { type: "RuntimeDefault" } },
        ...placementFields(spec.placement),
        containers: buckets.map(([purpose, bucket]) => copier(spec, purpose, bucket)),
        volumes: [
          { name: "config", configMap: { name: configMapName, items: buckets.map(([purpose]) => ({ key: `${purpose}.toml`, path: `${purpose}/replication.toml` })) } },
          { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
          ...(spec.target.caBundleKey === undefined ? [] : [{ name: "ca", secret: { secretName: spec.target.credentialsSecret, items: [{ key: spec.target.caBundleKey, path: "ca.crt" }] } }]),
        ],
      },
    },
  };
}

/** Host and port of the target's endpoint URL. */
function endpointOf(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: parsed.port === "" ? (parsed.protocol === "https:" ? 443 : 80) : Number(parsed.port) };
}

/** The target as the connection check sees it: a Service when its host is in the cluster, else an address outside. */
export function targetOf(target: BackupTarget): ConnectionTarget {
  const { host, port } = endpointOf(target.endpoint);
  const service = serviceOfHost(host);
  return service === undefined ? { kind: "external", name: EXTERNAL_BACKUP_TARGET, port } : { kind: "service", namespace: service.namespace, name: service.name, port };
}

export interface NamedPolicy {
  readonly name: string;
  readonly namespace: string;
  readonly spec: k8sInput.networking.v1.NetworkPolicySpec;
}

/**
 * The copier's egress (the filer's HTTP and gRPC ports; the target's port outside the cluster, or
 * its Service's namespace) and the filer's ingress from it. The cluster layer's same-namespace
 * and 443-outside rules for the data namespace admit most of this already; these say exactly what
 * the copier needs, and a target on another port (MinIO's 9000) needs its own rule.
 */
export function bucketBackupPolicies(spec: BucketBackupSpec): Readonly<Record<"egress" | "filerIngress", NamedPolicy>> {
  const filerPorts = [SEAWEEDFS_PORTS.filer, SEAWEEDFS_PORTS.filerGrpc].map((port) => ({ protocol: "TCP", port }));
  const copierPods = { podSelector: { matchLabels: { ...BUCKET_BACKUP_LABELS } } };
  const filerPods = { podSelector: { matchLabels: seaweedfsLabels("filer") } };
  const { host, port } = endpointOf(spec.target.endpoint);
  const service = serviceOfHost(host);
  const toTarget: k8sInput.networking.v1.NetworkPolicyEgressRule = {
    to: [service === undefined ? { ipBlock: { cidr: "0.0.0.0/0", except: [...spec.internalRanges] } } : { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": service.namespace } } }],
    ports: [{ protocol: "TCP", port }],
  };
  return {
    egress: {
      name: `${BUCKET_BACKUP_NAME}-egress`,
      namespace: spec.namespace,
      spec: { ...copierPods, policyTypes: ["Egress"], egress: [{ to: [filerPods], ports: filerPorts }, toTarget] },
    },
    filerIngress: {
      name: `filer-from-${BUCKET_BACKUP_NAME}`,
      namespace: spec.namespace,
      spec: { ...filerPods, policyTypes: ["Ingress"], ingress: [{ from: [copierPods], ports: filerPorts }] },
    },
  };
}

/**
 * The copier's paths for the connection check: the filer (log and offsets over gRPC, chunks over
 * HTTP) and the target (`targetOf`) with the Secret its keys come from.
 */
export function bucketBackupConnections(namespace: string, target: BackupTarget): ConnectionDeclaration[] {
  const from = fromPods(namespace, BUCKET_BACKUP_LABELS);
  const filer = (port: number): ConnectionTarget => ({ kind: "service", namespace, name: `${SEAWEEDFS_RELEASE}-filer`, port });
  return [
    { purpose: "app bucket copies follow the filer's metadata log and keep their offsets in its KV store", from, to: filer(SEAWEEDFS_PORTS.filerGrpc) },
    { purpose: "app bucket copies read file chunks through the filer", from, to: filer(SEAWEEDFS_PORTS.filer) },
    {
      purpose: "app bucket copies upload to the backup target",
      from,
      to: targetOf(target),
      secrets: [{ name: target.credentialsSecret ?? "(no credentials Secret)", keys: [OBJECT_STORE_SECRET_KEYS.accessKeyId, OBJECT_STORE_SECRET_KEYS.secretAccessKey, ...(target.caBundleKey === undefined ? [] : [target.caBundleKey])] }],
    },
  ];
}
