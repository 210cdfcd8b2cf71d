/**
 * issue #27: placement feasibility in the capacity check. Redis (redis-ha) defaults to 3 replicas
 * with required anti-affinity; on the local example's single worker pool (no `database` pool, so
 * the parse-time node count check of strata:platform.redis is silent) the plan passed and a real
 * `up` would wait for Pending pods and roll back. The check now refuses it with the workload, the
 * pool and the numbers, in `warn` mode too.
 */
import { expect } from "chai";
import { capacityCheck } from "../../apps/capacity";
import { enforceCapacity } from "../../apps/capacity/enforce";
import { placementProblems } from "../../apps/capacity/placement";
import type { CapacityPool, Workload } from "../../apps/capacity/types";
import { infraFactsOfConfig } from "../../apps/capacity/infra-facts";
import { ConfigError } from "../../config/errors";
import { REPO_ROOT } from "../../tools/engine/run";
import { loadStackConfig } from "../../tools/engine/stack-config";
import { parseStackConfig } from "../../tools/plan/capacity";

const LOCAL = "examples/local/Pulumi.local.yaml";

/** The local example with Redis enabled and its one worker pool at `nodes` nodes. */
function localWithRedis(nodes: number) {
  const stack = loadStackConfig(REPO_ROOT, "local", LOCAL);
  const infra = JSON.parse(stack.config["strata:infra"] ?? "{}") as { existing: { nodePools: Record<string, { count: number; maxCount?: number }> } };
  const kind = infra.existing.nodePools["kind"];
  if (kind === undefined) throw new Error("examples/local: no pool kind");
  kind.count = nodes;
  kind.maxCount = nodes;
  const cluster = { ...(JSON.parse(stack.config["strata:cluster"] ?? "{}") as object), existing: { storageClasses: { default: "standard", database: "standard" } } };
  const config = { ...stack.config, "strata:infra": JSON.stringify(infra), "strata:cluster": JSON.stringify(cluster), "strata:platform": JSON.stringify({ redis: { enabled: true } }) };
  const parsed = parseStackConfig({ ...stack, config });
  return capacityCheck(parsed, infraFactsOfConfig(parsed.infra!));
}

describe("placement feasibility (capacity check)", () => {
  it("examples/local as shipped places every workload and can drain its node", () => {
    const stack = loadStackConfig(REPO_ROOT, "local", LOCAL);
    const parsed = parseStackConfig(stack);
    const result = capacityCheck(parsed, infraFactsOfConfig(parsed.infra!));
    expect(result.placement).to.deep.equal([]);
    expect(result.table).to.match(/Placement: \d+ workload\(s\) .*all placeable and drainable/);
  });

  it("issue #27: Redis with 3 replicas fits a 3-node pool; removing a node is refused naming workload, pool and numbers", () => {
    const fits = localWithRedis(3);
    expect(fits.refusals).to.deep.equal([]);
    expect(() => enforceCapacity(fits)).not.to.throw();

    const short = localWithRedis(2);
    expect(short.mode).to.equal("warn");
    expect(short.refusals).to.include(
      "strata:platform.redis.replicas: redis replicas with sentinel runs 3 pods with required anti-affinity (one per node), but pool kind has 2 nodes at most, so 1 would stay Pending (got 3); add nodes (strata:infra.existing.nodePools.kind.maxCount) or lower strata:platform.redis.replicas to 2",
    );
    // warn mode still refuses: the pods could never be scheduled.
    expect(() => enforceCapacity(short)).to.throw(ConfigError, /redis replicas with sentinel runs 3 pods .* pool kind has 2 nodes at most/);
  });

  it("a budget no drain can honour: every pod kept, or pods with no other node at the pool's least", () => {
    const pool: CapacityPool = { name: "workers", role: "worker", tainted: false, minNodes: 1, maxNodes: 4, perNode: { cpuMillis: 4000, memoryMi: 8000 } };
    const w = (pods: number, minAvailable: number): Workload => ({ owner: "app api", target: { pool: "workers" }, pods, perPod: { cpuMillis: 100, memoryMi: 100 }, placement: { onePerNode: false, minAvailable, key: "strata:apps.services.api.minAvailable" } });
    const [all] = placementProblems([w(3, 3)], () => [{ ...pool, minNodes: 3 }]);
    expect(all?.message).to.contain("keeps 3 of 3 pods available, so no drain can evict one");
    const [single] = placementProblems([w(3, 2)], () => [pool]);
    expect(single?.message).to.contain("a drain of the only node of pool workers cannot evict app api");
    expect(placementProblems([w(3, 2)], () => [{ ...pool, minNodes: 2 }])).to.deep.equal([]);
  });
});
