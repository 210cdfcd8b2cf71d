/**
 * The join token's Secret (`kube-system/bootstrap-token-<id>`), owned by Pulumi. `kubeadm init`
 * registers the token first; server-side apply adopts that Secret, and a rotation replaces it,
 * which revokes the old token. Nodes already in the cluster never use it again.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { BOOTSTRAP_GROUP } from "./kubeadm";
import type { JoinSecrets } from "./tokens";

export interface JoinTokenArgs {
  readonly join: JoinSecrets;
  /** Admin kubeconfig (secret). */
  readonly kubeconfig: pulumi.Input<string>;
  /** The readiness gate: the API must answer before the Secret is applied. */
  readonly ready: pulumi.Resource;
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
        description: "strata node join token; rotate with strata:infra.vsphere.bootstrapTokenRotation",
      },
    },
    { ...opts, provider: admin, dependsOn: [args.ready] },
  );
}
