/**
 * Mocha root hook: starts the mocked runs most test files share before the first test, so they
 * proceed in the background while pure tests run.
 */
import { warmUp } from "./harness";

export const mochaHooks = {
  beforeAll(): void {
    warmUp([{ stack: "dev" }, { stack: "prod" }]);
  },
};
