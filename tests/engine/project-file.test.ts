/**
 * Pulumi.yaml must load in the real CLI: config declarations use only the types the project
 * schema allows (string, integer, boolean, array with items), and every declared key is one
 * strata reads.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { STRATA_KEYS } from "../../config/schema";
import { REPO_ROOT } from "../../tools/engine/run";

interface Declaration {
  readonly type?: unknown;
  readonly items?: { readonly type?: unknown };
}

describe("Pulumi.yaml", () => {
  const project = parse(readFileSync(join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as { name: string; runtime: { name: string }; config: Record<string, Declaration> };

  it("is the strata nodejs project", () => {
    expect(project.name).to.equal("strata");
    expect(project.runtime.name).to.equal("nodejs");
  });

  it("declares config only with types the Pulumi project schema accepts", () => {
    for (const [key, declaration] of Object.entries(project.config)) {
      expect(["string", "integer", "boolean", "array"], key).to.include(declaration.type);
      if (declaration.type === "array") expect(["string", "integer", "boolean"], `${key}.items`).to.include(declaration.items?.type);
    }
  });

  it("declares only keys strata reads", () => {
    for (const key of Object.keys(project.config)) expect(STRATA_KEYS).to.include(key.replace(/^strata:/, ""));
  });
});
