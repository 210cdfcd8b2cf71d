/**
 * `strata:apps.capacityCheck` and the pool checks the capacity check needs are rejected while
 * config is parsed, with the key path, the value and the fix. Each case asserts the exact text.
 */
import { expect } from "chai";
import { capacityCheckMode, pinnedPoolProblem } from "../../config/apps/capacity";
import { parseConfig, type RawConfig } from "../../config/schema";
import { validRaw } from "../config/valid-config";
import { problemsOf } from "../config/problems";

const API = {
  image: "ghcr.io/acme/api:1.4.2",
  port: 8080,
  resources: { cpuMillis: 250, memoryMi: 256, limitMemoryMi: 512 },
};

function withApps(apps: Record<string, unknown>, infraPools?: Record<string, unknown>, environment = "dev"): RawConfig {
  const raw = validRaw();
  const existing = raw.infra["existing"] as Record<string, unknown>;
  return {
    ...raw,
    environment,
    infra: infraPools === undefined ? raw.infra : { ...raw.infra, existing: { ...existing, nodePools: infraPools } },
    apps,
  };
}

describe("strata:apps.capacityCheck config", () => {
  it("rejects a mode it does not know", () => {
    expect(problemsOf(withApps({ capacityCheck: "strict" }))).to.deep.equal([`strata:apps.capacityCheck: must be one of "fail", "warn", "off" (got "strict")`]);
  });

  it("rejects a service pinned to a pool the infra slice does not declare", () => {
    expect(problemsOf(withApps({ services: { api: { ...API, pool: "batch" } } }))).to.deep.equal([
      `strata:apps.services.api.pool: is not a node pool of strata:infra (got "batch"); use one of general`,
    ]);
  });

  it("rejects, in fail mode, an existing cluster that declares no pools to size the check with", () => {
    expect(problemsOf(withApps({ capacityCheck: "fail", services: { api: API } }, {}))).to.deep.equal([
      `strata:apps.capacityCheck: needs the node pools' sizes (got "fail"); declare strata:infra.existing.nodePools (role, count, maxCount, cpuCores, memoryGi) or set strata:apps.capacityCheck to warn or off`,
    ]);
  });

  it("accepts unsized pools when the check only warns (the dev default)", () => {
    expect(parseConfig(withApps({ services: { api: API } }, {})).apps.capacityCheck).to.equal(undefined);
  });

  it("reports a pinned pool that holds no node at its maximum size, naming the key that sizes it", () => {
    const pools = [{ name: "batch", sizeKey: "strata:infra.vsphere.nodePools.batch.count", maxNodes: 0 }];
    expect(pinnedPoolProblem("strata:apps.services.api", "batch", pools)).to.equal(
      `strata:apps.services.api.pool: the pool has no nodes at its maximum size (got "batch"); raise strata:infra.vsphere.nodePools.batch.count or place the service on another pool`,
    );
    expect(pinnedPoolProblem("strata:apps.services.api", "batch", [{ ...pools[0]!, maxNodes: 1 }])).to.equal(undefined);
    expect(pinnedPoolProblem("strata:apps.services.api", "batch", undefined)).to.equal(undefined);
  });

  it("defaults to fail in prod and warn elsewhere; an explicit mode wins", () => {
    expect(capacityCheckMode("prod", undefined)).to.equal("fail");
    expect(capacityCheckMode("staging", undefined)).to.equal("warn");
    expect(capacityCheckMode("dev", undefined)).to.equal("warn");
    expect(capacityCheckMode("prod", "warn")).to.equal("warn");
    expect(capacityCheckMode("dev", "fail")).to.equal("fail");
  });
});
