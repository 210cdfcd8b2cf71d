/**
 * The warnings of a plan diff: what a reviewer must not miss among many changed lines.
 *
 * - A Kubernetes downgrade or skipped minor (lib/kubernetes-versions.ts `versionChangeProblem`),
 *   read from the infra contract both plans export: otherwise it shows only as label updates.
 * - A protected resource replaced or deleted: the engine refuses to delete it, so `up` stops
 *   half-way (https://www.pulumi.com/docs/iac/concepts/options/protect/).
 * - Anything that deletes data: a PersistentVolumeClaim or PersistentVolume, a bucket, a
 *   database instance, an operator's database cluster, a data chart's release, a node VM.
 */
import type { PlanDocument, PlannedResource } from "../engine/plan-document";
import { kubernetesMinor, versionChangeProblem } from "../../lib/kubernetes-versions";
import type { ResourceChange } from "./diff";

/** Types whose delete (or replacement) deletes data. */
const DATA_TYPES: readonly RegExp[] = [
  /^kubernetes:core\/v1:(PersistentVolumeClaim|PersistentVolume)$/,
  /^aws:s3\/(bucket|bucketV2):/,
  /^aws:rds\/(instance|cluster):/,
  /^aws:ebs\/volume:/,
  /^kubernetes:postgresql\.cnpg\.io\/v1:Cluster$/,
  /^kubernetes:pxc\.percona\.com\/v1:PerconaXtraDBCluster$/,
  /^kubernetes:psmdb\.percona\.com\/v1:PerconaServerMongoDB$/,
  /^kubernetes:rabbitmq\.com\/v1beta1:RabbitmqCluster$/,
  /^kubernetes:kafka\.strimzi\.io\/v1beta2:(Kafka|KafkaNodePool)$/,
  /^vsphere:index\/virtualMachine:VirtualMachine$/,
];

/** Helm charts whose release holds data volumes (redis-ha, SeaweedFS). */
const DATA_CHARTS: ReadonlySet<string> = new Set(["redis-ha", "seaweedfs"]);

export function holdsData(resource: Pick<PlannedResource, "type" | "inputs">): boolean {
  if (DATA_TYPES.some((t) => t.test(resource.type))) return true;
  return resource.type.startsWith("kubernetes:helm.sh/") && typeof resource.inputs["chart"] === "string" && DATA_CHARTS.has(resource.inputs["chart"]);
}

function kubernetesVersionOf(plan: PlanDocument): string | undefined {
  const infra = plan.outputs["infra"] as { kubernetesVersion?: unknown } | undefined;
  return typeof infra?.kubernetesVersion === "string" && infra.kubernetesVersion !== "" ? infra.kubernetesVersion : undefined;
}

export function diffWarnings(before: PlanDocument, after: PlanDocument, changes: readonly ResourceChange[], oldIndex: ReadonlyMap<string, PlannedResource>): string[] {
  const warnings: string[] = [];
  const from = kubernetesVersionOf(before);
  const to = kubernetesVersionOf(after);
  if (from !== undefined && to !== undefined) {
    const problem = versionChangeProblem(from, to);
    if (problem !== undefined) warnings.push(`Kubernetes ${kubernetesMinor(from)} → ${kubernetesMinor(to)}: ${problem.problem}; ${problem.fix}`);
  }
  const newIndex = new Map(after.resources.map((r) => [r.urn, r]));
  for (const c of changes) {
    if (c.change !== "replace" && c.change !== "delete") continue;
    const resource = c.change === "delete" ? oldIndex.get(c.urn) : (newIndex.get(c.urn) ?? oldIndex.get(c.urn));
    if (resource === undefined) continue;
    const what = `${c.type} ${c.name}`;
    const verb = c.change === "delete" ? "deletes" : "replaces";
    if (resource.protect || oldIndex.get(c.urn)?.protect === true) warnings.push(`${verb} protected ${what}: the engine refuses and the update stops part-way; unprotect it on purpose first, or undo the change`);
    if (holdsData(resource)) warnings.push(`${verb} ${what}, which holds data: its contents are lost unless backed up and restored`);
  }
  return warnings;
}
