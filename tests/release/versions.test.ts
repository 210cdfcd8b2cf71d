import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const read = (file: string) => readFileSync(join(ROOT, file), "utf8");
const headings = (text: string, prefix: string) => text.split("\n").filter((line) => line.startsWith(prefix)).map((line) => line.slice(prefix.length).trim());

describe("issue #24: releases", () => {
  const version = (JSON.parse(read("package.json")) as { version: string }).version;

  it("package.json carries a semantic version", () => {
    expect(version).to.match(/^\d+\.\d+\.\d+$/);
  });

  it("UPGRADE.md has an Unreleased section first, then one per version, the package's version among them, newest first", () => {
    const sections = headings(read("UPGRADE.md"), "## ");
    expect(sections[0]).to.equal("Unreleased");
    expect(sections).to.include(version);
    const versions = sections.slice(1);
    for (const v of versions) expect(v, "an UPGRADE.md section that is not a version").to.match(/^\d+\.\d+\.\d+$/);
    const order = versions.map((v) => v.split(".").map(Number).reduce((acc, n) => acc * 1000 + n, 0));
    expect(order).to.deep.equal([...order].sort((a, b) => b - a));
  });

  it("CHANGELOG.md (Keep a Changelog) has [Unreleased] first and a dated entry for the package's version", () => {
    const entries = headings(read("CHANGELOG.md"), "## ");
    expect(entries[0]).to.equal("[Unreleased]");
    expect(entries.find((e) => e.startsWith(`[${version}]`))).to.match(new RegExp(`^\\[${version.replace(/\./g, "\\.")}\\] - \\d{4}-\\d{2}-\\d{2}$`));
  });

  it("docs/releasing.md names the tag command for the version scheme", () => {
    expect(read("docs/releasing.md")).to.contain("git tag -a v");
  });
});
