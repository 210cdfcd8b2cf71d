/**
 * Issue #25: what an app gets from an external data service — the URL and .NET string each
 * kind's clients parse (TLS as each spells it, the mounted CA), Kafka's client settings, the
 * object store's fields for S3 — and the spec it is built from (egress, CA file, existing Secret).
 */
import { expect } from "chai";
import { addressIn, externalDotnet, externalKafkaValue, externalPlainValue, externalSecretValue, externalUrl, withExternalUses } from "../../apps/external/values";
import { ExternalServiceConfig, type ExternalServiceSpec } from "../../config/apps/external";
import { AppServiceConfig } from "../../config/apps/service";

const ext = (raw: Record<string, unknown>): ExternalServiceSpec => ExternalServiceConfig.parse({ cidrs: ["10.40.12.0/24"], ...raw });
const CREDS = { username: "orders", password: "p@ss/word" };

describe("issue #25: external data services' connection values", () => {
  it("builds each kind's URL with the password escaped and TLS as its clients spell it", () => {
    const ca = { enabled: true, caSecret: "db-ca/ca.crt" };
    expect(externalUrl("db", ext({ kind: "postgres", host: "pg.example", tls: ca, database: "orders" }), CREDS)).to.equal(
      "postgresql://orders:p%40ss%2Fword@pg.example:5432/orders?sslmode=verify-full&sslrootcert=/etc/strata/external/db/ca.crt",
    );
    expect(externalUrl("db", ext({ kind: "postgres", host: "pg.example", tls: { enabled: true }, database: "orders" }), CREDS)).to.match(/sslrootcert=system$/);
    expect(externalUrl("db", ext({ kind: "postgres", host: "pg.example", database: "orders" }), CREDS)).to.equal("postgresql://orders:p%40ss%2Fword@pg.example:5432/orders");
    expect(externalUrl("db", ext({ kind: "mysql", host: "my.example", tls: ca, database: "shop" }), CREDS)).to.equal("mysql://orders:p%40ss%2Fword@my.example:3306/shop?ssl-mode=VERIFY_IDENTITY&ssl-ca=/etc/strata/external/db/ca.crt");
    expect(externalUrl("c", ext({ kind: "redis", host: "r.example", tls: { enabled: true } }), { username: "", password: "tok" })).to.equal("rediss://:tok@r.example:6379");
    expect(externalUrl("q", ext({ kind: "rabbitmq", host: "mq.example", tls: { enabled: true }, vhost: "orders" }), CREDS)).to.equal("amqps://orders:p%40ss%2Fword@mq.example:5671/orders");
    expect(externalUrl("q", ext({ kind: "rabbitmq", host: "mq.example" }), CREDS)).to.equal("amqp://orders:p%40ss%2Fword@mq.example:5672/%2F");
    expect(externalUrl("m", ext({ kind: "mongodb", host: "mg.example", tls: ca, database: "app" }), CREDS)).to.equal("mongodb://orders:p%40ss%2Fword@mg.example:27017/app?tls=true&tlsCAFile=/etc/strata/external/m/ca.crt");
  });

  it("gives .NET providers their key=value strings", () => {
    expect(externalDotnet("db", ext({ kind: "mysql", host: "my.example", tls: { enabled: true }, database: "shop" }), CREDS)).to.equal("Server=my.example;Port=3306;Database=shop;User=orders;Password=p@ss/word;SslMode=VerifyFull");
    expect(externalDotnet("c", ext({ kind: "redis", host: "r.example", tls: { enabled: true } }), { username: "", password: "tok" })).to.equal("r.example:6379,password=tok,ssl=true,abortConnect=false");
  });

  it("gives Kafka clients SASL over TLS when the brokers take credentials", () => {
    const kafka = ext({ kind: "kafka", host: "b-1.msk.example", tls: { enabled: true }, username: "orders", password: "orders:kafkaPassword" });
    expect(["bootstrapServers", "securityProtocol", "saslMechanism"].map((f) => externalKafkaValue("events", kafka, f))).to.deep.equal(["b-1.msk.example:9093", "SASL_SSL", "SCRAM-SHA-512"]);
    expect(externalKafkaValue("events", ext({ kind: "kafka", host: "k.example" }), "securityProtocol")).to.equal("PLAINTEXT");
  });

  it("gives S3 the object store's fields", () => {
    const s3 = ext({ kind: "s3", host: "s3.eu-central-1.amazonaws.com", bucket: "orders-exports", region: "eu-central-1" });
    expect(["endpoint", "hostPort", "bucket", "region"].map((f) => externalPlainValue("exports", s3, f))).to.deep.equal(["https://s3.eu-central-1.amazonaws.com", "s3.eu-central-1.amazonaws.com:443", "orders-exports", "eu-central-1"]);
    expect(externalSecretValue("exports", s3, "accessKey", { username: "AKIAEXAMPLE", password: "secret" })).to.equal("AKIAEXAMPLE");
  });

  it("lands the check on the first host address of a range, or the address of a /32", () => {
    expect([addressIn("10.40.12.0/24"), addressIn("10.60.8.0/22"), addressIn("192.0.2.7/32")]).to.deep.equal(["10.40.12.1", "10.60.8.1", "192.0.2.7"]);
  });

  it("builds the app from a spec with the external names out of uses, their egress, CA file and existing-Secret variables in", () => {
    const spec = AppServiceConfig.parse({
      image: "ghcr.io/acme/orders:1.0.0",
      port: 8080,
      resources: { cpuMillis: 100, memoryMi: 128, limitMemoryMi: 256 },
      uses: ["postgres", "orders-db"],
      connectionEnv: { DATABASE_URL: "postgres.url", ORDERS_DB_HOST: "orders-db.host", ORDERS_DB_PASSWORD: "orders-db.password" },
    });
    const derived = withExternalUses(spec, {
      "orders-db": ext({ kind: "postgres", host: "pg.example", port: 6432, tls: { enabled: true, caSecret: "pg-ca/root.pem" }, username: "orders", existingSecret: { name: "orders-db-creds", keys: { password: "pw" } } }),
    });
    expect(derived.uses).to.deep.equal(["postgres"]);
    expect(derived.egress).to.deep.equal([{ host: "pg.example", cidrs: ["10.40.12.0/24"], ports: [6432], protocol: "TCP" }]);
    expect(derived.secretFiles).to.deep.equal({ "/etc/strata/external/orders-db/ca.crt": { secret: "pg-ca/root.pem" } });
    expect(derived.secretEnv).to.deep.equal({ ORDERS_DB_PASSWORD: { secret: "orders-db-creds/pw" } });
    expect(derived.connectionEnv).to.deep.equal({ DATABASE_URL: "postgres.url", ORDERS_DB_HOST: "orders-db.host" });
  });
});
