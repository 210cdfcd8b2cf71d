/** Pure: the value an environment variable gets from one field of a platform endpoint. */
import type { EndpointField } from "../../config/apps/service";
import type { EndpointKind } from "../../lib/contracts";

/** An endpoint's values once resolved (inside the Secret's `apply`). */
export interface ResolvedEndpoint {
  readonly kind: EndpointKind;
  readonly host: string;
  readonly port: number;
  readonly database?: string;
  readonly username: string;
  readonly password: string;
  readonly url: string;
}

/** Fields that carry no credential (of an endpoint, of Kafka's client settings, of the object store): set as plain variables, not through the app's Secret. */
const PLAIN_FIELDS: readonly string[] = ["host", "port", "database", "bootstrapServers", "securityProtocol", "saslMechanism", "caFile", "endpoint", "hostPort", "bucket", "region"];

/** Whether a `connectionEnv` reference (`<service>.<field>`) carries a credential and so belongs in the Secret. */
export function isSecretConnection(ref: string): boolean {
  return !PLAIN_FIELDS.includes(ref.split(".")[1] ?? "");
}

/** `dotnet`: the key=value form .NET providers read (Npgsql, MySqlConnector, StackExchange.Redis). */
export function connectionValue(endpoint: ResolvedEndpoint, field: EndpointField): string {
  switch (field) {
    case "url":
      return endpoint.url;
    case "host":
      return endpoint.host;
    case "port":
      return String(endpoint.port);
    case "database":
      return endpoint.database ?? "";
    case "username":
      return endpoint.username;
    case "password":
      return endpoint.password;
    case "dotnet":
      return dotnetConnectionString(endpoint);
  }
}

function dotnetConnectionString(e: ResolvedEndpoint): string {
  switch (e.kind) {
    case "redis":
      return `${e.host}:${e.port},password=${e.password},abortConnect=false`;
    case "postgresql":
    case "mysql":
      return `Server=${e.host};Port=${e.port};Database=${e.database ?? ""};User=${e.username};Password=${e.password}`;
    default:
      return e.url;
  }
}
