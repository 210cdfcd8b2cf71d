/**
 * Policies across resources: every replicated workload has a PodDisruptionBudget, every namespace
 * strata owns has a default-deny NetworkPolicy.
 */
import type { PolicyResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { DEFAULT_DENY_EXCEPTIONS } from "./allow-list";
import { isObj, workloadOf, type Obj } from "./workloads";
import { withStrataKey } from "./strata-keys";

const PDB = "kubernetes:policy/v1:PodDisruptionBudget";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const SCALED_OBJECT = "kubernetes:keda.sh/v1alpha1:ScaledObject";
/** KEDA's defaults when a ScaledObject leaves them out (keda.sh/docs/latest/reference/scaledobject-spec). */
const KEDA_DEFAULT_MIN_REPLICAS = 0;
const KEDA_DEFAULT_MAX_REPLICAS = 100;
const NAMESPACE = "kubernetes:core/v1:Namespace";
const NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const REPLICATED_KINDS = new Set(["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:ReplicaSet"]);

function metadataOf(resource: Pick<PolicyResource, "props">): Obj {
  return isObj(resource.props["metadata"]) ? resource.props["metadata"] : {};
}

function namespaceOf(resource: Pick<PolicyResource, "props">): string {
  const namespace = metadataOf(resource)["namespace"];
  return typeof namespace === "string" ? namespace : "default";
}

/** True when a label selector (matchLabels and matchExpressions) selects these labels. */
export function selects(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  if (!isObj(selector)) return false;
  const matchLabels = isObj(selector["matchLabels"]) ? selector["matchLabels"] : {};
  const expressions = Array.isArray(selector["matchExpressions"]) ? (selector["matchExpressions"] as Obj[]) : [];
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return true;
  const labelsMatch = Object.entries(matchLabels).every(([key, value]) => labels[key] === value);
  const expressionsMatch = expressions.every((e) => {
    const key = String(e["key"]);
    const values = Array.isArray(e["values"]) ? (e["values"] as unknown[]).map(String) : [];
    switch (e["operator"]) {
      case "In":
        return labels[key] !== undefined && values.includes(labels[key]);
      case "NotIn":
        return labels[key] === undefined || !values.includes(labels[key]);
      case "Exists":
        return labels[key] !== undefined;
      case "DoesNotExist":
        return labels[key] === undefined;
      default:
        return false;
    }
  });
  return labelsMatch && expressionsMatch;
}

function specOf(resource: PolicyResource): Obj {
  return isObj(resource.props["spec"]) ? resource.props["spec"] : {};
}

function targets(spec: Obj, kind: string, name: string, defaultKind?: string): boolean {
  const ref = spec["scaleTargetRef"];
  return isObj(ref) && (ref["kind"] ?? defaultKind) === kind && ref["name"] === name;
}

function count(value: unknown, fallback: number): number {
  return typeof value === "number" ? value : fallback;
}

/**
 * Highest replica count a workload can run at: its own replicas, an HPA's maxReplicas, or the
 * maxReplicaCount of a KEDA ScaledObject that keeps at least two replicas. KEDA turns a
 * ScaledObject into an HPA it owns, which the plan never shows; one that may scale to zero or one
 * replica is not counted, because a PodDisruptionBudget over a single replica blocks every drain.
 * `scaleTargetRef.kind` defaults to Deployment, `minReplicaCount` to 0 and `maxReplicaCount` to 100
 * (keda.sh/docs/latest/reference/scaledobject-spec).
 */
function maxReplicas(workload: PolicyResource, kind: string, name: string, namespace: string, resources: readonly PolicyResource[]): number {
  const own = count(specOf(workload)["replicas"], 1);
  const inNamespace = resources.filter((r) => namespaceOf(r) === namespace);
  const byHpa = inNamespace
    .filter((r) => r.type === HPA)
    .map(specOf)
    .filter((hpa) => targets(hpa, kind, name))
    .map((hpa) => count(hpa["maxReplicas"], 1));
  const byScaledObject = inNamespace
    .filter((r) => r.type === SCALED_OBJECT)
    .map(specOf)
    .filter((so) => targets(so, kind, name, "Deployment") && count(so["minReplicaCount"], KEDA_DEFAULT_MIN_REPLICAS) >= 2)
    .map((so) => count(so["maxReplicaCount"], KEDA_DEFAULT_MAX_REPLICAS));
  return Math.max(own, ...byHpa, ...byScaledObject);
}

export const pdbForReplicated: StackValidationPolicy = {
  name: "k8s-pdb-for-replicated-workloads",
  description: "Every workload that can run more than one replica (replicas, an HPA, or a KEDA ScaledObject keeping two or more) has a PodDisruptionBudget selecting its pods.",
  validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
    const pdbs = args.resources.filter((r) => r.type === PDB);
    for (const resource of args.resources.filter((r) => REPLICATED_KINDS.has(r.type))) {
      const workload = workloadOf(resource.type, resource.props);
      if (workload === undefined) continue;
      const replicas = maxReplicas(resource, workload.kind, workload.name, workload.namespace, args.resources);
      if (replicas < 2) continue;
      const covered = pdbs.some((pdb) => namespaceOf(pdb) === workload.namespace && isObj(pdb.props["spec"]) && selects(pdb.props["spec"]["selector"], workload.podLabels));
      if (!covered) reportViolation(withStrataKey(workload, `${workload.kind} ${workload.namespace}/${workload.name} runs up to ${replicas} replicas but no PodDisruptionBudget in ${workload.namespace} selects its pods`), resource.urn);
    }
  },
};

/** A NetworkPolicy that selects every pod and allows nothing in the given direction. */
function deniesAll(policy: PolicyResource, direction: "Ingress" | "Egress"): boolean {
  const spec = isObj(policy.props["spec"]) ? policy.props["spec"] : {};
  const types = Array.isArray(spec["policyTypes"]) ? (spec["policyTypes"] as unknown[]) : [];
  const rules = spec[direction === "Ingress" ? "ingress" : "egress"];
  const selectsAll = isObj(spec["podSelector"]) && Object.keys(spec["podSelector"]).every((k) => {
    const v = (spec["podSelector"] as Obj)[k];
    return (isObj(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0);
  });
  return selectsAll && types.includes(direction) && (rules === undefined || (Array.isArray(rules) && rules.length === 0));
}

export const namespaceDefaultDeny: StackValidationPolicy = {
  name: "k8s-namespace-default-deny",
  description: "Every namespace strata owns has a NetworkPolicy denying all ingress and egress by default (named exceptions in the allow-list).",
  validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
    const policies = args.resources.filter((r) => r.type === NETWORK_POLICY);
    for (const ns of args.resources.filter((r) => r.type === NAMESPACE)) {
      const metadata = metadataOf(ns);
      const labels = isObj(metadata["labels"]) ? metadata["labels"] : {};
      const name = typeof metadata["name"] === "string" ? metadata["name"] : ns.name;
      if (labels["app.kubernetes.io/managed-by"] !== "strata") continue;
      if (DEFAULT_DENY_EXCEPTIONS.some((e) => e.namespace === name)) continue;
      const inNamespace = policies.filter((p) => namespaceOf(p) === name);
      const missing = (["Ingress", "Egress"] as const).filter((direction) => !inNamespace.some((p) => deniesAll(p, direction)));
      if (missing.length > 0) reportViolation(`namespace ${name} has no default-deny NetworkPolicy for ${missing.join(" and ")} (podSelector {} with policyTypes [${missing.join(", ")}] and no rules)`, ns.urn);
    }
  },
};
