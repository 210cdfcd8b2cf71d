/**
 * issue #20: the cloud provider and the CSI driver (issue #21: and machine-controller, whose
 * workers autoscale in prod) run on their own vCenter accounts, and the
 * cluster's VM folder carries its permissions before any VM is created in it. Proven on the
 * offline plans of the prod stack (own accounts) and the dev example (fallback).
 */
import { expect } from "chai";
import { ENTITY_PERMISSIONS_TYPE, type EntityPermission } from "../../../infra/vsphere/binding/entity-permissions";
import { ROLE_TYPE } from "../../../infra/vsphere/binding/role";
import { CLONING_PRIVILEGES, CSI_ROLE_PRIVILEGES, MACHINE_CONTROLLER_ROLE_PRIVILEGES, SYSTEM_ROLE_IDS } from "../../../infra/vsphere/privileges";
import { leaksIn } from "../../../tools/engine/leaks";
import { MOCK_SECRET_PREFIX } from "../../../tools/engine/mock-state/types";
import { type RunResult, toPlanDocument } from "../../../tools/engine/run";
import { named, ofType } from "../../harness";
import { planExample } from "./fixtures";

const VM = "vsphere:index/virtualMachine:VirtualMachine";
const SECRET = "kubernetes:core/v1:Secret";

/** The plain value of a captured input that may be wrapped as a secret. */
const unwrap = (value: unknown): unknown => (value !== null && typeof value === "object" && "value" in value && Object.keys(value).length === 2 ? (value).value : value);
/** The stand-in the offline plan gives a secret config value (`tools/engine/stack-config.ts`). */
const standIn = (key: string): string => `${MOCK_SECRET_PREFIX}config-${key.replace(/[^A-Za-z0-9]+/g, "-")}`;

