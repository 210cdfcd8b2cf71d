/**
 * `strata:apps.external.<name>`: a data service outside the cluster (a managed database such as
 * RDS/Aurora or ElastiCache, an on-premises MySQL, a hosted broker or S3 bucket) that apps `use`
 * by name exactly like a platform service. The schema says what one entry may hold;
 * `externalProblems` checks what needs the other keys of the slice and of the stack.
 */
import { X509Certificate } from "node:crypto";
import { z } from "zod";
import { describeValue } from "../errors";
import { cidr, cidrContains, dnsSubdomain, port, strictObject } from "../common";
import { PLATFORM_SERVICES } from "./service";
import { OBJECT_STORE_USE } from "./runtime";
import { configSourceProblems, type ConfigKeyState } from "./secret-sources";
import type { Backend } from "../../lib/contracts";

export const EXTERNAL_KINDS = ["postgres", "mysql", "redis", "rabbitmq", "kafka", "mongodb", "s3"] as const;
export type ExternalKind = (typeof EXTERNAL_KINDS)[number];

/** The port each kind listens on unless told (TLS ports where the protocol has its own: AMQPS 5671, S3 over HTTPS 443). */
export const DEFAULT_EXTERNAL_PORTS: Readonly<Record<ExternalKind, { readonly plain: number; readonly tls: number }>> = {
  postgres: { plain: 5432, tls: 5432 },
  mysql: { plain: 3306, tls: 3306 },
  redis: { plain: 6379, tls: 6379 },
  rabbitmq: { plain: 5672, tls: 5671 },
  kafka: { plain: 9092, tls: 9093 },
  mongodb: { plain: 27017, tls: 27017 },
  s3: { plain: 443, tls: 443 },
};

/** Kinds whose clients take a database, a vhost or a bucket name, and which key holds it. */
const NAMESPACE_KEY: Readonly<Partial<Record<ExternalKind, "database" | "vhost" | "bucket">>> = {
  postgres: "database",
  mysql: "database",
  mongodb: "database",
  rabbitmq: "vhost",
  s3: "bucket",
};

/** Engines RDS IAM database authentication covers (MariaDB, MySQL and PostgreSQL, and Aurora's). */
const IAM_AUTH_KINDS: readonly ExternalKind[] = ["postgres", "mysql"];

/** `db-ABCDEFGHIJKLMNOPQRSTUVWXY0`: the DbiResourceId RDS gives an instance (`aws rds describe-db-instances --query 'DBInstances[].DbiResourceId'`), or `cluster-…` for Aurora. */
const DBI_RESOURCE_ID = /^(db|cluster)-[A-Z0-9]+$/;

/** `<Secret name>/<key>`, as in a `secret:` source. */
const SECRET_KEY_REF = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)\/([-._a-zA-Z0-9]+)$/;
const CONFIG_KEY = /^([A-Za-z][\w-]*):([A-Za-z_][\w-]*)$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

const tls = strictObject({
  enabled: z.boolean().default(true).describe("Connect over TLS (`sslmode=verify-full`, `rediss://`, `amqps://`, `tls=true`, `SSL`)."),
  ca: z.string().optional().describe("The CA certificate (PEM) that signs the server's certificate, as plain config (a CA is public): written into a Secret `external-<name>-ca` in each client namespace. Default: the image's trust store."),
  caSecret: z
    .string()
    .regex(SECRET_KEY_REF, { error: "must be <Secret name>/<key> such as rds-ca/ca.crt" })
    .optional()
    .describe("`<name>/<key>` of a Secret already in each client namespace holding the CA (PEM), instead of `ca`."),
});

const existingSecret = strictObject({
  name: dnsSubdomain().describe("A Secret already in each client's namespace (made outside strata)."),
  keys: strictObject({
    username: z.string().min(1).optional().describe("Key holding the user name. Default: `username` is the plain config value."),
    password: z.string().min(1).default("password").describe("Key holding the password (S3: the secret access key)."),
  })
    .prefault({})
    .describe("Keys of the Secret."),
});

const iamAuth = strictObject({
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: "must be an AWS region such as eu-central-1" }).describe("Region of the DB instance or cluster."),
  dbiResourceId: z
    .string()
    .regex(DBI_RESOURCE_ID, { error: "must be the DbiResourceId such as db-ABCDEFGHIJKL0123456789 (not the instance identifier)" })
    .describe("The instance's `DbiResourceId` (Aurora: the cluster's `DbClusterResourceId`), the resource of `rds-db:connect`."),
});

