/**
 * The connections an app needs to the external data services it uses, declared for the
 * connection check (lib/connections.ts): its pods to each declared CIDR on the service's port (the
 * check lands on an address inside the range, so only the app's egress rule to that range proves
 * it), with the Secrets it reads for that service: its `<app>-env` keys, the CA Secret and the
 * existing credentials Secret (made outside strata, which the check reports as such).
 */
import * as pulumi from "@pulumi/pulumi";
import { type ExternalServiceSpec, externalPort, rdsDbUserArn } from "../../config/apps/external";
import type { AppServiceSpec } from "../../config/apps/service";
import { type AwsAccess, declareConnection, fromPods, type SecretNeed } from "../../lib/connections";
import { isSecretConnection } from "../service/connections";
import { addressIn, externalCa } from "./values";

export interface ExternalConnectionsArgs {
  readonly namespace: string;
  /** Labels every pod of the app carries, whatever its track. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The spec as the app is built from (`withExternalUses`): existing-Secret variables are in `secretEnv`. */
  readonly spec: AppServiceSpec;
  /** The external services the app uses, by name. */
  readonly external: Readonly<Record<string, ExternalServiceSpec>>;
  /** The app's env Secret, when it has one. */
  readonly secretName?: string;
  /**
   * EKS: the app's role, its ServiceAccount and the cluster's account, for the services with
   * `iamAuth` (the role's `rds-db:connect` is proven with the IAM simulator).
   * @default - no AWS identity
   */
  readonly aws?: { readonly roleArn: pulumi.Output<string>; readonly accountId: pulumi.Output<string>; readonly serviceAccount: string };
}

const OUTSIDE = "the credentials Secret the user names (strata:apps.external.<name>.existingSecret) is made outside strata";

export function declareExternalConnections(args: ExternalConnectionsArgs): void {
  const from = fromPods(args.namespace, args.podLabels);
  for (const [name, ext] of Object.entries(args.external)) {
    const envKeys = Object.entries(args.spec.connectionEnv)
      .filter(([, ref]) => ref.startsWith(`${name}.`) && isSecretConnection(ref))
      .map(([env]) => env);
    const ca = externalCa(name, ext);
    const existing = ext.existingSecret;
    const existingKeys = existing === undefined ? [] : Object.entries(args.spec.secretEnv).filter(([, source]) => source.secret?.startsWith(`${existing.name}/`) === true).map(([, source]) => (source.secret ?? "").slice(existing.name.length + 1));
    const secrets: SecretNeed[] = [
      ...(envKeys.length === 0 || args.secretName === undefined ? [] : [{ name: args.secretName, keys: envKeys }]),
      ...(ca === undefined ? [] : [{ name: ca.secret, keys: [ca.key], ...(ca.strataMade ? {} : { madeOutsideStrata: "tls.caSecret names a Secret made outside strata" }) }]),
      ...(existing === undefined || existingKeys.length === 0 ? [] : [{ name: existing.name, keys: [...new Set(existingKeys)].sort(), madeOutsideStrata: OUTSIDE }]),
    ];
    const iam = ext.iamAuth;
    const identity = args.aws;
    // RDS IAM authentication: the client signs a token with the role's credentials (SigV4, no AWS
    // call) and presents it as the password; RDS then checks the role's rds-db:connect on the user.
    const aws =
      iam === undefined || identity === undefined
        ? undefined
        : pulumi.all([identity.roleArn, identity.accountId]).apply(
            ([roleArn, account]): AwsAccess => ({
              roleArn,
              serviceAccount: { namespace: args.namespace, name: identity.serviceAccount },
              calls: [{ why: `connect to ${name} as ${ext.username ?? ""} with an IAM authentication token`, action: "rds-db:connect", resource: rdsDbUserArn(iam.region, account, iam.dbiResourceId, ext.username ?? "") }],
            }),
          );
    for (const cidr of ext.cidrs ?? []) {
      declareConnection({
        purpose: `external ${ext.kind} ${name} (${ext.host})`,
        from,
        to: { kind: "external", name, port: externalPort(ext), address: addressIn(cidr) },
        ...(secrets.length === 0 ? {} : { secrets }),
        ...(aws === undefined ? {} : { aws }),
      });
    }
  }
}
