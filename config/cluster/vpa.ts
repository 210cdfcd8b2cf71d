/** `strata:cluster.vpa`: VerticalPodAutoscaler recommendations for the app Deployments. */
import { z } from "zod";
import { count, strictObject } from "../common";

export const vpaConfig = strictObject({
  enabled: z
    .boolean()
    .default(false)
    .describe(
      "Install the VPA recommender and give every app Deployment a VerticalPodAutoscaler with updateMode Off: recommendations only, no pod is evicted or resized (no updater or admission controller runs). Recommendations show in Grafana through kube-state-metrics.",
    ),
  recommenderReplicas: count(1).default(2).describe("VPA recommender replicas (one leads; the others wait on its lease)."),
});
export type VpaConfig = z.infer<typeof vpaConfig>;
