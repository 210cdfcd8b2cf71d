// @ts-check
/**
 * Runs a strata tool from JavaScript compiled once per state of the sources, instead of compiling
 * TypeScript on every start: `node tools/launch.mjs tools/plan.ts [args]`.
 *
 * The key is a SHA-256 of every TypeScript source the tools and the program load (path and
 * content), tsconfig.json, this launcher, the esbuild and Node versions and this checkout's path; the compiled tree lives
 * in .strata/js/<key>/ and is rebuilt when any of them changes. Each file is
 * transformed on its own (no bundling: node_modules stay where they are), with `__dirname` and
 * `__filename` bound to the source's own location so files read beside the sources are found.
 * Type checking stays where it was: `npm test`.
 *
 * Node's on-disk compile cache (V8 code cache per module, checked against each file's content) is
 * enabled in .strata/compile-cache/ for this process and, through NODE_COMPILE_CACHE, for the
 * processes it spawns (the program's own, tools/engine/run.ts), instead of compiling the same
 * ~1,800 modules again on every run. Its entries are per module path, so each compiled tree adds its
 * own; the cache is emptied when it outgrows a few trees. NODE_COMPILE_CACHE=<dir> chooses another
 * directory, NODE_DISABLE_COMPILE_CACHE=1 turns it off (Node's own switches).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire, enableCompileCache } from "node:module";
import { basename, dirname, join, relative, resolve } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import esbuild from "esbuild";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const OWN_COMPILE_CACHE = join(ROOT, ".strata", "compile-cache");
const COMPILE_CACHE = process.env["NODE_COMPILE_CACHE"] ?? OWN_COMPILE_CACHE;
// Inherited by child processes, which then read and write the same cache. The base directory, not the
// `directory` enableCompileCache returns: that one has Node's version subdirectory appended already.
if (enableCompileCache(COMPILE_CACHE).directory !== undefined) process.env["NODE_COMPILE_CACHE"] = COMPILE_CACHE;
/** Source folders the tools and the program import from; tests are compiled by mocha's own loader. */
const SOURCE_DIRS = ["config", "lib", "infra", "cluster", "platform", "apps", "tools", "policy"];
// Not under node_modules: Pulumi serializes dynamic providers' closures by reference to modules there.
const CACHE = join(ROOT, ".strata", "js");
/** Compiled trees kept besides the current one (other branches, worktrees). */
const KEEP = 4;
/** Compile cache entries (one per module and Node version) beyond which the cache starts over: about five trees' worth. */
const COMPILE_CACHE_ENTRIES = 10_000;

/** @param {string} dir @returns {string[]} */
function typescriptFiles(dir) {
  /** @type {string[]} */
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") files.push(...typescriptFiles(path));
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
      files.push(path);
    }
  }
  return files;
}

function sources() {
  const top = readdirSync(ROOT).filter((name) => name.endsWith(".ts") && !name.endsWith(".d.ts")).map((name) => join(ROOT, name));
  return [...top, ...SOURCE_DIRS.filter((dir) => existsSync(join(ROOT, dir))).flatMap((dir) => typescriptFiles(join(ROOT, dir)))].sort();
}

/** @param {string[]} files @param {string} esbuildVersion */
function keyOf(files, esbuildVersion) {
  const hash = createHash("sha256").update(`${ROOT}\0${esbuildVersion}\0${process.versions.node}\0${readFileSync(join(ROOT, "tsconfig.json"), "utf8")}\0${readFileSync(fileURLToPath(import.meta.url), "utf8")}`);
  for (const file of files) hash.update(`\0${relative(ROOT, file)}\0`).update(readFileSync(file));
  return hash.digest("hex").slice(0, 24);
}

/** @param {typeof import("esbuild")} esbuild @param {string[]} files @param {string} target */
function compile(esbuild, files, target) {
  // `strict` (hence "use strict" in every file) and the other options esbuild honours.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- tsconfig.json as esbuild reads it (TsconfigRaw)
  const tsconfigRaw = JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8"));
  const staging = `${target}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  for (const file of files) {
    const { code } = esbuild.transformSync(readFileSync(file, "utf8"), {
      loader: "ts",
      format: "cjs",
      platform: "node",
      // As tsx transforms (minified whitespace, kept names): dynamic providers' serialized code, which is
      // part of the plan, is then the same whichever way the program ran.
      target: `node${process.versions.node}`,
      minifyWhitespace: true,
      keepNames: true,
      sourcefile: file,
      tsconfigRaw,
      define: { __dirname: JSON.stringify(dirname(file)), __filename: JSON.stringify(file) },
    });
    const out = join(staging, relative(ROOT, file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, code);
  }
  writeFileSync(join(staging, ".built"), "");
  try {
    renameSync(staging, target);
  } catch (error) {
    // Another process compiled the same sources first: its tree is identical.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(target)) throw error;
  }
  const stale = readdirSync(CACHE)
    .filter((name) => !name.endsWith(".tmp") && join(CACHE, name) !== target)
    .map((name) => ({ path: join(CACHE, name), mtime: statSync(join(CACHE, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime)
    .slice(KEEP);
  for (const { path } of stale) rmSync(path, { recursive: true, force: true });
  // Only the cache this launcher chose: one NODE_COMPILE_CACHE names may be shared with other programs.
  const entries = existsSync(OWN_COMPILE_CACHE) ? readdirSync(OWN_COMPILE_CACHE).reduce((n, version) => n + readdirSync(join(OWN_COMPILE_CACHE, version)).length, 0) : 0;
  if (entries > COMPILE_CACHE_ENTRIES) rmSync(OWN_COMPILE_CACHE, { recursive: true, force: true });
}

const [entry, ...args] = process.argv.slice(2);
if (entry === undefined || !entry.endsWith(".ts")) {
  process.stderr.write("usage: node tools/launch.mjs <tool.ts> [args]\n");
  process.exit(2);
}
const require = createRequire(import.meta.url);
const files = sources();
const target = join(CACHE, keyOf(files, esbuild.version));
if (!existsSync(join(target, ".built"))) {
  mkdirSync(CACHE, { recursive: true });
  compile(esbuild, files, target);
}
const compiled = join(target, relative(ROOT, resolve(ROOT, entry))).replace(/\.ts$/, ".js");
process.argv = [process.argv[0] ?? "node", compiled, ...args];
// Results derived from the program alone (an upstream stack's planned outputs) are cached under it.
process.env["STRATA_SOURCE_KEY"] = basename(target);
require(compiled);