describe("infra: vSphere accounts and folder permissions (prod stack)", () => {
  let prod: RunResult;
  before(async () => {
    prod = await planExample("vsphere-prod.yaml");
  });

  it("issue #20: creates the CSI driver's roles (and, its workers autoscaling, machine-controller's) with exactly the documented privileges, named per cluster", () => {
    const roles = ofType(prod, ROLE_TYPE).map((r) => [r.rawInputs["name"], r.rawInputs["rolePrivileges"]]);
    expect(roles).to.have.deep.members(Object.entries({ ...CSI_ROLE_PRIVILEGES, ...MACHINE_CONTROLLER_ROLE_PRIVILEGES }).map(([role, privileges]) => [`strata-emis-prod-${role}`, privileges]));
  });

  it("issue #21: machine-controller's roles carry the cloning set", () => {
    const privileges = ofType(prod, ROLE_TYPE)
      .filter((r) => String(r.rawInputs["name"]).startsWith("strata-emis-prod-mc-"))
      .flatMap((r) => r.rawInputs["rolePrivileges"] as string[]);
    expect(privileges).to.include.members([...CLONING_PRIVILEGES]);
  });

  it("issue #21: machine-controller's Secret holds its own account, never the provisioning one", () => {
    const secrets = ofType(prod, SECRET).filter((r) => (r.rawInputs["metadata"] as { name?: string }).name === "machine-controller-vsphere");
    expect(secrets, "one machine-controller-vsphere Secret").to.have.length(1);
    expect((secrets[0]!.rawInputs["metadata"] as { namespace?: string }).namespace).to.equal("kube-system");
    const data = unwrap(secrets[0]!.rawInputs["stringData"]) as Record<string, unknown>;
    expect(Object.fromEntries(Object.entries(data).map(([k, v]) => [k, unwrap(v)]))).to.deep.equal({
      username: "svc-k8s-mc@vsphere.local",
      password: standIn("strata:vsphereMachineControllerPassword"),
    });
    // The password is a secret of the plan and appears nowhere in clear (the plan document masks secrets).
    expect(prod.secrets).to.include(standIn("strata:vsphereMachineControllerPassword"));
    expect(leaksIn(toPlanDocument(prod), prod.secrets)).to.deep.equal([]);
  });

  it("issue #20: restricts the cluster's VM folder: CPI read-only, CSI CNS-VM, machine-controller its VM role, never the provisioning account", () => {
    const folder = named(prod, "vsphere:index/folder:Folder", "emis-prod-folder");
    const permissions = named(prod, ENTITY_PERMISSIONS_TYPE, "emis-prod-access-folder");
    expect(permissions.rawInputs["entityType"]).to.equal("Folder");
    expect(permissions.inputs["entityId"]).to.match(/^group-v\d+$/);
    expect(permissions.dependencies.some((d) => d.endsWith(folder.name))).to.equal(true);
    const cnsVm = named(prod, ROLE_TYPE, "emis-prod-access-cns-vm");
    const mcVm = named(prod, ROLE_TYPE, "emis-prod-access-mc-vm");
    expect(permissions.inputs["permissions"]).to.deep.equal([
      { userOrGroup: "VSPHERE.LOCAL\\svc-k8s-cpi", isGroup: false, propagate: true, roleId: SYSTEM_ROLE_IDS.readOnly },
      { userOrGroup: "VSPHERE.LOCAL\\svc-k8s-csi", isGroup: false, propagate: true, roleId: `${cnsVm.name}-id` },
      { userOrGroup: "VSPHERE.LOCAL\\svc-k8s-mc", isGroup: false, propagate: true, roleId: `${mcVm.name}-id` },
    ] satisfies EntityPermission[]);
  });

  it("issue #20: creates every VM only after the folder's permissions exist", () => {
    const late = ofType(prod, VM).filter((vm) => !vm.dependencies.some((d) => d.endsWith("emis-prod-access-folder")));
    expect(late.map((vm) => vm.name)).to.deep.equal([]);
  });

  it("issue #20: the CPI Secret holds the CPI account and the CSI config the CSI account, never vsphere:user's password", () => {
    const provisioning = standIn("vsphere:password");
    const cpi = unwrap(named(prod, SECRET, "emis-prod-vsphere-cpi-credentials").rawInputs["data"]) as Record<string, string>;
    const cpiValues = Object.values(cpi).map((v) => Buffer.from(v, "base64").toString());
    expect(cpiValues).to.have.members(["svc-k8s-cpi@vsphere.local", standIn("strata:vsphereCpiPassword")]);
    const csi = unwrap(named(prod, SECRET, "emis-prod-vsphere-csi-config").rawInputs["stringData"]) as Record<string, string>;
    const conf = csi["csi-vsphere.conf"]!;
    expect(conf).to.include('user = "svc-k8s-csi@vsphere.local"').and.include(`password = "${standIn("strata:vsphereCsiPassword")}"`);
    const carriers = prod.resources.filter((r) => r.type.startsWith("kubernetes:") && JSON.stringify(r.rawInputs).includes(provisioning));
    expect(carriers.map((r) => r.name), "no Kubernetes object carries the provisioning password").to.deep.equal([]);
  });
});

describe("infra: vSphere accounts in dev (fallback to the provisioning account)", () => {
  let dev: RunResult;
  before(async () => {
    dev = await planExample("vsphere-dev.yaml");
  });

  it("still creates the CNS roles but gives the provisioning account no explicit role on the folder", () => {
    expect(ofType(dev, ROLE_TYPE)).to.have.length(3);
    // Nothing to list (no own accounts, no admins): no permissions resource, which needs at least one entry.
    expect(ofType(dev, ENTITY_PERMISSIONS_TYPE)).to.deep.equal([]);
  });

  it("logs the cloud provider in with the provisioning account", () => {
    const cpi = unwrap(named(dev, SECRET, "strata-dev-vsphere-cpi-credentials").rawInputs["data"]) as Record<string, string>;
    expect(Object.values(cpi).map((v) => Buffer.from(v, "base64").toString())).to.include("svc-strata@vsphere.local");
  });
});
