/**
 * Which IAM principal the deployer's cluster-admin access entry is for, resolved before any
 * resource is declared (resources are never created inside `apply`): the configured
 * `deployerPrincipal`; else the principal this stack recorded on its first update (so a later
 * `up` by someone else keeps the entry where it was instead of moving it and locking the first
 * identity out); else the identity running `pulumi up`. An assumed-role session
 * (`arn:aws:sts::<account>:assumed-role/<role>/<session>`) is not an IAM principal an access entry
 * takes; `getSessionContext` maps it to the role's ARN, path included (it looks the role up).
 */
import * as aws from "../../lib/aws";
import type { EksSettings } from "../../config/infra/eks";
import { principalKey, samePrincipal } from "../../lib/iam-principal";
import { previousOwnOutput } from "../../lib/own-stack";

/** The stack output recording the deployer entry's principal. */
export const EKS_DEPLOYER_OUTPUT = "eksDeployerPrincipal";

export interface DeployerPrincipal {
  /** IAM role or user ARN of the deployer access entry. */
  readonly principalArn: string;
  /** Configured, recorded by an earlier update, or the identity running this one. */
  readonly source: "config" | "recorded" | "caller";
}

/** The deployer principal, or undefined when the stack grants the deployer nothing. */
export async function resolveDeployerPrincipal(eks: Pick<EksSettings, "enableDeployerAdmin" | "deployerPrincipal">): Promise<DeployerPrincipal | undefined> {
  if (eks.enableDeployerAdmin !== true) return undefined;
  if (eks.deployerPrincipal !== undefined) return { principalArn: eks.deployerPrincipal, source: "config" };
  const recorded = await previousOwnOutput(EKS_DEPLOYER_OUTPUT);
  if (typeof recorded === "string" && principalKey(recorded) !== undefined) return { principalArn: recorded, source: "recorded" };
  const caller = await aws.getCallerIdentity({});
  const session = await aws.iam.getSessionContext({ arn: caller.arn });
  return { principalArn: session.issuerArn, source: "caller" };
}

/**
 * The admin principal that already is the deployer, if any: EKS keeps one access entry per
 * principal and refuses a second with ResourceInUseException, so the deployer entry is left out
 * and the admin entry (same cluster-admin policy) serves both.
 */
export function adminCoveringDeployer(deployer: DeployerPrincipal, adminPrincipals: Readonly<Record<string, string>>): string | undefined {
  return Object.entries(adminPrincipals).find(([, arn]) => samePrincipal(arn, deployer.principalArn))?.[0];
}
