import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PLAN_USAGE } from "../../tools/plan/usage";

const ROOT = join(__dirname, "..", "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const SCRIPTS = Object.keys((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts);

describe("issue #24: the README is true to the code", () => {
  it("every `npm run <script>` it names exists in package.json", () => {
    const named = [...new Set([...README.matchAll(/npm run (?:-s )?([a-z][a-z0-9:-]*)/g)].map((m) => m[1] ?? ""))];
    expect(named).to.include.members(["plan", "verify", "policy", "reference:pull"]);
    expect(named.filter((script) => !SCRIPTS.includes(script))).to.deep.equal([]);
  });

  it("every option of `npm run plan -- --help` is documented", () => {
    const options = [...new Set([...PLAN_USAGE.matchAll(/^\s+(--[a-z-]+)/gm)].map((m) => m[1] ?? ""))];
    expect(options).to.include.members(["--stack", "--diff", "--graph", "--help"]);
    expect(options.filter((option) => !README.includes(`\`${option}`))).to.deep.equal([]);
  });

  it("no longer calls the apps layer empty or strata:apps unconfigurable, nor puts actionlint in npm test", () => {
    expect(README).not.to.match(/empty contract|not configurable yet|`actionlint` in `npm test`/);
  });
});
