/**
 * Mocha root hook of the integration suite (`npm run test:integration`): starts the mocked runs
 * most of its files share before the first test, so they proceed in the background.
 */
import { REPO_ROOT } from "../tools/engine/run";
import { FIXTURES, warmUp } from "./harness";
import { exampleRun } from "./infra/vsphere/fixtures";

export const mochaHooks = {
  beforeAll(): void {
    warmUp([
      { stack: "dev" },
      { stack: "prod" },
      { stack: "prod", configFile: "examples/eks-prod-infra.yaml" },
      { stack: "local", configFile: `${REPO_ROOT}/examples/local/Pulumi.local.yaml` },
      exampleRun("vsphere-dev.yaml"),
      { stack: "prod", configFile: `${FIXTURES}/stacks/existing-kubeconfig.yaml` },
      { stack: "tartware", configFile: `${REPO_ROOT}/examples/tartware/Pulumi.tartware.yaml` },
      { stack: "valueverse", configFile: "examples/valueverse.yaml" },
      { stack: "multitenant", configFile: "examples/multitenant/Pulumi.multitenant.yaml" },
      { stack: "flask-next-node", configFile: "examples/flask-next-node/Pulumi.flask-next-node.yaml" },
      { stack: "tenants", configFile: `${FIXTURES}/stacks/tenants.yaml` },
    ]);
  },
};
