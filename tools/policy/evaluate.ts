/**
 * Runs strata's CrossGuard policies over an offline plan, the way the Pulumi engine would during
 * a preview: each resource through every resource policy, then the whole stack through every
 * stack policy, with the environment's policy-pack config (enforcement levels and properties)
 * resolved as CrossGuard resolves it (policy entry, then `all`, then the policy's own level, then
 * the pack default).
 */
import type { EnforcementLevel, PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import type { PlanDocument, PlannedResource } from "../engine/plan-document";

export type Policy = ResourceValidationPolicy | StackValidationPolicy;
/** A policy pack config file: `{ "all": level, "<policy>": level | { enforcementLevel?, ...properties } }`. */
export type PackConfig = Readonly<Record<string, unknown>>;

export interface Violation {
  readonly policy: string;
  readonly level: EnforcementLevel;
  readonly urn: string;
  readonly message: string;
}

export const PACK_DEFAULT_LEVEL: EnforcementLevel = "advisory";

/** Raised when evaluation cannot be completed (the engine would fail the preview too). */
class NotApplicable extends Error {}

function levelOf(policy: Policy, config: PackConfig): EnforcementLevel {
  const own = config[policy.name];
  if (typeof own === "string") return own as EnforcementLevel;
  if (own !== null && typeof own === "object" && "enforcementLevel" in own) return (own as { enforcementLevel: EnforcementLevel }).enforcementLevel;
  if (typeof config["all"] === "string") return config["all"] as EnforcementLevel;
  return policy.enforcementLevel ?? PACK_DEFAULT_LEVEL;
}

/** Schema defaults overlaid with the config file's properties for this policy. */
export function propertiesOf(policy: Policy, config: PackConfig): Record<string, unknown> {
  const defaults = Object.fromEntries(
    Object.entries(policy.configSchema?.properties ?? {})
      .filter(([, schema]) => (schema as { default?: unknown }).default !== undefined)
      .map(([key, schema]) => [key, (schema as { default?: unknown }).default]),
  );
  const own = config[policy.name];
  const props = own !== null && typeof own === "object" ? Object.fromEntries(Object.entries(own).filter(([k]) => k !== "enforcementLevel")) : {};
  return { ...defaults, ...props };
}

const typeToken = (cls: unknown): string | undefined => (cls as { __pulumiType?: string }).__pulumiType;

/** The plan's resources as CrossGuard hands them to stack policies (dependencies resolved to objects). */
export function policyResources(resources: readonly PlannedResource[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const out = resources.map((r) => {
    const resource: PolicyResource = {
      type: r.type,
      props: r.inputs as Record<string, unknown>,
      urn: r.urn,
      name: r.name,
      opts: { protect: r.protect, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [], ...(r.parent ? { parent: r.parent } : {}) },
      dependencies: [],
      propertyDependencies: {},
      isType: (cls) => typeToken(cls) === r.type,
      asType: () => undefined,
    };
    byUrn.set(r.urn, resource);
    return resource;
  });
  resources.forEach((r, i) => {
    const resource = out[i];
    if (resource === undefined) return;
    resource.dependencies.push(...r.dependencies.flatMap((urn) => byUrn.get(urn) ?? []));
    if (r.parent) {
      const parent = byUrn.get(r.parent);
      if (parent) (resource as { parent?: PolicyResource }).parent = parent;
    }
  });
  return out;
}

export async function evaluatePolicies(plan: Pick<PlanDocument, "resources">, policies: readonly Policy[], config: PackConfig): Promise<Violation[]> {
  const violations: Violation[] = [];
  const resources = policyResources(plan.resources);
  const notApplicable = (): never => {
    throw new NotApplicable();
  };
  const providerManaged = new Set(plan.resources.filter((r) => r.custom).map((r) => r.urn));
  for (const policy of policies) {
    const level = levelOf(policy, config);
    if (level === "disabled") continue;
    const properties = propertiesOf(policy, config);
    const getConfig = <T extends object>(): T => properties as T;
    if ("validateResource" in policy && policy.validateResource !== undefined) {
      const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
      for (const resource of resources.filter((r) => providerManaged.has(r.urn))) {
        const args: ResourceValidationArgs = {
          type: resource.type,
          props: resource.props,
          urn: resource.urn,
          name: resource.name,
          opts: resource.opts,
          isType: (cls) => typeToken(cls) === resource.type,
          asType: () => undefined, stackTags: new Map(), getConfig, notApplicable };
        for (const validate of validations) {
          try {
            await validate(args, (message) => violations.push({ policy: policy.name, level, urn: resource.urn, message }));
          } catch (error) {
            if (!(error instanceof NotApplicable)) throw error;
          }
        }
      }
    }
    if ("validateStack" in policy && policy.validateStack !== undefined) {
      const args: StackValidationArgs = { resources, stackTags: new Map(), getConfig, notApplicable };
      try {
        await policy.validateStack(args, (message, urn) => violations.push({ policy: policy.name, level, urn: urn ?? "", message }));
      } catch (error) {
        if (!(error instanceof NotApplicable)) throw error;
      }
    }
  }
  return violations;
}

/** One block per violation: level, policy, URN, then the message. */
export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.level.padEnd(9)} ${v.policy}  ${v.urn}\n          ${v.message}`).join("\n");
}

/**
 * The violations that fail an offline run: mandatory ones, and with `--fail-on advisory` the
 * advisory ones too, except those of a policy configured `warnOnly` (a warning by design).
 */
export function failingViolations(violations: readonly Violation[], policies: readonly Policy[], config: PackConfig, failOn: "advisory" | "mandatory"): Violation[] {
  const warnOnly = new Set(policies.filter((p) => propertiesOf(p, config)["warnOnly"] === true).map((p) => p.name));
  return violations.filter((v) => v.level === "mandatory" || (failOn === "advisory" && v.level === "advisory" && !warnOnly.has(v.policy)));
}
