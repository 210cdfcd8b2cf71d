/**
 * Issue #25: an app using data services outside the cluster (`examples/external-db.yaml`: an
 * on-premises PostgreSQL with its own CA, a managed Redis whose token another tool keeps in a
 * Secret) gets the in-cluster kinds' `connectionEnv` fields, the CA mounted from a Secret in its
 * namespace, egress to the declared ranges and ports only, and two connections the check proves
 * — and breaks when the egress rule or the CA Secret is gone.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { brokenConnections, proveConnections } from "../../tools/connections";
import type { PlanDocument } from "../../tools/engine/plan-document";
import { toPlanDocument, type RunResult } from "../../tools/engine/run";
import { at, named, planStack } from "../harness";
import { envOf, input, NETWORK_POLICY, podSpec } from "./seed-plans";

const EXTERNAL_DB = { stack: "external-db", configFile: "examples/external-db.yaml" } as const;
const SECRET = "kubernetes:core/v1:Secret";
const CA = readFileSync(join(__dirname, "..", "fixtures", "external-db-ca.pem"), "utf8");

describe("issue #25: external data services (examples/external-db.yaml)", () => {
  let plan: RunResult;
  let document: PlanDocument;
  before(async function () {
    this.timeout(300_000);
    plan = await planStack(EXTERNAL_DB);
    document = toPlanDocument(plan);
  });

  it("gives the app the in-cluster kinds' fields: credentials through Secrets, the rest plain", () => {
    const env = Object.fromEntries(envOf(plan, "orders").map((e) => [e.name, e.value ?? e.valueFrom]));
    expect(env).to.deep.include({
      PGSSLROOTCERT: "/etc/strata/external/orders-db/ca.crt",
      REDIS_HOST: "master.sessions.abc123.euc1.cache.amazonaws.com",
      REDIS_PORT: "6379",
      DATABASE_URL: { secretKeyRef: { name: "orders-env", key: "DATABASE_URL" } },
      // The Redis token is read where the other tool keeps it, never copied by strata.
      REDIS_PASSWORD: { secretKeyRef: { name: "sessions-redis", key: "auth-token" } },
    });
    const secret = named(plan, SECRET, "orders-env");
    // issue #27: the URL keeps its shape in the plan, its password masked.
    expect(secret.inputs.stringData, "never in clear in the plan").to.deep.equal({ DATABASE_URL: "postgresql://orders:***@pg01.db.corp.example:5432/orders?sslmode=verify-full&sslrootcert=/etc/strata/external/orders-db/ca.crt" });
    const url = (at(secret.rawInputs, "stringData") as Record<string, string>)["DATABASE_URL"] ?? "";
    expect(url).to.match(/^postgresql:\/\/orders:[^@]+@pg01\.db\.corp\.example:5432\/orders\?sslmode=verify-full&sslrootcert=\/etc\/strata\/external\/orders-db\/ca\.crt$/);
  });

  it("writes the CA into the app's namespace and mounts it read-only", () => {
    const ca = named(plan, SECRET, "apps-external-orders-db-ca-app");
    expect(at(ca.inputs, "metadata")).to.deep.include({ name: "external-orders-db-ca", namespace: "app" });
    expect((at(ca.rawInputs, "stringData") as Record<string, string>)["ca.crt"]).to.equal(CA);
    const spec = podSpec(plan, "orders");
    const volume = (spec["volumes"] as { name: string; projected?: { sources: { secret: { name: string; items: { key: string; path: string }[] } }[] } }[]).find((v) =>
      v.projected?.sources.some((s) => s.secret.name === "external-orders-db-ca"),
    );
    expect(volume?.projected?.sources[0]?.secret.items).to.deep.equal([{ key: "ca.crt", path: "ca.crt", mode: 0o400 }]);
    const mounts = (spec["containers"] as { volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[] }[])[0]?.volumeMounts ?? [];
    expect(mounts).to.deep.include({ name: volume?.name, mountPath: "/etc/strata/external/orders-db", readOnly: true });
  });

  it("lets the app out to the declared ranges on the services' ports only, naming the hosts", () => {
    const egress = input(plan, NETWORK_POLICY, "orders-network-policy", "spec.egress") as { to: Record<string, unknown>[]; ports: { port: number }[] }[];
    const external = egress.filter((rule) => rule.to.some((peer) => "ipBlock" in peer));
    expect(external).to.deep.equal([
      { to: [{ ipBlock: { cidr: "10.40.12.0/24" } }], ports: [{ protocol: "TCP", port: 5432 }] },
      { to: [{ ipBlock: { cidr: "10.60.8.0/22" } }], ports: [{ protocol: "TCP", port: 6379 }] },
    ]);
    expect(input(plan, NETWORK_POLICY, "orders-network-policy", "metadata.annotations")).to.deep.equal({
      "strata.io/egress-hosts": "pg01.db.corp.example=10.40.12.0/24; master.sessions.abc123.euc1.cache.amazonaws.com=10.60.8.0/22",
    });
  });

  it("proves both paths and the Secrets they read", async () => {
    const results = await proveConnections(document);
    expect(brokenConnections(results)).to.deep.equal([]);
    const external = results.filter((r) => r.destination.endsWith("(outside)"));
    expect(external.map((r) => [r.destination, r.checks.egress])).to.deep.equal([
      ["orders-db 10.40.12.1:5432 (outside)", { ok: true }],
      ["sessions 10.60.8.1:6379 (outside)", { ok: true }],
    ]);
    expect(external[0]?.checks.secrets).to.deep.equal({ ok: true });
    // The Redis token's Secret is the other tool's: the check says so rather than failing.
    expect(JSON.stringify(external[1]?.checks.secrets)).to.include("made outside strata");
  });

  it("breaks the database path when the app's egress rule to its range is gone", async () => {
    const withoutRule = {
      ...document,
      resources: document.resources.map((r) => {
        if (r.inputs["kind"] !== "NetworkPolicy" || at(r.inputs, "metadata.name") !== "orders") return r;
        const spec = r.inputs["spec"] as { egress: { to: { ipBlock?: { cidr: string } }[] }[] };
        return { ...r, inputs: { ...r.inputs, spec: { ...spec, egress: spec.egress.filter((rule) => !rule.to.some((peer) => peer.ipBlock?.cidr === "10.40.12.0/24")) } } };
      }),
    };
    const broken = brokenConnections(await proveConnections(withoutRule));
    expect(broken.map((b) => `${b.connection}: ${b.message.split(":")[0]}`)).to.deep.equal(["app/{app.kubernetes.io/name=orders} → orders-db 10.40.12.1:5432 (outside): egress"]);
  });

  it("breaks the database path when the CA Secret is not in the app's namespace", async () => {
    const withoutCa = { ...document, resources: document.resources.filter((r) => !(r.inputs["kind"] === "Secret" && at(r.inputs, "metadata.name") === "external-orders-db-ca")) };
    const broken = brokenConnections(await proveConnections(withoutCa));
    expect(broken.map((b) => b.connection)).to.include("app/{app.kubernetes.io/name=orders} → orders-db 10.40.12.1:5432 (outside)");
  });
});
