import { expect } from "chai";
import { parseConfig } from "../../config/schema";
import { isConfigError } from "../../config/errors";

/** The problems `parseConfig` reports for a `strata:cluster` block. */
function problems(cluster: unknown): readonly string[] {
  try {
    parseConfig({ environment: "dev", layers: ["cluster"], upstreamStack: "org/strata/infra", cluster, hasKubeconfig: true });
  } catch (error) {
    if (isConfigError(error)) return error.problems;
    throw error;
  }
  return [];
}

describe("strata:cluster config", () => {
  it("accepts an empty block and fills safe defaults", () => {
    const cluster = parseConfig({ environment: "dev", layers: ["cluster"], upstreamStack: "x", hasKubeconfig: true }).cluster;
    expect(cluster.appNamespaces["apps"]?.podSecurity).to.equal("restricted");
    expect(cluster.appNamespaces["apps"]?.quota.pods).to.equal(100);
    expect(cluster.gateway).to.include({ enabled: true, replicas: 2, securityHeaders: true, loadBalancerScheme: "internet-facing" });
    expect(cluster.networkPolicies).to.include({ enabled: true, appsInternetEgress: false });
    expect(cluster.eks.karpenter.capacityTypes).to.deep.equal(["on-demand"]);
    expect(cluster.vsphere.calicoEncapsulation).to.equal("VXLANCrossSubnet");
  });

  it("issue #25: sets no gateway-wide rate limit unless configured (the 100/min default applied to every route without its own)", () => {
    const cluster = parseConfig({ environment: "dev", layers: ["cluster"], upstreamStack: "x", hasKubeconfig: true }).cluster;
    expect(cluster.gateway.rateLimitPerMinute).to.equal(0);
  });

  it("rejects ACME for a .local domain", () => {
    expect(problems({ gateway: { domains: { "emis.local": { issuer: "letsencrypt", hosts: ["@"] } } }, certificates: { acmeEmail: "ops@example.com" } })).to.deep.equal([
      'strata:cluster.gateway.domains.emis.local.issuer: ACME cannot issue certificates for private domains (.local, .internal, .lan, .home.arpa, .localhost); use issuer "internal" (got "letsencrypt")',
    ]);
  });

  it("rejects ACME (the default issuer) for a .internal domain", () => {
    expect(problems({ gateway: { domains: { "corp.internal": { hosts: ["@"] } } }, certificates: { acmeEmail: "ops@example.com" } })).to.deep.equal([
      'strata:cluster.gateway.domains.corp.internal.issuer: ACME cannot issue certificates for private domains (.local, .internal, .lan, .home.arpa, .localhost); use issuer "internal" (got nothing)',
    ]);
  });

  it("rejects ACME behind an internal load balancer, which Let's Encrypt cannot reach", () => {
    expect(
      problems({ gateway: { loadBalancerScheme: "internal", domains: { "example.com": { issuer: "letsencrypt", hosts: ["@"] } } }, certificates: { acmeEmail: "ops@example.com" } }),
    ).to.deep.equal([
      'strata:cluster.gateway.domains.example.com.issuer: ACME HTTP-01 must reach the gateway from the Internet, but gateway.loadBalancerScheme is "internal"; use issuer "internal" or loadBalancerScheme "internet-facing" (got "letsencrypt")',
    ]);
    expect(problems({ gateway: { loadBalancerScheme: "internal", domains: { "example.com": { issuer: "internal" } } } })).to.deep.equal([]);
  });

  it("requires hosts for an ACME domain", () => {
    expect(problems({ gateway: { domains: { "example.com": { issuer: "letsencrypt-staging" } } }, certificates: { acmeEmail: "ops@example.com" } })).to.deep.equal([
      'strata:cluster.gateway.domains.example.com.hosts: must list at least one host for an ACME domain (HTTP-01 cannot issue wildcards); add "@" for example.com itself or names such as "www" (got nothing)',
    ]);
  });

  it("requires an ACME e-mail when a domain uses letsencrypt", () => {
    expect(problems({ gateway: { domains: { "example.com": { hosts: ["www"] } } } })).to.deep.equal([
      "strata:cluster.certificates.acmeEmail: is required when a gateway domain uses a letsencrypt issuer; set the address ACME sends expiry notices to (got nothing)",
    ]);
  });

  it("accepts internal domains without an ACME e-mail", () => {
    expect(problems({ gateway: { domains: { "emis.local": { issuer: "internal" } } } })).to.deep.equal([]);
  });

  it("rejects a bad e-mail, issuer and host label", () => {
    expect(problems({ gateway: { domains: { "example.com": { issuer: "acme", hosts: ["WWW"] } } }, certificates: { acmeEmail: "ops" } })).to.deep.equal([
      'strata:cluster.gateway.domains.example.com.issuer: must be one of "letsencrypt", "letsencrypt-staging", "internal" (got "acme")',
      "strata:cluster.gateway.domains.example.com.hosts[0]: must be a DNS-1123 label; use lower-case letters, digits and '-', starting and ending with a letter or digit (got \"WWW\")",
      'strata:cluster.certificates.acmeEmail: must be an e-mail address such as ops@example.com (got "ops")',
    ]);
  });

  it("rejects a load-balancer scheme other than internet-facing or internal", () => {
    expect(problems({ gateway: { loadBalancerScheme: "public" } })).to.deep.equal([
      'strata:cluster.gateway.loadBalancerScheme: must be one of "internet-facing", "internal" (got "public")',
    ]);
  });

  it("rejects MetalLB blocks that are not CIDRs or ordered ranges", () => {
    expect(problems({ vsphere: { loadBalancerAddresses: ["10.0.10.250-10.0.10.240", "10.0.10.1/24", "ten"] } })).to.deep.equal([
      'strata:cluster.vsphere.loadBalancerAddresses[0]: starts after it ends; write the lower address first (got "10.0.10.250-10.0.10.240")',
      'strata:cluster.vsphere.loadBalancerAddresses[1]: has host bits set; use 10.0.10.0/24 (got "10.0.10.1/24")',
      'strata:cluster.vsphere.loadBalancerAddresses[2]: must be a CIDR such as 10.0.20.240/28 or a range such as 10.0.20.240-10.0.20.250 (got "ten")',
    ]);
  });

  it("rejects quota requests above limits and container defaults above maxima", () => {
    expect(
      problems({ appNamespaces: { shop: { quota: { requestsCpuMillis: 40000 }, limits: { defaultRequestMemoryMi: 1024, defaultCpuMillis: 8000 } } } }),
    ).to.deep.equal([
      "strata:cluster.appNamespaces.shop.quota.requestsCpuMillis: exceeds quota.limitsCpuMillis (32000); lower it or raise quota.limitsCpuMillis (got 40000)",
      "strata:cluster.appNamespaces.shop.limits.defaultRequestMemoryMi: exceeds limits.defaultMemoryMi (512); lower it or raise limits.defaultMemoryMi (got 1024)",
      "strata:cluster.appNamespaces.shop.limits.defaultCpuMillis: exceeds limits.maxCpuMillis (4000); lower it or raise limits.maxCpuMillis (got 8000)",
    ]);
  });

  it("rejects Karpenter settings outside the allowed values", () => {
    expect(problems({ eks: { karpenter: { capacityTypes: [], consolidateAfter: "ten minutes", amiAlias: "ubuntu" } } })).to.deep.equal([
      "strata:cluster.eks.karpenter.capacityTypes: must be at least 1 items (got [])",
      'strata:cluster.eks.karpenter.consolidateAfter: must be a duration such as 30s, 10m or 1h (got "ten minutes")',
      'strata:cluster.eks.karpenter.amiAlias: must be an alias such as al2023@v20260801 or al2023@latest (got "ubuntu")',
    ]);
  });

  it("issue #22: bounds Karpenter's instances to 2–32 vCPUs by default and refuses bounds no instance can meet", () => {
    const cluster = parseConfig({ environment: "dev", layers: ["cluster"], upstreamStack: "x", hasKubeconfig: true }).cluster;
    expect(cluster.eks.karpenter.instanceCpu).to.deep.equal({ min: 2, max: 32 });
    expect(problems({ eks: { karpenter: { instanceCpu: { min: 16, max: 8 } } } })).to.deep.equal([
      "strata:cluster.eks.karpenter.instanceCpu.min: is larger than max (8); lower min or raise max (got 16)",
    ]);
    expect(problems({ eks: { karpenter: { maxCpuCores: 4, instanceCpu: { min: 8 } } } })).to.deep.equal([
      "strata:cluster.eks.karpenter.instanceCpu.min: is larger than maxCpuCores (4): no instance would fit under the NodePool's cpu limit; lower instanceCpu.min or raise maxCpuCores (got 8)",
    ]);
    expect(problems({ eks: { karpenter: { instanceCpu: { min: 0 } } } })).to.deep.equal(["strata:cluster.eks.karpenter.instanceCpu.min: must be 1 or more (got 0)"]);
  });

  it("rejects unknown keys with the allowed ones", () => {
    expect(problems({ gateway: { replica: 3 } })).to.deep.equal([
      'strata:cluster.gateway.replica: unknown key; did you mean replicas? (got "replica")',
    ]);
  });
});
