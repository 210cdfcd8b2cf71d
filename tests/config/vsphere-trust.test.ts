/** How the cloud provider and the CSI driver trust vCenter: checked with the rest of the config. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { parse } from "yaml";
import { pemCertificates, vcenterTrustProblems } from "../../config/infra/vsphere/trust";
import { problemsOf, rawInfra } from "../infra/vsphere/fixtures";

const PROD_CA = (rawInfra() as { vsphere: { vcenterCa: string } }).vsphere.vcenterCa;
const THUMBPRINT = `${"AB:".repeat(19)}CD`;

/** The prod infra with its trust settings replaced. */
function prodWith(trust: { vcenterCa?: string; vcenterThumbprint?: string }): Record<string, unknown> {
  const infra = rawInfra() as { vsphere: Record<string, unknown> };
  delete infra.vsphere["vcenterCa"];
  Object.assign(infra.vsphere, trust);
  return infra;
}

describe("config: vCenter trust (vcenterCa / vcenterThumbprint)", () => {
  it("issue #21: refuses a verifying connection with neither a CA nor a thumbprint, saying where to get the CA", () => {
    const problems = problemsOf(prodWith({}));
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(/^strata:infra\.vsphere\.vcenterCa: is required with vsphere:allowUnverifiedSsl false unless vcenterThumbprint is set \(got nothing\); /);
    expect(problems[0]).to.include("https://<vcenter>/certs/download.zip").and.include("certs/lin/*.0");
  });

  it("issue #21: accepts the prod stack's CA bundle, a thumbprint alone for fixed pools, or an unverified connection", () => {
    expect(problemsOf(rawInfra())).to.deep.equal([]);
    // Prod autoscales its workers, which needs the CA (next test); a thumbprint alone serves fixed pools.
    expect(vcenterTrustProblems({ vcenterThumbprint: THUMBPRINT, nodePools: { workers: {} } }, false)).to.deep.equal([]);
    expect(vcenterTrustProblems({}, true)).to.deep.equal([]);
  });

  it("issue #21: refuses a thumbprint alone when a pool autoscales: machine-controller has no thumbprint setting", () => {
    const problems = vcenterTrustProblems({ vcenterThumbprint: THUMBPRINT, nodePools: { workers: { autoscaling: { min: 6, max: 20 } }, storage: {} } }, false);
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(/^strata:infra\.vsphere\.vcenterCa: is required for autoscaled pools \(workers\) with vsphere:allowUnverifiedSsl false \(got only vcenterThumbprint\); machine-controller trusts a CA bundle/);
    expect(vcenterTrustProblems({ vcenterThumbprint: THUMBPRINT, nodePools: { storage: {} } }, false)).to.deep.equal([]);
    expect(vcenterTrustProblems({ vcenterCa: PROD_CA, nodePools: { workers: { autoscaling: { min: 6, max: 20 } } } }, false)).to.deep.equal([]);
  });

  it("refuses both at once: one of them is the trust", () => {
    expect(vcenterTrustProblems({ vcenterCa: PROD_CA, vcenterThumbprint: THUMBPRINT }, false)).to.deep.equal([
      `strata:infra.vsphere.vcenterThumbprint: is set together with vcenterCa (got "${THUMBPRINT}"); keep one: the CA bundle survives vCenter's certificate renewals, the thumbprint does not`,
    ]);
  });

  it("parses a bundle of several certificates", () => {
    const bundle = `${PROD_CA}\n${PROD_CA}`;
    const certificates = pemCertificates(bundle);
    expect(Array.isArray(certificates) ? certificates.map((c) => c.subject) : certificates).to.deep.equal([
      "O=vCenter placeholder\nCN=PLACEHOLDER vCenter CA - replace with the VMCA root",
      "O=vCenter placeholder\nCN=PLACEHOLDER vCenter CA - replace with the VMCA root",
    ]);
  });

  const broken: [string, string, string][] = [
    ["no PEM at all", "not a certificate", "holds no PEM CERTIFICATE block"],
    // A truncated stand-in, assembled so no key-shaped block sits in the repository.
    ["a private key", `-----BEGIN ${"PRIVATE"} KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END ${"PRIVATE"} KEY-----\n`, "holds a PRIVATE KEY block; only CERTIFICATE blocks belong in a CA bundle"],
    ["a damaged certificate", "-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n", "certificate 1 does not parse as X.509"],
    ["text beside the certificate", `${PROD_CA}\ntrailing words`, "holds text outside its PEM CERTIFICATE blocks"],
  ];
  for (const [what, value, reason] of broken) {
    it(`refuses ${what} in vcenterCa, naming the key and the fix`, () => {
      const problems = problemsOf(prodWith({ vcenterCa: value }));
      expect(problems).to.have.length(1);
      expect(problems[0]).to.match(/^strata:infra\.vsphere\.vcenterCa: must be a PEM bundle of one or more CERTIFICATE blocks \(X\.509\), but /);
      expect(problems[0]).to.include(reason).and.include("certs/download.zip").and.include("(got ");
    });
  }

  it("keeps the prod placeholder CA and the tartware example's the same, both marked as placeholders", () => {
    const tartware = parse(readFileSync(join(__dirname, "..", "..", "examples", "tartware", "Pulumi.tartware.yaml"), "utf8")) as { config: Record<string, { vsphere: { vcenterCa: string } }> };
    expect(tartware.config["strata:infra"]!.vsphere.vcenterCa).to.equal(PROD_CA);
    expect(readFileSync(join(__dirname, "..", "..", "Pulumi.prod.yaml"), "utf8")).to.match(/# Placeholder: a self-signed test CA/);
  });
});
