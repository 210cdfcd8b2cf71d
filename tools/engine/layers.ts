/** Which strata layer a captured resource belongs to, from its own or its nearest ancestor's type token. */
import type { PlannedResource } from "./plan-document";

export type LayerName = "infra" | "cluster" | "platform" | "apps" | "upstream";

const PROVIDER_LAYERS: Readonly<Record<string, LayerName>> = {
  "pulumi:providers:kubernetes": "cluster",
  "pulumi:providers:aws": "infra",
  "pulumi:providers:vsphere": "infra",
  "pulumi:pulumi:StackReference": "upstream",
};

export function layerOf(resource: Pick<PlannedResource, "type" | "parent">, byUrn: ReadonlyMap<string, Pick<PlannedResource, "type" | "parent">>): LayerName {
  let current: Pick<PlannedResource, "type" | "parent"> | undefined = resource;
  while (current !== undefined) {
    const match = /^strata:(infra|cluster|platform|apps):/.exec(current.type);
    if (match) return match[1] as LayerName;
    const provider = PROVIDER_LAYERS[current.type];
    if (provider) return provider;
    current = current.parent ? byUrn.get(current.parent) : undefined;
  }
  return "infra";
}
