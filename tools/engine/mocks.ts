/**
 * The engine mocks: realistic computed state per type token (see `mock-state/`), stack
 * references answered from given upstream outputs, and every secret a mock invents recorded.
 */
import type * as pulumi from "@pulumi/pulumi";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { CALL_RESULTS, RESOURCE_STATE, SECRET_OUTPUT_FIELDS } from "./mock-state";
import type { MockResource } from "./mock-state/types";
import { collectSecretStrings } from "./values";

/** A stack's outputs as `pulumi stack output --show-secrets --json` would give them. */
export interface StackOutputsSnapshot {
  readonly outputs: Record<string, unknown>;
  readonly secretOutputNames: readonly string[];
}

/** An invoke (data source / function call) the program made, with the arguments it sent. */
export interface RecordedInvoke {
  readonly token: string;
  readonly inputs: Record<string, unknown>;
}

/** The program's own stack: its name and the outputs of its last update (none before the first). */
export interface OwnStack {
  readonly name: string;
  readonly previous?: StackOutputsSnapshot;
}

const NO_OUTPUTS: StackOutputsSnapshot = { outputs: {}, secretOutputNames: [] };

/**
 * A preview in which the named resources are being replaced: their inputs are known, their id and
 * every output the provider computes are not, as the engine reports them before the create.
 */
export interface ReplacementPreview {
  readonly unknownOutputsOf: readonly string[];
}

export function createMocks(
  upstream: Readonly<Record<string, StackOutputsSnapshot>>,
  secrets: Set<string>,
  invokes: RecordedInvoke[] = [],
  own?: OwnStack,
  preview?: ReplacementPreview,
): pulumi.runtime.Mocks {
  const replaced = new Set(preview?.unknownOutputsOf ?? []);
  return {
    newResource(engineArgs) {
      const args: MockResource = { ...engineArgs, inputs: engineArgs.inputs as Record<string, unknown> };
      if (args.type === "pulumi:pulumi:StackReference") {
        const stackName = String(args.inputs.name);
        // A reference to the program's own stack reads its last update's outputs: none unless given.
        const snapshot = upstream[stackName] ?? (stackName === own?.name ? (own.previous ?? NO_OUTPUTS) : undefined);
        if (snapshot === undefined) throw new Error(`no outputs given for upstream stack "${stackName}"`);
        for (const name of snapshot.secretOutputNames) collectSecretStrings(snapshot.outputs[name], secrets);
        return { id: stackName, state: { name: stackName, outputs: snapshot.outputs, secretOutputNames: snapshot.secretOutputNames } };
      }
      const computed = RESOURCE_STATE[args.type]?.(args);
      if (replaced.has(args.name)) {
        const unknownOutputs = Object.fromEntries(Object.keys(computed?.state ?? {}).map((key) => [key, unknownValue]));
        return { id: "", state: { ...args.inputs, ...unknownOutputs } };
      }
      const state: Record<string, unknown> = { ...args.inputs, ...computed?.state };
      for (const field of SECRET_OUTPUT_FIELDS[args.type] ?? []) collectSecretStrings(state[field], secrets);
      return { id: computed?.id ?? `${args.name}-id`, state };
    },
    call(engineArgs) {
      invokes.push({ token: engineArgs.token, inputs: engineArgs.inputs as Record<string, unknown> });
      const result = CALL_RESULTS[engineArgs.token];
      if (result === undefined) throw new Error(`no mock for invoke ${engineArgs.token}; add one under tools/engine/mock-state/`);
      return result({ ...engineArgs, inputs: engineArgs.inputs as Record<string, unknown> });
    },
  };
}
