/** All provider mocks, merged; add one file per provider and list it here. */
import { awsMocks } from "./aws";
import { kubernetesMocks } from "./kubernetes";
import { RANDOM_SECRET_FIELDS, randomMocks } from "./random";
import { TLS_SECRET_FIELDS, tlsMocks } from "./tls";
import type { CallResult, ProviderMocks, ResourceState } from "./types";
import { vsphereMocks } from "./vsphere";

const PROVIDERS: readonly ProviderMocks[] = [randomMocks, tlsMocks, kubernetesMocks, awsMocks, vsphereMocks];

export const RESOURCE_STATE: Readonly<Record<string, ResourceState>> = Object.assign({}, ...PROVIDERS.map((p) => p.resources)) as Record<string, ResourceState>;
export const CALL_RESULTS: Readonly<Record<string, CallResult>> = Object.assign({}, ...PROVIDERS.map((p) => p.calls)) as Record<string, CallResult>;

/** Outputs a real provider marks secret, by type token. */
export const SECRET_OUTPUT_FIELDS: Readonly<Record<string, readonly string[]>> = { ...RANDOM_SECRET_FIELDS, ...TLS_SECRET_FIELDS };
