/** `@pulumi/kubernetes`: objects echo their inputs with server-set metadata; releases report deployed. */
import type { ProviderMocks } from "./types";

export const kubernetesMocks: ProviderMocks = {
  resources: {
    "kubernetes:helm.sh/v3:Release": ({ inputs, name }) => ({
      state: { status: { name: inputs.name ?? name, namespace: inputs.namespace ?? "default", status: "deployed", version: inputs.version, revision: 1 } },
    }),
    "kubernetes:core/v1:Service": ({ inputs }) => ({
      state: { spec: { ...(inputs.spec as Record<string, unknown> | undefined), clusterIP: "10.96.12.34" }, status: { loadBalancer: { ingress: [{ ip: "192.0.2.10", hostname: "lb.example.invalid" }] } } },
    }),
  },
  calls: {},
};
