/**
 * Realistic computed state for mocked resources and invokes, keyed by type token. Each provider
 * has one file in this folder; `index.ts` merges them. Secret-like values a mock invents start
 * with `MOCK_SECRET_PREFIX`, so a leak check can search plan output for it.
 */
import type * as pulumi from "@pulumi/pulumi";

export const MOCK_SECRET_PREFIX = "mock-secret-";

/** What a resource mock sees: the engine's args with inputs typed as plain data. */
export type MockResource = Omit<pulumi.runtime.MockResourceArgs, "inputs"> & { readonly inputs: Readonly<Record<string, unknown>> };
export type MockCall = Omit<pulumi.runtime.MockCallArgs, "inputs"> & { readonly inputs: Readonly<Record<string, unknown>> };

/** Extra state for a resource: merged over its inputs; may also choose the id. */
export type ResourceState = (args: MockResource) => { readonly id?: string; readonly state: Record<string, unknown> };

/** Result of an invoke (data source / function call). */
export type CallResult = (args: MockCall) => Record<string, unknown>;

export interface ProviderMocks {
  readonly resources: Readonly<Record<string, ResourceState>>;
  readonly calls: Readonly<Record<string, CallResult>>;
}
