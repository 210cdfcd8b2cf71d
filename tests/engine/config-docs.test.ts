import { expect } from "chai";
import { readFileSync } from "node:fs";
import { CONFIG_DOC, configReference } from "../../tools/config-docs";

describe("docs/config.md", () => {
  it("matches the schema; run `npm run docs:config` after changing config/", () => {
    expect(readFileSync(CONFIG_DOC, "utf8")).to.equal(configReference());
  });

  it("lists keys with their defaults", () => {
    expect(configReference()).to.match(/\| `strata:infra\.network\.podCidr` \| string \| {2}\| `"10\.244\.0\.0\/16"` \| Pod CIDR the CNI allocates from\. \|/);
  });
});
