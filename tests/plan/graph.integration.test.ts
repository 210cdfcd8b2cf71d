/**
 * issue #27: a dependency graph people can read. prod drew 260 nodes and 809 edges on one canvas;
 * by default it is now one node per component, layers as clusters, the critical path in red;
 * `--graph-detail resources` keeps the resource view; with `--diff` only what changed and what
 * depends on it is drawn.
 */
import { expect } from "chai";
import { readFileSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toPlanDocument } from "../../tools/engine/run";
import type { PlanDocument } from "../../tools/engine/plan-document";
import { changedAndDependents, graphSize, toDot, writeGraph } from "../../tools/plan/graph";
import { planStack } from "../harness";

describe("issue #27: plan --graph on prod", function () {
  this.timeout(240_000);
  let prod: PlanDocument;
  const dir = mkdtempSync(join(tmpdir(), "strata-graph-"));
  before(async () => {
    prod = toPlanDocument(await planStack({ stack: "prod" }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("draws one node per component by default: under 60 nodes, layers as clusters, the critical path in red", () => {
    const dot = toDot(prod);
    const size = graphSize(dot);
    const components = prod.resources.filter((r) => !r.custom && r.type !== "pulumi:pulumi:Stack").length;
    expect(size.nodes).to.be.lessThan(60).and.at.most(components + 5);
    expect(size.edges).to.be.lessThan(200);
    for (const layer of ["infra", "cluster", "platform", "apps"]) expect(dot).to.include(`subgraph "cluster_${layer}"`);
    expect(dot.split("\n").filter((l) => l.includes("#c0392b") && l.includes("label=")).length).to.be.greaterThan(1);
    expect(dot).to.match(/label="NetworkPolicies\\n[^"]+\\n\d+ resources"/);
  });

  it("keeps every resource with --graph-detail resources", () => {
    expect(graphSize(toDot(prod, { detail: "resources" })).nodes).to.equal(prod.resources.filter((r) => r.custom).length);
  });

  it("with a diff draws only the changed resources and what waits for them", () => {
    const namespace = prod.resources.find((r) => r.type === "kubernetes:core/v1:Namespace");
    expect(namespace).not.to.equal(undefined);
    const only = changedAndDependents(prod, [namespace?.urn ?? ""]);
    expect(only.size).to.be.greaterThan(1).and.lessThan(prod.resources.length);
    expect(graphSize(toDot(prod, { detail: "resources", only })).nodes).to.equal(only.size);
    expect(graphSize(toDot(prod, { only })).nodes).to.be.lessThan(graphSize(toDot(prod)).nodes + 1);
  });

  it("renders SVG and PNG with Graphviz", () => {
    writeGraph(prod, join(dir, "prod.svg"));
    writeGraph(prod, join(dir, "prod.png"));
    expect(readFileSync(join(dir, "prod.svg"), "utf8")).to.include("<svg");
    expect(readFileSync(join(dir, "prod.png")).subarray(1, 4).toString("latin1")).to.equal("PNG");
  });
});
