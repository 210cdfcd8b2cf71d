/**
 * On EKS: MongoDB's backups go to the infra layer's backups bucket as the IRSA roles the infra
 * layer created (lib/service-accounts.ts `mongodbBackups`, `mongodbOperator`), without keys.
 * The replica-set pods run as a service account of their own, annotated with the agents' role:
 * the operator's default for them is `default` (percona-server-mongodb-operator v1.22.0
 * `pkg/apis/psmdb/v1/psmdb_defaults.go`, `WorkloadSA`), which the role must not trust.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { EksExtras, PodIdentityBinding } from "../../lib/contracts";
import { standardLabels } from "../../lib/labels";
import type { BackupTarget } from "../data-service";
import { IRSA_ROLE_ANNOTATION } from "../observability/store-identity";

/** The backups bucket as a target with no credentials Secret: the writer's service account carries the identity. */
export function bucketTarget(eks: EksExtras, prefix: string): pulumi.Output<BackupTarget> {
  const bucket = eks.buckets["backups"];
  if (bucket === undefined) throw new Error("MongoDB backups on EKS need the infra layer's backups bucket");
  return bucket.name.apply((name) => ({ endpoint: `https://s3.${eks.region}.amazonaws.com`, region: eks.region, bucket: name, prefix, forcePathStyle: false }));
}

export interface PbmServiceAccountArgs {
  /** Namespace of the replica set; the platform layer checks it is the one the role trusts. */
  readonly namespace: string;
  /** The agents' IRSA role and the service account it trusts. */
  readonly binding: PodIdentityBinding;
}

/** The replica-set pods' service account, annotated with the agents' IRSA role. */
export function pbmServiceAccount(name: string, args: PbmServiceAccountArgs, opts: pulumi.CustomResourceOptions): k8s.core.v1.ServiceAccount {
  return new k8s.core.v1.ServiceAccount(
    name,
    {
      metadata: {
        name: args.binding.serviceAccount,
        namespace: args.namespace,
        labels: standardLabels({ name: args.binding.serviceAccount, component: "backup" }),
        annotations: { [IRSA_ROLE_ANNOTATION]: args.binding.roleArn },
      },
    },
    opts,
  );
}
