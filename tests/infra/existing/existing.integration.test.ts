import { expect } from "chai";
import { SECRET_PLACEHOLDER } from "../../../tools/engine/plan-document";
import { REPO_ROOT } from "../../../tools/engine/run";
import { FIXTURES, named, ofType, planStack } from "../../harness";

const local = { stack: "local", configFile: `${REPO_ROOT}/examples/local/Pulumi.local.yaml` };
const withKubeconfig = { stack: "prod", configFile: `${FIXTURES}/stacks/existing-kubeconfig.yaml` };

describe("infra: existing cluster", () => {
  describe("reached through a kubeconfig context (the local example)", () => {
    it("creates no infrastructure and selects the context on the Kubernetes provider", async () => {
      const dev = await planStack(local);
      expect(ofType(dev, "strata:infra:ExistingCluster")).to.have.length(1);
      // The reference to the stack's own last outputs (the Kubernetes version check) reads, it creates nothing.
      const created = dev.resources.filter((r) => r.custom && r.type !== "pulumi:providers:kubernetes" && r.type !== "pulumi:pulumi:StackReference" && !r.type.startsWith("kubernetes:") && !r.type.startsWith("tls:"));
      expect(created).to.be.empty;
      const provider = named(dev, "pulumi:providers:kubernetes", "strata-local-k8s");
      expect(provider.inputs.context).to.equal("kind-strata");
      expect(provider.inputs).not.to.have.property("kubeconfig");
    });

    it("publishes the described pools in the infra contract", async () => {
      const dev = await planStack(local);
      const infra = dev.outputs.infra as { backend: string; nodePools: { name: string; count: number; maxCount: number }[]; hasKubeconfig: boolean };
      expect(infra.backend).to.equal("existing");
      expect(infra.hasKubeconfig).to.equal(false);
      expect(infra.nodePools.map((p) => [p.name, p.count, p.maxCount])).to.deep.equal([["kind", 1, 1]]);
    });
  });

  describe("reached through the secret strata:kubeconfig", () => {
    it("passes the kubeconfig to the provider as a secret", async () => {
      const prod = await planStack(withKubeconfig);
      const provider = named(prod, "pulumi:providers:kubernetes", "shared-prod-k8s");
      expect(provider.inputs.kubeconfig).to.equal(SECRET_PLACEHOLDER);
      expect(prod.outputs.infraSecrets).to.equal(SECRET_PLACEHOLDER);
    });
  });
});
