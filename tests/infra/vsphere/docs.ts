/** Typed readers for the documents a node boots with, shared by the builder and plan tests. */
import { gunzipSync } from "node:zlib";
import { expect } from "chai";
import { parse, parseAllDocuments } from "yaml";
import type { ClusterConfigurationDoc, InitConfigurationDoc, JoinConfigurationDoc } from "../../../infra/vsphere/kubeadm";

export interface CloudConfig {
  readonly hostname: string;
  readonly write_files: readonly { readonly path: string; readonly content: string; readonly permissions: string }[];
  readonly runcmd: readonly string[];
}

export interface Metadata {
  readonly "instance-id": string;
  readonly "local-hostname": string;
  readonly redact: readonly string[];
  readonly network: unknown;
}

export type KubeadmDoc = InitConfigurationDoc | ClusterConfigurationDoc | JoinConfigurationDoc | { readonly kind: "KubeletConfiguration" };

export function cloudConfig(text: string): CloudConfig {
  expect(text.startsWith("#cloud-config\n"), "user-data starts with #cloud-config").to.equal(true);
  return parse(text) as CloudConfig;
}

/** User-data of a planned VM, decoded from its guestinfo extraConfig. */
export function cloudConfigOfVm(vm: { readonly rawInputs: Readonly<Record<string, unknown>> }): CloudConfig {
  const extra = vm.rawInputs["extraConfig"] as Record<string, string>;
  return cloudConfig(gunzipSync(Buffer.from(extra["guestinfo.userdata"] ?? "", "base64")).toString());
}

export function fileIn(config: CloudConfig, path: string): string | undefined {
  return config.write_files.find((file) => file.path === path)?.content;
}

function kubeadmDocs(config: CloudConfig): KubeadmDoc[] {
  const content = fileIn(config, "/etc/strata/kubeadm.yaml");
  return content === undefined ? [] : parseAllDocuments(content).map((doc) => doc.toJS() as KubeadmDoc);
}

function find<K extends KubeadmDoc["kind"]>(docs: KubeadmDoc[], kind: K): Extract<KubeadmDoc, { kind: K }> {
  const doc = docs.find((d) => d.kind === kind);
  if (doc === undefined) throw new Error(`no ${kind} in the node's kubeadm config`);
  return doc as Extract<KubeadmDoc, { kind: K }>;
}

export const initOf = (config: CloudConfig) => find(kubeadmDocs(config), "InitConfiguration");
export const clusterOf = (config: CloudConfig) => find(kubeadmDocs(config), "ClusterConfiguration");
export const joinOf = (config: CloudConfig) => find(kubeadmDocs(config), "JoinConfiguration");
