/**
 * issue #21: the cloud provider and the CSI driver trust vCenter's certificate through the CA
 * bundle of `strata:infra.vsphere.vcenterCa`, proven on the offline plan of the prod stack
 * (which carries a placeholder CA).
 */
import { expect } from "chai";
import { parse } from "yaml";
import type { RunResult } from "../../../tools/engine/run";
import { named } from "../../harness";
import { exampleConfig, planExample } from "./fixtures";

/** The plain value of a captured input that may be wrapped as a secret. */
const unwrap = (value: unknown): unknown => (value !== null && typeof value === "object" && "value" in value && Object.keys(value).length === 2 ? (value).value : value);

describe("infra: vCenter trust (prod stack)", () => {
  let prod: RunResult;
  const ca = ((exampleConfig("vsphere-prod.yaml")["strata:infra"] as { vsphere: { vcenterCa: string } }).vsphere.vcenterCa);
  before(async () => {
    prod = await planExample("vsphere-prod.yaml");
  });

  it("issue #21: the prod stack config carries a CA bundle", () => {
    expect(ca).to.match(/^-----BEGIN CERTIFICATE-----\n/);
  });

  it("issue #21: the CPI's vsphere.conf points caFile at the CA, mounted beside it from its ConfigMap", () => {
    const config = named(prod, "kubernetes:core/v1:ConfigMap", "emis-prod-vsphere-cpi-config");
    const data = config.rawInputs["data"] as Record<string, string>;
    const conf = parse(data["vsphere.conf"]!) as { global: Record<string, unknown>; vcenter: Record<string, Record<string, unknown>> };
    expect(conf.global["insecureFlag"]).to.equal(false);
    expect(conf.vcenter["vcenter.emis.local"]).to.deep.include({ caFile: "/etc/cloud/vcenter-ca.pem" });
    expect(data["vcenter-ca.pem"]).to.equal(ca);
  });

  it("issue #21: the CSI driver's csi-vsphere.conf points ca-file at the CA in its own config Secret", () => {
    const secret = named(prod, "kubernetes:core/v1:Secret", "emis-prod-vsphere-csi-config");
    expect(secret.rawInputs["metadata"]).to.deep.include({ name: "vsphere-config-secret", namespace: "vmware-system-csi" });
    const data = unwrap(secret.rawInputs["stringData"]) as Record<string, unknown>;
    const conf = unwrap(data["csi-vsphere.conf"]) as string;
    expect(conf).to.include('insecure-flag = "false"\nca-file = "/etc/cloud/vcenter-ca.pem"\n');
    expect(unwrap(data["vcenter-ca.pem"])).to.equal(ca);
  });
});
