import Ajv from "ajv";
import addFormats from "ajv-formats";
import { expect } from "chai";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse } from "yaml";
import { STACK_SCHEMA, stackFileSchema, stackFileSchemaText } from "../../tools/stack-schema";

const ROOT = join(__dirname, "..", "..");

function yamlFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return entry.name.endsWith(".yaml") ? [path] : [];
  });
}

/** `Pulumi.<stack>.yaml` at the root and every example with a `config:` block. */
const STACK_FILES = [
  ...readdirSync(ROOT).filter((name) => /^Pulumi\.[^.]+\.yaml$/.test(name)).map((name) => join(ROOT, name)),
  ...yamlFiles(join(ROOT, "examples")).filter((path) => /^config:/m.test(readFileSync(path, "utf8"))),
];

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(stackFileSchema());
}

describe("docs/strata.schema.json (editor completion)", () => {
  it("matches the schema; run `npm run docs:config` after changing config/", () => {
    expect(readFileSync(STACK_SCHEMA, "utf8")).to.equal(stackFileSchemaText());
  });

  it("finds the seed stacks and examples", () => {
    expect(STACK_FILES.length).to.be.at.least(10);
  });

  const validate = validator();
  for (const file of STACK_FILES) {
    const name = file.slice(ROOT.length + 1);
    it(`issue #27: ${name} validates against it, secure values included`, () => {
      const ok = validate(parse(readFileSync(file, "utf8")));
      expect(validate.errors ?? [], name).to.deep.equal([]);
      expect(ok).to.equal(true);
    });

    it(`issue #27: ${name} names it in its YAML language-server modeline`, () => {
      const modeline = /^# yaml-language-server: \$schema=(\S+)$/m.exec(readFileSync(file, "utf8"));
      expect(modeline, `${name} has no modeline`).to.not.equal(null);
      expect(resolve(dirname(file), modeline?.[1] ?? "")).to.equal(STACK_SCHEMA);
      expect(existsSync(STACK_SCHEMA)).to.equal(true);
    });
  }

  it("refuses a typo, a wrong type and an unknown strata key, and accepts other namespaces", () => {
    const stack = (config: Record<string, unknown>) => ({ config: { "strata:environment": "dev", ...config } });
    expect(validate(stack({ "strata:platform": { postgress: {} } }))).to.equal(false);
    expect(validate(stack({ "strata:environment": "production" }))).to.equal(false);
    expect(validate(stack({ "strata:clustr": {} }))).to.equal(false);
    expect(validate(stack({ "aws:region": "eu-central-1", "vsphere:password": { secure: "v1:abc" } }))).to.equal(true);
  });

  it("accepts a secure value at a leaf and for a secret-only key, and nothing else in their place", () => {
    const stack = (config: Record<string, unknown>) => ({ config: { "strata:environment": "dev", ...config } });
    expect(validate(stack({ "strata:kubeconfig": { secure: "v1:abc" } }))).to.equal(true);
    expect(validate(stack({ "strata:kubeconfig": "apiVersion: v1" }))).to.equal(false);
    expect(validate(stack({ "strata:upstreamStack": { secure: "v1:abc" } }))).to.equal(true);
    expect(validate(stack({ "strata:upstreamStack": { secure: "v1:abc", extra: 1 } }))).to.equal(false);
  });
});
