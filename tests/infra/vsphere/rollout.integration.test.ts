/**
 * issue #21: the prod plan orders the VMs of pools that must not lose more than one member: each
 * waits for the previous member's health gate, visible as dependencies of the captured resources.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import type { RunResult } from "../../../tools/engine/run";
import { named, ofType, planStack } from "../../harness";
import { prodWithFixedWorkersFile } from "./fixtures";

const VM = "vsphere:index/virtualMachine:VirtualMachine";
const GATE = "pulumi-nodejs:dynamic/strata:ApiReadiness";

describe("issue #21: vSphere rollout order (prod plan)", function () {
  this.timeout(600_000);
  let plan: RunResult;
  let dir: string;
  // Fixed workers: prod's workers autoscale (no Pulumi VMs), and the test shows a plain pool is not chained.
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "strata-rollout-"));
    plan = await planStack({ stack: "prod", configFile: prodWithFixedWorkersFile(dir) });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

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
  });

  it("issue #21: database pools are chained VM by VM through health gates that re-run on a resize; worker pools are not", () => {
    for (const pool of ["mysql", "mongodb", "redis"]) {
      const [first, second, third] = [1, 2, 3].map((n) => named(plan, VM, `emis-prod-${pool}-${n}`));
      expect(second!.dependencies, pool).to.include(gateOf(`emis-prod-${pool}-1`).urn);
      expect(third!.dependencies, pool).to.include(gateOf(`emis-prod-${pool}-2`).urn);
      const gate = gateOf(`emis-prod-${pool}-1`);
      expect(gate.dependencies).to.include(first!.urn);
      expect(gate.rawInputs["nodeNames"]).to.deep.equal([`emis-prod-${pool}-1`]);
      expect(gate.rawInputs["triggers"]).to.include(`cpus=${String(first!.rawInputs["numCpus"])}`).and.include(`memoryGi=${Number(first!.rawInputs["memory"]) / 1024}`);
      // The last member has a gate too: an `up` that resized it fails if it does not come back.
      expect(gateOf(`emis-prod-${pool}-3`).dependencies).to.include(third!.urn);
    }
    const workers = ofType(plan, VM).filter((vm) => vm.name.startsWith("emis-prod-workers-"));
    expect(workers).to.have.length(6);
    for (const vm of workers) expect(vm.dependencies.filter((urn) => gateUrns().has(urn)), vm.name).to.deep.equal([]);
    expect(ofType(plan, GATE).filter((g) => g.name.startsWith("emis-prod-workers-"))).to.deep.equal([]);
  });

  it("issue #21: a guest that does not shut down within 10 minutes fails the resize instead of being powered off", () => {
    for (const vm of ofType(plan, VM)) {
      expect(vm.rawInputs["forcePowerOff"], vm.name).to.equal(false);
      expect(vm.rawInputs["shutdownWaitTimeout"], vm.name).to.equal(10);
    }
  });
});
