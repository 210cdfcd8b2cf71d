/**
 * `strata:infra.vsphere.nodePools.<name>.autoscaling`: a worker pool whose VMs machine-controller
 * creates and cluster-autoscaler sizes between `min` and `max` (docs/adr/0001-vsphere-autoscaled-pools.md).
 * Pulumi makes none of the pool's VMs, so the keys that only Pulumi's VMs can honour are refused here.
 */
import type { z } from "zod";
import { count, strictObject } from "../../common";

export const poolAutoscaling = strictObject({
  min: count(0).describe("Fewest nodes the autoscaler keeps; the MachineDeployment starts with this many. 0 lets the pool scale to zero."),
  max: count(1).describe("Most nodes the autoscaler may add; the apps capacity check sizes the pool at this count."),
});
export type PoolAutoscaling = z.infer<typeof poolAutoscaling>;

/** The pool fields the autoscaling rules read. */
interface AutoscaledPoolFields {
  readonly role: string;
  readonly count: number;
  readonly autoscaling?: PoolAutoscaling | undefined;
  readonly addresses?: readonly string[] | undefined;
  readonly addressRange?: string | undefined;
  readonly dataDisks: readonly unknown[];
}

type Issue = (path: (string | number)[], message: string) => void;

/** Whether machine-controller, not Pulumi, makes the pool's VMs. */
export function isAutoscaled(pool: Pick<AutoscaledPoolFields, "autoscaling">): boolean {
  return pool.autoscaling !== undefined;
}

/** The most nodes a pool can have: its autoscaling max, else its fixed count. */
export function poolMaxNodes(pool: Pick<AutoscaledPoolFields, "autoscaling" | "count">): number {
  return pool.autoscaling?.max ?? pool.count;
}

/**
 * An autoscaled pool: workers only, no VMs of Pulumi's (`count` 0), addresses from DHCP
 * (machine-controller's static network settings are one address per MachineDeployment, so every
 * machine would get the same one), no data disks (its vSphere provider resizes only the OS disk).
 */
export function autoscalingChecks(at: (string | number)[], pool: AutoscaledPoolFields, issue: Issue): void {
  const scaling = pool.autoscaling;
  if (scaling === undefined) return;
  const key = [...at, "autoscaling"];
  if (pool.role !== "worker") issue([...key], `is for worker pools (this pool's role is ${pool.role}); remove autoscaling or set role worker`);
  if (scaling.min > scaling.max) issue([...key, "min"], `is above max (${scaling.max}); lower min or raise max`);
  if (pool.count !== 0) issue([...at, "count"], `must be 0 with autoscaling: machine-controller creates this pool's VMs, starting with autoscaling.min (${scaling.min}); set count 0`);
  if (pool.addresses !== undefined) issue([...at, "addresses"], "cannot be used with autoscaling: machine-controller's VMs take their address from DHCP on the pool's network; remove addresses and serve DHCP on that port group");
  if (pool.addressRange !== undefined) issue([...at, "addressRange"], "cannot be used with autoscaling: machine-controller's VMs take their address from DHCP on the pool's network; remove addressRange and serve DHCP on that port group");
  if (pool.dataDisks.length > 0) issue([...at, "dataDisks"], "cannot be used with autoscaling: machine-controller's vSphere provider gives its VMs only the template's disk (resized to osDiskGi); remove dataDisks or drop autoscaling");
}
