/**
 * The Istio ambient mesh as the connection check sees it. A pod is meshed when istio-cni's
 * enablement selectors pick it (cni chart values.yaml `ambient.enablementSelectors`, Istio
 * 1.30.3): the pod carries `istio.io/dataplane-mode: ambient`, or its namespace does and the pod
 * does not opt out with `none`. Between two meshed pods ztunnel carries the connection as HBONE
 * to port 15008 of the destination pod, and NetworkPolicy is enforced on those packets
 * (istio.io, "Ambient and Kubernetes NetworkPolicy"): both ends' policies must admit 15008 as
 * well as the application port the client dialled. ztunnel carries TCP only; UDP travels as is.
 */
import { DATAPLANE_MODE_LABEL as MODE_LABEL, HBONE_PORT } from "../../lib/mesh";
import type { Endpoint } from "../netpol/evaluate";

export function isMeshed(endpoint: Endpoint): boolean {
  if (endpoint.kind !== "pod") return false;
  const own = endpoint.labels?.[MODE_LABEL];
  if (own === "ambient") return true;
  return own !== "none" && endpoint.namespaceLabels?.[MODE_LABEL] === "ambient";
}

/** The ports a connection from `from` to `to` on `port` needs the NetworkPolicies to admit. */
export function portsOnTheWire(from: Endpoint, to: Endpoint, port: number, protocol: "TCP" | "UDP"): { readonly port: number; readonly hbone: boolean }[] {
  return protocol === "TCP" && isMeshed(from) && isMeshed(to) ? [{ port, hbone: false }, { port: HBONE_PORT, hbone: true }] : [{ port, hbone: false }];
}
