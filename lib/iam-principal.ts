/**
 * Which IAM principal an ARN names, as EKS access entries see it. An access entry holds one IAM
 * principal and a principal can be in only one entry; a role's ARN may be given with or without
 * its path, and EKS stores the role's id with the entry (EKS user guide,
 * manage-access/k8s-access/grant-k8s-access.adoc, "Create access entries"). Role and user names
 * are unique in an account whatever their path, so two ARNs name the same principal when
 * partition, account, kind and name agree.
 */

const PRINCIPAL_ARN = /^arn:(aws[\w-]*):iam::(\d{12}):(role|user)\/(?:[^/]+\/)*([^/]+)$/;

/** `partition:account:kind:name` of an IAM role or user ARN; undefined for anything else. */
export function principalKey(arn: string): string | undefined {
  const match = PRINCIPAL_ARN.exec(arn);
  if (match === null) return undefined;
  const [, partition, account, kind, name] = match;
  return `${partition}:${account}:${kind}:${name}`;
}

/** Whether two IAM role or user ARNs name the same principal (paths aside). */
export function samePrincipal(a: string, b: string): boolean {
  const key = principalKey(a);
  return key !== undefined && key === principalKey(b);
}
