/**
 * An admin kubeconfig that authenticates with `aws eks get-token`, so it holds no credential of
 * its own; still returned as a secret because it names the endpoint and CA of a private cluster.
 */
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";

export interface KubeconfigInput {
  /** EKS cluster name; also the context, cluster and user name. */
  readonly clusterName: string;
  /** API server URL. */
  readonly endpoint: string;
  /** Base64 cluster CA, as EKS reports it. */
  readonly certificateAuthorityData: string;
  /** Region `aws eks get-token` asks. */
  readonly region: string;
}

/** The kubeconfig document; the exec plugin runs the AWS CLI with the caller's credentials. */
export function renderKubeconfig(input: KubeconfigInput): string {
  const name = input.clusterName;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server: input.endpoint, "certificate-authority-data": input.certificateAuthorityData } }],
    contexts: [{ name, context: { cluster: name, user: name } }],
    "current-context": name,
    preferences: {},
    users: [{
      name,
      user: {
        exec: {
          apiVersion: "client.authentication.k8s.io/v1beta1",
          command: "aws",
          args: ["--region", input.region, "eks", "get-token", "--cluster-name", name, "--output", "json"],
          interactiveMode: "Never",
          provideClusterInfo: false,
        },
      },
    }],
  });
}

/** The kubeconfig of a cluster resource, wrapped as a secret. */
export function clusterKubeconfig(cluster: aws.eks.Cluster, region: string): pulumi.Output<string> {
  return pulumi.secret(
    pulumi.all([cluster.name, cluster.endpoint, cluster.certificateAuthority]).apply(([clusterName, endpoint, ca]) =>
      renderKubeconfig({ clusterName, endpoint, certificateAuthorityData: ca.data ?? "", region }),
    ),
  );
}
