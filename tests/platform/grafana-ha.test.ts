/** Issue #23: Grafana in prod runs two pods on a shared PostgreSQL database, or one on SQLite (with a warning) where there is none. */
import { expect } from "chai";
import { join } from "node:path";
import { GRAFANA_ON_MYSQL_PROBLEM, grafanaReplicasProblems, grafanaSingleReplicaNote, observabilityConfig, resolveGrafana } from "../../config/platform/observability";
import { type RawConfig } from "../../config/schema";
import { GRAFANA_DATABASE_SSL_MODE, type GrafanaDatabase, grafanaDatabaseConnection, grafanaValues } from "../../platform/observability/grafana-values";
import { grafanaWorkload } from "../../platform/observability/chart-workloads";
import { resolveObservability } from "../../platform/observability/settings";
import { databaseRoleSpec, databaseSpec, primaryHost } from "../../platform/postgres/client-database";
import { mysqlClusterSpec } from "../../platform/mysql/values";
import { loadCrds } from "../../tools/verify/crds";
import { customResourceFindings } from "../../tools/verify/custom-resources";
import { validRaw } from "../config/valid-config";
import { problemsOf } from "../config/problems";

const CHARTS = join(__dirname, "..", "..", "..", "shared", "reference", "charts");
const defaults = observabilityConfig.parse({});
const scheduling = { nodeSelector: { "node.strata.io/role": "system" }, tolerations: [], affinity: {} };
const database: GrafanaDatabase = { host: "postgres-rw.data.svc", port: 5432, name: "grafana", user: "grafana", passwordSecret: { name: "grafana-database", key: "password" } };

