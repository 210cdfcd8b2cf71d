/**
 * Mocha root hook: starts the mocked runs most test files share before the first test, so they
 * proceed in the background while pure tests run.
 */
import { warmUp } from "./harness";
import { exampleRun } from "./infra/vsphere/fixtures";

export const mochaHooks = {
  beforeAll(): void {
    warmUp([{ stack: "dev" }, { stack: "prod" }, exampleRun("vsphere-prod.yaml"), exampleRun("vsphere-dev.yaml")]);
  },
};
