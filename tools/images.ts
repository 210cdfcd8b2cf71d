/**
 * What a mirror needs for an air-gapped install, from `lib/catalog.ts`: every Helm chart, manifest,
 * image and Pulumi provider plugin strata pins, plus the node packages of the vSphere backend.
 *
 *   npm run images [-- --json]
 *   npm run images -- --stack <name> [--config-file <path>] [--json]
 *
 * The first lists what strata pins. With `--stack`, the images that stack pulls instead: apps,
 * the operators' operands named in their resources, and the charts' default images from the
 * reference values (`tools/images/stack-images.ts`).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runStack, toPlanDocument } from "./engine/run";
import { formatStackImages, stackImages } from "./images/stack-images";
import { defaultChartsDir } from "./verify/reference-dir";
import { CHARTS, EKS_ADDONS, IMAGES, KARPENTER_AMI_ALIAS, MANIFESTS, PLUGINS, VSPHERE_NODE } from "../lib/catalog";

export type MirrorKind = "chart" | "manifest" | "image" | "plugin" | "package" | "aws";

export interface MirrorItem {
  readonly kind: MirrorKind;
  /** What to fetch: chart reference, image reference, plugin name, package name. */
  readonly name: string;
  readonly version: string;
  /** Where it comes from (repository URL, registry, manifest URL). */
  readonly source: string;
  /** Which part of strata uses it. */
  readonly usedBy: string;
}

/** Pulumi resource plugins: one per `@pulumi/<provider>` dependency (same version), plus those pinned in the catalog. */
export function pluginItems(packageJson: { readonly dependencies?: Readonly<Record<string, string>> }): MirrorItem[] {
  const fromPackages = Object.entries(packageJson.dependencies ?? {})
    .filter(([name]) => name.startsWith("@pulumi/") && name !== "@pulumi/pulumi" && name !== "@pulumi/policy")
    .map(([name, version]) => ({ kind: "plugin" as const, name: name.slice("@pulumi/".length), version, source: "pulumi plugin install resource", usedBy: "program (npm dependency)" }));
  const pinned = Object.entries(PLUGINS).map(([name, version]) => ({ kind: "plugin" as const, name, version, source: "pulumi plugin install resource", usedBy: "program (version resource option)" }));
  return [...fromPackages, ...pinned].sort((a, b) => a.name.localeCompare(b.name));
}

/** `repository/name:tag` split into name and tag. */
function image(reference: string, usedBy: string): MirrorItem {
  const colon = reference.lastIndexOf(":");
  return { kind: "image", name: reference.slice(0, colon), version: reference.slice(colon + 1), source: reference.split("/")[0] ?? reference, usedBy };
}

export function mirrorList(packageJson: { readonly dependencies?: Readonly<Record<string, string>> }): MirrorItem[] {
  const charts = Object.entries(CHARTS).map(([id, pin]) => ({ kind: "chart" as const, name: pin.source.startsWith("oci://") ? pin.source : `${pin.source.replace(/\/$/, "")}/${pin.chart}`, version: pin.version, source: pin.source, usedBy: `cluster (${id})` }));
  const manifests = Object.entries(MANIFESTS).map(([id, m]) => ({ kind: "manifest" as const, name: m.url, version: m.version, source: m.url, usedBy: `cluster (${id})` }));
  const images = [
    ...Object.entries(IMAGES).map(([id, i]) => image(`${i.repository}:${i.tag}`, `cluster (${id})`)),
    image(VSPHERE_NODE.kubeVipImage, "infra vsphere (API VIP without load-balancer VMs)"),
    image(VSPHERE_NODE.pauseImage, "infra vsphere (containerd sandbox)"),
    ...Object.values(VSPHERE_NODE.kubernetesPackages).flatMap((p) =>
      ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kube-proxy"].map((c) => image(`registry.k8s.io/${c}:v${p.package.split("-")[0] ?? p.package}`, "infra vsphere (kubeadm; etcd and coredns: kubeadm config images list)")),
    ),
  ];
  const packages = [
    ...Object.values(VSPHERE_NODE.kubernetesPackages).flatMap((p) => ["kubelet", "kubeadm", "kubectl"].map((name) => ({ kind: "package" as const, name, version: p.package, source: `pkgs.k8s.io/core:/stable:/${p.channel}/deb`, usedBy: "infra vsphere (apt)" }))),
    ...Object.entries(VSPHERE_NODE.ubuntuPackages).map(([name, version]) => ({ kind: "package" as const, name, version, source: `ubuntu ${VSPHERE_NODE.template.release} archive`, usedBy: "infra vsphere (apt)" })),
  ];
  const aws = [
    ...Object.entries(EKS_ADDONS).map(([name, version]) => ({ kind: "aws" as const, name: `eks add-on ${name}`, version, source: "AWS (regional ECR, not mirrored)", usedBy: "infra eks" })),
    { kind: "aws" as const, name: "karpenter AMI alias", version: KARPENTER_AMI_ALIAS, source: "AWS SSM public parameters", usedBy: "cluster karpenter" },
  ];
  return [...charts, ...manifests, ...images, ...pluginItems(packageJson), ...packages, ...aws];
}

export function formatMirrorList(items: readonly MirrorItem[]): string {
  const widths = [8, Math.max(...items.map((i) => i.name.length)), Math.max(...items.map((i) => i.version.length))];
  return items.map((i) => `${i.kind.padEnd(widths[0] ?? 8)}  ${i.name.padEnd(widths[1] ?? 0)}  ${i.version.padEnd(widths[2] ?? 0)}  ${i.usedBy}`).join("\n");
}

/** With `--stack`, the images that stack's plan pulls (`tools/images/stack-images.ts`). */
async function imagesOfStack(stack: string, configFile: string | undefined, json: boolean): Promise<void> {
  const plan = toPlanDocument(await runStack({ stack, ...(configFile === undefined ? {} : { configFile }) }));
  const images = stackImages(plan.resources, defaultChartsDir());
  process.stdout.write(`${json ? JSON.stringify(images, null, 2) : formatStackImages(images)}\n`);
}

if (require.main === module) {
  const { values } = parseArgs({ options: { json: { type: "boolean", default: false }, stack: { type: "string" }, "config-file": { type: "string" } }, strict: true });
  if (values.stack !== undefined) {
    imagesOfStack(values.stack, values["config-file"], values.json).catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
  } else {
    const packageJson = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    const items = mirrorList(packageJson);
    process.stdout.write(`${values.json ? JSON.stringify(items, null, 2) : formatMirrorList(items)}\n`);
  }
}
