/**
 * Pure: the SeaweedFS pods the seaweedfs chart (4.44.0) renders for strata's values, as the
 * connection check sees them (lib/connections.ts). With release `seaweedfs` and no overrides,
 * `seaweedfs.name` and `seaweedfs.fullname` are both `seaweedfs` (templates/shared/_helpers.tpl)
 * and every pod carries `app.kubernetes.io/{name, instance, component}`:
 * - master: component `master`, container ports `swfs-master` 9333, `metrics` 9327 only with
 *   `global.seaweedfs.monitoring.enabled`, gRPC 19333 unnamed
 *   (templates/master/master-statefulset.yaml); headless Service `seaweedfs-master`
 *   (templates/master/master-service.yaml);
 * - volume servers: component `volume` (the default volume set, `volume-` trimmed), ports
 *   `swfs-vol` 8080, `metrics`, `swfs-vol-grpc` 18080 (templates/volume/volume-statefulset.yaml);
 *   Service `seaweedfs-volume` (templates/volume/volume-service.yaml);
 * - filers: component `filer`, ports `swfs-filer` 8888, `metrics`, gRPC 18888 unnamed
 *   (templates/filer/filer-statefulset.yaml); Services `seaweedfs-filer` and
 *   `seaweedfs-filer-client` (templates/filer/filer-service.yaml, filer-service-client.yaml);
 * - S3 gateway (`s3.enabled`, its own Deployment): component `s3`, ports `swfs-s3` and `metrics`
 *   (templates/s3/s3-deployment.yaml); Service `seaweedfs-s3` with `swfs-s3` and `metrics`
 *   (templates/s3/s3-service.yaml).
 */
import type { WorkloadDeclaration } from "../../lib/connections";
import { S3_PORT, SEAWEEDFS_RELEASE } from "./values";

/** The chart's default ports (values.yaml `master`, `volume`, `filer`, `s3`). */
export const SEAWEEDFS_PORTS = { master: 9333, masterGrpc: 19333, volume: 8080, volumeGrpc: 18080, filer: 8888, filerGrpc: 18888, metrics: 9327 } as const;

export type SeaweedfsComponent = "master" | "volume" | "filer" | "s3";

/** Labels of one component's pods (and of its Services). */
export function seaweedfsLabels(component: SeaweedfsComponent, release = SEAWEEDFS_RELEASE): Record<string, string> {
  return { "app.kubernetes.io/name": "seaweedfs", "app.kubernetes.io/instance": release, "app.kubernetes.io/component": component };
}

export type SeaweedfsWorkloads = Readonly<Record<SeaweedfsComponent, WorkloadDeclaration>>;

export function seaweedfsWorkloads(namespace: string, options: { readonly monitoring: boolean }, release = SEAWEEDFS_RELEASE): SeaweedfsWorkloads {
  const P = SEAWEEDFS_PORTS;
  const metrics = { metrics: P.metrics };
  const workload = (component: SeaweedfsComponent, containerPorts: Record<string, number>, services: Record<string, Record<string, number>>): WorkloadDeclaration => ({
    id: `${namespace}/${release}-${component}`,
    pods: { namespace, labels: seaweedfsLabels(component, release) },
    containerPorts,
    services: Object.entries(services).map(([name, ports]) => ({ name, ports, labels: seaweedfsLabels(component, release) })),
  });
  return {
    master: workload("master", { "swfs-master": P.master, ...(options.monitoring ? metrics : {}) }, { [`${release}-master`]: { "swfs-master": P.master, "swfs-master-grpc": P.masterGrpc, ...metrics } }),
    volume: workload("volume", { "swfs-vol": P.volume, "swfs-vol-grpc": P.volumeGrpc, ...metrics }, { [`${release}-volume`]: { "swfs-volume": P.volume, "swfs-volume-18080": P.volumeGrpc, ...metrics } }),
    filer: workload(
      "filer",
      { "swfs-filer": P.filer, ...metrics },
      {
        [`${release}-filer`]: { "swfs-filer": P.filer, "swfs-filer-grpc": P.filerGrpc, ...metrics },
        [`${release}-filer-client`]: { "swfs-filer": P.filer, "swfs-filer-grpc": P.filerGrpc, ...metrics },
      },
    ),
    s3: workload("s3", { "swfs-s3": S3_PORT, ...metrics }, { [`${release}-s3`]: { "swfs-s3": S3_PORT, ...metrics } }),
  };
}
