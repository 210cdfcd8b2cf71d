/**
 * Loads TypeScript for the Pulumi SDK only when the SDK first uses it. The SDK's runtime requires
 * its closure serializer at start-up, which requires TypeScript (9 MB, a fifth of a second) at the
 * top of `runtime/closure/parseFunction.js` (`const ts = require("../../typescript-shim")`, a
 * plain require, read only inside functions). Only dynamic providers are serialized (the vSphere
 * backend's readiness checks), so most stacks never need it. Import this module before
 * `@pulumi/pulumi`; the first property read loads the SDK's own shim, which picks the same
 * TypeScript as before, so serialized providers are unchanged.
 */
import { createRequire, Module } from "node:module";

/** The SDK module that resolves TypeScript for its closure serializer. */
export const TYPESCRIPT_SHIM = createRequire(require.resolve("@pulumi/pulumi")).resolve("./typescript-shim");

/** Whether TypeScript has been loaded through the shim yet. */
export function typescriptLoaded(): boolean {
  return loaded !== undefined;
}

let loaded: object | undefined;

function load(): object {
  if (loaded === undefined) {
    const standIn = require.cache[TYPESCRIPT_SHIM];
    delete require.cache[TYPESCRIPT_SHIM];
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the real shim, in place of the stand-in
      loaded = require(TYPESCRIPT_SHIM) as object;
    } finally {
      if (standIn !== undefined) require.cache[TYPESCRIPT_SHIM] = standIn;
    }
  }
  return loaded;
}

/** Every read of the stand-in goes to the real module; reads of a missing property stay reads (undefined). */
const lazyTypescript = new Proxy(
  {},
  {
    get: (_target, key) => Reflect.get(load(), key) as unknown,
    has: (_target, key) => Reflect.has(load(), key),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
      // A proxy may not report a non-configurable property its (empty) target lacks.
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
  },
);

if (require.cache[TYPESCRIPT_SHIM] === undefined) {
  const standIn = new Module(TYPESCRIPT_SHIM);
  standIn.filename = TYPESCRIPT_SHIM;
  standIn.loaded = true;
  standIn.exports = lazyTypescript;
  require.cache[TYPESCRIPT_SHIM] = standIn;
}
