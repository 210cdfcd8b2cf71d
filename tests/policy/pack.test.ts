import { expect } from "chai";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { CHART_DEFAULT_EXCEPTIONS, DEFAULT_DENY_EXCEPTIONS, WORKLOAD_EXCEPTIONS } from "../../policy/kubernetes/allow-list";
import { PACK_NAME, STRATA_POLICIES } from "../../policy/policies";
import { ENVIRONMENTS } from "../../config/schema";
import type { PackConfig } from "../../tools/policy/evaluate";

const POLICY_DIR = join(__dirname, "..", "..", "policy");
const configOf = (environment: string) => JSON.parse(readFileSync(join(POLICY_DIR, "config", `${environment}.json`), "utf8")) as PackConfig;

describe("policy pack", () => {
  it("is a Node.js CrossGuard pack with a version (PolicyPack reads it from package.json) and valid names", () => {
    expect(parse(readFileSync(join(POLICY_DIR, "PulumiPolicy.yaml"), "utf8"))).to.include({ runtime: "nodejs" });
    const pkg = JSON.parse(readFileSync(join(POLICY_DIR, "package.json"), "utf8")) as { version?: string; main?: string };
    expect(pkg.version).to.match(/^\d+\.\d+\.\d+$/);
    expect(pkg.main).to.equal("index.ts");
    expect(PACK_NAME).to.match(/^[a-zA-Z0-9._-]+$/);
    const names = STRATA_POLICIES.map((p) => p.name);
    expect(new Set(names).size).to.equal(names.length);
    expect(names).not.to.include("all");
    for (const p of STRATA_POLICIES) expect(p.description, p.name).to.be.a("string").and.not.empty;
  });

  it("has one config per environment: advisory in dev, mandatory in staging and prod, naming only real policies", () => {
    expect(readdirSync(join(POLICY_DIR, "config")).sort()).to.deep.equal(ENVIRONMENTS.map((e) => `${e}.json`).sort());
    expect(configOf("dev")["all"]).to.equal("advisory");
    expect(configOf("staging")["all"]).to.equal("mandatory");
    expect(configOf("prod")["all"]).to.equal("mandatory");
    const names = new Set(STRATA_POLICIES.map((p) => p.name));
    for (const environment of ENVIRONMENTS) for (const key of Object.keys(configOf(environment))) expect(key === "all" || names.has(key), `${environment}.json: ${key}`).to.equal(true);
  });

  it("gives every allow-list entry a reason", () => {
    for (const entry of [...WORKLOAD_EXCEPTIONS, ...DEFAULT_DENY_EXCEPTIONS]) expect(entry.reason.length, entry.namespace).to.be.greaterThan(20);
    for (const entry of CHART_DEFAULT_EXCEPTIONS) expect(entry.reason.length, `${entry.chart}/${entry.component}`).to.be.greaterThan(20);
  });
});
