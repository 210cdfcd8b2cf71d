import { expect } from "chai";
import { apiServerOf } from "../../../infra/existing/api-endpoint";

describe("infra: existing cluster", () => {
  describe("apiServerOf", () => {
    const kubeconfig = [
      "apiVersion: v1",
      "current-context: a",
      "contexts: [{name: a, context: {cluster: one}}, {name: b, context: {cluster: two}}]",
      "clusters: [{name: one, cluster: {server: 'https://one:6443'}}, {name: two, cluster: {server: 'https://two:6443'}}]",
    ].join("\n");

    it("follows the named context, else the current one", () => {
      expect(apiServerOf(kubeconfig, "b")).to.equal("https://two:6443");
      expect(apiServerOf(kubeconfig)).to.equal("https://one:6443");
      expect(apiServerOf(kubeconfig, "missing")).to.equal("");
    });
  });
});
