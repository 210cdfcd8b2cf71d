import { expect } from "chai";
import { namespaceLabels, namespaceSpecs } from "../../cluster/namespaces";
import { ClusterConfig } from "../../config/cluster";

describe("cluster: namespaces strata owns", () => {
  it("gives each purpose its default name and Pod Security level", () => {
    const specs = namespaceSpecs(ClusterConfig.parse({}));
    expect(specs.map((s) => [s.name, s.podSecurity])).to.deep.equal([
      ["gateway", "restricted"],
      ["operators", "baseline"],
      ["data", "baseline"],
      ["monitoring", "privileged"],
      ["velero", "privileged"],
      ["apps", "restricted"],
    ]);
  });

  it("honours renamed namespaces and per-app-namespace levels", () => {
    const specs = namespaceSpecs(ClusterConfig.parse({ namespaces: { data: { name: "databases", podSecurity: "restricted" } }, appNamespaces: { shop: { podSecurity: "baseline" } } }));
    expect(specs.find((s) => s.purpose === "data")).to.deep.equal({ name: "databases", purpose: "data", podSecurity: "restricted" });
    expect(specs.filter((s) => s.purpose === "apps").map((s) => [s.name, s.podSecurity])).to.deep.equal([["shop", "baseline"]]);
  });

  it("labels enforce at the namespace level and warn/audit at restricted, pinned to the cluster minor", () => {
    const labels = namespaceLabels({ name: "monitoring", purpose: "monitoring", podSecurity: "privileged" }, "1.35.2");
    expect(labels).to.include({
      "pod-security.kubernetes.io/enforce": "privileged",
      "pod-security.kubernetes.io/enforce-version": "v1.35",
      "pod-security.kubernetes.io/warn": "restricted",
      "pod-security.kubernetes.io/audit": "restricted",
      "app.kubernetes.io/managed-by": "strata",
      "strata.io/purpose": "monitoring",
    });
  });
});
