/**
 * issue #21: autoscaled worker pools (`nodePools.<name>.autoscaling`) are checked at parse time and
 * sized at their max by the apps capacity check.
 */
import { expect } from "chai";
import { poolBounds } from "../../../config/apps/capacity";
import { describePools } from "../../../infra/vsphere/pools";
import { parsedInfra, problemsOf, rawInfra } from "./fixtures";

type Pools = Record<string, Record<string, unknown>>;

/** The prod infra with its workers turned into an autoscaled pool, then `change` applied to them. */
function autoscaledWorkers(change: (workers: Record<string, unknown>) => void = () => undefined): Record<string, unknown> {
  const infra = rawInfra();
  const workers = (infra["vsphere"] as { nodePools: Pools }).nodePools["workers"]!;
  delete workers["addressRange"];
  delete workers["addresses"];
  workers["count"] = 0;
  workers["autoscaling"] = { min: 6, max: 20 };
  change(workers);
  return infra;
}

describe("issue #21: autoscaled vSphere pools", () => {
  it("accepts a worker pool with count 0, no static addresses and min <= max", () => {
    expect(problemsOf(autoscaledWorkers())).to.deep.equal([]);
  });

  const cases: [string, (workers: Record<string, unknown>) => void, string][] = [
    ["min above max", (w) => (w["autoscaling"] = { min: 21, max: 20 }), "strata:infra.vsphere.nodePools.workers.autoscaling.min: is above max (20); lower min or raise max (got 21)"],
    ["a fixed count beside autoscaling", (w) => (w["count"] = 6), "strata:infra.vsphere.nodePools.workers.count: must be 0 with autoscaling: machine-controller creates this pool's VMs, starting with autoscaling.min (6); set count 0 (got 6)"],
    [
      "static addresses",
      (w) => (w["addressRange"] = "10.20.0.21-10.20.0.40"),
      'strata:infra.vsphere.nodePools.workers.addressRange: cannot be used with autoscaling: machine-controller\'s VMs take their address from DHCP on the pool\'s network; remove addressRange and serve DHCP on that port group (got "10.20.0.21-10.20.0.40")',
    ],
    ["a non-worker role", (w) => (w["role"] = "database"), 'strata:infra.vsphere.nodePools.workers.autoscaling: is for worker pools (this pool\'s role is database); remove autoscaling or set role worker (got {"min":6,"max":20})'],
    ["a max of 0", (w) => (w["autoscaling"] = { min: 0, max: 0 }), "strata:infra.vsphere.nodePools.workers.autoscaling.max: must be 1 or more (got 0)"],
  ];
  for (const [what, change, message] of cases) {
    it(`rejects ${what}`, () => {
      expect(problemsOf(autoscaledWorkers(change))).to.include(message);
    });
  }

  it("reports the pool at its max, under the key that changes it, to the capacity check", () => {
    const infra = parsedInfraOf(autoscaledWorkers());
    const workers = poolBounds(infra)?.find((p) => p.name === "workers");
    expect(workers).to.deep.equal({ name: "workers", sizeKey: "strata:infra.vsphere.nodePools.workers.autoscaling.max", maxNodes: 20 });
    const fixed = poolBounds(infra)?.find((p) => p.name === "storage");
    expect(fixed).to.deep.equal({ name: "storage", sizeKey: "strata:infra.vsphere.nodePools.storage.count", maxNodes: 3 });
  });

  it("describes the pool to later layers at min now and max at most, without addresses", () => {
    const infra = parsedInfraOf(autoscaledWorkers());
    const workers = describePools(infra, []).find((p) => p.name === "workers");
    expect(workers).to.include({ count: 6, maxCount: 20 });
    expect(workers?.addresses).to.deep.equal([]);
  });
});

/** Parses a raw infra value the way `parsedInfra` parses the prod example. */
function parsedInfraOf(raw: Record<string, unknown>) {
  expect(problemsOf(raw)).to.deep.equal([]);
  const base = parsedInfra();
  const workers = (raw["vsphere"] as { nodePools: Pools }).nodePools["workers"]!;
  return { ...base, vsphere: { ...base.vsphere, nodePools: { ...base.vsphere.nodePools, workers: { ...base.vsphere.nodePools["workers"]!, count: 0, addressRange: undefined, autoscaling: workers["autoscaling"] as { min: number; max: number } } } } };
}
