/** `strata:cluster.mesh`: the optional Istio service mesh (ambient mode). */
import { z } from "zod";
import { strictObject } from "../common";

/** Data-plane modes strata installs; ambient only (ztunnel per node, no sidecars). */
export const MESH_MODES = ["ambient"] as const;
/** Mutual-TLS modes of the meshed namespaces' `PeerAuthentication`. */
export const MESH_MTLS_MODES = ["strict", "permissive"] as const;

export const meshConfig = strictObject({
  enabled: z.boolean().default(false).describe("Install Istio (istio-base, istiod, istio-cni, ztunnel) and mesh the app and gateway namespaces. Off by default: see cluster/README.md, Service mesh."),
  mode: z.enum(MESH_MODES).default("ambient").describe("Data-plane mode: `ambient` (ztunnel per node for mTLS and L4 identity; no sidecars)."),
  mtls: z
    .enum(MESH_MTLS_MODES)
    .default("strict")
    .describe("Mutual TLS between meshed pods: `strict` refuses plaintext from outside the mesh (a namespace-wide PeerAuthentication STRICT); `permissive` accepts both while workloads migrate."),
});

export type MeshConfig = z.infer<typeof meshConfig>;
