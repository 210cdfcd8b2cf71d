/**
 * Dynamic providers serialized once per state of the sources, instead of on every plan. A dynamic
 * resource's `__provider` input is its provider's code and everything it captures, serialized by
 * the SDK (runtime/closure/serializeClosure.js: an inspector session per function, TypeScript to
 * parse each one): about half a second of a vSphere stack's plan, for text that only changes when
 * the sources do.
 *
 * The SDK's `serializeFunction` is replaced by one that answers the dynamic resource's request
 * (`() => provider`, dynamic/index.js) from `<compiled tree>/.serialized-providers/` and otherwise
 * asks the real one and keeps what it returns. An entry's key is the provider's method texts, the
 * SDK, TypeScript and Node versions and the serialization options; the compiled tree is itself per
 * state of the sources (tools/launch.mjs) and the entries go with it. This holds while a provider
 * captures only what the sources fix (functions, module constants), not values read from config
 * at run time: strata's providers (infra/vsphere/readiness.ts, token-expiry.ts) are written so,
 * and `tests/engine/compiled-run.integration.test.ts` compares kept and fresh serializations. Run
 * from TypeScript sources (tsx: tests, `npx tsx tools/plan.ts`) nothing is kept.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";

/** What serializeFunction resolves to (SerializedFunction in the SDK). */
interface SerializedFunction {
  readonly text: string;
  readonly exportName: string;
  readonly containsSecrets: boolean;
}
type SerializeFunction = (func: () => unknown, args?: Record<string, unknown>) => Promise<SerializedFunction>;

/** The function dynamic/index.js hands to serializeFunction: it returns the provider object. */
const DYNAMIC_PROVIDER_THUNK = "() => provider";
const SERIALIZE_CLOSURE = "./runtime/closure/serializeClosure";

const fromSdk = createRequire(require.resolve("@pulumi/pulumi"));

/** The compiled tree this module runs from (`.strata/js/<key>/tools/engine/`), or undefined when run from sources. */
export function compiledTreeOf(moduleFile: string): string | undefined {
  if (!moduleFile.endsWith(".js")) return undefined;
  const tree = resolve(dirname(moduleFile), "..", "..");
  return basename(dirname(tree)) === "js" && basename(dirname(dirname(tree))) === ".strata" ? tree : undefined;
}

function versionOf(request: string): string {
  try {
    return (JSON.parse(readFileSync(fromSdk.resolve(`${request}/package.json`), "utf8")) as { version: string }).version;
  } catch {
    return "none";
  }
}

/**
 * The provider's identity: its methods' source texts. Two providers with the same texts but
 * different captured values would share it; a process that meets both serializes them afresh and
 * drops what was kept. Undefined (serialize afresh) for anything but an object of functions.
 */
export function providerIdentity(provider: unknown): string | undefined {
  if (provider === null || typeof provider !== "object") return undefined;
  const entries = Object.entries(provider);
  if (entries.length === 0 || entries.some(([, value]) => typeof value !== "function")) return undefined;
  return JSON.stringify(entries.map(([key, value]) => [key, String(value)]));
}

/** A serializeFunction that keeps dynamic providers' serializations in `dir` and asks `real` for the rest. */
export function keptSerializeFunction(dir: string, real: SerializeFunction): SerializeFunction {
  const versions = `${versionOf("@pulumi/pulumi")}\0${versionOf("typescript")}\0${process.versions.node}`;
  /** Identities by the provider object that has them; one shared by two objects is never kept. */
  const owners = new Map<string, object>();
  const ambiguous = new Set<string>();
  return async (func, args = {}) => {
    const provider: unknown = func.length === 0 && String(func) === DYNAMIC_PROVIDER_THUNK ? func() : undefined;
    const identity = providerIdentity(provider);
    if (identity === undefined) return real(func, args);
    const key = createHash("sha256").update(`${versions}\0${JSON.stringify(args)}\0${identity}`).digest("hex");
    const owner = owners.get(key);
    const file = join(dir, `${key}.json`);
    if (owner !== undefined && owner !== provider) {
      ambiguous.add(key);
      try {
        rmSync(file, { force: true });
      } catch {
        // A read-only checkout kept nothing to drop.
      }
    }
    owners.set(key, provider as object);
    if (ambiguous.has(key)) return real(func, args);
    if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as SerializedFunction;
    const serialized = await real(func, args);
    try {
      mkdirSync(dir, { recursive: true });
      const staging = `${file}.${String(process.pid)}.tmp`;
      writeFileSync(staging, JSON.stringify({ text: serialized.text, exportName: serialized.exportName, containsSecrets: serialized.containsSecrets }));
      renameSync(staging, file);
    } catch {
      // Kept for speed only (a read-only checkout): the next plan serializes afresh.
    }
    return serialized;
  };
}

/**
 * When this module and the program run from the project's compiled tree, dynamic/index.js's calls
 * to serializeFunction go through the kept serializations; otherwise (sources, another project's
 * program, whose sources the tree does not cover) nothing changes. dynamic/index.js looks the
 * function up on the module's exports at each call, so replacing it there is enough.
 */
export function keepSerializedProviders(moduleFile: string, projectDir: string): void {
  const tree = compiledTreeOf(moduleFile);
  if (tree === undefined || resolve(tree, "..", "..", "..") !== resolve(projectDir)) return;
  // The SDK module's exports object itself (see above), not a copy.
  const serializeClosure = fromSdk(SERIALIZE_CLOSURE) as { serializeFunction: SerializeFunction };
  const real = serializeClosure.serializeFunction;
  serializeClosure.serializeFunction = keptSerializeFunction(join(tree, ".serialized-providers"), real.bind(serializeClosure));
}
