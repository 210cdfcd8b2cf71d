/**
 * Alerts that can fire (issue #19): each data-service alert reads series that an exporter strata
 * runs really exports, with the collector that exports them switched on. The promtool fixtures
 * (`tests/promtool/`, `npm run rules:check`) prove each alert fires on those series and stays silent
 * otherwise.
 */
import { expect } from "chai";
import { observabilityConfig } from "../../config/platform-observability";
import { mongodbClusterSpec } from "../../platform/mongodb/values";
import { mysqlClusterSpec } from "../../platform/mysql/values";
import { strataRuleGroups, type AlertRule } from "../../platform/observability/rules";

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

  it("issue #19: PostgreSQL backup age reads the Barman Cloud plugin's series, not CNPG's in-core ones", () => {
    for (const name of ["StrataPostgreSQLBackupTooOld", "StrataPostgreSQLBackupFailed"]) {
      expect(exprOf(name)).to.contain("barman_cloud_cloudnative_pg_io_");
      expect(exprOf(name)).not.to.contain("cnpg_collector_");
    }
  });
});
