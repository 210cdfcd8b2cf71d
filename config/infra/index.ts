/**
 * `strata:infra`: which backend builds the nodes. Each backend is one variant of the `backend`
 * union, defined in its own `infra-<backend>.ts` file.
 */
import { z } from "zod";
import { unsupportedVersionProblem } from "../../lib/kubernetes-versions";
import { cidrsOverlap } from "../common";
import { eksInfra } from "./eks";
import { existingInfra } from "./existing";
import { vsphereInfra } from "./vsphere/checks";

export const InfraConfig = z
  .discriminatedUnion("backend", [existingInfra, eksInfra, vsphereInfra])
  .superRefine((infra, ctx) => {
    const unsupported = unsupportedVersionProblem(infra.backend, infra.kubernetesVersion);
    if (unsupported !== undefined) ctx.addIssue({ code: "custom", path: ["kubernetesVersion"], message: unsupported });
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
