/**
 * Spot launches need the account's `AWSServiceRoleForEC2Spot`. An account that never ran spot
 * lacks it, and neither Karpenter's upstream controller policy nor strata's grants
 * `iam:CreateServiceLinkedRole` for it, so the first spot launch fails with
 * `AuthFailure.ServiceLinkedRoleCreationNotPermitted` (karpenter-provider-aws
 * website/content/en/v1.14/troubleshooting.md, "Missing Service Linked Role"; the getting-started
 * guide runs the command below before installing). strata creates the role only when asked
 * (`createSpotServiceLinkedRole`): creating it fails where it already exists. Otherwise the plan
 * and `pulumi up` say what to run.
 */
import type { StrataConfig } from "../schema";

/** The one-time command upstream documents. */
export const CREATE_SPOT_ROLE_COMMAND = "aws iam create-service-linked-role --aws-service-name spot.amazonaws.com";

const CREATE_KEY = "strata:infra.eks.createSpotServiceLinkedRole";

/** What in this stack may launch spot capacity, as config key paths. */
function spotUsers(config: StrataConfig): string[] {
  const eks = config.infra?.backend === "eks" ? config.infra.eks : undefined;
  const groups = eks === undefined ? [] : Object.entries(eks.nodeGroups).filter(([, group]) => group.capacityType === "SPOT").map(([name]) => `strata:infra.eks.nodeGroups.${name}.capacityType`);
  // Karpenter runs where the cluster layer does; with the infra here, only if it built Karpenter.
  const karpenterRuns = config.layers.includes("cluster") && (config.infra === undefined || eks?.enableKarpenter === true);
  const karpenter = karpenterRuns && config.cluster.eks.karpenter.capacityTypes.includes("spot") ? ["strata:cluster.eks.karpenter.capacityTypes"] : [];
  return [...groups, ...karpenter];
}

/**
 * The warning for a stack that allows spot capacity without creating the Spot service-linked
 * role; undefined when nothing launches spot or the stack creates the role.
 */
export function spotServiceLinkedRoleNote(config: StrataConfig): string | undefined {
  if (config.infra?.backend === "eks" && config.infra.eks.createSpotServiceLinkedRole) return undefined;
  const users = spotUsers(config);
  if (users.length === 0) return undefined;
  const where = config.infra?.backend === "eks" ? `${CREATE_KEY} is false` : `this stack cannot see whether the infra stack sets ${CREATE_KEY}`;
  return (
    `spot capacity is allowed (${users.join(", ")}) and ${where}: on an account without AWSServiceRoleForEC2Spot every spot launch fails ` +
    `(AuthFailure.ServiceLinkedRoleCreationNotPermitted); create it once per account with \`${CREATE_SPOT_ROLE_COMMAND}\` ` +
    `(an error that the name "has been taken" means it exists), or set ${CREATE_KEY}: true in the first stack of a fresh account`
  );
}
