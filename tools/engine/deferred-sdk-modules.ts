/**
 * Modules the Pulumi SDK requires at start-up but the program under mocks never or rarely uses,
 * loaded on first use instead: each is replaced in the require cache by a stand-in whose first
 * property read loads the real module (its own file, as before) and forwards to it. Import this
 * module before `@pulumi/pulumi`. Together they were ~530 of the ~770 modules `require("@pulumi/pulumi")`
 * loads, and TypeScript's 9 MB (@pulumi/pulumi 3.270.0):
 *
 * - TypeScript (9 MB): `runtime/closure/parseFunction.js` does `const ts = require("../../typescript-shim")`
 *   and reads `ts` only inside functions, when a dynamic provider is serialized (the vSphere
 *   backend's readiness checks). The shim still picks the TypeScript it picked before, so
 *   serialized providers are unchanged.
 * - The Automation API: `index.js` does `const automation = __importStar(require("./automation"))`
 *   for `pulumi.automation`; `__importStar` returns a module with `__esModule` as it is.
 * - npm's Arborist (~500 modules: pacote, sigstore, cacache, ...): `runtime/closure/codePaths.js`
 *   does `const arborist = __importStar(require("@npmcli/arborist"))` and only calls
 *   `new arborist.Arborist(...)` when computing a function's code paths (lambdas, not used here).
 *   Its stand-in says `__esModule` so `__importStar` keeps it instead of copying every export.
 * - gRPC (~65 modules of @grpc/grpc-js and the generated `*_grpc_pb` clients): the mock monitor
 *   replaces the engine's, so no channel is opened. `runtime/settings.js`, `resource.js`,
 *   `invoke.js`, `callbacks.js` and `errors.js` read `grpc.credentials`, `grpc.status` and the
 *   clients only inside functions (connecting to a real engine, classifying an RPC error). The
 *   generated client modules call `grpc.makeGenericClientConstructor` as they load, so they are
 *   deferred too; their stand-ins say `__esModule`, which they lack, so `__importStar` keeps the
 *   stand-in (a namespace copy would read every export) and the SDK reads the same names from it.
 * - `pulumi.provider` (the provider server, for packages written in TypeScript): read only by
 *   provider plugins, which this program is not.
 */
import { createRequire, Module } from "node:module";

interface Deferred {
  /** As the SDK's index.js would require it. */
  readonly request: string;
  /** What the stand-in answers for `__esModule` without loading: see above. @default - read from the real module */
  readonly esModule?: true;
}

const DEFERRED: readonly Deferred[] = [
  { request: "./typescript-shim" },
  { request: "./automation", esModule: true },
  { request: "@npmcli/arborist", esModule: true },
  { request: "./provider", esModule: true },
  { request: "@grpc/grpc-js", esModule: true },
  { request: "./proto/resource_grpc_pb", esModule: true },
  { request: "./proto/engine_grpc_pb", esModule: true },
  { request: "./proto/callback_grpc_pb", esModule: true },
  { request: "./proto/provider_grpc_pb", esModule: true },
];

const fromSdk = createRequire(require.resolve("@pulumi/pulumi"));

function standIn(file: string, esModule: true | undefined): object {
  let real: object | undefined;
  const load = (): object => {
    if (real === undefined) {
      const cached = require.cache[file];
      delete require.cache[file];
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the real module, in place of the stand-in
        real = require(file) as object;
      } finally {
        if (cached !== undefined) require.cache[file] = cached;
      }
    }
    return real;
  };
  return new Proxy(
    {},
    {
      get: (_target, key) => (key === "__esModule" && esModule !== undefined ? esModule : (Reflect.get(load(), key) as unknown)),
      has: (_target, key) => Reflect.has(load(), key),
      ownKeys: () => Reflect.ownKeys(load()),
      getOwnPropertyDescriptor: (_target, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
        // A proxy may not report a non-configurable property its (empty) target lacks.
        return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
      },
    },
  );
}

/** The module's file, or undefined if this SDK version has no such module (then nothing is deferred for it). */
function resolved(request: string): string | undefined {
  try {
    return fromSdk.resolve(request);
  } catch {
    return undefined;
  }
}

for (const { request, esModule } of DEFERRED) {
  const file = resolved(request);
  if (file === undefined || require.cache[file] !== undefined) continue;
  const entry = new Module(file);
  entry.filename = file;
  entry.loaded = true;
  entry.exports = standIn(file, esModule);
  require.cache[file] = entry;
}
