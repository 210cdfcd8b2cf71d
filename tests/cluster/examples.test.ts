import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { parse } from "yaml";
import { clusterConfig } from "./fixtures";

const stackCluster = (file: string): unknown =>
  (parse(readFileSync(join(__dirname, "..", "..", file), "utf8")) as { config: Record<string, unknown> }).config["strata:cluster"];

describe("strata:cluster of the stack configs", () => {
  it("dev (EKS) parses: staging issuer, internet-facing NLB (HTTP-01 must reach it), Karpenter with spot", () => {
    const cluster = clusterConfig(stackCluster("Pulumi.dev.yaml"));
    expect(cluster.gateway.loadBalancerScheme).to.equal("internet-facing");
    expect(cluster.gateway.domains["dev.valueverse.example.com"]?.issuer).to.equal("letsencrypt-staging");
    expect(cluster.eks.karpenter.capacityTypes).to.deep.equal(["on-demand", "spot"]);
  });
  it("prod (vSphere) parses: public ACME domain, internal .local domain, MetalLB pool around the gateway address", () => {
    const cluster = clusterConfig(stackCluster("Pulumi.prod.yaml"));
    expect(Object.entries(cluster.gateway.domains).map(([d, e]) => `${d}:${e.issuer}`)).to.deep.equal(["emis.example.com:letsencrypt", "emis.local:internal"]);
    expect(cluster.vsphere.loadBalancerAddresses).to.deep.equal(["10.20.1.200-10.20.1.220"]);
  });
});
