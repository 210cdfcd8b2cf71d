/**
 * The bucket Job's paths (lib/connections.ts): `weed shell` speaks gRPC to the masters (port +
 * 10000, the Service's `swfs-master-grpc`) and to the filer (`swfs-filer-grpc` of
 * `<release>-filer-client`), the Services workloads.ts declares.
 */
import { declareConnection, fromPods } from "../../lib/connections";
import { BUCKET_JOB_LABELS } from "./bucket-job";
import { SEAWEEDFS_RELEASE } from "./values";
import { SEAWEEDFS_PORTS } from "./workloads";

export function declareBucketJobConnections(namespace: string): void {
  const from = fromPods(namespace, BUCKET_JOB_LABELS);
  declareConnection({ purpose: "bucket Job: weed shell to the masters", from, to: { kind: "service", namespace, name: `${SEAWEEDFS_RELEASE}-master`, port: SEAWEEDFS_PORTS.masterGrpc } });
  declareConnection({ purpose: "bucket Job: weed shell to the filer", from, to: { kind: "service", namespace, name: `${SEAWEEDFS_RELEASE}-filer-client`, port: SEAWEEDFS_PORTS.filerGrpc } });
}