describe("issue #23: Grafana HA", () => {
  it("issue #23: prod with PostgreSQL runs 2 Grafana pods on it; prod without, dev and an explicit 1 run one on SQLite", () => {
    expect(resolveGrafana(defaults, "prod", true)).to.deep.equal({ replicas: 2, sharedDatabase: true });
    expect(resolveGrafana(defaults, "prod", false)).to.deep.equal({ replicas: 1, sharedDatabase: false });
    expect(resolveGrafana(defaults, "dev", true)).to.deep.equal({ replicas: 1, sharedDatabase: false });
    expect(resolveGrafana(observabilityConfig.parse({ grafana: { replicas: 1 } }), "prod", true)).to.deep.equal({ replicas: 1, sharedDatabase: false });
    expect(resolveGrafana(observabilityConfig.parse({ grafana: { replicas: 3 } }), "staging", true)).to.deep.equal({ replicas: 3, sharedDatabase: true });
  });

  it("issue #23: two Grafana pods: a PDB, one per node, no volume, grafana.ini's database on the primary over TLS, the password from a Secret", () => {
    const values = grafanaValues({ settings: resolveObservability(defaults, "prod", "eks", { hasPostgres: true }), scheduling, additionalDataSources: [], database });
    expect(values.replicas).to.equal(2);
    expect(values.podDisruptionBudget).to.deep.equal({ minAvailable: 1 });
    expect(values.affinity.podAntiAffinity).to.deep.equal({
      requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { "app.kubernetes.io/name": "grafana", "app.kubernetes.io/instance": "kube-prometheus-stack" } }, topologyKey: "kubernetes.io/hostname" }],
    });
    expect(values.persistence).to.deep.equal({ enabled: false });
    expect(values["grafana.ini"].database).to.deep.equal({ type: "postgres", host: "postgres-rw.data.svc:5432", name: "grafana", user: "grafana", ssl_mode: "require" });
    expect(GRAFANA_DATABASE_SSL_MODE, "CloudNativePG serves TLS only; require until strata issues its server CA").to.equal("require");
    expect(values.envValueFrom).to.deep.equal({ GF_DATABASE_PASSWORD: { secretKeyRef: { name: "grafana-database", key: "password" } } });
    expect(JSON.stringify(values)).not.to.match(/"password":"[^"]/);
  });

  it("issue #23: one Grafana keeps SQLite on its volume, without a PDB or a database section", () => {
    const values = grafanaValues({ settings: resolveObservability(defaults, "prod", "vsphere"), scheduling, storageClass: "standard", additionalDataSources: [] });
    expect(values.replicas).to.equal(1);
    expect(values.podDisruptionBudget).to.deep.equal({});
    expect(values.persistence).to.deep.equal({ enabled: true, type: "sts", storageClassName: "standard", accessModes: ["ReadWriteOnce"], size: "10Gi" });
    expect(values["grafana.ini"]).not.to.have.property("database");
    expect(values).not.to.have.property("envValueFrom");
    expect(values.affinity).not.to.have.property("podAntiAffinity");
  });

  it("issue #23: more than one Grafana without the shared database is a programming error, not a silent SQLite per pod", () => {
    expect(() => grafanaValues({ settings: resolveObservability(defaults, "prod", "eks", { hasPostgres: true }), scheduling, additionalDataSources: [] })).to.throw("more than one Grafana needs its shared database");
  });

  it("issue #23: refuses more than one Grafana without PostgreSQL, naming the key", () => {
    const raw: RawConfig = { ...validRaw(), platform: { observability: { access: { enabled: false }, grafana: { replicas: 2 } } } };
    expect(problemsOf(raw)).to.deep.equal([
      "strata:platform.observability.grafana.replicas: more than one Grafana needs a shared database, and strata:platform.postgres is not enabled (got 2); enable strata:platform.postgres (Grafana gets a role and database of its own there), or use 1 (strata:platform.mysql is group replication, which refuses Grafana's schema migrations (tables without a primary key, grafana/grafana#45639))",
    ]);
    expect(grafanaReplicasProblems(observabilityConfig.parse({ grafana: { replicas: 2 } }), true)).to.deep.equal([]);
  });

  it("issue #23: the plan warns about prod's single Grafana only where PostgreSQL is off and replicas are left to the default", () => {
    expect(grafanaSingleReplicaNote(defaults, "prod", false)).to.match(/^strata:platform\.observability\.grafana\.replicas: prod runs one Grafana, on SQLite on its volume, because strata:platform\.postgres is not enabled;/);
    expect(grafanaSingleReplicaNote(defaults, "prod", true)).to.equal(undefined);
    expect(grafanaSingleReplicaNote(defaults, "dev", false)).to.equal(undefined);
    expect(grafanaSingleReplicaNote(observabilityConfig.parse({ grafana: { replicas: 1 } }), "prod", false)).to.equal(undefined);
    expect(grafanaSingleReplicaNote(undefined, "prod", false)).to.equal(undefined);
  });

  it("issue #23: Grafana's role and database are valid CloudNativePG DatabaseRole and Database resources", () => {
    const crds = loadCrds(CHARTS);
    const role = { apiVersion: "postgresql.cnpg.io/v1", kind: "DatabaseRole", metadata: { name: "postgres-grafana", namespace: "data" }, spec: databaseRoleSpec("grafana", "postgres-grafana-credentials") };
    const db = { apiVersion: "postgresql.cnpg.io/v1", kind: "Database", metadata: { name: "postgres-grafana", namespace: "data" }, spec: databaseSpec("grafana", "grafana") };
    expect(customResourceFindings("DatabaseRole data/postgres-grafana", role, "postgresql.cnpg.io", "v1", "DatabaseRole", crds)).to.deep.equal([]);
    expect(customResourceFindings("Database data/postgres-grafana", db, "postgresql.cnpg.io", "v1", "Database", crds)).to.deep.equal([]);
    expect(role.spec).to.deep.include({ login: true, superuser: false, createdb: false, createrole: false });
  });

  it("issue #23: declares Grafana → the primary's Service with the password's Secret in Grafana's namespace", () => {
    const connection = grafanaDatabaseConnection(grafanaWorkload("monitoring"), { ...database, host: primaryHost("data") });
    expect(connection.to).to.deep.equal({ kind: "service", namespace: "data", name: "postgres-rw", port: 5432 });
    expect(connection.secrets).to.deep.equal([{ name: "grafana-database", keys: ["password"] }]);
    expect(connection.from).to.deep.include({ workload: "monitoring/grafana" });
  });

  it("issue #23: the platform's MySQL is no shared database for Grafana: a MySQL-only prod (EMIS) is refused two Grafana pods, naming the upstream reason", () => {
    const raw: RawConfig = { ...validRaw(), platform: { mysql: { enabled: true }, observability: { access: { enabled: false }, grafana: { replicas: 2 } } } };
    expect(problemsOf(raw).filter((p) => p.startsWith("strata:platform.observability.grafana.replicas:"))).to.deep.equal([
      `strata:platform.observability.grafana.replicas: more than one Grafana needs a shared database, and strata:platform.postgres is not enabled (got 2); enable strata:platform.postgres (Grafana gets a role and database of its own there), or use 1 (${GRAFANA_ON_MYSQL_PROBLEM})`,
    ]);
    expect(grafanaSingleReplicaNote(defaults, "prod", false)).to.contain(GRAFANA_ON_MYSQL_PROBLEM);
    // The reason holds while strata's MySQL runs group replication; another cluster type reopens the question.
    const resources = { cpuMillis: 100, memoryMi: 128, limitCpuMillis: 200, limitMemoryMi: 256 };
    const spec = mysqlClusterSpec({ members: 3, resources, storageGi: 10, placement: { nodeSelector: {}, tolerations: [] }, haproxyReplicas: 2, haproxyResources: resources, systemUsersSecret: "s", metrics: false });
    expect(spec.mysql.clusterType, GRAFANA_ON_MYSQL_PROBLEM).to.equal("group-replication");
  });
});
