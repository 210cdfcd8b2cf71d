/**
 * What this stack's previous successful update recorded about itself. The vSphere backend writes
 * its VMs' bootstrap documents once, with the cluster's key material, and on the update after the
 * cluster first came up rewrites them without it: the program learns that the cluster came up
 * from its own last outputs, read through a stack reference to itself (the pattern Pulumi
 * documents for reading a stack's outputs back on later updates, pulumi/pulumi#3722). A stack
 * with no outputs yet (its first update) reads as not bootstrapped.
 */
import * as pulumi from "@pulumi/pulumi";

/** The stack output a vSphere stack sets to true once its readiness gate has passed. */
export const VSPHERE_BOOTSTRAPPED_OUTPUT = "vsphereBootstrapped";

/** `<organization>/<project>/<stack>` of the running program. */
export function ownStackName(): string {
  return `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
}

/** Whether this stack's last successful update saw the vSphere cluster answer its readiness gate. */
export async function vsphereBootstrappedBefore(): Promise<boolean> {
  const self = new pulumi.StackReference("own-previous-update", { name: ownStackName() });
  const details = await self.getOutputDetails(VSPHERE_BOOTSTRAPPED_OUTPUT);
  return details.value === true;
}
