import { expect } from "chai";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { PlanDocument } from "../../tools/engine/plan-document";
import { planAtRef, resolveRef } from "../../tools/plan/at-ref";
import { changedPaths, diffPlans, formatDiff } from "../../tools/plan/diff";
import { toDot, writeGraph } from "../../tools/plan/graph";
import { replacingPaths } from "../../tools/plan/replace-rules";
import { FixtureRepo } from "./fixture-repo";

describe("npm run plan -- --diff / --graph", function () {
  this.timeout(180000);
  const repo = new FixtureRepo();
  const base = repo.commit({ buckets: 2, namespace: "apps", withSecret: true }, "base");
  const more = repo.commit({ buckets: 3, namespace: "apps", withSecret: true }, "one more bucket");
  const renamed = repo.commit({ buckets: 3, namespace: "apps-v2", withSecret: true }, "rename the namespace");
  const noSecret = repo.commit({ buckets: 3, namespace: "apps-v2", withSecret: false }, "drop the secret");
  const plans = new Map<string, Promise<PlanDocument>>();
  const plan = (ref: string) => {
    if (!plans.has(ref)) plans.set(ref, planAtRef({ ref, stack: "small", repoDir: repo.dir }));
    return plans.get(ref) as Promise<PlanDocument>;
  };
  // One run at a time: the other test files' runs share the machine.
  before(async () => {
    for (const ref of [base, more, renamed, noSecret]) await plan(ref);
  });
  after(() => rmSync(repo.dir, { recursive: true, force: true }));

  it("a count change: one more generated name, the ConfigMap that counts them updated", async () => {
    const diff = diffPlans(await plan(base), await plan(more));
    expect(diff.changes.map((c) => `${c.change} ${c.layer} ${c.name} ${c.paths.join(",")}`).sort()).to.deep.equal(["create infra small-3 ", "update cluster small-settings data.buckets"]);
  });

  it("a forced replacement: renaming the namespace replaces it and what lives in it, naming the inputs", async () => {
    const diff = diffPlans(await plan(more), await plan(renamed));
    expect(diff.changes.map((c) => `${c.change} ${c.name} ${c.paths.join(",")}`).sort()).to.deep.equal([
      "replace small-ns metadata.name",
      "replace small-settings metadata.namespace",
      "replace small-token metadata.namespace",
    ]);
    expect(formatDiff(diff, "t")).to.include("    +- kubernetes:core/v1:Namespace small-ns (forced by metadata.name)");
  });

  it("a deletion, printed per layer with counts", async () => {
    const diff = diffPlans(await plan(renamed), await plan(noSecret));
    expect(diff.changes.map((c) => `${c.change} ${c.type} ${c.name}`)).to.deep.equal(["delete kubernetes:core/v1:Secret small-token"]);
    expect(formatDiff(diff, "t").split("\n")).to.deep.equal(["t", `0 to create, 0 to replace, 0 to update, 1 to delete, ${diff.unchanged} unchanged`, "", "cluster:", "  delete (1):", "    -  kubernetes:core/v1:Secret small-token"]);
    expect(diff.unchanged).to.be.greaterThan(4);
  });

  it("rejects a ref that is not a commit, naming it", () => {
    expect(() => resolveRef(repo.dir, "no-such-branch")).to.throw(`--diff: no-such-branch is not a commit in ${repo.dir}; use a branch, tag or commit (e.g. origin/main)`);
  });

  it("draws layers as clusters and the critical path in red, and renders SVG with Graphviz", async () => {
    const small = await plan(noSecret);
    const dot = toDot(small, { detail: "resources" });
    expect(dot).to.match(/subgraph "cluster_infra" \{\n\s+label="infra";/);
    expect(dot).to.match(/subgraph "cluster_cluster" \{\n\s+label="cluster";/);
    // Critical path: a generated name → the Kubernetes provider (dependsOn) → the namespace → the ConfigMap.
    const red = dot.split("\n").filter((l) => l.includes("#c0392b") && l.includes("label="));
    expect(red.map((l) => /label="[^\\]+\\n([^"]+)"/.exec(l)?.[1]).sort()).to.deep.equal(["small-1", "small-k8s", "small-ns", "small-settings"].sort());
    expect(dot.split("\n").filter((l) => l.includes("->") && l.includes("#c0392b"))).to.have.length(3);
    const file = join(repo.dir, "graph.svg");
    writeGraph(small, file, { detail: "resources" });
    const svg = readFileSync(file, "utf8");
    expect(svg).to.include("<svg").and.include("<title>cluster_infra</title>").and.include("<title>cluster_cluster</title>").and.include(">ConfigMap</text>");
    expect(svg.match(/stroke="#c0392b"/g)).to.have.length.greaterThan(3);
  });
});

describe("plan diff: input paths and replacement rules", () => {
  it("finds nested and indexed paths", () => {
    expect(changedPaths({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { b: 2, c: [1, 3] }, d: 1 })).to.deep.equal(["a.b", "a.c[1]"]);
    expect(changedPaths({ a: [1] }, { a: [1, 2] })).to.deep.equal(["a"]);
  });

  it("reports a resource whose parent moved (same type and name, new URN) as replaced, naming the old URN", () => {
    const resource = (urn: string, parent: string) => ({ urn, type: "kubernetes:helm.sh/v3:Release", name: "gw", parent, dependencies: [], provider: "", protect: false, custom: true, version: "", inputs: { chart: "x" } });
    const component = (urn: string, type: string) => ({ urn, type, name: "c", parent: "", dependencies: [], provider: "", protect: false, custom: false, version: "", inputs: {} });
    const before = { project: "p", stack: "s", outputs: {}, resources: [component("urn:a", "strata:cluster:Old"), resource("urn:a$gw", "urn:a")] };
    const after = { project: "p", stack: "s", outputs: {}, resources: [component("urn:b", "strata:cluster:New"), resource("urn:b$gw", "urn:b")] };
    expect(diffPlans(before, after).changes).to.deep.equal([{ change: "replace", urn: "urn:b$gw", type: "kubernetes:helm.sh/v3:Release", name: "gw", layer: "cluster", paths: ["urn (was urn:a$gw; add aliases to keep it)"] }]);
  });

  it("knows provider replacements: Kubernetes identity and immutable fields, vSphere clone, AWS names, generators", () => {
    expect(replacingPaths("kubernetes:apps/v1:Deployment", ["spec.replicas", "spec.selector.matchLabels.app"])).to.deep.equal(["spec.selector.matchLabels.app"]);
    expect(replacingPaths("kubernetes:apps/v1:StatefulSet", ["spec.volumeClaimTemplates[0].spec.resources"])).to.have.length(1);
    expect(replacingPaths("vsphere:index/virtualMachine:VirtualMachine", ["numCpus", "clone.templateUuid"])).to.deep.equal(["clone.templateUuid"]);
    expect(replacingPaths("aws:eks/nodeGroup:NodeGroup", ["scalingConfig.desiredSize", "instanceTypes[0]"])).to.deep.equal(["instanceTypes[0]"]);
    expect(replacingPaths("random:index/randomPassword:RandomPassword", ["length"])).to.deep.equal(["length"]);
    expect(replacingPaths("kubernetes:helm.sh/v3:Release", ["values.replicas"])).to.deep.equal([]);
  });
});
