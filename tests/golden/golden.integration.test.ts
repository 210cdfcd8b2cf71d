/**
 * Golden renders: one service per seed system, every object it becomes in the offline plan,
 * compared file by file with `tests/golden/<scenario>/<service>/`. A difference fails with the
 * file named; `npm run golden:update` rewrites them and the diff is reviewed in the commit.
 */
import { expect } from "chai";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { GOLDEN_SCENARIOS, goldenPath, renderGolden } from "../../tools/golden";
import { planStack } from "../harness";

const UPDATE = "run `npm run golden:update` and review the diff under tests/golden";

describe("golden renders of one service per seed system", () => {
  for (const scenario of GOLDEN_SCENARIOS) {
    it(`${scenario.scenario}: ${scenario.service} renders as tests/golden/${scenario.scenario}/${scenario.service}`, async function () {
      this.timeout(240_000);
      const rendered = renderGolden(await planStack(scenario.run), scenario.service);
      const dir = goldenPath(scenario);
      const stored = existsSync(dir) ? readdirSync(dir).sort() : [];
      expect([...rendered.keys()], `files differ; ${UPDATE}`).to.deep.equal(stored);
      for (const [name, content] of rendered) {
        expect(content, `${scenario.scenario}/${scenario.service}/${name} differs; ${UPDATE}`).to.equal(readFileSync(join(dir, name), "utf8"));
      }
      expect(stored.filter((name) => name.includes(`--Deployment-${scenario.service}.yaml`)), "the service's Deployment is among them").to.have.length(1);
    });
  }
});
