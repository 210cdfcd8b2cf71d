import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { InfraOutputs } from "../lib/contracts";

/**
 * The explicit Kubernetes provider every cluster-side resource uses. Its kubeconfig resolves only
 * after the infra layer reports the API server ready, so nothing is sent to a cluster that is
 * still booting.
 */
export function clusterProvider(name: string, infra: InfraOutputs, opts?: pulumi.CustomResourceOptions): k8s.Provider {
  const kubeconfig = infra.kubeconfig === undefined ? undefined : pulumi.secret(pulumi.all([infra.ready, infra.kubeconfig]).apply(([, text]) => text));
  return new k8s.Provider(
    name,
    {
      ...(kubeconfig === undefined ? {} : { kubeconfig }),
      ...(infra.kubeContext === undefined ? {} : { context: infra.kubeContext }),
      // Objects belong to exactly the release or resource that declared them.
      deleteUnreachable: false,
    },
    opts,
  );
}
