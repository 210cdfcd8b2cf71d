/**
 * The vSphere binding against the upstream provider schema (DESIGN.md, "vSphere provider
 * binding"): every type token exists and every property strata sends or reads is spelt as
 * upstream spells it. The schema path comes from STRATA_VSPHERE_SCHEMA, defaulting to the shared
 * reference copy beside the repository.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { ANTI_AFFINITY_RULE_TYPE } from "../../../infra/vsphere/binding/anti-affinity-rule";
import { ENTITY_PERMISSIONS_TYPE } from "../../../infra/vsphere/binding/entity-permissions";
import { ROLE_TYPE } from "../../../infra/vsphere/binding/role";
import { FOLDER_TYPE } from "../../../infra/vsphere/binding/folder";
import { VIRTUAL_MACHINE_TYPE } from "../../../infra/vsphere/binding/virtual-machine";
import { PLUGINS } from "../../../lib/catalog";
import { named, ofType } from "../../harness";
import { planExample } from "./fixtures";

interface SchemaProperty {
  readonly type?: string;
  readonly $ref?: string;
  readonly items?: SchemaProperty;
}
interface Schema {
  readonly version?: string;
  readonly provider: { readonly inputProperties: Record<string, SchemaProperty> };
  readonly resources: Record<string, { inputProperties: Record<string, SchemaProperty>; properties: Record<string, SchemaProperty> }>;
  readonly functions: Record<string, { inputs?: { properties: Record<string, SchemaProperty> }; outputs: { properties: Record<string, SchemaProperty> } }>;
  readonly types: Record<string, { properties: Record<string, SchemaProperty> }>;
}

const SCHEMA_FILE = join("shared", "reference", `pulumi-vsphere-${PLUGINS.vsphere}-schema.json`);
const REPO = join(__dirname, "..", "..", "..");

/** `<repo>/../shared/reference/…`, or the same path beside the nearest ancestor that has it (worktrees). */
function defaultSchemaPath(): string {
  const candidates = [join(REPO, ".."), join(REPO, "..", ".."), join(REPO, "..", "..", "..")].map((dir) => join(dir, SCHEMA_FILE));
  return candidates.find((path) => existsSync(path)) ?? candidates[0]!;
}

const SCHEMA_PATH = process.env["STRATA_VSPHERE_SCHEMA"] ?? defaultSchemaPath();

function loadSchema(): Schema {
  if (!existsSync(SCHEMA_PATH)) {
    throw new Error(`vSphere provider schema not found at ${SCHEMA_PATH}; set STRATA_VSPHERE_SCHEMA to the pulumi-vsphere ${PLUGINS.vsphere} schema.json`);
  }
  return JSON.parse(readFileSync(SCHEMA_PATH, "utf8")) as Schema;
}

const typeName = (ref: string | undefined) => (ref ?? "").replace(/^#\/types\//, "");

describe("vSphere binding matches the provider schema", () => {
  let schema: Schema;
  before(() => {
    schema = loadSchema();
  });
  const stack = () => planExample("vsphere-prod.yaml");

  it("uses resource and function tokens that exist upstream", async () => {
    const plan = await stack();
    for (const token of [VIRTUAL_MACHINE_TYPE, FOLDER_TYPE, ANTI_AFFINITY_RULE_TYPE, ROLE_TYPE, ENTITY_PERMISSIONS_TYPE]) expect(schema.resources, token).to.have.property(token);
    const used = new Set(plan.resources.filter((r) => r.type.startsWith("vsphere:")).map((r) => r.type));
    for (const token of used) expect(schema.resources, token).to.have.property(token);
  });

  it("sends only upstream input names, with nested objects checked against their types", async () => {
    const plan = await stack();
    const check = (props: Record<string, unknown>, allowed: Record<string, SchemaProperty>, where: string) => {
      for (const [key, value] of Object.entries(props)) {
        const property = allowed[key];
        expect(property, `${where}.${key} is not in the provider schema`).to.not.equal(undefined);
        const ref = typeName(property?.$ref ?? property?.items?.$ref);
        const nested = ref === "" ? undefined : schema.types[ref];
        if (nested === undefined || value === null || typeof value !== "object") continue;
        for (const item of Array.isArray(value) ? value : [value]) check(item as Record<string, unknown>, nested.properties, `${where}.${key}`);
      }
    };
    for (const resource of plan.resources.filter((r) => r.type.startsWith("vsphere:index/"))) {
      check(resource.rawInputs, schema.resources[resource.type]!.inputProperties, resource.urn);
    }
    check(named(plan, "pulumi:providers:vsphere", "emis-prod-vsphere").rawInputs, { ...schema.provider.inputProperties, version: {} }, "provider");
  });

  it("declares VirtualMachine outputs that the provider computes", () => {
    const properties = schema.resources[VIRTUAL_MACHINE_TYPE]!.properties;
    for (const output of ["moid", "uuid", "defaultIpAddress", "guestIpAddresses", "powerState", "numCpus", "memory"]) expect(properties, output).to.have.property(output);
  });

  it("sends every lookup only argument names the upstream function has", async () => {
    const plan = await stack();
    const lookups = plan.invokes.filter((i) => i.token.startsWith("vsphere:"));
    expect(new Set(lookups.map((i) => i.token.split(":").pop()))).to.include.all.keys("getDatacenter", "getComputeCluster", "getDatastore", "getNetwork", "getVirtualMachine");
    for (const invoke of lookups) {
      const spec = schema.functions[invoke.token];
      expect(spec, invoke.token).to.not.equal(undefined);
      for (const arg of Object.keys(invoke.inputs)) expect(spec!.inputs?.properties, `${invoke.token}(${arg})`).to.have.property(arg);
    }
  });

  it("reads upstream result names from the lookups", () => {
    const lookups: Record<string, { args: string[]; reads: string[] }> = {
      getDatacenter: { args: ["name"], reads: ["id"] },
      getComputeCluster: { args: ["name", "datacenterId"], reads: ["id", "resourcePoolId"] },
      getResourcePool: { args: ["name", "datacenterId"], reads: ["id"] },
      getDatastore: { args: ["name", "datacenterId"], reads: ["id"] },
      getNetwork: { args: ["name", "datacenterId"], reads: ["id"] },
      getVirtualMachine: { args: ["name", "datacenterId"], reads: ["id", "uuid", "guestId", "firmware", "scsiType", "disks", "networkInterfaceTypes"] },
    };
    for (const [fn, { args, reads }] of Object.entries(lookups)) {
      const spec = schema.functions[`vsphere:index/${fn}:${fn}`];
      expect(spec, fn).to.not.equal(undefined);
      for (const arg of args) expect(spec!.inputs?.properties, `${fn}(${arg})`).to.have.property(arg);
      for (const out of reads) expect(spec!.outputs.properties, `${fn} → ${out}`).to.have.property(out);
    }
    const disk = schema.types["vsphere:index/getVirtualMachineDisk:getVirtualMachineDisk"]!.properties;
    for (const field of ["thinProvisioned", "eagerlyScrub", "size", "label"]) expect(disk).to.have.property(field);
  });

  it("requests plugin version 4.17.0 on every vSphere resource", async () => {
    const plan = await stack();
    const vsphere = plan.resources.filter((r) => r.type.startsWith("vsphere:") || r.type === "pulumi:providers:vsphere");
    expect(vsphere.length).to.be.greaterThan(0);
    for (const r of vsphere) expect(r.version, r.urn).to.equal(PLUGINS.vsphere);
    expect(ofType(plan, "pulumi:providers:vsphere")).to.have.length(1);
  });
});
