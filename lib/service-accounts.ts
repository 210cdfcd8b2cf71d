/**
 * Service accounts of controllers that call cloud APIs. The infra layer binds cloud identities
 * (EKS Pod Identity) to them and the cluster/platform layers install the controllers under
 * exactly these names, so both sides read them from here.
 */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly serviceAccount: string;
}

export const CONTROLLER_SERVICE_ACCOUNTS = {
  ebsCsi: { namespace: "kube-system", serviceAccount: "ebs-csi-controller-sa" },
  loadBalancerController: { namespace: "kube-system", serviceAccount: "aws-load-balancer-controller" },
  karpenter: { namespace: "kube-system", serviceAccount: "karpenter" },
  velero: { namespace: "velero", serviceAccount: "velero" },
} as const satisfies Record<string, ServiceAccountRef>;

/**
 * Service accounts that assume an IAM role through IRSA (software without Pod Identity support).
 * `postgresBackups`: CloudNativePG names the instances' service account after the cluster.
 * `mongodbBackups`: the PBM agent beside each mongod, in pods the platform layer gives this
 * service account (`replsets[].serviceAccountName`). `mongodbOperator`: the Percona operator for
 * MongoDB, which deletes expired backups from the bucket itself; the platform layer pins its
 * chart's `fullnameOverride` to this name.
 * `logs` and `traces`: the Loki and Tempo releases in the monitoring namespace, whose service
 * accounts the platform layer names explicitly.
 */
export const IRSA_SERVICE_ACCOUNTS = {
  postgresBackups: { namespace: "data", serviceAccount: "postgres" },
  mongodbBackups: { namespace: "data", serviceAccount: "mongodb-backup" },
  mongodbOperator: { namespace: "data", serviceAccount: "psmdb-operator" },
  logs: { namespace: "monitoring", serviceAccount: "loki" },
  traces: { namespace: "monitoring", serviceAccount: "tempo" },
} as const satisfies Record<string, ServiceAccountRef>;
