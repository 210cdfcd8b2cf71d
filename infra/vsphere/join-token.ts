/**
 * The join token's Secret (`kube-system/bootstrap-token-<id>`), owned by Pulumi. `kubeadm init`
 * registers the token first; server-side apply adopts that Secret, and a new token (rotation, or a
 * changed node set) replaces it, which revokes the old one. Nodes already in the cluster never use
 * it again. The token expires `JOIN_TOKEN_TTL_HOURS` after its expiry is stamped: `TokenExpiry`
 * records the time once per token id and is replaced with it, so later runs show no diff and a new
 * token is never born with the previous one's expiry.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { BOOTSTRAP_GROUP, JOIN_TOKEN_TTL_HOURS } from "./kubeadm";
import { TokenExpiry } from "./token-expiry";
import type { JoinSecrets } from "./tokens";

export interface JoinTokenArgs {
  readonly join: JoinSecrets;
  /** Admin kubeconfig (secret). */
  readonly kubeconfig: pulumi.Input<string>;
  /** The readiness gate: the API must answer before the Secret is applied. */
  readonly ready: pulumi.Resource;
  /** The cluster's identity (`clusterIdentity`): a renewed admin certificate must not replace the provider and so the Secret. */
  readonly clusterIdentifier: pulumi.Input<string>;
}

export function joinTokenSecret(name: string, args: JoinTokenArgs, opts: { parent: pulumi.Resource }): k8s.core.v1.Secret {
  // Stamped once the API answers, when the Secret is about to be written.
  const expiry = new TokenExpiry(`${name}-token-expiry`, { tokenId: args.join.tokenId, ttlHours: JOIN_TOKEN_TTL_HOURS }, { ...opts, dependsOn: [args.ready] });
  const admin = new k8s.Provider(`${name}-admin`, { kubeconfig: args.kubeconfig, clusterIdentifier: args.clusterIdentifier, enableServerSideApply: true }, { ...opts, dependsOn: [args.ready] });
  return new k8s.core.v1.Secret(
    `${name}-bootstrap-token`,
    {
      metadata: {
        name: args.join.tokenId.apply((id) => `bootstrap-token-${id}`),
        namespace: "kube-system",
        annotations: { "pulumi.com/patchForce": "true" },
      },
      type: "bootstrap.kubernetes.io/token",
      stringData: {
        "token-id": args.join.tokenId,
        "token-secret": args.join.tokenSecret,
        "usage-bootstrap-authentication": "true",
        "usage-bootstrap-signing": "true",
        "auth-extra-groups": BOOTSTRAP_GROUP,
        expiration: expiry.expiration,
        description: "strata node join token; renewed when the node set changes, rotate with strata:infra.vsphere.bootstrapTokenRotation",
      },
    },
    { ...opts, provider: admin, dependsOn: [args.ready] },
  );
}
