/**
 * Reads a stack's config the way the Pulumi CLI would hand it to the program: project defaults
 * from `Pulumi.yaml`, then `Pulumi.<stack>.yaml`. Structured values become JSON strings and
 * `secure:` values become stand-in secrets (the real ones need the stack's encryption key).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type * as Yaml from "yaml";
import { MOCK_SECRET_PREFIX } from "./mock-state/types";

export interface StackConfig {
  readonly project: string;
  /** `namespace:key` → value as Pulumi passes it (strings; structured values as JSON). */
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
  /**
   * Every `secure:` value by its config path (`strata:apps.services.orders.env.API_KEY`, or the
   * key alone when the whole value is secure) → its stand-in. The program sees secrecy per
   * top-level key only; the leak guard names the leaf.
   */
  readonly secureLeaves: Record<string, string>;
}

export class StackConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackConfigError";
  }
}

interface ProjectFile {
  readonly name?: string;
  readonly config?: Record<string, unknown>;
}

/**
 * Parsed YAML files, kept as JSON in this checkout's .strata/yaml/ by the SHA-256 of their text (and
 * the yaml package's version) and in memory: parsing a large stack file took a third of a second
 * (200 services), before the program's process could start, and the plan parses it twice.
 * A document JSON cannot hold exactly (e.g. `.nan`) is parsed every time.
 */
const YAML_CACHE = join(resolve(__dirname, "..", ".."), ".strata", "yaml");
/** Entries beyond which the on-disk cache starts over (tests write a config per case). */
const YAML_CACHE_ENTRIES = 500;
const parsedYaml = new Map<string, unknown>();

/**
 * Parses a YAML file; a syntax error, a duplicate key included (the yaml library refuses those by
 * default, `uniqueKeys`), becomes a StackConfigError that names `file:line:col`.
 */
export function parseYamlFile(file: string): unknown {
  const text = readFileSync(file, "utf8");
  const key = createHash("sha256").update(`${yamlVersion()}\0${text}`).digest("hex").slice(0, 32);
  if (parsedYaml.has(key)) return structuredClone(parsedYaml.get(key));
  const cached = join(YAML_CACHE, `${key}.json`);
  if (existsSync(cached)) {
    const value = JSON.parse(readFileSync(cached, "utf8")) as unknown;
    parsedYaml.set(key, value);
    return structuredClone(value);
  }
  const value = parseYaml(file, text);
  const json = JSON.stringify(value);
  if (json !== undefined && isDeepStrictEqual(JSON.parse(json), value)) {
    parsedYaml.set(key, value);
    keepParsedYaml(cached, json);
    return structuredClone(value);
  }
  return value;
}

let yamlPackageVersion: string | undefined;

function yamlVersion(): string {
  return (yamlPackageVersion ??= (JSON.parse(readFileSync(join(resolve(require.resolve("yaml"), "..", ".."), "package.json"), "utf8")) as { version: string }).version);
}

function keepParsedYaml(cached: string, json: string): void {
  try {
    if (existsSync(YAML_CACHE) && readdirSync(YAML_CACHE).length >= YAML_CACHE_ENTRIES) rmSync(YAML_CACHE, { recursive: true, force: true });
    mkdirSync(YAML_CACHE, { recursive: true });
    writeFileSync(`${cached}.${process.pid}`, json);
    renameSync(`${cached}.${process.pid}`, cached);
  } catch {
    // A cache only (a read-only checkout): the file is parsed again next time.
  }
}

function parseYaml(file: string, text: string): unknown {
  // Loaded only for a file not parsed before.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse, YAMLParseError } = require("yaml") as typeof Yaml;
  try {
    return parse(text);
  } catch (error) {
    if (!(error instanceof YAMLParseError)) throw error;
    const at = error.linePos?.[0];
    const where = at === undefined ? file : `${file}:${at.line}:${at.col}`;
    const problem = error.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? error.message;
    const fix = error.code === "DUPLICATE_KEY" ? "; a key may appear once per map: keep one entry and merge what the other set" : "";
    throw new StackConfigError(`${where}: ${problem}${fix}`);
  }
}

export function loadStackConfig(projectDir: string, stack: string, configFile?: string): StackConfig {
  const project = parseYamlFile(join(projectDir, "Pulumi.yaml")) as ProjectFile;
  const projectName = project.name ?? "project";
  const file = configFile ?? join(projectDir, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) throw new StackConfigError(`no stack config at ${file}; create it or pass --config-file`);
  const stackDoc = (parseYamlFile(file) ?? {}) as { config?: Record<string, unknown> };

  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const secureLeaves: Record<string, string> = {};
  const qualify = (key: string) => (key.includes(":") ? key : `${projectName}:${key}`);

  for (const [key, declaration] of Object.entries(project.config ?? {})) {
    if (declaration !== null && typeof declaration === "object" && "default" in declaration) {
      config[qualify(key)] = encode(declaration.default);
    }
  }
  for (const [rawKey, value] of Object.entries(stackDoc.config ?? {})) {
    const key = qualify(rawKey);
    const { value: plain, secret } = replaceSecure(key, value, secureLeaves);
    config[key] = encode(plain);
    if (secret) secretKeys.push(key);
  }
  return { project: projectName, config, secretKeys, secureLeaves };
}

function encode(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Replaces every `{ secure: … }` (at any depth) with a stand-in secret, recorded in `leaves` by its path. */
function replaceSecure(path: string, value: unknown, leaves: Record<string, string>): { value: unknown; secret: boolean } {
  if (Array.isArray(value)) {
    const items = value.map((item, i) => replaceSecure(`${path}[${i}]`, item, leaves));
    return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1 && entries[0]?.[0] === "secure") {
      const standIn = `${MOCK_SECRET_PREFIX}config-${path.replace(/[^A-Za-z0-9]+/g, "-")}`;
      leaves[path] = standIn;
      return { value: standIn, secret: true };
    }
    const replaced = entries.map(([k, v]) => [k, replaceSecure(`${path}.${k}`, v, leaves)] as const);
    return { value: Object.fromEntries(replaced.map(([k, r]) => [k, r.value])), secret: replaced.some(([, r]) => r.secret) };
  }
  return { value, secret: false };
}
