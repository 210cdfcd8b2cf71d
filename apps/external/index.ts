/**
 * `ExternalServiceCa`: the CA certificate of an external data service given as plain config
 * (`strata:apps.external.<name>.tls.ca`), as the Secret `external-<name>-ca` (key `ca.crt`) in
 * every namespace whose apps use the service; each app mounts it read-only at
 * `/etc/strata/external/<name>/ca.crt` (`values.ts`). A CA is public; a Secret, not a ConfigMap,
 * because the pods mount their secret files from Secrets and the connection check proves those.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { standardLabels } from "../../lib/labels";
import { EXTERNAL_CA_KEY, externalCaSecretName } from "./values";

export interface ExternalServiceCaArgs {
  readonly provider: k8s.Provider;
  /** The external service's name (a key of strata:apps.external). */
  readonly service: string;
  /** The CA certificate (PEM), checked while config is parsed. */
  readonly caCert: string;
  /** Client namespaces, each with what its Secret must wait for (a tenant's namespace). */
  readonly namespaces: Readonly<Record<string, readonly pulumi.Resource[]>>;
}

export class ExternalServiceCa extends pulumi.ComponentResource {
  /** The CA Secret by namespace; the apps there wait for theirs. */
  public readonly secrets: Readonly<Record<string, k8s.core.v1.Secret>>;

  constructor(name: string, args: ExternalServiceCaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:apps:ExternalServiceCa", name, {}, opts);
    const secretName = externalCaSecretName(args.service);
    const labels = standardLabels({ name: secretName, component: "external-service-ca" });
    this.secrets = Object.fromEntries(
      Object.entries(args.namespaces).map(([namespace, dependsOn]) => [
        namespace,
        new k8s.core.v1.Secret(
          `${name}-${namespace}`,
          { metadata: { name: secretName, namespace, labels }, type: "Opaque", stringData: { [EXTERNAL_CA_KEY]: args.caCert } },
          { parent: this, provider: args.provider, dependsOn: [...dependsOn] },
        ),
      ]),
    );
    this.registerOutputs({ namespaces: Object.keys(this.secrets) });
  }
}
