/**
 * Pure: what an app that `uses` an external data service (`strata:apps.external.<name>`) gets —
 * the same `connectionEnv` fields as the in-cluster kind (URL, host, port, user, password, .NET
 * string, Kafka's client settings, the object store's fields) plus `caFile`, the egress rule to
 * the declared CIDRs and port, the CA file, and where the connection check lands.
 *
 * The spec an `AppService` builds from is derived here (`withExternalUses`): the external names
 * leave `uses` (they have no namespace to admit), their CIDRs and port join `egress`, their CA
 * joins `secretFiles`, and variables read from an existing Secret join `secretEnv`; so the
 * NetworkPolicy, the CA mount and the Secret reads go through the builders every app uses.
 */
import { cidrRange, intToIp } from "../../config/common";
import { type ExternalServiceSpec, externalPort, externalTls } from "../../config/apps/external";
import type { AppServiceSpec } from "../../config/apps/service";
import type { SecretSourceSpec } from "../../config/apps/secret-sources";

/** Key of the CA certificate in the CA Secret. */
export const EXTERNAL_CA_KEY = "ca.crt";
/** Where an external service's CA is mounted (under strata's own mount root, which secret files may not use). */
export const externalCaFile = (name: string): string => `/etc/strata/external/${name}/${EXTERNAL_CA_KEY}`;
/** The Secret strata writes a plain-config CA into, in each client namespace. */
export const externalCaSecretName = (name: string): string => `external-${name}-ca`;

/** The credentials once resolved; `password` is absent with IAM authentication or an existing Secret. */
export interface ExternalCredentials {
  readonly username: string;
  readonly password: string;
}

/** The CA Secret and key an app reads for an external service, and whether strata writes it. */
export function externalCa(name: string, spec: ExternalServiceSpec): { readonly secret: string; readonly key: string; readonly strataMade: boolean } | undefined {
  if (!externalTls(spec)) return undefined;
  if (spec.tls?.ca !== undefined) return { secret: externalCaSecretName(name), key: EXTERNAL_CA_KEY, strataMade: true };
  if (spec.tls?.caSecret !== undefined) {
    const [secret, key] = spec.tls.caSecret.split("/") as [string, string];
    return { secret, key, strataMade: false };
  }
  return undefined;
}

const enc = encodeURIComponent;

/** `user:password@`, or `:password@` for a Redis without users, or nothing. */
function userInfo(c: ExternalCredentials): string {
  if (c.username === "" && c.password === "") return "";
  return `${enc(c.username)}${c.password === "" ? "" : `:${enc(c.password)}`}@`;
}

/** The connection URL each kind's clients parse, with TLS set as that kind's clients spell it. */
export function externalUrl(name: string, spec: ExternalServiceSpec, c: ExternalCredentials): string {
  const hostPort = `${spec.host}:${externalPort(spec)}`;
  const tls = externalTls(spec);
  const ca = externalCa(name, spec) === undefined ? undefined : externalCaFile(name);
  const query = (params: readonly (string | false)[]) => {
    const kept = params.filter((p): p is string => p !== false);
    return kept.length === 0 ? "" : `?${kept.join("&")}`;
  };
  switch (spec.kind) {
    case "postgres":
      // libpq: verify-full checks the chain and the host name; `sslrootcert=system` (added in libpq 16,
      // postgres/postgres dda1b06) is the TLS library's trust store. node-postgres cannot read it
      // (brianc/node-postgres#3101): give such apps a CA, or host/port fields.
      return `postgresql://${userInfo(c)}${hostPort}/${spec.database ?? ""}${query([tls && "sslmode=verify-full", tls && `sslrootcert=${ca ?? "system"}`])}`;
    case "mysql":
      return `mysql://${userInfo(c)}${hostPort}/${spec.database ?? ""}${query([tls && "ssl-mode=VERIFY_IDENTITY", tls && ca !== undefined && `ssl-ca=${ca}`])}`;
    case "redis":
      return `${tls ? "rediss" : "redis"}://${userInfo(c)}${hostPort}`;
    case "rabbitmq":
      return `${tls ? "amqps" : "amqp"}://${userInfo(c)}${hostPort}/${enc(spec.vhost ?? "/")}`;
    case "mongodb":
      return `mongodb://${userInfo(c)}${hostPort}/${spec.database ?? ""}${query([tls && "tls=true", tls && ca !== undefined && `tlsCAFile=${ca}`])}`;
    case "kafka":
      return `${tls ? "kafka+ssl" : "kafka"}://${userInfo(c)}${hostPort}`;
    case "s3":
      return externalPort(spec) === 443 ? `https://${spec.host}` : `https://${hostPort}`;
  }
}

