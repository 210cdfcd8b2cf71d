/**
 * `strata:infra`: which backend builds the nodes, and the settings every backend shares.
 * Each backend adds its own variant to the `backend` union.
 */
import { z } from "zod";
import { KUBERNETES_VERSION } from "../lib/catalog";
import { cidr, cidrsOverlap, dnsLabel, dnsSubdomain, kubernetesVersion, port, strictObject } from "./common";
import { existingInfraSettings } from "./infra-existing";

export const clusterNetwork = strictObject({
  /** Pod CIDR the CNI allocates from. */
  podCidr: cidr.default("10.244.0.0/16"),
  /** Service (ClusterIP) CIDR. */
  serviceCidr: cidr.default("10.96.0.0/12"),
  /** Cluster DNS domain. */
  dnsDomain: dnsSubdomain().default("cluster.local"),
  /** Port the API server listens on. */
  apiServerPort: port.default(6443),
});

/** Keys every backend variant carries. */
export const infraCommon = {
  /** Cluster name; prefixes cloud resources, so kept short. */
  clusterName: dnsLabel(40),
  kubernetesVersion: kubernetesVersion.default(KUBERNETES_VERSION),
  network: clusterNetwork.prefault({}),
};

export const existingInfra = strictObject({
  backend: z.literal("existing"),
  ...infraCommon,
  existing: existingInfraSettings.prefault({}),
});

export const InfraConfig = z
  .discriminatedUnion("backend", [existingInfra])
  .superRefine((infra, ctx) => {
    const { podCidr, serviceCidr } = infra.network;
    if (cidrsOverlap(podCidr, serviceCidr)) {
      ctx.addIssue({
        code: "custom",
        path: ["network", "serviceCidr"],
        message: `overlaps network.podCidr ${podCidr}; pod and service ranges must be disjoint`,
      });
    }
  });

export type InfraConfig = z.infer<typeof InfraConfig>;
export type ExistingInfraConfig = z.infer<typeof existingInfra>;
