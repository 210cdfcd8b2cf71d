/**
 * `RabbitmqAppUser`: an app's own RabbitMQ user and its permission (./values.ts), declared by
 * the apps layer beside the cluster through the apps stack's provider, as `../data-access` does
 * for the data namespace's policies. The app reads this user's credentials instead of the
 * cluster's default (administrator) user: it can use the apps' vhost and manage nothing.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Endpoint } from "../../lib/contracts";
import { appPermission, appUser, appUserNames, appUserSecretMetadata, appUserUrl, type RabbitmqClusterRef } from "./values";

export interface RabbitmqAppUserArgs {
  readonly provider: k8s.Provider;
  /** The app the user is for; the user takes its name. */
  readonly app: string;
  /** The platform's RabbitMQ endpoint (the cluster's default user). */
  readonly endpoint: Endpoint;
  /** The topology operator's manifest (its CRDs) when installed in the same update. @default - already installed */
  readonly topologyOperator?: pulumi.Resource;
}

/**
 * The cluster operator names the client Service after the `RabbitmqCluster` (cluster-operator
 * v2.22.3, internal/resource/service.go), so the endpoint's host `<cluster>.<ns>.svc` names it.
 */
const clusterOf = (endpoint: Endpoint): pulumi.Output<string> => endpoint.host.apply((host) => host.split(".")[0] ?? host);

export class RabbitmqAppUser extends pulumi.ComponentResource {
  /** The platform endpoint with this app's user, password, URL and credentials Secret. */
  public readonly endpoint: Endpoint;

  constructor(name: string, args: RabbitmqAppUserArgs, opts?: pulumi.ComponentResourceOptions) {
    super("strata:apps:RabbitmqAppUser", name, {}, opts);
    const child = { parent: this, provider: args.provider };
    const crds = args.topologyOperator === undefined ? [] : [args.topologyOperator];
    const ref: RabbitmqClusterRef = { cluster: clusterOf(args.endpoint), namespace: args.endpoint.namespace };
    const names = appUserNames(args.app);
    const password = new random.RandomPassword(`${name}-password`, { length: 32, special: false }, { parent: this });
    const secret = new k8s.core.v1.Secret(
      `${name}-credentials`,
      { metadata: appUserSecretMetadata(args.app, ref), type: "Opaque", data: { username: Buffer.from(names.user, "utf8").toString("base64") }, stringData: { password: pulumi.secret(password.result) } },
      child,
    );
    const user = new k8s.apiextensions.CustomResource(`${name}-user`, appUser(args.app, ref), { ...child, dependsOn: [...crds, secret] });
    new k8s.apiextensions.CustomResource(`${name}-permission`, appPermission(args.app, ref), { ...child, dependsOn: [user] });
    const url = pulumi.all([args.endpoint.host, args.endpoint.port, password.result]).apply(([host, port, p]) => appUserUrl(args.app, host, port, p));
    this.endpoint = {
      ...args.endpoint,
      username: pulumi.output(names.user),
      password: pulumi.secret(password.result),
      url: pulumi.secret(url),
      secretName: secret.metadata.name,
    };
    this.registerOutputs({ secretName: this.endpoint.secretName });
  }
}
