/**
 * The gateway's identities, one per consumer: each consumer registers its name and grants while
 * the platform is declared and gets generated keys; once every consumer has registered
 * (`seal`), the identities JSON the gateway reads is complete.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ObjectStoreIdentityKeys, ObjectStoreIdentityRegistry } from "../../lib/contracts";
import { ADMIN_ACTION, grantActions, type ObjectStoreGrant, type S3Identity } from "./identity-actions";

interface Registered {
  readonly actions: readonly string[];
  readonly keys: ObjectStoreIdentityKeys;
}

export class SeaweedfsIdentities implements ObjectStoreIdentityRegistry {
  private readonly registered = new Map<string, Registered>();
  private sealed = false;
  private resolveSealed: (identities: readonly { name: string; actions: readonly string[]; keys: ObjectStoreIdentityKeys }[]) => void = () => undefined;
  /** Every identity with its keys, once `seal` has been called. */
  public readonly all: Promise<readonly { name: string; actions: readonly string[]; keys: ObjectStoreIdentityKeys }[]>;

  /**
   * @param name prefix of the key resources' names
   * @param buckets bucket names by purpose, to resolve grants
   * @param parent parent of the key resources
   */
  constructor(
    private readonly name: string,
    private readonly buckets: Readonly<Record<string, string>>,
    private readonly parent: pulumi.Resource,
  ) {
    this.all = new Promise((resolve) => {
      this.resolveSealed = resolve;
    });
  }

  /** Registers `consumer` with `grants` (once; the same grants again return the same keys). */
  identity(consumer: string, grants: readonly ObjectStoreGrant[]): ObjectStoreIdentityKeys {
    return this.add(consumer, grantActions(grants, this.buckets));
  }

  /** The break-glass identity: `Admin` on everything. Its keys belong only in the store's namespace. */
  breakGlass(consumer: string): ObjectStoreIdentityKeys {
    return this.add(consumer, [ADMIN_ACTION]);
  }

  /** No more identities; the identities JSON resolves. Called once the platform has declared every consumer. */
  seal(): void {
    this.sealed = true;
    this.resolveSealed([...this.registered].map(([name, r]) => ({ name, actions: r.actions, keys: r.keys })));
  }

  /** The identities as the gateway reads them (secret). */
  identitiesOutput(): pulumi.Output<S3Identity[]> {
    return pulumi.output(this.all).apply((all) =>
      pulumi.all(all.map((i) => pulumi.all([i.keys.accessKeyId, i.keys.secretAccessKey]).apply(([accessKey, secretKey]) => ({ name: i.name, credentials: [{ accessKey, secretKey }], actions: i.actions })))),
    );
  }

  private add(consumer: string, actions: readonly string[]): ObjectStoreIdentityKeys {
    if (this.sealed) throw new Error(`object store identity ${consumer}: registered after the identities were sealed`);
    const existing = this.registered.get(consumer);
    if (existing !== undefined) {
      if (existing.actions.join(",") !== actions.join(",")) throw new Error(`object store identity ${consumer}: registered twice with different grants (${existing.actions.join(", ")} / ${actions.join(", ")})`);
      return existing.keys;
    }
    if (actions.includes(ADMIN_ACTION) && [...this.registered.values()].some((r) => r.actions.includes(ADMIN_ACTION))) {
      throw new Error(`object store identity ${consumer}: only one identity may have Admin`);
    }
    const opts = { parent: this.parent };
    const keys: ObjectStoreIdentityKeys = {
      accessKeyId: pulumi.secret(new random.RandomPassword(`${this.name}-${consumer}-access-key`, { length: 20, special: false, lower: false }, opts).result),
      secretAccessKey: pulumi.secret(new random.RandomPassword(`${this.name}-${consumer}-secret-key`, { length: 40, special: false }, opts).result),
    };
    this.registered.set(consumer, { actions, keys });
    return keys;
  }
}
