/**
 * issue #21: the prod plan orders the VMs of pools that must not lose more than one member: each
 * waits for the previous member's health gate, visible as dependencies of the captured resources.
 */
import { expect } from "chai";
import type { RunResult } from "../../../tools/engine/run";
import { named, ofType } from "../../harness";
import { planExample } from "./fixtures";

const VM = "vsphere:index/virtualMachine:VirtualMachine";
const GATE = "pulumi-nodejs:dynamic/strata:ApiReadiness";

describe("issue #21: vSphere rollout order (prod plan)", function () {
  this.timeout(600_000);
  let plan: RunResult;
  before(async () => {
    plan = await planExample("vsphere-prod.yaml");
  });

  const gateOf = (node: string) => named(plan, GATE, `${node}-healthy`);
  const gateUrns = () => new Set(ofType(plan, GATE).map((g) => g.urn));

  it("issue #21: control plane n is created only after control plane n-1's API server (and so its etcd member) is Ready", () => {
    const [cp1, cp2, cp3] = [1, 2, 3].map((n) => named(plan, VM, `emis-prod-control-plane-${n}`));
    expect(cp1!.dependencies.filter((urn) => gateUrns().has(urn))).to.deep.equal([]);
    expect(cp2!.dependencies).to.include(gateOf("emis-prod-control-plane-1").urn);
    expect(cp3!.dependencies).to.include(gateOf("emis-prod-control-plane-2").urn);
    const gate = gateOf("emis-prod-control-plane-1");
    expect(gate.dependencies).to.include(cp1!.urn);
    expect(gate.rawInputs["readyPods"]).to.deep.equal(["kube-apiserver-emis-prod-control-plane-1"]);
    expect(gate.rawInputs["nodeNames"]).to.deep.equal(["emis-prod-control-plane-1"]);
    // The last member has no successor to hold back.
    expect(ofType(plan, GATE).map((g) => g.name)).to.not.include("emis-prod-control-plane-3-healthy");
  });
});
