import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { InfraOutputs } from "../lib/contracts";

/**
 * The explicit Kubernetes provider every cluster-side resource uses; nothing is sent to a cluster
 * that is still booting. With a readiness gate (vSphere) the provider is ordered after it through
 * `dependsOn`, and its kubeconfig is the infra layer's own, known at preview: pulumi-kubernetes
 * replaces its provider (and so every object it manages) when `kubeconfig`, `context` or `cluster`
 * is unknown at preview, unless an unchanged `clusterIdentifier` says it is the same cluster
 * (pulumi/pulumi-kubernetes, provider/pkg/provider/provider.go, `DiffConfig`). Threading the gate's
 * value into the kubeconfig made every VM replacement a replacement of all Kubernetes resources.
 * Without a gate (EKS, existing clusters) the kubeconfig resolves only after `ready`.
 */
export function clusterProvider(name: string, infra: InfraOutputs, opts?: pulumi.CustomResourceOptions): k8s.Provider {
  const gate = infra.readyGate;
  const kubeconfig =
    infra.kubeconfig === undefined ? undefined : gate !== undefined ? infra.kubeconfig : pulumi.secret(pulumi.all([infra.ready, infra.kubeconfig]).apply(([, text]) => text));
  return new k8s.Provider(
    name,
    {
      ...(kubeconfig === undefined ? {} : { kubeconfig }),
      ...(infra.kubeContext === undefined ? {} : { context: infra.kubeContext }),
      ...(infra.clusterIdentifier === undefined ? {} : { clusterIdentifier: infra.clusterIdentifier }),
      // Objects belong to exactly the release or resource that declared them.
      deleteUnreachable: false,
    },
    gate === undefined ? opts : { ...opts, dependsOn: [...gate] },
  );
}
