/**
 * issue #27: the placement rules the capacity check reads beside each component
 * (apps/capacity/platform-demand.ts) cover every required pod anti-affinity the rendered plan
 * carries. The prod plan is searched for the forms strata renders: a pod spec's
 * `podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution` on `kubernetes.io/hostname`,
 * redis-ha's `hardAntiAffinity`, the Percona operators' `antiAffinityTopologyKey` and
 * CloudNativePG's `podAntiAffinityType: required`. A component rendering one without a rule
 * fails here.
 */
import { expect } from "chai";
import { platformDemand } from "../../apps/capacity/platform-demand";
import { toPlanDocument } from "../../tools/engine/run";
import type { PlanDocument, PlannedResource } from "../../tools/engine/plan-document";
import { REPO_ROOT } from "../../tools/engine/run";
import { loadStackConfig } from "../../tools/engine/stack-config";
import { parseStackConfig } from "../../tools/plan/capacity";
import { planStack } from "../harness";

/** Component type → the capacity check's workloads that carry its one-per-node rule. */
const RULES: Readonly<Record<string, readonly string[]>> = {
  "strata:platform:Redis": ["redis replicas with sentinel", "redis haproxy"],
  "strata:platform:Postgres": ["postgres instances"],
  "strata:platform:Mysql": ["mysql members", "mysql haproxy"],
  "strata:platform:Mongodb": ["mongodb members"],
  "strata:platform:Rabbitmq": ["rabbitmq"],
  // prod runs one Grafana (no PostgreSQL), so only these render one pod per node there.
  "strata:platform:Observability": ["prometheus", "alertmanager", "trace routers", "trace samplers"],
};

function requiresOnePerNode(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(requiresOnePerNode);
  if (value === null || typeof value !== "object") return false;
  const o = value as Record<string, unknown>;
  const anti = (o["podAntiAffinity"] as Record<string, unknown> | undefined)?.["requiredDuringSchedulingIgnoredDuringExecution"];
  if (JSON.stringify(anti ?? null).includes('"topologyKey":"kubernetes.io/hostname"')) return true;
  if (o["hardAntiAffinity"] === true || o["antiAffinityTopologyKey"] === "kubernetes.io/hostname" || o["podAntiAffinityType"] === "required") return true;
  return Object.values(o).some(requiresOnePerNode);
}

function componentType(r: PlannedResource, byUrn: ReadonlyMap<string, PlannedResource>): string {
  let current = r.parent ? byUrn.get(r.parent) : undefined;
  // The nearest strata component that is not a whole layer.
  while (current !== undefined && !(current.type.startsWith("strata:") && !current.type.endsWith("Layer"))) current = current.parent ? byUrn.get(current.parent) : undefined;
  return current?.type ?? "(none)";
}

describe("issue #27: placement rules cover the plan's required anti-affinity (prod)", function () {
  this.timeout(240_000);
  let prod: PlanDocument;
  before(async () => {
    prod = toPlanDocument(await planStack({ stack: "prod" }));
  });

  it("every platform component rendering one pod per node has a rule in the capacity check", () => {
    const byUrn = new Map(prod.resources.map((r) => [r.urn, r]));
    const found = [...new Set(prod.resources.filter((r) => r.custom && requiresOnePerNode(r.inputs)).map((r) => componentType(r, byUrn)))].sort();
    expect(found.length).to.be.greaterThan(3);
    expect(found.filter((type) => RULES[type] === undefined)).to.deep.equal([]);
    const config = parseStackConfig(loadStackConfig(REPO_ROOT, "prod"));
    const withRule = platformDemand(config.platform, { environment: config.environment, backend: "vsphere" })
      .workloads.filter((w) => w.placement?.onePerNode === true)
      .map((w) => w.owner);
    for (const type of found) expect(withRule).to.include.members([...(RULES[type] ?? [])]);
  });
});
