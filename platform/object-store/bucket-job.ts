/**
 * Pure: the Job that creates the store's buckets (and turns versioning on where asked) with
 * `weed shell`, on the storage pool. It replaces the chart's `s3.createBuckets` hook: that Job
 * (seaweedfs chart 4.44, templates/shared/post-install-bucket-hook.yaml) has no nodeSelector,
 * tolerations or affinity in its template, so it would run anywhere in the cluster. The commands
 * are the hook's: `s3.bucket.list`, `s3.bucket.create --name`, `s3.bucket.versioning -name
 * -status Enabled`; `weed shell` takes `-master` and `-filer` (weed/command/shell.go) and keeps
 * its history in the temp directory (weed/shell/shell_liner.go), an emptyDir here.
 */
import { createHash } from "node:crypto";
import type { Placement } from "../../lib/contracts";
import { standardLabels } from "../../lib/labels";
import { SEAWEEDFS_RELEASE } from "./values";
import { SEAWEEDFS_PORTS } from "./workloads";

export interface BucketJobArgs {
  readonly namespace: string;
  /** Buckets to create when missing. */
  readonly buckets: readonly string[];
  /** Of those, the buckets with versioning on. @default [] */
  readonly versionedBuckets?: readonly string[];
  /** `repository:tag` of the SeaweedFS image (the chart's appVersion). */
  readonly image: string;
  /** The storage pool. */
  readonly placement: Placement;
}

/** Labels of the Job's pods (the connection check's source). */
export const BUCKET_JOB_LABELS = { "app.kubernetes.io/name": "seaweedfs", "app.kubernetes.io/instance": SEAWEEDFS_RELEASE, "app.kubernetes.io/component": "buckets" } as const;

/** The shell script: each bucket created if `s3.bucket.list` does not show it, then versioning. */
export function bucketScript(args: Pick<BucketJobArgs, "namespace" | "buckets" | "versionedBuckets">): string {
  const master = `${SEAWEEDFS_RELEASE}-master.${args.namespace}.svc:${SEAWEEDFS_PORTS.master}`;
  const filer = `${SEAWEEDFS_RELEASE}-filer-client.${args.namespace}.svc:${SEAWEEDFS_PORTS.filer}`;
  return [
    "set -o pipefail",
    `weed_shell() { echo "$1" | /usr/bin/weed shell -master=${master} -filer=${filer}; }`,
    'existing=$(weed_shell "s3.bucket.list" | awk \'{print $1}\')',
    ...args.buckets.map((b) => `echo "$existing" | grep -Fxq '${b}' || weed_shell 's3.bucket.create --name ${b}'`),
    ...(args.versionedBuckets ?? []).map((b) => `weed_shell 's3.bucket.versioning -name ${b} -status Enabled'`),
    "",
  ].join("\n");
}

/** The Job; named after its script, so a changed bucket list is a new Job that runs again. */
export function bucketJobManifest(args: BucketJobArgs) {
  const script = bucketScript(args);
  const name = `${SEAWEEDFS_RELEASE}-buckets-${createHash("sha256").update(script).digest("hex").slice(0, 8)}`;
  return {
    metadata: { name, namespace: args.namespace, labels: { ...standardLabels({ name: "seaweedfs", component: "buckets" }), ...BUCKET_JOB_LABELS } },
    spec: {
      backoffLimit: 10,
      template: {
        metadata: { labels: { ...BUCKET_JOB_LABELS } },
        spec: {
          restartPolicy: "OnFailure",
          priorityClassName: "data",
          nodeSelector: { ...args.placement.nodeSelector },
          tolerations: args.placement.tolerations.map((t) => ({ ...t })),
          // uid 1000 is the image's `seaweed` user (docker/Dockerfile.go_build).
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "buckets",
              image: args.image,
              command: ["/bin/sh", "-ec", script],
              env: [{ name: "TMPDIR", value: "/tmp" }],
              resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
            },
          ],
          volumes: [{ name: "tmp", emptyDir: {} }],
        },
      },
    },
  };
}
