import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { parse } from "yaml";
import { clusterConfig } from "./fixtures";

const example = (file: string): unknown => (parse(readFileSync(join(__dirname, "..", "..", "examples", file), "utf8")) as Record<string, unknown>)["strata:cluster"];

describe("proposed strata:cluster blocks", () => {
  it("dev (EKS) parses: staging issuer, internal NLB, Karpenter with spot", () => {
    const cluster = clusterConfig(example("cluster-dev.yaml"));
    expect(cluster.gateway.loadBalancerScheme).to.equal("internal");
    expect(cluster.gateway.domains["dev.valueverse.example.com"]?.issuer).to.equal("letsencrypt-staging");
    expect(cluster.eks.karpenter.capacityTypes).to.deep.equal(["on-demand", "spot"]);
  });
  it("prod (vSphere) parses: public ACME domain, internal .local domain, MetalLB pool", () => {
    const cluster = clusterConfig(example("cluster-prod.yaml"));
    expect(Object.entries(cluster.gateway.domains).map(([d, e]) => `${d}:${e.issuer}`)).to.deep.equal(["emis.example.com:letsencrypt", "emis.local:internal"]);
    expect(cluster.vsphere.loadBalancerAddresses).to.deep.equal(["10.20.0.240-10.20.0.250"]);
  });
});
