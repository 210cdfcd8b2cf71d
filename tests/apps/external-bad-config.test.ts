/**
 * Issue #25: external data services (`strata:apps.external.<name>`) are refused while config is
 * parsed when they cannot be wired as written: no CIDRs (a host name cannot be let out by a
 * NetworkPolicy), a CA that is not a certificate, an unknown kind, IAM authentication off EKS, a
 * name a platform service has, and a `uses` or `connectionEnv` naming what is not declared.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { parseConfig, type RawConfig } from "../../config/schema";
import type { ConfigKeyState } from "../../config/apps/secret-sources";
import { validRaw } from "../config/valid-config";
import { problemsOf } from "../config/problems";

const CA = readFileSync(join(__dirname, "..", "fixtures", "external-db-ca.pem"), "utf8");
const BASE = { image: "ghcr.io/acme/api:1.4.2", port: 8080, resources: { cpuMillis: 100, memoryMi: 128, limitMemoryMi: 256 } };
const ORDERS_DB = { kind: "postgres", host: "orders-db.corp.example", cidrs: ["10.20.30.0/24"], tls: { ca: CA }, username: "orders", password: "orders:dbPassword", database: "orders" };
const keys: Record<string, ConfigKeyState> = { "orders:dbPassword": "secret", "orders:plain": "clear" };
const EKS = {
  infra: { backend: "eks", clusterName: "strata-test", eks: { endpoint: { deployerInVpc: true, privateAccessCidrs: ["10.50.0.0/24"] }, upgradePolicy: "STANDARD" } },
  awsRegion: "eu-central-1",
  cluster: {},
};

function withExternal(external: Record<string, unknown>, api: Record<string, unknown> = { uses: ["orders-db"], connectionEnv: { DATABASE_URL: "orders-db.url" } }, extra: Partial<RawConfig> = {}): RawConfig {
  return { ...validRaw(), apps: { external, services: { api: { ...BASE, ...api } } }, configKey: (key) => keys[key] ?? "missing", ...extra };
}

const E = "strata:apps.external.orders-db";
const K = "strata:apps.services.api";
const CASES: readonly [string, RawConfig, string][] = [
  [
    "issue #25: an external service without cidrs",
    withExternal({ "orders-db": { ...ORDERS_DB, cidrs: undefined } }),
    `${E}.cidrs: is required (got nothing); list the IPv4 ranges orders-db.corp.example resolves into (e.g. the DB subnets' CIDRs): a NetworkPolicy matches addresses, never host names, so a host name alone cannot be let out`,
  ],
  ["issue #25: a host name in cidrs", withExternal({ "orders-db": { ...ORDERS_DB, cidrs: ["orders-db.corp.example"] } }), `${E}.cidrs[0]: must be an IPv4 CIDR such as 10.244.0.0/16 (got "orders-db.corp.example")`],
  ["issue #25: an address outside its cidrs", withExternal({ "orders-db": { ...ORDERS_DB, host: "10.9.0.5" } }), `${E}.host: the address lies in none of the cidrs (got "10.9.0.5"); add a range holding it to ${E}.cidrs`],
  [
    "issue #25: a CA that is not PEM",
    withExternal({ "orders-db": { ...ORDERS_DB, tls: { ca: "MIIBpzCCAU2gAwIBAgIU" } } }),
    `${E}.tls.ca: is not a PEM certificate (got "MIIBpzCCAU2gAwIBAgIU"); paste the CA certificate, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----`,
  ],
  [
    "issue #25: a PEM block that is no certificate",
    withExternal({ "orders-db": { ...ORDERS_DB, tls: { ca: "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n" } } }),
    `${E}.tls.ca: is a PEM block that does not parse as an X.509 certificate (got "-----BEGIN CERTIFICATE-----\\nbm90IGEgY2Vy"); paste the CA certificate, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----`,
  ],
  ["issue #25: an unknown kind", withExternal({ "orders-db": { ...ORDERS_DB, kind: "oracle" } }), `${E}.kind: must be one of "postgres", "mysql", "redis", "rabbitmq", "kafka", "mongodb", "s3" (got "oracle")`],
  [
    "issue #25: IAM authentication off EKS",
    withExternal({ "orders-db": { ...ORDERS_DB, password: undefined, iamAuth: { region: "eu-central-1", dbiResourceId: "db-ABCDEFGHIJKL0123456789" } } }, { uses: ["orders-db"], connectionEnv: { DB_HOST: "orders-db.host" } }),
    `${E}.iamAuth: needs EKS Pod Identity for the app's role, but strata:infra.backend is existing (got {"region":"eu-central-1","dbiResourceId":"db-ABCDEFGHIJKL0123456789"}); remove iamAuth and use password or existingSecret`,
  ],
  [
    "issue #25: an external named like a platform service",
    withExternal({ postgres: ORDERS_DB }, { uses: ["postgres"] }),
    `strata:apps.external.postgres: the name is a platform service's, and both share the names of \`uses\` (got "postgres"); rename it, e.g. postgres-external`,
  ],
  [
    "issue #25: a use of an undeclared external service",
    withExternal({ "orders-db": ORDERS_DB }, { uses: ["billing-db"] }),
    `${K}.uses[0]: is neither a platform service nor a key of strata:apps.external (got "billing-db"); use one of postgres, mysql, mongodb, redis, rabbitmq, kafka, objectStore, orders-db, or declare strata:apps.external.billing-db`,
  ],
  [
    "issue #25: a connectionEnv field the kind has not",
    withExternal({ "orders-db": ORDERS_DB }, { uses: ["orders-db"], connectionEnv: { KAFKA_BOOTSTRAP: "orders-db.bootstrapServers" } }),
    `${K}.connectionEnv.KAFKA_BOOTSTRAP: must be <service>.<field> (got "orders-db.bootstrapServers"); fields: url, host, port, database, username, password, dotnet, caFile`,
  ],
  [
    "issue #25: a URL composed from a password strata never reads",
    withExternal({ "orders-db": { ...ORDERS_DB, password: undefined, existingSecret: { name: "orders-db-credentials" } } }),
    `${K}.connectionEnv.DATABASE_URL: orders-db's password is in the Secret orders-db-credentials, which strata never reads, so it cannot compose url (got "orders-db.url"); take orders-db.password and build the url in the app`,
  ],
  [
    "issue #25: a password with IAM authentication",
    withExternal({ "orders-db": { ...ORDERS_DB, password: undefined, iamAuth: { region: "eu-central-1", dbiResourceId: "db-ABCDEFGHIJKL0123456789" } } }, { uses: ["orders-db"], connectionEnv: { DB_PASSWORD: "orders-db.password" } }, EKS),
    `${K}.connectionEnv.DB_PASSWORD: orders-db authenticates with IAM tokens, so strata has no password to give (got "orders-db.password"); take orders-db.host, orders-db.port, orders-db.username and orders-db.database, and sign a token with the AWS SDK (RDS generate-db-auth-token) for each new connection`,
  ],
  [
    "issue #25: a password stored in clear",
    withExternal({ "orders-db": { ...ORDERS_DB, password: "orders:plain" } }),
    `${E}.password: config key orders:plain is stored in clear (got {"config":"orders:plain"}); set it with \`pulumi config set --secret orders:plain <value>\` so it stays encrypted`,
  ],
  [
    "issue #25: a password under strata:",
    withExternal({ "orders-db": { ...ORDERS_DB, password: "strata:dbPassword" } }),
    `${E}.password: must be a key outside the strata namespace (a secret strata:apps is refused), such as orders:dbPassword (got "strata:dbPassword")`,
  ],
  ["issue #25: no credentials", withExternal({ "orders-db": { ...ORDERS_DB, password: undefined } }), `${E}: has no credentials (got neither password, existingSecret nor iamAuth); set password: <namespace>:<key> (a secret config key) or existingSecret: {name, keys}`],
  ["issue #25: a bucket on a database", withExternal({ "orders-db": { ...ORDERS_DB, bucket: "orders" } }), `${E}.bucket: postgres has no bucket (got "orders"); remove it`],
];

describe("issue #25: external data services refused while config is parsed", () => {
  for (const [title, raw, message] of CASES) {
    it(title, () => {
      expect(problemsOf(raw)).to.include(message);
    });
  }

  it("accepts a TLS PostgreSQL with a CA and a password config key, and defaults its port", () => {
    const config = parseConfig(withExternal({ "orders-db": ORDERS_DB }, { uses: ["orders-db"], connectionEnv: { DATABASE_URL: "orders-db.url", PGSSLROOTCERT: "orders-db.caFile" } }));
    expect(config.apps.external["orders-db"]).to.include({ kind: "postgres", host: "orders-db.corp.example" });
    expect(config.apps.services["api"]?.uses).to.deep.equal(["orders-db"]);
  });

  it("accepts an external Kafka's bootstrap list in a bootstrap variable", () => {
    const events = { kind: "kafka", host: "b-1.msk.example", cidrs: ["10.70.0.0/20"], tls: { enabled: true }, username: "orders", password: "orders:dbPassword" };
    const config = parseConfig(withExternal({ events }, { uses: ["events"], connectionEnv: { KAFKA_BOOTSTRAP_SERVERS: "events.bootstrapServers", KAFKA_SECURITY_PROTOCOL: "events.securityProtocol" } }));
    expect(config.apps.services["api"]?.connectionEnv).to.include({ KAFKA_BOOTSTRAP_SERVERS: "events.bootstrapServers" });
  });

  it("accepts RDS IAM authentication on EKS", () => {
    const raw = withExternal(
      { "orders-db": { ...ORDERS_DB, tls: { enabled: true }, password: undefined, iamAuth: { region: "eu-central-1", dbiResourceId: "db-ABCDEFGHIJKL0123456789" } } },
      { uses: ["orders-db"], connectionEnv: { DB_HOST: "orders-db.host", DB_USER: "orders-db.username" } },
      EKS,
    );
    expect(parseConfig(raw).apps.external["orders-db"]?.iamAuth?.dbiResourceId).to.equal("db-ABCDEFGHIJKL0123456789");
  });
});
