/**
 * Pure: replication lag of the Percona engines in PromQL, shared by the alert rules and the
 * dashboards, from the series their exporters' collectors export (platform/mysql/values.ts,
 * platform/mongodb/values.ts). `selector` narrows the series (e.g. a dashboard's namespace).
 */

const withSelector = (base: string, selector: string): string => (selector === "" ? base : `${base},${selector}`);

/**
 * MySQL group replication has no `SHOW REPLICA STATUS`, so lag is the age of the transaction a
 * member's `group_replication_applier` channel is applying: `time()` minus its original commit
 * time; an idle applier reports 0 and is left out. By `namespace` and `pod`.
 */
export function mysqlGroupReplicationLag(selector = ""): string {
  return `max by (namespace, pod) (time() - (mysql_perf_schema_applying_transaction_original_commit_timestamp_seconds{${withSelector('channel_name="group_replication_applier"', selector)}} > 0))`;
}

/**
 * MongoDB: every member's exporter reports every member's last applied optime (replSetGetStatus,
 * milliseconds); a secondary's lag is the primary's optime minus its own, once per member
 * (`member_idx`, host:port).
 */
export function mongodbReplicationLag(selector = ""): string {
  const optime = (state: string) => `mongodb_members_optimeDate{${withSelector(`member_state="${state}"`, selector)}}`;
  return `(max by (namespace, rs_nm) (${optime("PRIMARY")}) - on (namespace, rs_nm) group_right max by (namespace, rs_nm, member_idx) (${optime("SECONDARY")})) / 1000`;
}
