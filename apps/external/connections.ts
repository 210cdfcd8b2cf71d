/**
 * The connections an app needs to the external data services it uses, declared for the
 * connection check (lib/connections.ts): its pods to each declared CIDR on the service's port (the
 * check lands on an address inside the range, so only the app's egress rule to that range proves
 * it), with the Secrets it reads for that service: its `<app>-env` keys, the CA Secret and the
 * existing credentials Secret (made outside strata, which the check reports as such).
 */
import { type ExternalServiceSpec, externalPort } from "../../config/apps/external";
import type { AppServiceSpec } from "../../config/apps/service";
import { declareConnection, fromPods, type SecretNeed } from "../../lib/connections";
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
    for (const cidr of ext.cidrs ?? []) {
      declareConnection({
        purpose: `external ${ext.kind} ${name} (${ext.host})`,
        from,
        to: { kind: "external", name, port: externalPort(ext), address: addressIn(cidr) },
        ...(secrets.length === 0 ? {} : { secrets }),
      });
    }
  }
}
