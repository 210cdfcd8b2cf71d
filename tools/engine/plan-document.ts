/**
 * The offline plan as data: what `npm run plan -- --json` prints and what the verification
 * commands read. Every secret value is replaced by `SECRET_PLACEHOLDER`.
 */

import type { ConnectionRegistry } from "../../lib/connections";

/** A declaration's shape with every `pulumi.Input<T>` resolved to `T`. */
export type Resolved<T> = T extends string | number | boolean | undefined
  ? T
  : T extends PromiseLike<infer U>
    ? Resolved<U>
    : T extends { apply: unknown; promise: unknown }
      ? never
      : T extends readonly (infer U)[]
        ? readonly Resolved<U>[]
        : { readonly [K in keyof T]: Resolved<Exclude<T[K], { apply: unknown }>> };

export const SECRET_PLACEHOLDER = "[secret]";

export interface PlannedResource {
  readonly urn: string;
  /** Type token, e.g. `kubernetes:core/v1:Namespace`, `kubernetes:helm.sh/v3:Release`. */
  readonly type: string;
  readonly name: string;
  /** URN of the parent component; empty for top-level resources. */
  readonly parent: string;
  /** URNs this resource depends on (explicit `dependsOn` and data flow). */
  readonly dependencies: readonly string[];
  /** Provider reference (`<provider urn>::<id>`); empty for the default provider. */
  readonly provider: string;
  readonly protect: boolean;
  /** True for provider-managed resources, false for components. */
  readonly custom: boolean;
  /** Requested provider plugin version, where the program pins one. */
  readonly version: string;
  /** Resource inputs as the program sent them, secrets replaced. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /**
   * Kubernetes Secrets: the keys of `data` and `stringData`. The provider marks both wholly
   * secret, so the inputs show neither; key names are not secret and connection checks need them.
   */
  readonly dataKeys?: readonly string[];
  /** Input paths the resource's `ignoreChanges` option leaves alone on update; absent when none. */
  readonly ignoreChanges?: readonly string[];
}

export interface PlanDocument {
  readonly project: string;
  readonly stack: string;
  readonly resources: readonly PlannedResource[];
  /** Stack outputs, secrets replaced. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Workloads and connections the components declared (lib/connections.ts), Inputs resolved. */
  readonly connections?: PlannedConnections;
  /** IAM roles, their policies, KMS keys and bucket policies of upstream stacks planned with this one, for the connections' identity check. */
  readonly upstreamIdentities?: readonly PlannedResource[];
}

/** `lib/connections.ts`'s registry once every Input is resolved. */
export type PlannedConnections = Resolved<ConnectionRegistry>;