export const ExternalServiceConfig = strictObject({
  kind: z.enum(EXTERNAL_KINDS).describe("What the service speaks: postgres, mysql, redis, rabbitmq, kafka, mongodb or s3."),
  host: dnsSubdomain().describe("Host name (or address) clients connect to, e.g. orders.abc123.eu-central-1.rds.amazonaws.com."),
  port: port.optional().describe("Port. Default: the kind's (5432, 3306, 6379, 5672/5671 with TLS, 9092/9093 with TLS, 27017, 443)."),
  cidrs: z
    .array(cidr)
    .optional()
    .describe("Required. IPv4 ranges the host's addresses lie in: the only thing the app's egress NetworkPolicy can name (NetworkPolicy matches addresses, not host names)."),
  tls: tls.optional().describe("TLS to the service. Default: off, except s3 (always HTTPS)."),
  username: z.string().min(1).optional().describe("User name (S3: the access key id), plain. Required unless `existingSecret.keys.username` holds it; redis may go without."),
  password: z
    .string()
    .regex(CONFIG_KEY, { error: "must be a whole top-level config key <namespace>:<key> such as orders:dbPassword" })
    .refine((key) => !key.startsWith("strata:"), { error: "must be a key outside the strata namespace (a secret strata:apps is refused), such as orders:dbPassword" })
    .optional()
    .describe("Config key `<namespace>:<key>` holding the password (S3: the secret access key), set with `pulumi config set --secret`."),
  existingSecret: existingSecret.optional().describe("A Secret in each client namespace holding the credentials, instead of `password`."),
  database: z.string().min(1).optional().describe("Database name (postgres, mysql, mongodb)."),
  vhost: z.string().min(1).optional().describe("Virtual host (rabbitmq). Default: /."),
  bucket: z.string().min(3).optional().describe("Bucket (s3)."),
  region: z.string().min(1).optional().describe("S3 region (s3). Default: us-east-1."),
  iamAuth: iamAuth.optional().describe("EKS only, postgres/mysql on RDS/Aurora: the app's role gets `rds-db:connect` on this user; the app signs a 15-minute token with the AWS SDK and sends it as the password."),
});
export type ExternalServiceSpec = z.infer<typeof ExternalServiceConfig>;

/** The port an external service listens on. */
export const externalPort = (spec: ExternalServiceSpec): number => spec.port ?? DEFAULT_EXTERNAL_PORTS[spec.kind][externalTls(spec) ? "tls" : "plain"];

/** Whether clients connect over TLS (S3 always does). */
export const externalTls = (spec: ExternalServiceSpec): boolean => spec.kind === "s3" || (spec.tls?.enabled ?? false);

/** `arn:aws:rds-db:<region>:<account>:dbuser:<DbiResourceId>/<user>`, the resource of `rds-db:connect` (Service Authorization Reference, Amazon RDS IAM Authentication, resource type `db-user`). */
export const rdsDbUserArn = (region: string, account: string, dbiResourceId: string, user: string): string => `arn:aws:rds-db:${region}:${account}:dbuser:${dbiResourceId}/${user}`;

/** Fields a `<external>.<field>` reference may take, by kind: the in-cluster kind's. */
export function externalFields(kind: ExternalKind, platformFields: readonly string[], kafkaFields: readonly string[], objectStoreFields: readonly string[]): readonly string[] {
  const own = kind === "s3" ? objectStoreFields : [...platformFields, ...(kind === "kafka" ? kafkaFields : [])];
  return [...new Set([...own, "caFile"])];
}

/** Fields composed from the password, which strata cannot compose when it never sees it. */
export const PASSWORD_FIELDS: readonly string[] = ["password", "url", "dotnet", "secretKey"];

/** What the checks need from the rest of the stack; a field is absent when this stack cannot know it. */
export interface ExternalContext {
  readonly backend?: Backend;
  readonly configKey?: (key: string) => ConfigKeyState;
}

