/**
 * Pure: an app's own RabbitMQ user, declared with the messaging-topology-operator's custom
 * resources (rabbitmq.com/v1beta1, operator v1.20.1, api/v1beta1/{vhost,user,permission}_types.go)
 * beside the `RabbitmqCluster`, in its namespace:
 * - the credentials Secret a `User` imports (`importCredentialsSecret`: keys `username` and
 *   `password`). It must carry `rabbitmq.com/topology-operator: "true"`: the operator caches only
 *   Secrets with that label (cmd/main.go `Cache.ByObject`) and its webhook refuses a User whose
 *   Secret lacks it (internal/webhook/v1beta1/label_validation.go);
 * - the `User`, without tags (no management UI access, no user, vhost or policy management), and
 *   a `Permission` on the apps' vhost only.
 * The apps share the default vhost `/`: services of one system exchange messages through the
 * broker (EMIS's services publish and consume each other's events), which separate vhosts would
 * cut, and `/` is where a client that names no vhost connects (the EMIS services set host, user
 * and password only). Its queues are quorum queues by the cluster's `default_queue_type`.
 * The operator watches the imported Secret and puts the user again (`PutUser`, a new password
 * hash) whenever it changes (internal/controller/user_controller.go `secretToUserRequests`,
 * `declareWithImportedCredentials`): a rotated password reaches the server without a restart.
 */
import type * as pulumi from "@pulumi/pulumi";
import { standardLabels } from "../../lib/labels";

/** The label the topology operator requires on every Secret it reads (api/v1beta1/labels.go). */
export const TOPOLOGY_OPERATOR_LABEL = { "rabbitmq.com/topology-operator": "true" } as const;

/** Where the app's user lives: the RabbitMQ cluster's name and namespace. */
export interface RabbitmqClusterRef {
  /** The `RabbitmqCluster`'s name. */
  readonly cluster: pulumi.Input<string>;
  readonly namespace: string;
}

/** The vhost the apps share: RabbitMQ's default one. */
export const APPS_VHOST = "/";

/** Names of the objects of one app's user; the RabbitMQ user is named after the app. */
export function appUserNames(app: string): { readonly user: string; readonly vhost: string; readonly secret: string } {
  return { user: app, vhost: APPS_VHOST, secret: `${app}-rabbitmq-user` };
}

const metadata = (name: string, namespace: string, component: string, extra: Record<string, string> = {}) => ({
  name,
  namespace,
  labels: { ...standardLabels({ name, component }), ...extra },
});

/** The Secret the `User` imports; `password` is filled by the caller (secret). */
export function appUserSecretMetadata(app: string, ref: RabbitmqClusterRef) {
  return metadata(appUserNames(app).secret, ref.namespace, "credentials", TOPOLOGY_OPERATOR_LABEL);
}

export function appUser(app: string, ref: RabbitmqClusterRef) {
  return {
    apiVersion: "rabbitmq.com/v1beta1",
    kind: "User",
    metadata: metadata(`${app}-user`, ref.namespace, "message-broker"),
    spec: { rabbitmqClusterReference: { name: ref.cluster }, importCredentialsSecret: { name: appUserNames(app).secret } },
  };
}

/** Configure, write and read on the apps' vhost, nothing elsewhere. */
export function appPermission(app: string, ref: RabbitmqClusterRef) {
  const names = appUserNames(app);
  return {
    apiVersion: "rabbitmq.com/v1beta1",
    kind: "Permission",
    metadata: metadata(`${app}-permission`, ref.namespace, "message-broker"),
    spec: {
      vhost: names.vhost,
      userReference: { name: `${app}-user` },
      permissions: { configure: ".*", write: ".*", read: ".*" },
      rabbitmqClusterReference: { name: ref.cluster },
    },
  };
}

/** `amqp://<user>:<password>@<host>:5672/%2F`: the vhost path-encoded, as RabbitMQ's URI spec asks (`/` is `%2F`). */
export function appUserUrl(app: string, host: string, port: number, password: string): string {
  const names = appUserNames(app);
  return `amqp://${encodeURIComponent(names.user)}:${encodeURIComponent(password)}@${host}:${port}/${encodeURIComponent(names.vhost)}`;
}
