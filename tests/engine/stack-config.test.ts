import { expect } from "chai";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MOCK_SECRET_PREFIX } from "../../tools/engine/mock-state/types";
import { REPO_ROOT } from "../../tools/engine/run";
import { loadStackConfig, parseYamlFile, StackConfigError } from "../../tools/engine/stack-config";

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "strata-stack-config-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe("engine: stack config as the Pulumi CLI hands it over", () => {
  const dir = project({
    "Pulumi.yaml": "name: strata\nconfig:\n  strata:layers:\n    type: array\n    default: [infra]\n  strata:environment:\n    type: string\n",
    "Pulumi.test.yaml":
      "config:\n  strata:environment: dev\n  vsphere:password:\n    secure: v1:abc\n  strata:infra:\n    backend: existing\n    nested:\n      token:\n        secure: v1:def\n  aws:region: eu-west-1\n",
  });

  it("encodes structured values as JSON and keeps strings as they are", () => {
    const { config } = loadStackConfig(dir, "test");
    expect(config["strata:environment"]).to.equal("dev");
    expect(config["aws:region"]).to.equal("eu-west-1");
    expect(JSON.parse(config["strata:infra"] ?? "{}")).to.have.property("backend", "existing");
  });

  it("applies project defaults from Pulumi.yaml", () => {
    expect(loadStackConfig(dir, "test").config["strata:layers"]).to.equal('["infra"]');
  });

  it("turns secure values, also nested ones, into stand-in secrets and lists their keys", () => {
    const { config, secretKeys } = loadStackConfig(dir, "test");
    expect(config["vsphere:password"]).to.match(new RegExp(`^${MOCK_SECRET_PREFIX}`));
    expect(secretKeys).to.have.members(["vsphere:password", "strata:infra"]);
    expect(config["strata:infra"]).not.to.contain("v1:def");
  });

  it("issue #20: records every secure value by its config path, a nested leaf by its own path", () => {
    const { config, secureLeaves } = loadStackConfig(dir, "test");
    expect(Object.keys(secureLeaves)).to.have.members(["vsphere:password", "strata:infra.nested.token"]);
    expect(secureLeaves["vsphere:password"]).to.equal(config["vsphere:password"]);
    expect(JSON.parse(config["strata:infra"] ?? "{}")).to.have.nested.property("nested.token", secureLeaves["strata:infra.nested.token"]);
  });

  it("says which file is missing", () => {
    expect(() => loadStackConfig(dir, "nope")).to.throw(StackConfigError, /no stack config at .*Pulumi\.nope\.yaml/);
  });
});

describe("engine: stack files that are not valid YAML", () => {
  it("issue #27: a duplicate key is refused naming file:line:col (a StackConfigError, so the plan exits 2)", () => {
    const dir = project({
      "Pulumi.yaml": "name: strata\n",
      "Pulumi.dup.yaml": "config:\n  strata:environment: dev\n  strata:apps:\n    services:\n      api:\n        image: app:1.0.0\n        image: app:1.0.1\n",
    });
    const file = join(dir, "Pulumi.dup.yaml");
    expect(() => loadStackConfig(dir, "dup"))
      .to.throw(StackConfigError)
      .with.property("message")
      .that.matches(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:7:9: Map keys must be unique; a key may appear once per map`));
  });

  it("names file:line:col for other syntax errors too", () => {
    const dir = project({ "Pulumi.yaml": "name: strata\n", "Pulumi.bad.yaml": "config:\n  strata:environment: [dev\n" });
    expect(() => loadStackConfig(dir, "bad")).to.throw(StackConfigError, /Pulumi\.bad\.yaml:\d+:\d+: /);
  });
});

describe("engine: parsed YAML kept by the text's hash (issue #27: plan time)", () => {
  const cacheDir = join(REPO_ROOT, ".strata", "yaml");
  const unique = () => `# ${process.pid}-${Date.now()}-${Math.random()}\n`;

  it("reads a file parsed before from .strata/yaml/, and an edited file anew", () => {
    const marker = unique();
    const dir = project({ "Pulumi.yaml": "name: strata\n", "Pulumi.test.yaml": `${marker}config:\n  strata:environment: dev\n` });
    const before = existsSync(cacheDir) ? readdirSync(cacheDir).length : 0;
    expect(loadStackConfig(dir, "test").config["strata:environment"]).to.equal("dev");
    const entries = readdirSync(cacheDir);
    expect(entries.length === before + 1 || entries.length === 1, "one entry for the new text (or a cache started over)").to.equal(true);
    const kept = entries.map((name) => join(cacheDir, name)).find((file) => readFileSync(file, "utf8") === '{"config":{"strata:environment":"dev"}}' && statSync(file).mtimeMs >= Date.now() - 60_000);
    expect(kept, "the parsed document as JSON").to.not.equal(undefined);
    writeFileSync(join(dir, "Pulumi.test.yaml"), `${marker}config:\n  strata:environment: prod\n`);
    expect(loadStackConfig(dir, "test").config["strata:environment"]).to.equal("prod");
  });

  it("hands out copies: a caller changing the document changes no later read", () => {
    const file = join(project({ "a.yaml": `${unique()}list: [1, 2]\n` }), "a.yaml");
    (parseYamlFile(file) as { list: number[] }).list.push(3);
    expect(parseYamlFile(file)).to.deep.equal({ list: [1, 2] });
  });

  it("parses again what JSON cannot hold exactly", () => {
    const file = join(project({ "a.yaml": `${unique()}ratio: .nan\n` }), "a.yaml");
    expect((parseYamlFile(file) as { ratio: number }).ratio).to.be.NaN;
    expect((parseYamlFile(file) as { ratio: number }).ratio).to.be.NaN;
  });
});
