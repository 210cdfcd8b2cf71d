import { expect } from "chai";
import { parseConfig } from "../../config/schema";
import { KUBERNETES_VERSION } from "../../lib/catalog";
import { validRaw } from "./valid-config";

describe("config: defaults", () => {
  it("fills network, version and layer defaults", () => {
    const config = parseConfig(validRaw());
    expect(config.layers).to.deep.equal(["infra", "cluster", "platform", "apps"]);
    expect(config.infra?.kubernetesVersion).to.equal(KUBERNETES_VERSION);
    expect(config.infra?.network).to.deep.equal({ podCidr: "10.244.0.0/16", serviceCidr: "10.96.0.0/12", dnsDomain: "cluster.local", apiServerPort: 6443 });
    expect(config.cluster.appNamespaces).to.deep.equal({ apps: { podSecurity: "restricted" } });
  });

  it("protects stateful resources in prod only", () => {
    expect(parseConfig({ ...validRaw(), environment: "prod" }).protectStatefulResources).to.equal(true);
    expect(parseConfig({ ...validRaw(), environment: "staging" }).protectStatefulResources).to.equal(false);
    expect(parseConfig(validRaw()).protectStatefulResources).to.equal(false);
  });

  it("orders owned layers and accepts a secret kubeconfig instead of a context", () => {
    const raw = validRaw();
    const config = parseConfig({ ...raw, layers: ["cluster", "infra"], hasKubeconfig: true, infra: { ...raw.infra, existing: {} } });
    expect(config.layers).to.deep.equal(["infra", "cluster"]);
  });
});
