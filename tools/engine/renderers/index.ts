/** Renderer per type token for `plan --out`; Kubernetes objects share one renderer. */
import { POLICY_INPUTS, renderPolicy } from "./aws";
import { isKubernetesObject, renderConfigFile, renderHelmRelease, renderKubernetesObject } from "./kubernetes";
import type { Renderer } from "./types";
import { renderVirtualMachine } from "./vsphere";

const BY_TYPE: Readonly<Record<string, Renderer>> = {
  "kubernetes:helm.sh/v3:Release": renderHelmRelease,
  "kubernetes:yaml/v2:ConfigFile": renderConfigFile,
  "vsphere:index/virtualMachine:VirtualMachine": renderVirtualMachine,
  ...Object.fromEntries(Object.keys(POLICY_INPUTS).map((type) => [type, renderPolicy])),
};

export function rendererFor(type: string): Renderer | undefined {
  return BY_TYPE[type] ?? (isKubernetesObject(type) ? renderKubernetesObject : undefined);
}
