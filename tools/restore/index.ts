/**
 * `npm run restore` as a library: from a stack's offline plan and a request, the restore
 * objects (validated against their CRDs), where they read from, and the runbook.
 */
import type { PlanDocument } from "../engine/plan-document";
import { loadCrds } from "../verify/crds";
import { customResourceFindings } from "../verify/custom-resources";
import type { Finding } from "../verify/findings";
import { splitApiVersion, validateObjectMeta } from "../verify/kubernetes-schema";
import { mongodbRestore } from "./mongodb";
import { mysqlRestore } from "./mysql";
import { namespaceRestore } from "./namespace";
import { postgresRestore } from "./postgres";
import { objectsOf } from "./plan-objects";
import { type RestoreRequest, SERVICES, type ServiceKind } from "./request";
import { RestoreRefused } from "./types";
import type { RestoreObject, RestorePlan } from "./types";

export { RestoreRefused };
export type { RestoreObject, RestorePlan, RestoreStep } from "./types";

const BUILDERS: Readonly<Record<ServiceKind, (plan: Pick<PlanDocument, "resources" | "stack">, request: RestoreRequest) => RestorePlan>> = {
  postgres: postgresRestore,
  mysql: mysqlRestore,
  mongodb: mongodbRestore,
  namespace: namespaceRestore,
};

/** The restore of `request.service` for the stack planned in `plan`; throws `RestoreRefused` where there is none. */
export function planRestore(plan: Pick<PlanDocument, "resources" | "stack">, request: RestoreRequest): RestorePlan {
  const available = restorableServices(plan);
  if (!available.includes(request.service)) {
    const [apiVersion, kind] = RENDERED_BY[request.service];
    const setting = request.service === "namespace" ? "strata:platform.backups (Velero)" : `strata:platform.${request.service}`;
    throw new RestoreRefused(
      `--service ${request.service}: not enabled in stack ${plan.stack} (no ${kind} ${apiVersion} is rendered; ${setting} is off); ` +
        (available.length === 0 ? "this stack renders nothing to restore" : `this stack can restore: ${available.join(", ")}`),
    );
  }
  return BUILDERS[request.service](plan, request);
}

/** The object whose presence means the service runs in the stack. */
const RENDERED_BY: Readonly<Record<ServiceKind, readonly [string, string]>> = {
  postgres: ["postgresql.cnpg.io/v1", "Cluster"],
  mysql: ["ps.percona.com/v1", "PerconaServerMySQL"],
  mongodb: ["psmdb.percona.com/v1", "PerconaServerMongoDB"],
  namespace: ["velero.io/v1", "Schedule"],
};

/** The service kinds the stack runs (whether or not their backups are on). */
export function restorableServices(plan: Pick<PlanDocument, "resources">): ServiceKind[] {
  return SERVICES.filter((service) => objectsOf(plan, ...RENDERED_BY[service]).length > 0);
}

/** Each object against its CRD in the chart reference data, as `npm run verify` checks the plan. */
export async function validateRestoreObjects(objects: readonly RestoreObject[], chartsDir: string): Promise<Finding[]> {
  const crds = loadCrds(chartsDir);
  const findings: Finding[] = [];
  for (const { file, object } of objects) {
    const apiVersion = String(object["apiVersion"]);
    const kind = String(object["kind"]);
    const { group, version } = splitApiVersion(apiVersion);
    const label = `${kind} (${file})`;
    findings.push(...customResourceFindings(label, object, group, version, kind, crds));
    const problems = await validateObjectMeta(object["metadata"]);
    findings.push(...problems.map((problem): Finding => ({ severity: "error", check: "kubernetes-schema", resource: label, ...problem })));
  }
  return findings;
}
