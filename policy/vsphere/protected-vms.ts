/**
 * vSphere: VMs that hold data (database and storage pools) are `protect`ed, so `pulumi destroy`
 * or a replacement cannot delete them. Required where the environment's policy config sets
 * `requireProtection` (prod); dev and staging turn it off, as strata's own defaults do.
 */
import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";

const VM = "vsphere:index/virtualMachine:VirtualMachine";

/** The pool role strata writes into each VM's annotation: `... (pool mysql, role database) ...`. */
export function vmRole(annotation: unknown): string | undefined {
  if (typeof annotation !== "string") return undefined;
  return /\brole ([a-z-]+)\)/.exec(annotation)?.[1];
}

export const statefulVmsProtected: ResourceValidationPolicy = {
  name: "vsphere-stateful-vms-protected",
  description: "Database and storage VMs are protected against deletion where the environment requires it.",
  configSchema: {
    properties: {
      requireProtection: { type: "boolean", default: true, description: "Require protect on stateful VMs (off in dev and staging)." },
      roles: { type: "array", items: { type: "string" }, default: ["database", "storage"], description: "Pool roles whose VMs hold data." },
    },
  },
  validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (args.type !== VM) return;
    const config = args.getConfig<{ requireProtection?: boolean; roles?: string[] }>();
    if (config.requireProtection === false) return;
    const role = vmRole(args.props["annotation"]);
    if (role !== undefined && (config.roles ?? ["database", "storage"]).includes(role) && !args.opts.protect) {
      reportViolation(`VM ${String(args.props["name"] ?? args.name)} (role ${role}) holds data and is not protected; set protect: true`);
    }
  },
};
