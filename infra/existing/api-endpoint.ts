import { parse } from "yaml";

interface KubeconfigDocument {
  readonly "current-context"?: string;
  readonly contexts?: readonly { readonly name: string; readonly context?: { readonly cluster?: string } }[];
  readonly clusters?: readonly { readonly name: string; readonly cluster?: { readonly server?: string } }[];
}

/**
 * The API server URL a kubeconfig points at for `context` (or its current context).
 * Returns an empty string when the document does not say.
 */
export function apiServerOf(kubeconfig: string, context?: string): string {
  const doc = (parse(kubeconfig) ?? {}) as KubeconfigDocument;
  const contextName = context ?? doc["current-context"];
  const clusterName = doc.contexts?.find((c) => c.name === contextName)?.context?.cluster;
  return doc.clusters?.find((c) => c.name === clusterName)?.cluster?.server ?? "";
}
