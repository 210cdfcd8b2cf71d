/**
 * Alerts that can fire (issue #19): each data-service alert reads series that an exporter strata
 * runs really exports, with the collector that exports them switched on. The promtool fixtures
 * (`tests/promtool/`, `npm run rules:check`) prove each alert fires on those series and stays silent
 * otherwise.
 */
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { observabilityConfig } from "../../config/platform/observability";
import { mongodbClusterSpec } from "../../platform/mongodb/values";
import { mysqlClusterSpec } from "../../platform/mysql/values";
import { DASHBOARDS } from "../../platform/observability/dashboards";
import { strataRuleGroups, type AlertRule } from "../../platform/observability/rules";
import { defaultChartsDir } from "../../tools/verify/reference-dir";
import { backupStateMetricsValues, MYSQL_BACKUP_COMPLETED_SERIES } from "../../platform/observability/backup-state-metrics";

const thresholds = observabilityConfig.parse({}).alerting.thresholds;
const alerts = Object.values(strataRuleGroups(thresholds))
  .flatMap((g) => g.rules)
  .filter((r): r is AlertRule => "alert" in r);
const exprOf = (name: string): string => {
  const rule = alerts.find((a) => a.alert === name);
  if (rule === undefined) throw new Error(`no alert ${name}`);
  return rule.expr;
};

const placement = { nodeSelector: {}, tolerations: [] };
const resources = { cpuMillis: 100, memoryMi: 128, limitCpuMillis: 200, limitMemoryMi: 256 };

function sidecarArgs(spec: { readonly sidecars?: readonly { readonly args: readonly string[] }[] }): readonly string[] {
  const sidecar = spec.sidecars?.[0];
  if (sidecar === undefined) throw new Error("no exporter sidecar");
  return sidecar.args;
}

describe("data-service alerts read series their exporters export", () => {
  it("issue #19: MySQL lag and membership come from mysqld_exporter's performance_schema collectors, which the sidecar enables", () => {
    const spec = mysqlClusterSpec({
      members: 3,
      resources,
      storageGi: 10,
      placement,
      haproxyReplicas: 2,
      haproxyResources: resources,
      systemUsersSecret: "mysql-secrets",
      metrics: true,
    });
    const args = sidecarArgs(spec.mysql);
    // Group replication never fills SHOW REPLICA STATUS: no alert may rely on slave_status.
    expect(alerts.map((a) => a.expr).join("\n")).not.to.match(/mysql_slave_status/);
    expect(exprOf("StrataMySQLReplicationLag")).to.contain("mysql_perf_schema_applying_transaction_original_commit_timestamp_seconds");
    expect(args).to.include("--collect.perf_schema.replication_applier_status_by_worker");
    expect(exprOf("StrataMySQLGroupMemberNotOnline")).to.contain("mysql_perf_schema_replication_group_member_info");
    expect(args).to.include("--collect.perf_schema.replication_group_members");
  });

  it("issue #19: MongoDB lag and PBM backup age come from mongodb_exporter's replicasetstatus and pbm collectors, which the sidecar enables", () => {
    const spec = mongodbClusterSpec({
      members: 3,
      resources,
      storageGi: 10,
      placement,
      systemUsersSecret: "mongodb-secrets",
      appUser: { database: "app", username: "app", secretName: "mongodb-app" },
      metrics: true,
    });
    const args = sidecarArgs(spec.replsets[0]!);
    expect(exprOf("StrataMongoDBReplicationLag")).to.contain("mongodb_members_optimeDate");
    expect(args).to.include("--collector.replicasetstatus");
    expect(exprOf("StrataMongoDBBackupTooOld")).to.contain("mongodb_pbm_backup_last_transition_ts");
    expect(args).to.include("--collector.pbm");
  });

  it("issue #19: the MySQL and MongoDB dashboards plot the lag the alerts read, not series the exporters never export", () => {
    const lagPanel = (file: string) => DASHBOARDS[file]?.panels.find((p) => p.title === "Replication lag")?.expr ?? "";
    expect(lagPanel("mysql.json")).to.contain("mysql_perf_schema_applying_transaction_original_commit_timestamp_seconds").and.not.contain("mysql_slave_status");
    expect(lagPanel("mongodb.json")).to.contain("mongodb_members_optimeDate").and.not.contain("mongodb_mongod_replset_member_replication_lag");
  });

  it("issue #19: PostgreSQL backup age reads the Barman Cloud plugin's series, not CNPG's in-core ones", () => {
    for (const name of ["StrataPostgreSQLBackupTooOld", "StrataPostgreSQLBackupFailed"]) {
      expect(exprOf(name)).to.contain("barman_cloud_cloudnative_pg_io_");
      expect(exprOf(name)).not.to.contain("cnpg_collector_");
    }
  });

  it("issue #19: MySQL backup age comes from kube-state-metrics over the operator's backup objects, at fields the pinned CRD has", () => {
    const values = backupStateMetricsValues();
    const resource = values.customResourceState.config.spec.resources[0]!;
    const crds = parseAllDocuments(readFileSync(join(defaultChartsDir(), "ps-operator", "crds", "crd.yaml"), "utf8")).map((d) => d.toJS() as CrdDocument);
    const crd = crds.find((d) => d?.spec?.names?.kind === resource.groupVersionKind.kind && d.spec.group === resource.groupVersionKind.group);
    expect(crd, "the PerconaServerMySQLBackup CRD of ps-operator 1.1.0").to.not.equal(undefined);
    expect(values.rbac.extraRules[0]?.resources).to.deep.equal([crd?.spec.names.plural]);
    const schema = crd?.spec.versions.find((v) => v.name === resource.groupVersionKind.version)?.schema.openAPIV3Schema;
    const has = (path: readonly string[]) => path.reduce<SchemaNode | undefined>((node, key) => node?.properties?.[key], schema) !== undefined;
    const metric = resource.metrics[0]!;
    for (const path of [metric.each.gauge.path, metric.each.gauge.labelsFromPath.state, resource.labelsFromPath.cluster]) expect(has(path), path.join(".")).to.equal(true);
    expect(exprOf("StrataMySQLBackupTooOld")).to.contain(`${MYSQL_BACKUP_COMPLETED_SERIES}{state="Succeeded"}`);
    expect(MYSQL_BACKUP_COMPLETED_SERIES).to.equal(`kube_customresource_${metric.name}`);
  });
});

interface SchemaNode {
  readonly properties?: Readonly<Record<string, SchemaNode>>;
}
interface CrdDocument {
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string; readonly plural: string };
    readonly versions: readonly { readonly name: string; readonly schema: { readonly openAPIV3Schema: SchemaNode } }[];
  };
}
