/**
 * Names and ids the mocked engine gives AWS resources, derived from the resource name. Apart from
 * the mocks (no Pulumi runtime here), so the connection check can compute them without loading the SDK.
 */
import { createHash } from "node:crypto";

export const hex = (seed: string, length: number): string => createHash("sha256").update(seed).digest("hex").slice(0, length);
export const str = (value: unknown, fallback: string): string => (typeof value === "string" && value !== "" ? value : fallback);

/** The name the mocked engine gives an IAM role: its `name` input, else the auto-name. */
export const mockRoleName = (name: string, inputs: Readonly<Record<string, unknown>>): string => str(inputs["name"], `${name}-${hex(name, 7)}`);

/** The id the mocked engine gives a KMS key: a UUID derived from the resource name. */
export const mockKmsKeyId = (name: string): string => `${hex(name, 8)}-${hex(`${name}1`, 4)}-${hex(`${name}2`, 4)}-${hex(`${name}3`, 4)}-${hex(`${name}4`, 12)}`;
