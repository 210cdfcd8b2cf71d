/**
 * Join secrets made in Pulumi: the bootstrap token, the control-plane certificate key and the
 * VRRP password, plus the discovery hash every join pins the cluster CA with.
 */
import { createHash, createPublicKey } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

export const TOKEN_PATTERN = /^[a-z0-9]{6}\.[a-z0-9]{16}$/;

/**
 * `sha256:<hex>` over the DER SubjectPublicKeyInfo of a public key or certificate PEM: what
 * `kubeadm join --discovery-token-ca-cert-hash` expects.
 */
export function discoveryHash(pem: string): string {
  let der: Buffer;
  try {
    der = createPublicKey(pem).export({ type: "spki", format: "der" });
  } catch (error) {
    throw new Error(`cannot compute the kubeadm discovery hash: the cluster CA is not a readable PEM key or certificate (${(error as Error).message})`);
  }
  return `sha256:${createHash("sha256").update(der).digest("hex")}`;
}

export interface JoinSecretsArgs {
  /** Changing it mints a new bootstrap token for nodes created from then on. @default "1" */
  readonly tokenRotation?: string;
  /**
   * The Kubernetes nodes the cluster should have: a change (a pool grows) mints a fresh token, so
   * new nodes join after the previous one expired. @default []
   */
  readonly nodeNames?: readonly string[];
}

/** Keepers of the token: what mints a new one when it changes. */
export function tokenKeepers(args: JoinSecretsArgs): Record<string, string> {
  return { rotation: args.tokenRotation ?? "1", nodes: [...(args.nodeNames ?? [])].sort().join(",") };
}

export class JoinSecrets extends pulumi.ComponentResource {
  /** `<id>.<secret>`; secret. */
  public readonly token: pulumi.Output<string>;
  /** The public half of the token: names the `bootstrap-token-<id>` Secret. */
  public readonly tokenId: pulumi.Output<string>;
  public readonly tokenSecret: pulumi.Output<string>;
  /** 64 hex characters; secret. */
  public readonly certificateKey: pulumi.Output<string>;
  /** VRRP PASS authentication for the load-balancer pair (8 characters); secret. */
  public readonly vrrpPassword: pulumi.Output<string>;

  constructor(name: string, args: JoinSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:infra:JoinSecrets", name, {}, opts);
    const keepers = tokenKeepers(args);
    // RandomString for the public token id; RandomPassword (secret in state) for everything else.
    const id = new random.RandomString(`${name}-token-id`, { length: 6, lower: true, numeric: true, upper: false, special: false, keepers }, { parent: this });
    const tokenSecret = new random.RandomPassword(
      `${name}-token-secret`,
      { length: 16, lower: true, numeric: true, upper: false, special: false, keepers },
      { parent: this },
    );
    this.tokenId = id.result;
    this.tokenSecret = pulumi.secret(tokenSecret.result);
    this.token = pulumi.secret(pulumi.interpolate`${id.result}.${tokenSecret.result}`);
    // 64 hex characters (32 bytes): digits plus a-f offered as the "special" characters.
    const certificateKey = new random.RandomPassword(
      `${name}-certificate-key`,
      { length: 64, lower: false, upper: false, numeric: true, special: true, overrideSpecial: "abcdef" },
      { parent: this },
    );
    this.certificateKey = pulumi.secret(certificateKey.result);
    this.vrrpPassword = pulumi.secret(new random.RandomPassword(`${name}-vrrp`, { length: 8, special: false }, { parent: this }).result);
    this.registerOutputs({ tokenId: this.tokenId, token: this.token, certificateKey: this.certificateKey, vrrpPassword: this.vrrpPassword });
  }
}
