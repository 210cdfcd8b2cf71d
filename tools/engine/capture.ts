/**
 * Records every resource registration that reaches the mock monitor. The mock callbacks do not
 * see parent, dependencies, provider or protect; the register requests do.
 *
 * The records are listed in the order the program constructed the resources, not the order their
 * registrations completed: that one follows the timing of whatever a registration awaits (a
 * dynamic provider's serialization, a parent's URN), so a faster step would move resources in the plan.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ReadResourceRequest, RegisterResourceRequest } from "@pulumi/pulumi/proto/resource_pb";
import { deserializeProperties } from "@pulumi/pulumi/runtime/rpc";
import { separateSecrets } from "./separate-secrets";

export interface CapturedRecord {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string;
  readonly dependencies: string[];
  readonly provider: string;
  readonly protect: boolean;
  /** Input paths later updates leave alone (`ignoreChanges`). */
  readonly ignoreChanges: string[];
  readonly custom: boolean;
  readonly version: string;
  readonly inputs: Record<string, unknown>;
  readonly rawInputs: Record<string, unknown>;
}

type Struct = Parameters<typeof deserializeProperties>[0];
/** What the register and read requests both carry. */
type CapturedRequest = Pick<RegisterResourceRequest, "getType" | "getName" | "getParent" | "getProvider" | "getVersion">;

type Callback<T> = (error: Error | null, response: T | undefined) => void;
interface UrnResponse {
  getUrn(): string;
}
interface CapturableMonitor {
  registerResource(req: RegisterResourceRequest, callback: Callback<UrnResponse>): unknown;
  readResource(req: ReadResourceRequest, callback: Callback<UrnResponse>): unknown;
}

/** The SDK's registration entry points, which `new Resource(...)` calls synchronously (runtime/resource.js). */
type Registration = (res: object, parent: object | undefined, type: string, name: string, ...rest: unknown[]) => void;
interface SdkRegistrations {
  registerResource: Registration;
  readResource: Registration;
}

/** What identifies a registration request: its parent's construction index, type and name (the URN's parts). */
function registrationKey(parentIndex: number, type: string, name: string): string {
  return `${String(parentIndex)}\0${type}\0${name}`;
}

/**
 * Numbers every resource as it is constructed. The SDK module's exports are replaced in place:
 * resource.js calls them through the exports object, so a namespace copy would not be seen.
 */
function installConstructionOrder(): { indexOf(parentUrn: string, type: string, name: string, urn: string): number } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's exports object itself (see above)
  const sdk = require("@pulumi/pulumi/runtime/resource") as SdkRegistrations;
  const constructed = new WeakMap<object, number>();
  const byKey = new Map<string, number>();
  const byUrn = new Map<string, number>();
  let next = 0;
  for (const entry of ["registerResource", "readResource"] as const) {
    const original = sdk[entry];
    sdk[entry] = (res, parent, type, name, ...rest) => {
      const index = next++;
      constructed.set(res, index);
      byKey.set(registrationKey(parent === undefined ? -1 : (constructed.get(parent) ?? -1), type, name), index);
      original(res, parent, type, name, ...rest);
    };
  }
  return {
    indexOf(parentUrn, type, name, urn) {
      const index = byKey.get(registrationKey(parentUrn === "" ? -1 : (byUrn.get(parentUrn) ?? -1), type, name));
      if (index === undefined) throw new Error(`${urn} reached the engine without being constructed through the SDK's Resource`);
      byUrn.set(urn, index);
      return index;
    },
  };
}

/** Starts recording; returns the records so far, in construction order. */
export function installCapture(secrets: Set<string>): () => CapturedRecord[] {
  const order = installConstructionOrder();
  const records: { readonly index: number; readonly record: CapturedRecord }[] = [];
  const monitor = pulumi.runtime.getMonitor() as unknown as CapturableMonitor;
  const register = monitor.registerResource.bind(monitor);
  const read = monitor.readResource.bind(monitor);

  /** One record: what both request kinds carry, in the plan's key order, and what differs between them. */
  const capture = (req: CapturedRequest, urn: string, properties: Struct | undefined, differs: Pick<CapturedRecord, "dependencies" | "protect" | "ignoreChanges" | "custom">): void => {
    const inputs = separateSecrets(propertiesOf(properties), secrets);
    records.push({
      index: order.indexOf(req.getParent(), req.getType(), req.getName(), urn),
      record: {
        urn,
        type: req.getType(),
        name: req.getName(),
        parent: req.getParent(),
        dependencies: differs.dependencies,
        provider: req.getProvider(),
        protect: differs.protect,
        ignoreChanges: differs.ignoreChanges,
        custom: differs.custom,
        version: req.getVersion(),
        inputs: inputs.redacted as Record<string, unknown>,
        rawInputs: inputs.raw as Record<string, unknown>,
      },
    });
  };

  monitor.registerResource = (req, callback) =>
    register(req, (error, response) => {
      if (!error && response) {
        const propertyDeps = [...req.getPropertydependenciesMap().entries()].flatMap(([, deps]) => deps.getUrnsList());
        capture(req, response.getUrn(), req.getObject(), {
          dependencies: [...new Set([...req.getDependenciesList(), ...propertyDeps])].sort(),
          protect: req.getProtect() ?? false,
          ignoreChanges: req.getIgnorechangesList(),
          custom: req.getCustom(),
        });
      }
      callback(error, response);
    });

  monitor.readResource = (req, callback) =>
    read(req, (error, response) => {
      if (!error && response) capture(req, response.getUrn(), req.getProperties(), { dependencies: [...req.getDependenciesList()].sort(), protect: false, ignoreChanges: [], custom: true });
      callback(error, response);
    });
  return () => [...records].sort((a, b) => a.index - b.index).map((r) => r.record);
}

function propertiesOf(struct: Struct | undefined): Record<string, unknown> {
  return struct === undefined ? {} : deserializeProperties(struct);
}
