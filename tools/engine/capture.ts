/**
 * Records every resource registration that reaches the mock monitor. The mock callbacks do not
 * see parent, dependencies, provider or protect; the register requests do.
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

type Callback<T> = (error: Error | null, response: T | undefined) => void;
interface UrnResponse {
  getUrn(): string;
}
interface CapturableMonitor {
  registerResource(req: RegisterResourceRequest, callback: Callback<UrnResponse>): unknown;
  readResource(req: ReadResourceRequest, callback: Callback<UrnResponse>): unknown;
}

/** Starts recording; returns the list that fills as the program registers resources. */
export function installCapture(secrets: Set<string>): CapturedRecord[] {
  const records: CapturedRecord[] = [];
  const monitor = pulumi.runtime.getMonitor() as unknown as CapturableMonitor;
  const register = monitor.registerResource.bind(monitor);
  const read = monitor.readResource.bind(monitor);

  monitor.registerResource = (req, callback) =>
    register(req, (error, response) => {
      if (!error && response) {
        const inputs = separateSecrets(propertiesOf(req.getObject()), secrets);
        const propertyDeps = [...req.getPropertydependenciesMap().entries()].flatMap(([, deps]) => deps.getUrnsList());
        records.push({
          urn: response.getUrn(),
          type: req.getType(),
          name: req.getName(),
          parent: req.getParent(),
          dependencies: [...new Set([...req.getDependenciesList(), ...propertyDeps])].sort(),
          provider: req.getProvider(),
          protect: req.getProtect() ?? false,
          ignoreChanges: req.getIgnorechangesList(),
          custom: req.getCustom(),
          version: req.getVersion(),
          inputs: inputs.redacted as Record<string, unknown>,
          rawInputs: inputs.raw as Record<string, unknown>,
        });
      }
      callback(error, response);
    });

  monitor.readResource = (req, callback) =>
    read(req, (error, response) => {
      if (!error && response) {
        const inputs = separateSecrets(propertiesOf(req.getProperties()), secrets);
        records.push({
          urn: response.getUrn(),
          type: req.getType(),
          name: req.getName(),
          parent: req.getParent(),
          dependencies: [...req.getDependenciesList()].sort(),
          provider: req.getProvider(),
          protect: false,
          ignoreChanges: [],
          custom: true,
          version: req.getVersion(),
          inputs: inputs.redacted as Record<string, unknown>,
          rawInputs: inputs.raw as Record<string, unknown>,
        });
      }
      callback(error, response);
    });
  return records;
}

function propertiesOf(struct: Parameters<typeof deserializeProperties>[0] | undefined): Record<string, unknown> {
  return struct === undefined ? {} : deserializeProperties(struct);
}