/** The key=value string .NET providers read (Npgsql, MySqlConnector, StackExchange.Redis). */
export function externalDotnet(name: string, spec: ExternalServiceSpec, c: ExternalCredentials): string {
  const tls = externalTls(spec);
  const port = externalPort(spec);
  switch (spec.kind) {
    case "postgres":
    case "mysql": {
      const ca = externalCa(name, spec) === undefined ? "" : spec.kind === "postgres" ? `;Root Certificate=${externalCaFile(name)}` : `;SslCa=${externalCaFile(name)}`;
      return `Server=${spec.host};Port=${port};Database=${spec.database ?? ""};User=${c.username};Password=${c.password}${tls ? `;SslMode=VerifyFull${ca}` : ""}`;
    }
    case "redis":
      return `${spec.host}:${port}${c.username === "" ? "" : `,user=${c.username}`}${c.password === "" ? "" : `,password=${c.password}`}${tls ? ",ssl=true" : ""},abortConnect=false`;
    default:
      return externalUrl(name, spec, c);
  }
}

/** Kafka's client settings: SASL (SCRAM-SHA-512) when the service has credentials, over TLS when `tls` is on. */
export function externalKafkaValue(name: string, spec: ExternalServiceSpec, field: string): string {
  const tls = externalTls(spec);
  const sasl = spec.password !== undefined || spec.existingSecret !== undefined;
  switch (field) {
    case "bootstrapServers":
      return `${spec.host}:${externalPort(spec)}`;
    case "securityProtocol":
      return `${sasl ? "SASL_" : ""}${tls ? "SSL" : "PLAINTEXT"}`;
    case "saslMechanism":
      return sasl ? "SCRAM-SHA-512" : "";
    default:
      throw new Error(`external ${name}: no Kafka field ${field}`);
  }
}

/** The value of a field that carries no credential. */
export function externalPlainValue(name: string, spec: ExternalServiceSpec, field: string): string {
  switch (field) {
    case "host":
      return spec.host;
    case "port":
      return String(externalPort(spec));
    case "database":
      return spec.database ?? "";
    case "caFile":
      return externalCa(name, spec) === undefined ? "" : externalCaFile(name);
    case "endpoint":
      return externalUrl(name, spec, { username: "", password: "" });
    case "hostPort":
      return `${spec.host}:${externalPort(spec)}`;
    case "bucket":
      return spec.bucket ?? "";
    case "region":
      return spec.region ?? "us-east-1";
    default:
      return externalKafkaValue(name, spec, field);
  }
}

/** The value of a field that carries a credential (goes into the app's `<app>-env` Secret). */
export function externalSecretValue(name: string, spec: ExternalServiceSpec, field: string, c: ExternalCredentials): string {
  switch (field) {
    case "username":
    case "accessKey":
      return c.username;
    case "password":
    case "secretKey":
      return c.password;
    case "url":
      return externalUrl(name, spec, c);
    case "dotnet":
      return externalDotnet(name, spec, c);
    default:
      throw new Error(`external ${name}: no credential field ${field}`);
  }
}

/** One address inside a CIDR for the connection check to land on: the first host address (the address itself for /31 and /32). */
export function addressIn(cidr: string): string {
  const { first, last } = cidrRange(cidr);
  return intToIp(last - first >= 2 ? first + 1 : first);
}

/**
 * The spec an `AppService` builds from: external names out of `uses`, their CIDRs and port into
 * `egress` (host named in the policy's annotation), their CA into `secretFiles`, and the
 * variables an existing Secret holds into `secretEnv` (read from that Secret as it is).
 */
export function withExternalUses(spec: AppServiceSpec, external: Readonly<Record<string, ExternalServiceSpec>>): AppServiceSpec {
  const used = spec.uses.filter((use) => external[use] !== undefined);
  if (used.length === 0) return spec;
  const secretEnv: Record<string, SecretSourceSpec> = { ...spec.secretEnv };
  const connectionEnv: Record<string, string> = {};
  for (const [env, ref] of Object.entries(spec.connectionEnv)) {
    const [service = "", field = ""] = ref.split(".");
    const ext = external[service];
    const existing = ext?.existingSecret;
    const key = existing === undefined ? undefined : field === "password" || field === "secretKey" ? existing.keys.password : field === "username" || field === "accessKey" ? existing.keys.username : undefined;
    if (existing !== undefined && key !== undefined) secretEnv[env] = { secret: `${existing.name}/${key}` };
    else connectionEnv[env] = ref;
  }
  const secretFiles: Record<string, SecretSourceSpec> = { ...spec.secretFiles };
  for (const name of used) {
    const ca = externalCa(name, external[name] as ExternalServiceSpec);
    if (ca !== undefined) secretFiles[externalCaFile(name)] = { secret: `${ca.secret}/${ca.key}` };
  }
  return {
    ...spec,
    uses: spec.uses.filter((use) => external[use] === undefined),
    connectionEnv,
    secretEnv,
    secretFiles,
    egress: [
      ...spec.egress,
      ...used.map((name) => {
        const ext = external[name] as ExternalServiceSpec;
        return { host: ext.host, cidrs: [...(ext.cidrs ?? [])], ports: [externalPort(ext)], protocol: "TCP" as const };
      }),
    ],
  };
}
