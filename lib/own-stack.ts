/**
 * What this stack's previous successful update recorded about itself, read through a stack
 * reference to itself (the pattern Pulumi documents for reading a stack's outputs back on later
 * updates, pulumi/pulumi#3722). A stack with no outputs yet (its first update) has none.
 *
 * Readers: the vSphere backend writes its VMs' bootstrap documents once with the cluster's key
 * material and rewrites them without it once the cluster came up (`vsphereBootstrapped`); the
 * EKS deployer access entry stays with the first deploying identity (`eksDeployerPrincipal`);
 * the Kubernetes version check refuses downgrades and skipped minors (`infra.kubernetesVersion`).
 */
import * as pulumi from "@pulumi/pulumi";

/** The stack output a vSphere stack sets to true once its readiness gate has passed. */
export const VSPHERE_BOOTSTRAPPED_OUTPUT = "vsphereBootstrapped";

/** `<organization>/<project>/<stack>` of the running program. */
export function ownStackName(): string {
  return `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
}

let previousUpdate: pulumi.StackReference | undefined;

/** One reference per program run: two resources may not share the name. */
function ownPreviousUpdate(): pulumi.StackReference {
  previousUpdate ??= new pulumi.StackReference("own-previous-update", { name: ownStackName() });
  return previousUpdate;
}

/** The value of one output of this stack's last successful update; undefined before the first. */
export async function previousOwnOutput(name: string): Promise<unknown> {
  const details = await ownPreviousUpdate().getOutputDetails(name);
  return details.value;
}

/** Whether this stack's last successful update saw the vSphere cluster answer its readiness gate. */
export async function vsphereBootstrappedBefore(): Promise<boolean> {
  return (await previousOwnOutput(VSPHERE_BOOTSTRAPPED_OUTPUT)) === true;
}
