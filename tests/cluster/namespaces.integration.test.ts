import { expect } from "chai";
import { REPO_ROOT } from "../../tools/engine/run";
import { FIXTURES, named, ofType, planStack } from "../harness";

describe("cluster: namespaces strata owns", () => {
  it("declares every namespace through the cluster provider and protects the data namespace in prod only", async () => {
    const [dev, prod] = await Promise.all([planStack({ stack: "local", configFile: `${REPO_ROOT}/examples/local/Pulumi.local.yaml` }), planStack({ stack: "prod", configFile: `${FIXTURES}/stacks/existing-kubeconfig.yaml` })]);
    const prodNamespaces = ofType(prod, "kubernetes:core/v1:Namespace");
    expect(prodNamespaces.map((n) => (n.inputs.metadata as { name: string }).name)).to.have.members(["gateway", "operators", "data", "monitoring", "velero", "apps", "tenants"]);
    for (const ns of prodNamespaces) expect(ns.provider, ns.urn).to.match(/pulumi:providers:kubernetes::shared-prod-k8s::/);
    expect(named(prod, "kubernetes:core/v1:Namespace", "shared-prod-data").protect).to.equal(true);
    expect(named(dev, "kubernetes:core/v1:Namespace", "strata-local-data").protect).to.equal(false);
    expect(prodNamespaces.filter((n) => n.protect)).to.have.length(1);
  });
});
