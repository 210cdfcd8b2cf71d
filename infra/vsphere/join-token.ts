/**
 * The join token's Secret (`kube-system/bootstrap-token-<id>`), owned by Pulumi. `kubeadm init`
 * registers the token first; server-side apply adopts that Secret, and a new token (rotation, or a
 * changed node set) replaces it, which revokes the old one. Nodes already in the cluster never use
 * it again. The token expires `JOIN_TOKEN_TTL_HOURS` after the Secret is created: the expiry is
 * computed when the program runs and kept once set (`ignoreChanges`), so later runs show no diff.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { BOOTSTRAP_GROUP, JOIN_TOKEN_TTL_HOURS } from "./kubeadm";
import type { JoinSecrets } from "./tokens";

export interface JoinTokenArgs {
  readonly join: JoinSecrets;
  /** Admin kubeconfig (secret). */
  readonly kubeconfig: pulumi.Input<string>;
  /** The readiness gate: the API must answer before the Secret is applied. */
  readonly ready: pulumi.Resource;
  /** Current time in milliseconds, for the expiry. @default - Date.now() */
  readonly now?: number;
}

/** RFC 3339 expiry of a token created at `now` (milliseconds), as the bootstrap-token Secret's `expiration` wants it. */
export function tokenExpiration(now: number): string {
  return new Date(now + JOIN_TOKEN_TTL_HOURS * 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function joinTokenSecret(name: string, args: JoinTokenArgs, opts: { parent: pulumi.Resource }): k8s.core.v1.Secret {
  const admin = new k8s.Provider(`${name}-admin`, { kubeconfig: args.kubeconfig, enableServerSideApply: true }, { ...opts, dependsOn: [args.ready] });
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
        expiration: tokenExpiration(args.now ?? Date.now()),
        description: "strata node join token; renewed when the node set changes, rotate with strata:infra.vsphere.bootstrapTokenRotation",
      },
    },
    { ...opts, provider: admin, dependsOn: [args.ready], ignoreChanges: ["stringData.expiration"] },
  );
}
