/**
 * Egress to an external backup target on a port other than 443. The cluster layer opens 443
 * outside the cluster for the data and backup namespaces (S3, object storage); a target such as
 * MinIO on :9000 needs its own port opened from the namespaces its writers run in.
 */
import * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ClusterAddresses } from "../cluster/network-policies/addresses";
import { standardLabels } from "../lib/labels";

export interface BackupTargetEgressArgs {
  /** Namespaces backup writers run in (data: database backups; backup: Velero). */
  readonly namespaces: readonly string[];
  /** The target's TCP port. */
  readonly port: number;
  /** Ranges that are not "outside the cluster". */
  readonly addresses: ClusterAddresses;
  readonly provider: k8s.Provider;
}

/** One `allow-backup-target` NetworkPolicy per namespace: every pod may open `port` outside the cluster. */
export function backupTargetEgress(name: string, args: BackupTargetEgressArgs, opts: { readonly parent: pulumi.Resource }): k8s.networking.v1.NetworkPolicy[] {
  return [...new Set(args.namespaces)].map(
    (namespace) =>
      new k8s.networking.v1.NetworkPolicy(
        `${name}-${namespace}`,
        {
          metadata: { name: "allow-backup-target", namespace, labels: standardLabels({ name: "allow-backup-target", component: "backups" }) },
          spec: {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...args.addresses.internal] } }], ports: [{ protocol: "TCP", port: args.port }] }],
          },
        },
        { parent: opts.parent, provider: args.provider },
      ),
  );
}
