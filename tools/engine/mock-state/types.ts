/**
 * Realistic computed state for mocked resources and invokes, keyed by type token. Each provider
 * has one file in this folder; `index.ts` merges them. Secret-like values a mock invents start
 * with `MOCK_SECRET_PREFIX`, so a leak check can search plan output for it.
 */
import type * as pulumi from "@pulumi/pulumi";

export const MOCK_SECRET_PREFIX = "mock-secret-";

/** Extra state for a resource: merged over its inputs; may also choose the id. */
export type ResourceState = (args: pulumi.runtime.MockResourceArgs) => { readonly id?: string; readonly state: Record<string, unknown> };

/** Result of an invoke (data source / function call). */
export type CallResult = (args: pulumi.runtime.MockCallArgs) => Record<string, unknown>;

export interface ProviderMocks {
  readonly resources: Readonly<Record<string, ResourceState>>;
  readonly calls: Readonly<Record<string, CallResult>>;
}
