import { expect } from "chai";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importCycles } from "../../tools/import-cycles";

describe("config/ imports", () => {
  it("issue #27: no file under config/ imports itself through others (schemas are leaves, checks depend on them)", () => {
    expect(importCycles(join(__dirname, "..", "..", "config"))).to.deep.equal([]);
  });

  it("finds a circle through an index file and a type-only import", () => {
    const folder = mkdtempSync(join(tmpdir(), "strata-cycles-"));
    mkdirSync(join(folder, "apps"));
    writeFileSync(join(folder, "apps", "index.ts"), 'export { check } from "./checks";\nexport const schema = 1;\n');
    writeFileSync(join(folder, "apps", "checks.ts"), 'import type { schema } from "./";\nexport const check = (s: typeof schema) => s;\n');
    writeFileSync(join(folder, "leaf.ts"), 'import { schema } from "./apps";\nexport const leaf = schema;\n');
    expect(importCycles(folder)).to.deep.equal([["apps/checks.ts", "apps/index.ts"]]);
  });
});
