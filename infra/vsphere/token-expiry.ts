/**
 * The join token's expiry, stamped once per token: a dynamic resource whose create records
 * "now + TTL" and whose diff replaces it when the token id changes. The expiry therefore lives in
 * Pulumi's state beside the token it belongs to: a later `up` reads it back unchanged (no diff), and
 * a new token (pool resized, rotation) gets a fresh one instead of inheriting the first day's, which
 * an `ignoreChanges` on a program-time value would do.
 */
import * as pulumi from "@pulumi/pulumi";
import { JOIN_TOKEN_TTL_HOURS } from "./kubeadm";

export interface TokenExpiryArgs {
  /** The public half of the bootstrap token; a new id stamps a new expiry. */
  readonly tokenId: pulumi.Input<string>;
  /** How long the token is valid from the moment its expiry is stamped. @default 24 */
  readonly ttlHours?: number;
}

export interface TokenExpiryInputs {
  readonly tokenId: string;
  readonly ttlHours: number;
}

export interface TokenExpiryOutputs extends TokenExpiryInputs {
  /** RFC 3339 (UTC, whole seconds), as the bootstrap-token Secret's `expiration` wants it. */
  readonly expiration: string;
}

/** The state a create at `nowMs` records: the expiry `ttlHours` later, without milliseconds. */
export function stampExpiry(inputs: TokenExpiryInputs, nowMs: number): TokenExpiryOutputs {
  const expiration = new Date(nowMs + inputs.ttlHours * 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  return { tokenId: inputs.tokenId, ttlHours: inputs.ttlHours, expiration };
}

/** Any change is a new token (or a new TTL for it): replace, so create stamps the time again. */
export function expiryDiff(olds: TokenExpiryInputs, news: TokenExpiryInputs): pulumi.dynamic.DiffResult {
  const replaces = (["tokenId", "ttlHours"] as const).filter((key) => olds[key] !== news[key]);
  return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
}

export const tokenExpiryProvider: pulumi.dynamic.ResourceProvider<TokenExpiryInputs, TokenExpiryOutputs> = {
  create: (inputs) => Promise.resolve({ id: inputs.tokenId, outs: stampExpiry(inputs, Date.now()) }),
  diff: (_id, olds, news) => Promise.resolve(expiryDiff(olds, news)),
};

export class TokenExpiry extends pulumi.dynamic.Resource {
  /** When the token stops working (RFC 3339). */
  public declare readonly expiration: pulumi.Output<string>;

  constructor(name: string, args: TokenExpiryArgs, opts?: pulumi.CustomResourceOptions) {
    super(tokenExpiryProvider, name, { tokenId: args.tokenId, ttlHours: args.ttlHours ?? JOIN_TOKEN_TTL_HOURS, expiration: undefined }, opts, "strata", "TokenExpiry");
  }
}