/** Problems of `strata:apps.external`, each entry alone and against the stack. */
export function externalProblems(external: Readonly<Record<string, ExternalServiceSpec>>, ctx: ExternalContext): string[] {
  const problems: string[] = [];
  const reserved: readonly string[] = [...PLATFORM_SERVICES, OBJECT_STORE_USE];
  for (const [name, spec] of Object.entries(external)) {
    const key = `strata:apps.external.${name}`;
    if (reserved.includes(name)) problems.push(`${key}: the name is a platform service's, and both share the names of \`uses\` (got ${describeValue(name)}); rename it, e.g. ${name}-external`);
    if (spec.cidrs === undefined || spec.cidrs.length === 0) {
      problems.push(
        `${key}.cidrs: is required (got ${describeValue(spec.cidrs)}); list the IPv4 ranges ${spec.host} resolves into (e.g. the DB subnets' CIDRs): a NetworkPolicy matches addresses, never host names, so a host name alone cannot be let out`,
      );
    }
    if (isAddress(spec.host) && spec.cidrs !== undefined && spec.cidrs.length > 0 && !spec.cidrs.some((range) => cidrContains(range, spec.host))) {
      problems.push(`${key}.host: the address lies in none of the cidrs (got ${describeValue(spec.host)}); add a range holding it to ${key}.cidrs`);
    }
    if (spec.cidrs?.includes("0.0.0.0/0") === true) problems.push(`${key}.cidrs: must not admit every address (got "0.0.0.0/0"); list the service's own ranges`);
    if (spec.tls?.ca !== undefined) {
      const problem = pemProblem(spec.tls.ca);
      if (problem !== undefined) problems.push(`${key}.tls.ca: ${problem} (got ${describeValue(spec.tls.ca.slice(0, 40))}); paste the CA certificate, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----`);
    }
    if (spec.tls?.ca !== undefined && spec.tls.caSecret !== undefined) problems.push(`${key}.tls: names both ca and caSecret (got ${describeValue(spec.tls.caSecret)}); keep one`);
    if (spec.tls?.enabled === false && (spec.tls.ca !== undefined || spec.tls.caSecret !== undefined)) problems.push(`${key}.tls.enabled: is false but a CA is given (got false); set it to true or remove the CA`);
    const credentials = (["password", "existingSecret", "iamAuth"] as const).filter((k) => spec[k] !== undefined);
    if (credentials.length > 1) problems.push(`${key}: takes one source of credentials (got ${credentials.join(" and ")}); keep one of password, existingSecret, iamAuth`);
    if (credentials.length === 0 && spec.kind !== "redis") problems.push(`${key}: has no credentials (got neither password, existingSecret nor iamAuth); set password: <namespace>:<key> (a secret config key) or existingSecret: {name, keys}`);
    if (spec.username === undefined && spec.existingSecret?.keys.username === undefined && spec.kind !== "redis") {
      problems.push(`${key}.username: is required for ${spec.kind} (got nothing); set it, or existingSecret.keys.username`);
    }
    for (const field of ["database", "vhost", "bucket"] as const) {
      if (spec[field] !== undefined && NAMESPACE_KEY[spec.kind] !== field) problems.push(`${key}.${field}: ${spec.kind} has no ${field} (got ${describeValue(spec[field])}); remove it`);
    }
    if (spec.kind === "s3" && spec.bucket === undefined) problems.push(`${key}.bucket: is required for s3 (got nothing); name the bucket the apps read and write`);
    if (spec.region !== undefined && spec.kind !== "s3") problems.push(`${key}.region: only s3 takes a region (got ${describeValue(spec.region)}); remove it`);
    if (spec.iamAuth !== undefined) {
      if (!IAM_AUTH_KINDS.includes(spec.kind)) problems.push(`${key}.iamAuth: RDS IAM authentication covers postgres and mysql only (got kind ${spec.kind}); remove iamAuth`);
      if (ctx.backend !== undefined && ctx.backend !== "eks") problems.push(`${key}.iamAuth: needs EKS Pod Identity for the app's role, but strata:infra.backend is ${ctx.backend} (got ${describeValue(spec.iamAuth)}); remove iamAuth and use password or existingSecret`);
      if (!externalTls(spec)) problems.push(`${key}.tls.enabled: RDS accepts IAM tokens over TLS only (got ${describeValue(spec.tls?.enabled ?? false)}); set tls.enabled: true`);
    }
    if (spec.password !== undefined && ctx.configKey !== undefined) problems.push(...configSourceProblems(`${key}.password`, spec.password, ctx.configKey(spec.password)));
  }
  return problems;
}

/** Problems with one service's `connectionEnv` reference to an external service. */
export function externalReferenceProblem(spec: ExternalServiceSpec, name: string, field: string): string | undefined {
  if (!PASSWORD_FIELDS.includes(field)) return undefined;
  if (spec.iamAuth !== undefined) {
    return `${name} authenticates with IAM tokens, so strata has no password to give (got "${name}.${field}"); take ${name}.host, ${name}.port, ${name}.username and ${name}.database, and sign a token with the AWS SDK (RDS generate-db-auth-token) for each new connection`;
  }
  if (spec.existingSecret !== undefined && field !== "password" && field !== "secretKey") {
    return `${name}'s password is in the Secret ${spec.existingSecret.name}, which strata never reads, so it cannot compose ${field} (got "${name}.${field}"); take ${name}.password and build the ${field} in the app`;
  }
  return undefined;
}

/** `uses` entries that are neither a platform service, the object store nor a name of strata:apps.external. */
export function unknownUseProblems(key: string, uses: readonly string[], external: Readonly<Record<string, ExternalServiceSpec>>): string[] {
  const known: readonly string[] = [...PLATFORM_SERVICES, OBJECT_STORE_USE, ...Object.keys(external)];
  return uses.flatMap((use, i) =>
    known.includes(use) ? [] : [`${key}.uses[${i}]: is neither a platform service nor a key of strata:apps.external (got ${describeValue(use)}); use one of ${known.join(", ")}, or declare strata:apps.external.${use}`],
  );
}

/** Whether a PEM block parses as an X.509 certificate; the reason when it does not. */
export function pemProblem(pem: string): string | undefined {
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(pem)) return "is not a PEM certificate";
  try {
    new X509Certificate(pem);
    return undefined;
  } catch {
    return "is a PEM block that does not parse as an X.509 certificate";
  }
}

/** Whether a host is an IPv4 address, which must then lie in one of the CIDRs. */
export const isAddress = (host: string): boolean => IPV4.test(host);
