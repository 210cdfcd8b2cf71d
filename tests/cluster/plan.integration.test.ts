/**
 * The cluster layer through the shared harness and the real infra backends: the local example on
 * an existing cluster and the dev stack on EKS, each planned as a whole stack.
 */
import { expect } from "chai";
import { chartSource } from "../../lib/helm";
import { REPO_ROOT } from "../../tools/engine/run";
import { ofType, planStack } from "../harness";

const RELEASE = "kubernetes:helm.sh/v3:Release";

describe("cluster layer plans", () => {
  describe("through the shared harness and the real infra backends", () => {
    it("existing cluster (local example): installs the portable parts only", async () => {
      const run = await planStack({ stack: "local", configFile: `${REPO_ROOT}/examples/local/Pulumi.local.yaml` });
      const charts = ofType(run, RELEASE).map((r) => r.inputs["chart"]);
      expect(charts).to.have.members([chartSource("metrics-server").chart, chartSource("cert-manager").chart, chartSource("gateway-helm").chart]);
      expect(ofType(run, "kubernetes:storage.k8s.io/v1:StorageClass")).to.be.empty;
      expect(ofType(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy").length).to.be.greaterThan(10);
      expect(ofType(run, "kubernetes:gateway.networking.k8s.io/v1:Gateway")).to.have.length(1);
    });
    it("EKS (dev stack): the backend's KMS key, Karpenter queue and VPC reach the cluster add-ons", async () => {
      const run = await planStack({ stack: "dev" });
      const charts = ofType(run, RELEASE).map((r) => r.inputs["chart"]);
      expect(charts).to.include.members([chartSource("aws-load-balancer-controller").chart, chartSource("karpenter").chart]);
      for (const sc of ofType(run, "kubernetes:storage.k8s.io/v1:StorageClass")) expect(sc.inputs).to.have.nested.property("parameters.kmsKeyId").that.is.a("string").and.not.empty;
      const karpenter = ofType(run, RELEASE).find((r) => r.inputs["chart"] === chartSource("karpenter").chart);
      expect(karpenter?.inputs).to.have.nested.property("values.settings.interruptionQueue").that.is.a("string").and.not.empty;
    });
  });
});
